"""Public pages other than articles are gzipped for anonymous readers, never where a secret could leak (BREACH)."""

import gzip

import brotli
import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import CompressPublicPagesMiddleware
from tests.factories import ArticleFactory, published

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
DECOMPRESS = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.fixture
def articles(editor):
    for n in range(3):
        published(ArticleFactory(author=editor, title=f"A published article, number {n}"))


@pytest.mark.parametrize("path", ["/", "/feed/", "/sitemap.xml", "/healthz"])
def test_anonymous_readers_get_public_pages_compressed(client, articles, path):
    plain = client.get(path)
    response = client.get(path, **GZIP)
    gzipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == gzipped.status_code == 200
    if len(plain.content) < 200:  # too short to be worth it (Django's own threshold)
        assert not response.has_header("Content-Encoding")
        return
    # Stored pages come in their brotli copy to a browser that takes it, their gzip copy to one that takes only that.
    assert response["Content-Encoding"] == "br"
    assert gzipped["Content-Encoding"] == "gzip"
    for each in (response, gzipped):
        assert "Accept-Encoding" in each["Vary"]
        assert DECOMPRESS[each["Content-Encoding"]](each.content) == plain.content


def test_a_browser_refusing_gzip_but_taking_brotli_gets_the_brotli_copy(client, articles):
    plain = client.get("/")
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip;q=0, br")

    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(response.content) == plain.content


@pytest.mark.parametrize("accept", ["gzip;q=0", "br;q=0, gzip;q=0", "identity", "*;q=0", ""])
def test_a_browser_refusing_gzip_gets_the_page_plain_and_told_it_varies(client, articles, accept):
    response = client.get("/", HTTP_ACCEPT_ENCODING=accept)

    assert not response.has_header("Content-Encoding")
    assert b"A published article" in response.content
    assert "Accept-Encoding" in response["Vary"]


def test_a_page_with_a_csrf_token_is_never_compressed(client):
    response = client.get("/admin/login/", **GZIP)

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_a_signed_in_reader_gets_public_pages_uncompressed(editor_client, articles):
    response = editor_client.get("/", **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_admin_pages_are_never_compressed(editor_client):
    response = editor_client.get("/admin/", **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def middleware_answer(response, **request_extra):
    request = RequestFactory().get("/", **GZIP, **request_extra)
    return CompressPublicPagesMiddleware(lambda request: response)(request)


def test_a_response_already_encoded_is_left_as_it_is():
    response = HttpResponse(b"x" * 1000, headers={"Content-Encoding": "br"})

    answer = middleware_answer(response)

    assert answer["Content-Encoding"] == "br"
    assert answer.content == b"x" * 1000


def test_a_response_setting_a_cookie_or_private_is_never_compressed():
    with_cookie = HttpResponse("x" * 1000)
    with_cookie.set_cookie("seen", "1")
    private = HttpResponse("x" * 1000, headers={"Cache-Control": "max-age=0, private"})
    no_store = HttpResponse("x" * 1000, headers={"Cache-Control": "no-store"})
    public = HttpResponse("x" * 1000, headers={"Cache-Control": "max-age=60"})

    assert not middleware_answer(with_cookie).has_header("Content-Encoding")
    assert not middleware_answer(private).has_header("Content-Encoding")
    assert not middleware_answer(no_store).has_header("Content-Encoding")
    assert middleware_answer(public)["Content-Encoding"] == "gzip"


def test_a_request_that_used_the_csrf_token_or_carries_a_session_is_never_compressed(settings):
    assert not middleware_answer(HttpResponse("x" * 1000), CSRF_COOKIE_USED=True).has_header("Content-Encoding")
    session = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"}
    assert not middleware_answer(HttpResponse("x" * 1000), **session).has_header("Content-Encoding")


def test_images_and_errors_are_left_alone():
    image = HttpResponse(b"\x89PNG" * 500, content_type="image/png")
    missing = HttpResponse("x" * 1000, status=404)

    assert not middleware_answer(image).has_header("Content-Encoding")
    assert not middleware_answer(missing).has_header("Content-Encoding")
