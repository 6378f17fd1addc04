"""Every public page reads the live revision: an editor's draft reaches none of them until it is published.

Home, topic page, feed, sitemaps, search, the JSON export, the condition list and evidence maps
answer byte for byte the same after the draft of a published article is edited (title, standfirst,
a new sentence, a claim's grade, a new claim, each approved in the draft), whether or not the shared
cache holds fragments; publishing a revision changes them, and archiving takes the article off all
of them.
"""

import datetime

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_archive, article_update
from claims.models import Claim
from claims.publishing import article_publish, article_sign_off, draft_digest
from claims.services import claim_approve, claim_create, claim_save, claim_submit
from tests.factories import ArticleFactory, ConditionFactory, SourceFactory, evidence, published
from tests.helpers import graded_claim

pytestmark = pytest.mark.django_db

BODY = (
    "Antifibrotic medicines slow the loss of lung function in idiopathic pulmonary fibrosis.\n\n"
    "This page was first written in spring."
)
DRAFT_TITLE = "Zanzibar retitled draft"
DRAFT_STANDFIRST = "A standfirst only the draft holds."
DRAFT_WORD = "quokka"
OVERRIDE = "Worded as the trial put it."


class Site:
    """A published article on lung scarring, with one claim graded strong, and the addresses of every public page."""

    def __init__(self, article, claim, asthma):
        self.article, self.claim, self.asthma = article, claim, asthma

    @property
    def urls(self):
        return {
            "home": reverse("articles:article-list"),
            "topic": reverse("articles:tag-detail", kwargs={"slug": "lungs"}),
            "feed": reverse("feed"),
            "sitemap": "/sitemap.xml",
            "search, live word": reverse("search") + "?q=antifibrotic",
            "search, draft word": reverse("search") + f"?q={DRAFT_WORD}",
            "search, draft title": reverse("search") + "?q=zanzibar",
            "json export": reverse("claims:article-json", kwargs={"slug": self.article.slug}),
            "condition list": reverse("claims:condition-list"),
            "evidence map": self.claim.condition.get_absolute_url(),
            "evidence map of the draft's new claim": self.asthma.get_absolute_url(),
        }

    def pages(self):
        """{page: (status, bytes)} as a reader who is not signed in gets each."""
        reader = Client()
        return {name: (r.status_code, r.content) for name, r in ((n, reader.get(u)) for n, u in self.urls.items())}


@pytest.fixture
def site(editor, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            author=editor, title="Antifibrotics and the lung", standfirst="What the trials show.", body=BODY
        )
        article.tags.add("lungs")
        ipf = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
        claim = graded_claim(reviewer, article=article, sentence=0, condition=ipf, evidence_status=evidence("strong"))
        # Published two days ago, so that a revision published now is dated otherwise.
        article.revisions.filter(is_live=True).update(published_at=timezone.now() - datetime.timedelta(days=2))
    asthma = ConditionFactory(name="Asthma", slug="asthma")
    return Site(Article.objects.get(pk=article.pk), Claim.objects.get(pk=claim.pk), asthma)


def edit_the_draft(site, editor, reviewer):
    """An editor's edit of the draft, every part of it approved in the draft: nothing a reader may see yet."""
    article = Article.objects.get(pk=site.article.pk)
    article.title, article.standfirst = DRAFT_TITLE, DRAFT_STANDFIRST
    article.body = BODY + f"\n\nA {DRAFT_WORD} lives on Rottnest Island."
    article_update(article=article, user=editor)

    claim = Claim.objects.get(pk=site.claim.pk)
    claim.evidence_status = evidence("limited")
    claim_save(claim=claim, user=editor, changed_fields=["evidence_status"], sources=claim.sources.all())
    claim_approve(claim=Claim.objects.get(pk=claim.pk), reviewer=reviewer, override_reason=OVERRIDE)

    sentence = article.sentences()[0]
    new = claim_create(
        article=article,
        start=sentence.start,
        end=sentence.end,
        condition=site.asthma,
        evidence_status=evidence("moderate"),
        user=editor,
        sources=[SourceFactory()],
        explanation="One trial in people with both conditions.",
    )
    claim_submit(claim=new, user=editor)
    claim_approve(claim=Claim.objects.get(pk=new.pk), reviewer=reviewer, override_reason=OVERRIDE)
    assert Claim.objects.filter(article=article, review_state=Claim.ReviewState.APPROVED).count() == 2


CACHES = ["no shared cache", "fragments kept in redis", "redis emptied after the edit"]


