"""Stored list pages keep their text, gzip and brotli copies and each copy's digest, made once as they are built:
a reader gets the copy their browser asks for from one query, its entity tag from the stored digest; pages naming
the host are stored only for the site's own hosts; rows nobody reads any more are pruned by the nightly task."""

import datetime
import gzip
import hashlib
from io import StringIO

import brotli
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import encodings
from claims.models import ContentGeneration, ListPage
from claims.pages import http, lists
from claims.pages.stored import layout_version
from tests.factories import ArticleFactory, published
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

DECOMPRESS = {"gzip": gzip.decompress, "br": brotli.decompress, None: lambda content: content}


@pytest.fixture
def articles(editor):
    for n in range(3):
        published(ArticleFactory(author=editor, title=f"A published article, number {n}"))


def digest(content):
    return hashlib.blake2b(content, digest_size=8).hexdigest()


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0.5, gzip", "gzip"), ("identity", None), ("", None)],
)
@pytest.mark.parametrize("path", ["/", "/feed/", "/sitemap.xml"])
def test_each_reader_gets_the_stored_copy_their_browser_asks_for_in_one_query(articles, path, accept, encoding):
    plain = Client().get(path).content
    for _ in range(2):  # rendered and stored, then read from the stored row
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(path, HTTP_ACCEPT_ENCODING=accept)
        assert response.status_code == 200
        assert response.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response["Vary"]
        assert DECOMPRESS[encoding](response.content) == plain
    assert len(queries) == 1
    # Only the one copy sent is read.
    copies = {None: "page", "gzip": "page_gzip", "br": "page_br"}
    wanted = "page_gzip" if encoding is None and connection.vendor == "postgresql" else copies[encoding]
    read = queries[0]["sql"]
    assert f'"{wanted}"' in read
    assert not [column for column in copies.values() if column != wanted and f'"{column}"' in read]


def test_a_stored_page_keeps_its_text_its_compressed_copies_and_their_digests(articles):
    plain = Client().get("/").content

    page = ListPage.objects.get(address="/")
    assert page.page == plain.decode()
    assert gzip.decompress(page.page_gzip) == plain
    assert brotli.decompress(page.page_br) == plain
    assert (page.digest, page.digest_gzip, page.digest_br) == (
        digest(plain),
        digest(bytes(page.page_gzip)),
        digest(bytes(page.page_br)),
    )


@pytest.mark.parametrize("accept", ["br", "gzip", "identity"])
def test_the_entity_tag_of_a_stored_page_names_its_stored_digest_without_hashing_the_body(
    articles, monkeypatch, accept
):
    Client().get("/")
    page = ListPage.objects.get(address="/")

    def no_hashing(body):
        raise AssertionError("the body was hashed")

    monkeypatch.setattr(http, "body_digest", no_hashing)
    response = Client().get("/", HTTP_ACCEPT_ENCODING=accept)

    stored = {"br": page.digest_br, "gzip": page.digest_gzip, "identity": page.digest}[accept]
    suffix = "" if accept == "identity" else f"-{accept}"
    assert response["ETag"].endswith(f'.{stored}{suffix}"')
    assert digest(response.content) == stored


def test_a_digest_given_for_one_encoding_is_not_used_once_the_body_is_encoded_otherwise():
    response = HttpResponse(b"x" * 1000)
    encodings.give_digest(response, "0123456789abcdef")
    assert encodings.digest_given(response) == "0123456789abcdef"

    response["Content-Encoding"] = "gzip"  # compressed after the view: the given digest names other bytes
    assert encodings.digest_given(response) is None


def test_a_signed_in_reader_gets_the_stored_page_uncompressed(editor_client, articles):
    for _ in range(2):
        response = editor_client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
        assert b"A published article" in response.content


# Pages naming the host are stored only for the site's own hosts.


def test_a_made_up_host_a_wildcard_lets_in_is_answered_for_itself_and_not_stored(articles, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for n in range(3):
        host = f"made-up-{n}.example"
        for _ in range(2):
            response = Client().get("/sitemap.xml", HTTP_HOST=host)
            assert response.status_code == 200
            assert f"http://{host}/".encode() in response.content

    assert not ListPage.objects.filter(address__contains="made-up").exists()


def test_the_site_url_host_and_named_hosts_are_stored_and_a_named_host_with_a_port_is_not(articles, settings):
    settings.SITE_URL = "https://www.example.org"
    settings.ALLOWED_HOSTS = ["www.example.org", "health.example", ".example.net"]

    Client().get("/feed/", HTTP_HOST="www.example.org", secure=True)
    Client().get("/feed/", HTTP_HOST="health.example")
    Client().get("/feed/", HTTP_HOST="health.example:8443")
    Client().get("/feed/", HTTP_HOST="sub.example.net")

    assert set(ListPage.objects.filter(address__endswith="/feed/").values_list("address", flat=True)) == {
        "https://www.example.org/feed/",
        "http://health.example/feed/",
    }


def test_the_site_url_host_is_stored_with_its_port(articles, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]

    Client().get("/sitemap.xml", HTTP_HOST="127.0.0.1:8000")
    Client().get("/sitemap.xml", HTTP_HOST="127.0.0.1:8001")

    assert list(ListPage.objects.filter(address__contains="sitemap").values_list("address", flat=True)) == [
        "http://127.0.0.1:8000/sitemap.xml"
    ]


# Pruning.


def stored_row(address, *, generation, layout=None, days_old=0):
    return ListPage.objects.create(
        address=address,
        page="<p>stored</p>",
        generation=generation,
        layout=layout or layout_version(),
        built_at=timezone.now() - datetime.timedelta(days=days_old),
    )


def test_the_nightly_task_prunes_rows_not_built_at_the_current_generation_for_a_week(articles):
    current = ContentGeneration.objects.get(pk=1).generation
    stored_row("/api/articles/an-old-slug.json", generation=current - 1, days_old=8)
    stored_row("/tags/a-deleted-topic/", generation=current, layout="an earlier release", days_old=8)
    stored_row("/?page=90", generation=current - 1, days_old=6)  # not a week yet
    stored_row("/conditions/", generation=current, days_old=30)  # current: nothing changed for a month

    call_command("enqueue_periodic", "stale-pages", stdout=StringIO())
    run_tasks()

    assert set(ListPage.objects.values_list("address", flat=True)) == {"/?page=90", "/conditions/"}
    # A second run finds nothing more to prune.
    assert lists.prune() == 0


def test_a_pruned_page_still_linked_is_stored_again_by_its_next_reader(articles):
    Client().get("/")
    ListPage.objects.filter(address="/").update(generation=0, built_at=timezone.now() - datetime.timedelta(days=8))

    assert lists.prune() == 1
    response = Client().get("/")

    assert response.status_code == 200
    assert ListPage.objects.filter(address="/").exists()
