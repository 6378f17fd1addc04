"""Stored list pages (claims.pages.lists): the home page, a topic page, the conditions list and an evidence
map are served whole in one query, and every change readers could see (an approval published, a publication,
an edit, an urgent withdrawal, an archiving, a deletion) shows on each of them at the very next request,
with or without the shared cache."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from articles.services import article_archive, article_update
from claims.models import Claim, Condition, ListPage, Source
from claims.pages import lists
from claims.publishing import claim_withdraw_urgently
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence, published
from tests.helpers import graded_claim, sign_off_and_publish

pytestmark = pytest.mark.django_db

TOPIC = "lungs"
# One health claim, claimed: the publication gate lets a new revision through once each claim is approved.
BODY = (
    "Antifibrotic medicines slow the loss of lung function in idiopathic pulmonary fibrosis.\n\n"
    "This page was first written in spring."
)


class Site:
    """Two published articles on the topic, one with a claim graded strong about lung scarring."""

    def __init__(self, article, other, claim):
        self.article, self.other, self.claim = article, other, claim

    @property
    def urls(self):
        return {
            "home": reverse("articles:article-list"),
            "topic": reverse("articles:tag-detail", kwargs={"slug": TOPIC}),
            "conditions": reverse("claims:condition-list"),
            "evidence map": self.claim.condition.get_absolute_url(),
        }

    def read(self, name):
        """(status, text, queries) of one page as a reader who is not signed in gets it."""
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(self.urls[name])
        return response.status_code, response.content.decode(), len(queries)

    def texts(self):
        """{page: text} of every page, each read twice: the second time as stored, in one query."""
        texts = {}
        for name in self.urls:
            status, text, _ = self.read(name)
            assert status == 200, name
            again = self.read(name)
            assert again == (200, text, 1), name
            texts[name] = text
        return texts


@pytest.fixture(params=["no shared cache", "redis"])
def shared_cache(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


@pytest.fixture
def site(editor, reviewer, shared_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ipf = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
        article = ArticleFactory(author=editor, title="Antifibrotics and the lung", body=BODY)
        other = ArticleFactory(author=editor, title="Breathing exercises")
        for each in (article, other):
            each.tags.add(TOPIC)
        claim = graded_claim(reviewer, article=article, sentence=0, condition=ipf, evidence_status=evidence("strong"))
    return Site(Article.objects.get(pk=article.pk), Article.objects.get(pk=other.pk), Claim.objects.get(pk=claim.pk))


OVERRIDE = "Worded as the trial put it."


def changed(before, after):
    return sorted(name for name in before if before[name] != after[name])


# Served as stored ------------------------------------------------------------------------------------------


def test_each_list_page_is_stored_at_its_address_and_served_as_rendered(site):
    texts = site.texts()

    assert set(ListPage.objects.values_list("address", flat=True)) == set(site.urls.values())
    for name, text in texts.items():
        stored = ListPage.objects.get(address=site.urls[name]).page
        assert stored == text, name


def test_stored_pages_are_read_in_one_query_whatever_the_number_of_articles_and_claims(site, editor, reviewer):
    small = site.texts()
    condition = site.claim.condition
    for n in range(25):
        article = ArticleFactory(author=editor, title=f"More on the lung {n}")
        article.tags.add(TOPIC)
        for sentence in (1, 2):
            graded_claim(reviewer, article=article, sentence=sentence, condition=condition)

    large = site.texts()  # each page read twice, the second time in one query

    assert changed(small, large) == sorted(site.urls)


def test_only_plain_addresses_are_stored(site, client):
    site.texts()
    kept = ListPage.objects.count()

    for url in ("/?utm_source=feed", "/?page=last", "/?page=", "/?page=1&page=2", f"/tags/{TOPIC}/?page=7"):
        client.get(url)
    client.get("/tags/no-such-topic/")
    client.post("/")

    assert ListPage.objects.count() == kept


def test_the_first_page_is_stored_once_under_its_plain_address(site, client):
    home = site.urls["home"]
    first = client.get(home + "?page=1").content

    assert list(ListPage.objects.values_list("address", flat=True)) == [home]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home).content == first
    assert len(queries) == 1


def test_a_page_built_with_other_templates_is_rendered_again(site, monkeypatch):
    before = site.texts()
    monkeypatch.setattr(lists, "layout_version", lambda: "a later deployment")

    for name in site.urls:
        status, text, queries = site.read(name)
        assert (status, text) == (200, before[name]) and queries > 1, name
    assert set(ListPage.objects.values_list("layout", flat=True)) == {"a later deployment"}


def test_a_change_rolled_back_leaves_the_stored_pages_in_use(site, editor):
    before = site.texts()

    with pytest.raises(RuntimeError), transaction.atomic():
        Condition.objects.filter(pk=site.claim.condition_id).get().save()  # raises the content generation
        raise RuntimeError("the editor's request failed")

    for name in site.urls:
        assert site.read(name) == (200, before[name], 1), name


# Fresh after every change -------------------------------------------------------------------------------


def test_an_approval_shows_on_every_list_page_at_the_next_request_once_published(
    site, editor, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    asthma = ConditionFactory(name="Asthma", slug="asthma")
    with django_capture_on_commit_callbacks(execute=True):
        pending = ClaimFactory(article=site.article, sentence=0, condition=asthma, evidence_status=evidence("limited"))
    before = site.texts()
    assert "Asthma" not in before["conditions"]

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=Claim.objects.get(pk=pending.pk), reviewer=reviewer, override_reason=OVERRIDE)
    assert site.texts() == before  # approved in the draft only: readers see the live revision

    with django_capture_on_commit_callbacks(execute=True):
        sign_off_and_publish(site.article, second_reviewer)
    after = site.texts()

    assert "Asthma" in after["conditions"] and asthma.get_absolute_url() in after["conditions"]
    assert Client().get(asthma.get_absolute_url()).text.count('class="evidence-note"') == 1
    for name in ("home", "topic"):
        assert "Limited evidence" in after[name] and "Limited evidence" not in before[name], name


def test_a_publication_shows_on_every_list_page_at_the_next_request(
    site, editor, reviewer, django_capture_on_commit_callbacks
):
    before = site.texts()

    with django_capture_on_commit_callbacks(execute=True):
        new = ArticleFactory(author=editor, title="Pulmonary rehabilitation", live=False, status=Article.Status.DRAFT)
        new.tags.add(TOPIC)
        graded_claim(reviewer, article=new, sentence=1, condition=site.claim.condition)
    assert site.texts() == before  # a draft is on no list

    with django_capture_on_commit_callbacks(execute=True):
        published(new)
    after = site.texts()

    assert changed(before, after) == sorted(site.urls)
    assert "Pulmonary rehabilitation" in after["home"] and "Pulmonary rehabilitation" in after["topic"]
    assert "2 claims<" in after["conditions"]
    assert after["evidence map"].count('class="evidence-note"') == 2


def test_an_edit_published_shows_on_every_list_page_at_the_next_request(
    site, editor, second_reviewer, django_capture_on_commit_callbacks
):
    before = site.texts()

    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=site.article.pk)
        article.title = "Antifibrotic medicines, retitled"
        article_update(article=article, user=editor)
    assert site.texts() == before  # the draft's title reaches no reader

    with django_capture_on_commit_callbacks(execute=True):
        sign_off_and_publish(article, second_reviewer)
    after = site.texts()

    for name in ("home", "topic", "evidence map"):
        assert "Antifibrotic medicines, retitled" in after[name], name
        assert "Antifibrotics and the lung" not in after[name], name


@pytest.mark.parametrize(
    "edit, pages, shown",
    [
        ("condition renamed", ["conditions", "evidence map"], "Lung scarring"),
        ("condition described", ["evidence map"], "Scarring that stiffens the lungs."),
        ("topic renamed", ["topic"], "Breathing and lungs"),
        ("source retitled", ["evidence map"], "A trial renamed by its editor"),
        ("grade reworded", ["home", "topic", "conditions", "evidence map"], "Solid evidence"),
    ],
)
def test_an_edit_of_a_shared_word_shows_on_the_list_pages_at_the_next_request(
    site, edit, pages, shown, django_capture_on_commit_callbacks
):
    before = site.texts()

    with django_capture_on_commit_callbacks(execute=True):
        if edit == "condition renamed":
            condition = Condition.objects.get(pk=site.claim.condition_id)
            condition.name = shown
            condition.save()
        elif edit == "condition described":
            condition = Condition.objects.get(pk=site.claim.condition_id)
            condition.description = shown
            condition.save()
        elif edit == "topic renamed":
            tag = Tag.objects.get(slug=TOPIC)
            tag.name = shown
            tag.save()
        elif edit == "source retitled":
            source = Source.objects.get(pk=site.claim.sources.get().pk)  # the one the live copy cites too
            source.title = shown
            source.save()
        else:
            strong = evidence("strong")
            strong.badge_text = strong.name = shown
            strong.save()
    after = site.texts()

    for name in pages:
        assert shown in after[name] and shown not in before[name], name


def test_an_urgent_withdrawal_takes_the_claim_off_the_evidence_map_at_the_next_request(
    site, reviewer, django_capture_on_commit_callbacks
):
    before = site.texts()
    assert before["evidence map"].count('class="evidence-note"') == 1

    with django_capture_on_commit_callbacks(execute=True):
        claim_withdraw_urgently(reviewer=reviewer, notice="The trial was retracted.", claim=site.claim)

    assert site.read("evidence map")[1].count('class="evidence-note"') == 0
    assert "Idiopathic pulmonary fibrosis" not in site.read("conditions")[1]
    assert "Under review" in site.read("home")[1]


def test_an_archived_article_leaves_every_list_page_at_the_next_request(
    site, editor, django_capture_on_commit_callbacks
):
    site.texts()

    with django_capture_on_commit_callbacks(execute=True):
        article_archive(article=site.article, user=editor)

    for name in site.urls:
        assert site.article.title not in site.read(name)[1], name


def test_a_deleted_article_or_topic_leaves_the_list_pages_at_the_next_request(site, client):
    lonely = ArticleFactory(title="An article with no claims and no topic")
    Tag.objects.create(name="Empty topic", slug="empty-topic")
    assert "An article with no claims and no topic" in client.get("/").text
    assert client.get("/tags/empty-topic/").status_code == 200

    lonely.delete()
    Tag.objects.get(slug="empty-topic").delete()

    assert "An article with no claims and no topic" not in client.get("/").text
    assert client.get("/tags/empty-topic/").status_code == 404


def test_a_new_source_cited_by_the_map_shows_its_citation_at_the_next_request(
    site, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    site.texts()
    with django_capture_on_commit_callbacks(execute=True):
        claim = Claim.objects.get(pk=site.claim.pk)
        claim.sources.add(SourceFactory(title="A newly cited cohort study"))
        claim_approve(claim=Claim.objects.get(pk=claim.pk), reviewer=reviewer, override_reason=OVERRIDE)
        sign_off_and_publish(site.article, second_reviewer)

    assert "A newly cited cohort study" in site.read("evidence map")[1]


# The sitemap, the feed and an article's JSON export ----------------------------------------------------------

MACHINE_READ = {
    "sitemap": "application/xml",
    "feed": "application/atom+xml; charset=utf-8",
    "export": "application/json",
}


def machine_urls(site):
    return {
        "sitemap": "/sitemap.xml",
        "feed": reverse("feed"),
        "export": reverse("claims:article-json", kwargs={"slug": site.article.slug}),
    }


def read_machine(site, name):
    """(status, content type, text, queries) of the sitemap, the feed or the export, as a reader gets it."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(machine_urls(site)[name])
    return response.status_code, response["Content-Type"], response.content.decode(), len(queries)


