"""/sitemap.xml: one file while every address fits in SITEMAP_LIMIT, an index of numbered files past it."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from articles.models import Article, ArticleRevision
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def addresses(root):
    return [urlsplit(loc.text).path for loc in root.iter(f"{SITEMAP}loc")]


@pytest.fixture
def articles(editor):
    return [ArticleFactory(author=editor, title=f"Article {n}") for n in range(5)]


def test_a_site_that_fits_in_one_file_gets_every_address_in_sitemap_xml(client, articles):
    root = read(client, "/sitemap.xml")

    assert root.tag == f"{SITEMAP}urlset"
    listed = addresses(root)
    assert {article.get_absolute_url() for article in articles} <= set(listed)
    assert "/" in listed  # the pages section: home, the conditions, the evidence legend


@override_settings(SITEMAP_LIMIT=2)
def test_past_the_limit_sitemap_xml_is_an_index_of_files_of_at_most_the_limit(client, articles, editor):
    draft = ArticleFactory(author=editor, status=Article.Status.DRAFT)

    root = read(client, "/sitemap.xml")

    assert root.tag == f"{SITEMAP}sitemapindex"
    files = [urlsplit(loc.text) for loc in root.iter(f"{SITEMAP}loc")]
    article_files = [file.geturl() for file in files if file.path == "/sitemap-articles.xml"]
    assert [urlsplit(url).query for url in article_files] == ["", "p=2", "p=3"]  # five articles, two a file
    # The pages section (three addresses) has two files too; every file holds at most two addresses.
    assert "/sitemap-pages.xml" in {file.path for file in files}
    listed = []
    for file in files:
        urlset = read(client, f"{file.path}?{file.query}")
        assert urlset.tag == f"{SITEMAP}urlset"
        assert 1 <= len(addresses(urlset)) <= 2
        listed += addresses(urlset)
    assert {article.get_absolute_url() for article in articles} <= set(listed)
    assert len(listed) == len(set(listed))  # no address in two files
    assert draft.get_absolute_url() not in listed


@override_settings(SITEMAP_LIMIT=2)
def test_the_index_dates_the_articles_file_by_the_newest_publication(client, articles):
    root = read(client, "/sitemap.xml")

    entries = {urlsplit(entry.findtext(f"{SITEMAP}loc")).path: entry for entry in root.iter(f"{SITEMAP}sitemap")}
    newest = ArticleRevision.objects.public().latest("published_at").published_at
    dated = datetime.datetime.fromisoformat(entries["/sitemap-articles.xml"].findtext(f"{SITEMAP}lastmod"))
    assert abs(dated - newest) < datetime.timedelta(seconds=1)


@override_settings(SITEMAP_LIMIT=2)
def test_the_index_costs_no_more_queries_with_more_articles(client, editor, django_assert_max_num_queries):
    for n in range(3):
        ArticleFactory(author=editor, title=f"First {n}")
    with django_assert_max_num_queries(50) as few:
        read(client, "/sitemap.xml")
    for n in range(20):
        ArticleFactory(author=editor, title=f"Then {n}")
    with django_assert_max_num_queries(50) as many:
        read(client, "/sitemap.xml")

    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/sitemap-nothing.xml", "/sitemap-articles.xml?p=9", "/sitemap-articles.xml?p=two", "/sitemap-articles.xml?p=0"],
)
def test_an_unknown_section_or_page_is_not_found(client, articles, url):
    assert client.get(url).status_code == 404


def test_the_sitemap_answers_only_reads(client):
    assert client.post("/sitemap.xml").status_code == 405
    assert client.post("/sitemap-articles.xml").status_code == 405
