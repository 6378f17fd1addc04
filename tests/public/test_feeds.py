"""The Atom feed of the newest articles and the sitemap."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_is_atom_with_entries_only_for_published_articles(client, editor):
    ArticleFactory(author=editor, title="Published one")
    ArticleFactory(author=editor, title="Published two")
    ArticleFactory(author=editor, title="A draft", status=Article.Status.DRAFT)

    response = client.get("/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    titles = {entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")}
    assert titles == {"Published one", "Published two"}


def test_feed_entries_have_link_summary_author_and_dates(client, editor):
    article = ArticleFactory(author=editor, standfirst="Fish & chips <b>daily</b>.")

    root = ET.fromstring(client.get("/feed/").content)

    [entry] = root.iter(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href").endswith(article.get_absolute_url())
    # type="html": the plain-text standfirst is HTML-escaped once inside the XML.
    assert entry.findtext(f"{ATOM}summary") == "Fish &amp; chips &lt;b&gt;daily&lt;/b&gt;."
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == editor.get_full_name()
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}updated")


def test_feed_dates_an_entry_by_first_publication_and_by_its_live_revision(client, editor, reviewer):
    article = ArticleFactory(author=editor, medical_reviewer=reviewer, last_reviewed=datetime.date(2024, 5, 1))
    first = timezone.make_aware(datetime.datetime(2020, 1, 1, 12, 0))
    live = timezone.make_aware(datetime.datetime(2024, 5, 2, 9, 0))
    Article.objects.filter(pk=article.pk).update(published_at=first, updated_at=timezone.now())
    article.revisions.filter(is_live=True).update(published_at=live)

    root = ET.fromstring(client.get("/feed/").content)

    [entry] = root.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published").startswith("2020-01-01")
    # Not the draft's last save: what readers see changed when the live revision was published.
    assert entry.findtext(f"{ATOM}updated").startswith("2024-05-02")


def test_feed_lists_the_20_newest_articles(client, editor):
    for _ in range(22):
        ArticleFactory(author=editor)

    root = ET.fromstring(client.get("/feed/").content)

    assert len(list(root.iter(f"{ATOM}entry"))) == 20


def test_sitemap_lists_published_articles_with_lastmod_and_not_drafts(client, editor):
    published = ArticleFactory(author=editor)
    draft = ArticleFactory(author=editor, status=Article.Status.DRAFT)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = {url.findtext(f"{SITEMAP}loc"): url for url in root.iter(f"{SITEMAP}url")}
    [article_url] = [loc for loc in urls if loc.endswith(published.get_absolute_url())]
    assert urls[article_url].findtext(f"{SITEMAP}lastmod")
    assert not any(loc.endswith(draft.get_absolute_url()) for loc in urls)
    assert any(loc.endswith("/") and loc.count("/") == 3 for loc in urls)  # the home page


def test_pages_link_the_feed_and_the_search_form(client):
    content = client.get("/").content.decode()

    assert 'type="application/atom+xml"' in content
    assert 'action="/search/"' in content