def machine_texts(site):
    """{name: text}, each read twice: the second time as stored, in one query, with its own content type."""
    texts = {}
    for name, content_type in MACHINE_READ.items():
        status, kind, text, _ = read_machine(site, name)
        assert (status, kind) == (200, content_type), name
        assert read_machine(site, name) == (200, content_type, text, 1), name
        texts[name] = text
    return texts


def test_the_sitemap_feed_and_export_are_stored_under_their_host_with_their_content_type(site):
    texts = machine_texts(site)

    for name, path in machine_urls(site).items():
        stored = ListPage.objects.get(address=f"http://testserver{path}")
        assert stored.page == texts[name], name
    # Their addresses are absolute: another host's reader gets its own, rendered and stored apart.
    other = Client().get("/sitemap.xml", HTTP_HOST="127.0.0.1")
    assert "http://127.0.0.1/" in other.content.decode() and "http://testserver/" not in other.content.decode()
    assert ListPage.objects.filter(address="http://127.0.0.1/sitemap.xml").exists()


def test_the_sitemap_feed_and_export_with_a_query_string_are_rendered_and_not_stored(site):
    machine_texts(site)
    kept = ListPage.objects.count()

    for path in machine_urls(site).values():
        assert Client().get(f"{path}?utm_source=mail").status_code == 200, path

    assert ListPage.objects.count() == kept


def test_a_publication_shows_in_the_sitemap_feed_and_export_at_the_next_request(
    site, editor, second_reviewer, django_capture_on_commit_callbacks
):
    before = machine_texts(site)

    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=site.article.pk)
        article.title = "Antifibrotic medicines, retitled"
        article_update(article=article, user=editor)
        new = ArticleFactory(author=editor, slug="pulmonary-rehabilitation", live=False, status=Article.Status.DRAFT)
    assert machine_texts(site) == before  # drafts reach no reader

    with django_capture_on_commit_callbacks(execute=True):
        sign_off_and_publish(article, second_reviewer)
        published(new)
    after = machine_texts(site)

    assert changed(before, after) == sorted(MACHINE_READ)
    assert "/articles/pulmonary-rehabilitation/" in after["sitemap"]
    assert "Antifibrotic medicines, retitled" in after["feed"]
    assert "Antifibrotic medicines, retitled" in after["export"]
