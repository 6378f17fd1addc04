"""A person's public page: who they are, what they declared, and only the published work they wrote or reviewed."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from articles.services import article_archive
from people.models import Profile
from people.profiles import profile_for
from tests.factories import ArticleFactory, UserFactory, published
from tests.helpers import page_text
from tests.security.conftest import PUBLIC
from tests.security.dom import assert_inert
from tests.security.vectors import XSS_VECTORS

pytestmark = pytest.mark.django_db

REVIEWED_ON = datetime.date(2026, 3, 2)


def page_of(client, user):
    return client.get(reverse("people:person-detail", kwargs={"slug": profile_for(user).slug}))


def described(user, **fields):
    profile = profile_for(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


@pytest.fixture
def work(editor, reviewer):
    """The editor wrote a published article (signed off by the reviewer), a draft, and an archived one."""
    live = ArticleFactory(
        author=editor, title="Living with lung scarring", medical_reviewer=reviewer, last_reviewed=REVIEWED_ON
    )
    draft = ArticleFactory(author=editor, title="A draft about asthma", status="draft")
    gone = ArticleFactory(author=editor, title="An archived article on coughs")
    article_archive(article=gone, user=editor)
    return live, draft, gone


def test_the_page_lists_the_published_articles_written_never_drafts_or_archived(client, editor, work):
    response = page_of(client, editor)

    text = page_text(response)
    assert response.status_code == 200
    assert "Articles written by Alex" in text and "Living with lung scarring" in text
    assert "A draft about asthma" not in text and "An archived article on coughs" not in text
    assert f'href="{work[0].get_absolute_url()}"' in response.content.decode()
    assert "medically reviewed by" not in text


def test_the_reviewers_page_lists_the_articles_they_reviewed_with_the_date(client, reviewer, work):
    text = page_text(page_of(client, reviewer))

    assert "Articles medically reviewed by Dr Jo" in text
    assert "Living with lung scarring reviewed 2 March 2026" in text
    assert "Articles written by" not in text


def test_the_page_shows_the_profile_and_says_none_declared_without_conflicts(client, reviewer, work):
    described(
        reviewer,
        display_name="Dr Priya Raman",
        credentials="MD, FRCP",
        specialty="Respiratory medicine",
        bio="Consultant in a lung clinic.\n\nWrites about breathing.",
    )

    response = page_of(client, reviewer)

    content, text = response.content.decode(), page_text(response)
    assert "<h1>Dr Priya Raman</h1>" in content
    assert '<p class="person__credentials">MD, FRCP</p>' in content
    assert "Respiratory medicine" in text
    assert "<p>Consultant in a lung clinic.</p>\n\n<p>Writes about breathing.</p>" in content
    assert "Declared conflicts of interest None declared." in text
    assert "<title>Dr Priya Raman, MD, FRCP · Evidence Graded Health</title>" in content


def test_declared_conflicts_are_shown(client, reviewer, work):
    described(reviewer, conflicts_of_interest="Paid speaker for an inhaler maker (2025).")

    text = page_text(page_of(client, reviewer))

    assert "Declared conflicts of interest Paid speaker for an inhaler maker (2025)." in text
    assert "None declared" not in text


def test_an_unknown_slug_is_not_found(client, work):
    assert client.get("/people/nobody-here/").status_code == 404


def test_someone_with_no_published_work_is_not_found(client, editor, work):
    only_drafts = UserFactory(first_name="Drafts", last_name="Only")
    ArticleFactory(author=only_drafts, status="draft")
    only_archived = UserFactory(first_name="Archived", last_name="Only")
    archived = ArticleFactory(author=only_archived)
    article_archive(article=archived, user=only_archived)

    assert page_of(client, only_drafts).status_code == 404
    assert page_of(client, only_archived).status_code == 404
    assert page_of(client, UserFactory(first_name="No", last_name="Work")).status_code == 404


def test_staff_do_not_see_more_than_readers(editor_client, reviewer, work):
    """Signed-in staff get the same page: drafts are never listed on it."""
    text = page_text(page_of(editor_client, reviewer))

    assert "A draft about asthma" not in text


def test_a_reviewer_whose_sign_off_was_replaced_is_no_longer_listed_for_it(client, reviewer, second_reviewer, work):
    live = work[0]
    live.medical_reviewer = second_reviewer
    live.save()
    published(live)  # a new live revision, signed off by the second reviewer

    assert page_of(client, reviewer).status_code == 404
    assert "Living with lung scarring" in page_text(page_of(client, second_reviewer))


def test_the_page_answers_get_and_head_only(client, editor, work):
    url = profile_for(editor).get_absolute_url()

    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("vector", XSS_VECTORS[::3])
def test_every_field_is_shown_as_text_never_as_markup(client, reviewer, work, vector):
    described(
        reviewer,
        display_name=vector[:120],
        credentials=vector[:120],
        specialty=vector[:120],
        bio=vector,
        conflicts_of_interest=vector,
    )

    response = page_of(client, reviewer)

    content = response.content.decode()
    assert_inert(content, PUBLIC, vector)
    assert f"<h1>{escape(vector[:120])}</h1>" in content
    assert f'<p class="person__credentials">{escape(vector[:120])}</p>' in content


def test_the_photo_is_shown_with_its_alternative_text(client, reviewer, work):
    profile = described(reviewer, display_name="Dr Priya Raman", photo="people/0123abcd.jpg")

    content = page_of(client, reviewer).content.decode()

    assert f'src="/media/{profile.photo.name}" alt="Photo of Dr Priya Raman"' in content


def test_the_sitemap_lists_people_with_published_work_only(client, editor, reviewer, work):
    idle = profile_for(UserFactory(first_name="No", last_name="Work"))
    profile_for(editor), profile_for(reviewer)

    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {element.text for element in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}

    people = {re.sub(r"^https?://[^/]+", "", url) for url in locations if "/people/" in url}
    assert people == {Profile.objects.get(user=u).get_absolute_url() for u in (editor, reviewer)}
    assert idle.get_absolute_url() not in people


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_reads_three_queries_however_many_articles(client, editor, reviewer, count):
    for number in range(count):
        ArticleFactory(author=editor, title=f"Article {number}", medical_reviewer=reviewer, last_reviewed=REVIEWED_ON)
    url = profile_for(reviewer).get_absolute_url()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200 and page_text(response).count("reviewed 2 March 2026") == count
    assert len(queries) == 3  # the profile, the articles written, the articles reviewed
