"""Hostile addresses on the public site: bad slugs, huge or odd query strings and wrong methods
are answered 400, 404 or 405, never 500; HEAD works wherever GET does."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory
from tests.security.conftest import PUBLIC
from tests.security.dom import assert_inert

pytestmark = pytest.mark.django_db

BAD_SLUGS = [
    "纤维化",
    "%00",
    "a%00b",
    "..",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e",
    "a" * 10_000,
    "%ED%A0%80",  # a lone surrogate's UTF-8 bytes: not UTF-8 at all
    "%FF%FE",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "x%0Ay",
    "x%20y",
    "-",
    "😀",
]


@pytest.fixture
def site(editor, reviewer):
    """One published article with a tag and an approved claim, so that every public page has content."""
    article = ArticleFactory(author=editor, slug="lung-fibrosis")
    article.tags.add("lung disease")
    claim = ClaimFactory(
        article=article, review_state=Claim.ReviewState.APPROVED, reviewed_by=reviewer, reviewed_at=timezone.now()
    )
    return article, claim


def public_pages(site):
    article, claim = site
    return [
        reverse("articles:article-list"),
        article.get_absolute_url(),
        reverse("articles:tag-detail", args=["lung-disease"]),
        reverse("claims:condition-list"),
        claim.condition.get_absolute_url(),
        reverse("claims:evidence-legend"),
        reverse("search") + "?q=lung",
        reverse("feed"),
        reverse("django.contrib.sitemaps.views.sitemap"),
        reverse("claims:article-json", args=[article.slug]),
        reverse("healthz"),
    ]


def test_every_public_page_answers_get_and_head(client, site):
    for url in public_pages(site):
        assert client.get(url).status_code == 200, url
        head = client.head(url)
        assert head.status_code == 200, url
        assert head.content == b"", url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_not_allowed_on_public_pages(client, site, method):
    for url in public_pages(site):
        response = getattr(client, method)(url, data="x=1", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 405, f"{method.upper()} {url}: {response.status_code}"
        assert {"GET", "HEAD"} <= {m.strip() for m in response["Allow"].split(",")}, url


def test_a_post_without_a_csrf_token_is_refused_before_any_view(site):
    browser = Client(enforce_csrf_checks=True)
    for url in public_pages(site):
        assert browser.post(url, {"x": "1"}).status_code in {403, 405}, url


@pytest.mark.parametrize(
    "prefix, suffix", [("/articles/", "/"), ("/tags/", "/"), ("/conditions/", "/"), ("/api/articles/", ".json")]
)
def test_bad_slugs_are_not_found(client, site, prefix, suffix):
    for slug in BAD_SLUGS:
        response = client.get(prefix + slug + suffix)
        assert response.status_code in {400, 404}, f"{prefix}{slug[:40]}: {response.status_code}"
        if response.status_code == 404 and prefix != "/api/articles/":
            assert_inert(response.content, PUBLIC, f"404 for {slug[:40]}")


@pytest.mark.parametrize(
    "path", ["/%00", "/.env", "/../../etc/passwd", "/wp-login.php", "/articles/", "/static/../config/settings.py"]
)
def test_unknown_paths_are_not_found(client, path):
    assert client.get(path).status_code in {400, 404}


def test_huge_query_strings_and_unknown_parameters_are_ignored(client, site):
    huge = "x" * 50_000
    for url in public_pages(site):
        joiner = "&" if "?" in url else "?"
        for query in (f"unknown={huge}", f"{huge}=1", "utm_source=<script>alert(1)</script>&q[]=1&page[x]=2"):
            response = client.get(f"{url}{joiner}{query}")
            assert response.status_code == 200, f"{url} {query[:30]}: {response.status_code}"


def test_too_many_query_parameters_are_a_bad_request(client, site):
    query = "&".join(f"p{n}=1" for n in range(1_500))
    for url in public_pages(site):
        joiner = "&" if "?" in url else "?"
        assert client.get(f"{url}{joiner}{query}").status_code in {200, 400}, url


def test_search_takes_any_query_and_page(client, site):
    for params in (
        {"q": "x" * 50_000},
        {"q": "lung", "page": "abc"},
        {"q": "lung", "page": "-1"},
        {"q": "lung", "page": "0"},
        {"q": "lung", "page": "99999999999999999999999"},
        {"q": "lung", "page": "1.5"},
        {"q": "lung\x00", "page": "\x00"},
        {"q": ["lung", "fibrosis"]},
    ):
        response = client.get(reverse("search"), params)
        assert response.status_code == 200, params
        assert_inert(response.content, PUBLIC, str(params)[:60])


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999999", "1.5", "%00", "last", ""])
def test_list_pages_with_an_odd_page_number_are_found_or_not_found(client, site, page):
    for url in (
        reverse("articles:article-list"),
        reverse("articles:tag-detail", args=["lung-disease"]),
        reverse("claims:condition-list"),
        reverse("django.contrib.sitemaps.views.sitemap"),
    ):
        response = client.get(f"{url}?page={page}&p={page}")
        assert response.status_code in {200, 404}, f"{url} page={page}: {response.status_code}"


def test_garbage_headers_and_cookies_are_ignored(client, site):
    for url in public_pages(site):
        response = client.get(
            url,
            HTTP_COOKIE="sessionid=<script>; csrftoken=\x01\x02; messages=%%%",
            HTTP_USER_AGENT="x" * 10_000,
            HTTP_REFERER="javascript:alert(1)",
            HTTP_ACCEPT_LANGUAGE="<script>;q=abc",
            HTTP_X_FORWARDED_PROTO="javascript",
        )
        assert response.status_code == 200, url


def test_an_unknown_host_is_a_bad_request(client, site):
    assert client.get("/", HTTP_HOST="evil.example<script>").status_code == 400
