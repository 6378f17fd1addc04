"""HTTP caching of public pages: strong validators from what the page was built from, 304s in one query,
Cache-Control a shared cache may act on, and nothing shareable for staff or a response with a cookie."""

import datetime
import time
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from articles.models import Article
from claims.pages import cache as fragments
from claims.pages import http as page_http
from claims.publishing import article_publish, article_sign_off, draft_digest, publish_scheduled
from claims.services import claim_approve
from people.profiles import profile_for
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(editor, reviewer):
    """A published article on a topic, with a claim about a condition, and its author's page."""
    condition = ConditionFactory(slug="lung-scarring", name="Lung scarring")
    article = ArticleFactory(author=editor, slug="stem-cells")
    article.tags.add("lungs")
    claim = ClaimFactory(article=article, condition=condition)
    claim_approve(claim=claim, reviewer=reviewer)
    published(article)
    return {"article": article, "claim": claim, "person": profile_for(editor)}


PAGES = {
    "article": "/articles/stem-cells/",
    "json": "/api/articles/stem-cells.json",
    "home": "/",
    "topic": "/tags/lungs/",
    "conditions": "/conditions/",
    "evidence map": "/conditions/lung-scarring/",
    "legend": "/evidence/",
    "feed": "/feed/",
    "sitemap": "/sitemap.xml",
}


def revalidated(client, path, **headers):
    """The page as a revalidating client gets it: a conditional request, which reads the current generation."""
    return client.get(path, headers={"If-None-Match": '"an-older-page"', **headers})


def later(clock, seconds=5):
    """The clock a few seconds on: a Last-Modified is given only once the change is a second old."""
    return clock(0, seconds=seconds)


@pytest.mark.parametrize("kind", PAGES)
def test_each_public_page_has_a_strong_etag_and_rules_a_shared_cache_can_follow(client, site, clock, settings, kind):
    settings.CDN_S_MAXAGE, settings.CDN_STALE_SECONDS, settings.CDN_STALE_IF_ERROR_SECONDS = 600, 30, 86400
    later(clock)

    response = client.get(PAGES[kind])

    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"]
    words = {word.strip() for word in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "stale-while-revalidate=30", "stale-if-error=86400"} <= words
    s_maxage = next(int(word.split("=")[1]) for word in words if word.startswith("s-maxage="))
    assert 0 < s_maxage <= 600
    assert "Accept-Encoding" in response["Vary"]


def test_a_persons_page_is_cached_like_the_others(client, site, clock):
    later(clock)
    response = client.get(site["person"].get_absolute_url())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and response["ETag"]


