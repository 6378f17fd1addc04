"""Article pages name their author and medical reviewer, linking to their pages; the JSON-LD describes both."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils.html import escape

from claims.links import absolute
from claims.models import ArticlePage
from people.profiles import profile_for
from tests.factories import ArticleFactory
from tests.helpers import article_page
from tests.security.conftest import PUBLIC
from tests.security.dom import assert_inert

pytestmark = pytest.mark.django_db

REVIEWED_ON = datetime.date(2026, 3, 2)


def header(content):
    start = content.index('<header class="article__header">')
    return content[start : content.index("</header>", start)]


def json_ld(content):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1))


def described(user, **fields):
    profile = profile_for(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


@pytest.fixture
def article(editor, reviewer):
    """A published article written by the editor, its live revision signed off by the reviewer."""
    return ArticleFactory(author=editor, medical_reviewer=reviewer, last_reviewed=REVIEWED_ON)


@pytest.fixture
def people(editor, reviewer):
    author = described(editor, display_name="Sam Okafor", specialty="Health journalism")
    signer = described(
        reviewer, display_name="Dr Priya Raman", credentials="MD, FRCP", specialty="Respiratory medicine"
    )
    return author, signer


def test_the_header_names_the_author_and_the_reviewer_with_credentials_linking_to_their_pages(article, people):
    author, signer = people

    page = header(article_page(Client(), article))

    assert f'<p>Written by <a href="/people/{author.slug}/">Sam Okafor</a></p>' in page
    assert (
        f'Medically reviewed by <a href="/people/{signer.slug}/">Dr Priya Raman</a>, MD, FRCP on '
        '<time datetime="2026-03-02">2 March 2026</time>'
    ) in page


def test_a_reviewer_without_credentials_is_named_without_a_comma(article, reviewer):
    signer = described(reviewer, display_name="Dr Priya Raman")

    page = header(article_page(Client(), article))

    assert f'Medically reviewed by <a href="/people/{signer.slug}/">Dr Priya Raman</a> on <time' in page


def test_the_json_ld_gives_author_and_reviewer_as_persons_with_title_and_credential(article, people):
    author, signer = people

    data = json_ld(article_page(Client(), article))

    assert data["author"] == {
        "@type": "Person",
        "name": "Sam Okafor",
        "url": absolute(f"/people/{author.slug}/"),
        "jobTitle": "Health journalism",
    }
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Priya Raman",
        "url": absolute(f"/people/{signer.slug}/"),
        "jobTitle": "Respiratory medicine",
        "hasCredential": {"@type": "EducationalOccupationalCredential", "name": "MD, FRCP"},
    }
    assert data["url"] == absolute(article.get_absolute_url())


def test_the_job_title_falls_back_to_the_credentials_and_is_left_out_without_either(article, editor, reviewer):
    described(reviewer, credentials="MBBS")

    data = json_ld(article_page(Client(), article))

    assert data["reviewedBy"]["jobTitle"] == "MBBS"
    assert "jobTitle" not in data["author"] and "hasCredential" not in data["author"]


def test_every_address_in_the_json_ld_is_on_the_sites_address_whatever_host_was_asked(article, people, settings):
    settings.SITE_URL = "https://health.example.org/"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    content = Client().get(article.get_absolute_url(), HTTP_HOST="127.0.0.1").content.decode()

    data = json_ld(content)
    assert data["url"] == f"https://health.example.org{article.get_absolute_url()}"
    assert data["author"]["url"].startswith("https://health.example.org/people/")
    assert data["reviewedBy"]["url"].startswith("https://health.example.org/people/")
    assert "127.0.0.1" not in content and "testserver" not in content


def test_a_draft_preview_names_its_author(editor_client, editor):
    draft = ArticleFactory(author=editor, status="draft")

    page = header(article_page(editor_client, draft))

    assert f'Written by <a href="{profile_for(editor).get_absolute_url()}">' in page
    assert "not been medically reviewed" in page


def test_a_profile_change_rebuilds_the_pages_naming_the_person_and_no_other(
    article, people, editor, second_reviewer, django_capture_on_commit_callbacks
):
    other = ArticleFactory(author=second_reviewer)
    client = Client()
    article_page(client, article), article_page(client, other)
    other_generation = ArticlePage.objects.get(article=other).generation

    with django_capture_on_commit_callbacks(execute=True):
        described(editor, credentials="BSc", specialty="Science writing")
    with django_capture_on_commit_callbacks(execute=True):
        signer = people[1]
        signer.credentials = "MD, FRCP, PhD"
        signer.save()

    stored = ArticlePage.objects.get(article=article)
    page = stored.page
    assert stored.built_generation == stored.generation
    assert "Dr Priya Raman</a>, MD, FRCP, PhD on" in page
    assert '"jobTitle":"Science writing"' in page
    assert ArticlePage.objects.get(article=other).generation == other_generation


@pytest.mark.parametrize(
    "hostile",
    ["</script><script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<!--", "a & b < c"],
)
def test_hostile_names_and_credentials_are_text_in_the_header_and_the_json_ld(article, editor, reviewer, hostile):
    described(editor, display_name=f"Author {hostile}", specialty=hostile)
    described(reviewer, display_name=f"Reviewer {hostile}", credentials=hostile, specialty=hostile)

    content = article_page(Client(), article)

    assert_inert(content, PUBLIC, hostile)
    assert f"{escape('Reviewer ' + hostile)}</a>, {escape(hostile)} on" in header(content)
    data = json_ld(content)
    assert (data["author"]["name"], data["reviewedBy"]["name"]) == (f"Author {hostile}", f"Reviewer {hostile}")
    assert data["reviewedBy"]["hasCredential"]["name"] == hostile