@pytest.fixture(params=CACHES)
def cache_use(request):
    """How the shared cache stands while the pages are read again."""
    if request.param != "no shared cache":
        request.getfixturevalue("redis_cache")
    return request.param


def test_an_edit_of_the_draft_leaves_every_public_page_byte_for_byte_the_same(
    site, editor, reviewer, cache_use, django_capture_on_commit_callbacks
):
    before = site.pages()
    assert {name: status for name, (status, _content) in before.items()} == dict.fromkeys(site.urls, 200)

    with django_capture_on_commit_callbacks(execute=True):
        edit_the_draft(site, editor, reviewer)
    if cache_use == "redis emptied after the edit":
        caches["default"].clear()
    after = site.pages()

    changed = [name for name in site.urls if after[name] != before[name]]
    assert changed == []
    for name, (_status, content) in after.items():
        for draft_only in (DRAFT_TITLE, DRAFT_STANDFIRST, DRAFT_WORD + " lives", "Limited evidence"):
            assert draft_only.encode() not in content, (name, draft_only)


def test_publishing_the_edited_draft_changes_every_public_page(
    site, editor, reviewer, cache_use, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit_the_draft(site, editor, reviewer)
    before = site.pages()

    with django_capture_on_commit_callbacks(execute=True):
        published(site.article)
    if cache_use == "redis emptied after the edit":
        caches["default"].clear()
    after = site.pages()

    unchanged = [name for name in site.urls if after[name] == before[name]]
    assert unchanged == []
    text = {name: content.decode() for name, (_status, content) in after.items()}
    for name in ("home", "topic", "feed", "search, draft word", "search, draft title"):
        assert DRAFT_TITLE in text[name], name
    assert DRAFT_STANDFIRST in text["home"] and DRAFT_STANDFIRST in text["feed"]
    assert "Limited evidence" in text["evidence map"] and "Strong evidence" not in text["evidence map"]
    assert "Moderate evidence" in text["evidence map of the draft's new claim"]
    assert "Asthma" in text["condition list"] and site.asthma.get_absolute_url() in text["sitemap"]
    export = Client().get(site.urls["json export"]).json()
    assert export["title"] == DRAFT_TITLE
    assert [(c["condition"]["slug"], c["evidence"]["slug"]) for c in export["claims"]] == [
        ("ipf", "limited"),
        ("asthma", "moderate"),
    ]


def test_lists_date_the_medical_review_of_the_live_revision_not_of_the_draft(
    site, editor, second_reviewer, django_capture_on_commit_callbacks
):
    home = reverse("articles:article-list")
    assert "Not yet medically reviewed" in Client().get(home).text
    with django_capture_on_commit_callbacks(execute=True):
        # The draft records a review (as the admin's "mark reviewed" does) that no revision carries.
        Article.objects.filter(pk=site.article.pk).update(
            medical_reviewer=second_reviewer, last_reviewed=datetime.date(2024, 5, 1)
        )
    assert "Not yet medically reviewed" in Client().get(home).text

    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=site.article.pk)
        article_sign_off(article=article, reviewer=second_reviewer, seen_digest=draft_digest(article))
        article_publish(article=article, user=editor)

    today = timezone.localdate()
    assert f'Medically reviewed on <time datetime="{today:%Y-%m-%d}">' in Client().get(home).text


def test_a_publication_through_the_gate_retires_the_cached_list_fragments(
    site, editor, reviewer, second_reviewer, redis_cache, django_capture_on_commit_callbacks
):
    lists = [reverse("claims:condition-list"), site.claim.condition.get_absolute_url()]
    reader = Client()
    assert all("Strong evidence" in reader.get(url).text for url in lists)
    with django_capture_on_commit_callbacks(execute=True):
        edit_the_draft(site, editor, reviewer)
    assert all("Strong evidence" in reader.get(url).text for url in lists)  # the fragments of the live revision

    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=site.article.pk)
        article_sign_off(article=article, reviewer=second_reviewer, seen_digest=draft_digest(article))
        article_publish(article=article, user=editor)

    for url in lists:
        content = reader.get(url).text
        assert "Limited evidence" in content and "Strong evidence" not in content, url


def test_an_archived_article_is_on_no_public_page_in_its_live_or_its_draft_words(
    site, editor, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit_the_draft(site, editor, reviewer)
        article_archive(article=site.article, user=editor)

    pages = site.pages()

    assert pages["json export"][0] == 404
    for name, (_status, content) in pages.items():
        for words in (site.article.title, DRAFT_TITLE, site.article.slug, site.claim.quote):
            assert words.encode() not in content, (name, words)