@pytest.mark.parametrize("kind", PAGES)
def test_a_repeat_with_the_etag_is_answered_304_in_one_query(client, site, clock, django_assert_num_queries, kind):
    later(clock)
    tag = revalidated(client, PAGES[kind])["ETag"]

    with django_assert_num_queries(1):
        response = client.get(PAGES[kind], headers={"If-None-Match": tag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == tag
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("kind", PAGES)
def test_a_repeat_with_the_last_modified_date_is_answered_304_in_one_query(
    client, site, clock, django_assert_num_queries, kind
):
    later(clock)
    modified = revalidated(client, PAGES[kind])["Last-Modified"]

    with django_assert_num_queries(1):
        response = client.get(PAGES[kind], headers={"If-Modified-Since": modified})

    assert response.status_code == 304


def test_an_approval_readers_see_changes_every_validator(client, site, reviewer, clock, monkeypatch):
    later(clock)
    before = revalidated(client, PAGES["article"])
    # The change comes seconds later, as the content generation's clock tells.
    real_ns = time.time_ns
    monkeypatch.setattr(
        fragments, "time", SimpleNamespace(time_ns=lambda: real_ns() + 3 * 10**9, monotonic=time.monotonic)
    )
    claim = ClaimFactory(article=site["article"], sentence=2, condition=site["claim"].condition, live=False)
    claim_approve(claim=claim, reviewer=reviewer)
    published(site["article"])
    later(clock, seconds=10)

    after = client.get(PAGES["article"], headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    since = client.get(PAGES["evidence map"], headers={"If-Modified-Since": before["Last-Modified"]})
    assert since.status_code == 200


def test_an_old_etag_among_several_still_matches_the_current_one(client, site, clock):
    later(clock)
    tag = revalidated(client, PAGES["home"])["ETag"]
    response = client.get(PAGES["home"], headers={"If-None-Match": f'"older", {tag}'})
    assert response.status_code == 304


SCHEDULED_BODY = "## Lupus and stem cells\n\nMany people live with the disease for decades.\n"


def test_a_scheduled_publication_changes_the_validators_when_it_goes_live(client, editor, reviewer, clock):
    article = ArticleFactory(author=editor, status=Article.Status.DRAFT, slug="coming-soon", body=SCHEDULED_BODY)
    later(clock)
    tag = revalidated(client, "/")["ETag"]
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(article))
    when = timezone.now() + datetime.timedelta(hours=1)
    article_publish(article=Article.objects.get(pk=article.pk), user=editor, at=when)
    assert client.get("/", headers={"If-None-Match": tag}).status_code == 304  # scheduling shows readers nothing
    clock(0, seconds=2 * 3600)

    publish_scheduled(now=when)

    response = client.get("/", headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert "coming-soon" in response.content.decode()
    assert response["ETag"] != tag


def test_the_next_day_changes_the_etag_as_an_overdue_notice_may_appear(client, site, clock):
    later(clock)
    tag = revalidated(client, PAGES["article"])["ETag"]
    clock(1)
    assert client.get(PAGES["article"], headers={"If-None-Match": tag}).status_code == 200


def test_a_shared_cache_never_keeps_a_page_past_the_end_of_the_day(settings):
    settings.CDN_S_MAXAGE = 3600
    near_midnight = timezone.make_aware(datetime.datetime(2026, 3, 10, 23, 59, 30))
    validators = page_http.Validators(generation=1, layout="x", now=near_midnight)
    assert validators.fresh_seconds == 30


def test_no_last_modified_until_the_change_is_a_second_old():
    now = timezone.now()
    validators = page_http.Validators(generation=int(now.timestamp() * 1_000_000), layout="x", now=now)
    assert validators.last_modified is None
    later_on = page_http.Validators(
        generation=int(now.timestamp() * 1_000_000), layout="x", now=now + datetime.timedelta(seconds=2)
    )
    assert later_on.last_modified == int(now.timestamp())


def test_a_request_that_is_not_conditional_costs_no_query_more_than_its_page(
    client, site, clock, django_assert_num_queries
):
    client.get(PAGES["article"])  # the stored page built
    later(clock)
    with django_assert_num_queries(1):
        response = client.get(PAGES["article"])
    assert response["ETag"] and "public" in response["Cache-Control"]


def test_two_different_pages_never_share_a_tag_even_before_the_generation_is_read(client, site, monkeypatch):
    monkeypatch.setattr(page_http, "_last_read", 0)
    assert client.get(PAGES["home"])["ETag"] != client.get(PAGES["topic"])["ETag"]


def test_a_tag_given_before_a_change_this_process_had_not_read_never_earns_a_304(
    client, site, reviewer, clock, monkeypatch
):
    later(clock)
    monkeypatch.setattr(page_http, "_last_read", 0)  # a process that has not read the generation yet
    stale = client.get(PAGES["article"])
    assert client.get(PAGES["article"], headers={"If-None-Match": stale["ETag"]}).status_code == 200


# Encodings -------------------------------------------------------------------------------------


def through_middleware(request, response):
    """`response` as the middleware passes it on for `request` to the home page."""
    middleware = page_http.PublicCacheMiddleware(lambda request: response)
    request.resolver_match = resolve("/")
    request.COOKIES = request.COOKIES or {}
    early = middleware.process_view(request, None, (), {})
    return early or middleware(request)


def test_an_encoded_page_has_its_own_etag_and_a_conditional_request_for_it_matches(rf: RequestFactory, site, clock):
    later(clock)
    page_http.current_validators()
    encoded = HttpResponse(b"\x1f\x8b...", headers={"Content-Encoding": "br"})
    answered = through_middleware(rf.get("/"), encoded)
    plain = through_middleware(rf.get("/"), HttpResponse(b"page"))

    assert answered["ETag"].endswith('-br"') and answered["ETag"] != plain["ETag"]
    assert answered["ETag"].split(".")[0] == plain["ETag"].split(".")[0]
    assert "Accept-Encoding" in answered["Vary"]
    for sent in (answered["ETag"], "W/" + answered["ETag"]):
        repeat = through_middleware(rf.get("/", headers={"If-None-Match": sent}), HttpResponse(b"page"))
        assert repeat.status_code == 304
        assert repeat["ETag"] == answered["ETag"]
    unknown = answered["ETag"].replace("-br", "-compress")
    assert through_middleware(rf.get("/", headers={"If-None-Match": unknown}), HttpResponse(b"page")).status_code == 200


# Never shared ----------------------------------------------------------------------------------


def test_a_response_that_sets_a_cookie_is_private_with_no_etag(rf, site, clock):
    later(clock)
    response = HttpResponse(b"page")
    response.set_cookie("csrftoken", "x")
    answered = through_middleware(rf.get("/"), response)
    assert "ETag" not in answered
    assert "private" in answered["Cache-Control"] and "public" not in answered["Cache-Control"]


def test_a_page_that_used_the_csrf_token_is_private(rf, site, clock):
    later(clock)
    request = rf.get("/")
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    answered = through_middleware(request, HttpResponse(b"page"))
    assert "ETag" not in answered and "private" in answered["Cache-Control"]


def test_staff_get_no_shared_caching_and_no_304_for_a_readers_tag(client, site, clock, editor):
    later(clock)
    tag = revalidated(client, PAGES["article"])["ETag"]
    client.force_login(editor)

    response = client.get(PAGES["article"], headers={"If-None-Match": tag})

    assert response.status_code == 200
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")
    assert "live page" in response.content.decode()


@pytest.mark.parametrize("path", ["/admin/login/", "/search/?q=lung", "/healthz"])
def test_pages_that_are_not_public_content_get_no_shared_caching(client, site, path):
    response = client.get(path)
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response


def test_a_missing_page_is_not_kept_and_a_post_is_not_answered_304(client, site, clock):
    later(clock)
    missing = client.get("/articles/no-such-article/")
    assert missing.status_code == 404
    assert "ETag" not in missing and "public" not in missing.get("Cache-Control", "")
    tag = revalidated(client, "/")["ETag"]
    assert client.post("/", headers={"If-None-Match": tag}).status_code == 405
