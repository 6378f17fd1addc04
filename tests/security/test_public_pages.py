"""Every public page of a site whose editors typed attack strings everywhere: nothing runs, nothing is lost."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.feeds import LatestArticlesFeed, xml_text
from articles.models import ArticleRevision
from claims.search import clean_query
from tests.security.conftest import FRAGMENT, PUBLIC
from tests.security.dom import assert_inert, parse, text_of, url_scheme

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def get_inert(client, url, context=""):
    response = client.get(url)
    assert response.status_code == 200, f"{url} {context}: {response.status_code}"
    assert_inert(response.content, PUBLIC, f"{url} {context}")
    return response


def find(root, tag, css_class=None):
    return [e for e in root.iter(tag) if css_class is None or css_class in (e.get("class") or "").split()]


def json_ld(root):
    (script,) = [s for s in root.iter("script") if s.get("type") == "application/ld+json"]
    return json.loads(text_of(script))


def tag_name(entry):
    # Tags are case-insensitive: "JaVaScRiPt:…" joins the tag first typed as "javascript:…".
    (tag,) = entry.article.tags.all()
    assert tag.name.casefold() == entry.vector[:100].casefold()
    return tag.name


def full_name(user):
    return user.get_full_name() or user.get_username()


def test_article_pages_are_inert_and_show_the_words_as_typed(client, hostile_site):
    for entry in hostile_site:
        response = get_inert(client, entry.article.get_absolute_url(), repr(entry.vector))
        root = parse(response.content.decode())
        (title,) = root.iter("h1")
        assert text_of(title) == entry.article.title
        standfirst = find(root, "p", "article__standfirst")
        assert [text_of(p) for p in standfirst] == [entry.article.standfirst]
        tags = [text_of(a) for ul in find(root, "ul", "tag-list") for a in ul.iter("li")]
        assert tags == [tag_name(entry)]
        notes = text_of(find(root, "section", "evidence-notes")[0])
        for words in (entry.status.badge_text, entry.status.description, entry.approved.explanation):
            assert words in notes
        assert full_name(entry.reviewer) in notes


def test_json_ld_cannot_be_closed_by_content_and_carries_it_exactly(client, hostile_site):
    for entry in hostile_site:
        html = client.get(entry.article.get_absolute_url()).content.decode()
        block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
        # Inside a script element only "</script" and "<!--" change how the HTML parser reads on.
        assert "<" not in block and ">" not in block, entry.vector
        data = json_ld(parse(html))
        assert data["name"] == entry.article.title
        assert data["reviewedBy"]["name"] == full_name(entry.reviewer)
        assert [c["name"] for c in data["about"]] == [entry.condition.name]
        assert {c["name"] for c in data["citation"]} == {s.title for s in entry.sources}
        codes = {c["codingSystem"]: c["codeValue"] for c in data["about"][0].get("code", [])}
        assert codes == {
            system: value
            for system, value in (("ICD-10", entry.condition.icd10_code), ("MeSH", entry.condition.mesh_id))
            if value
        }


def test_article_lists_are_inert(client, hostile_site):
    pages = -(-len(hostile_site) // 20)
    titles = []
    for page in range(1, pages + 1):
        response = get_inert(client, f"{reverse('articles:article-list')}?page={page}")
        titles += [text_of(h) for h in find(parse(response.content.decode()), "h2", "article-card__title")]
    assert sorted(titles) == sorted(entry.article.title for entry in hostile_site)


def test_tag_pages_are_inert(client, hostile_site):
    for entry in hostile_site:
        for tag in entry.article.tags.all():
            if tag.slug:
                get_inert(client, reverse("articles:tag-detail", args=[tag.slug]), repr(tag.name))


def test_condition_list_and_evidence_maps_are_inert(client, hostile_site):
    names = []
    for page in range(1, -(-len(hostile_site) // 50) + 1):
        response = get_inert(client, f"{reverse('claims:condition-list')}?page={page}")
        names += [
            text_of(a)
            for a in parse(response.content.decode()).iter("a")
            if "/conditions/hostile-" in a.get("href", "")
        ]
    assert sorted(names) == sorted(entry.condition.name for entry in hostile_site)
    for entry in hostile_site:
        response = get_inert(client, entry.condition.get_absolute_url(), repr(entry.vector))
        root = parse(response.content.decode())
        (heading,) = root.iter("h1")
        assert text_of(heading) == entry.condition.name
        mesh_links = [a.get("href") for a in root.iter("a") if "meshb.nlm.nih.gov" in a.get("href", "")]
        assert all(url_scheme(href) == "https" for href in mesh_links)


def test_the_evidence_legend_is_inert(client, hostile_site):
    response = get_inert(client, reverse("claims:evidence-legend"))
    text = text_of(parse(response.content.decode()))
    for entry in hostile_site:
        assert entry.status.description in text


def test_search_for_each_vector_is_inert_and_echoes_the_query_as_text(client, hostile_site):
    for entry in hostile_site:
        response = client.get(reverse("search"), {"q": entry.vector})
        assert response.status_code == 200, entry.vector
        assert_inert(response.content, PUBLIC, f"search for {entry.vector!r}")
        (box,) = [i for i in parse(response.content.decode()).iter("input") if i.get("id") == "search-page-q"]
        assert box.get("value") == clean_query(entry.vector)


def test_the_feed_is_well_formed_and_its_html_summaries_are_inert(client, hostile_site, monkeypatch):
    # The feed holds the 20 newest articles; here it holds them all, so that every vector is in it.
    monkeypatch.setattr(
        LatestArticlesFeed, "items", lambda feed: ArticleRevision.objects.public().select_related("article__author")
    )
    response = client.get(reverse("feed"))
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = {item.find(f"{ATOM}title").text or "" for item in entries}
    assert titles == {xml_text(entry.article.title) for entry in hostile_site}
    for item in entries:
        summary = item.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        # A feed reader renders the summary as HTML: it must be the standfirst as plain text.
        assert_inert(summary.text or "", FRAGMENT, "feed summary")
        for link in item.iter(f"{ATOM}link"):
            assert url_scheme(link.get("href")) in {"http", "https"}


def test_the_sitemap_is_well_formed_and_lists_only_site_addresses(client, hostile_site):
    response = client.get(reverse("django.contrib.sitemaps.views.sitemap"))
    assert response.status_code == 200
    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert len(locations) >= 3 * len(hostile_site)  # articles, evidence maps and tag pages
    assert all(loc.startswith("http://testserver/") for loc in locations)


def test_the_json_export_round_trips_every_vector(client, hostile_site):
    for entry in hostile_site:
        response = client.get(reverse("claims:article-json", args=[entry.article.slug]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed and run as HTML
        data = json.loads(response.content)
        assert data["title"] == entry.article.title
        assert data["standfirst"] == entry.article.standfirst
        assert data["medical_reviewer"] == full_name(entry.reviewer)
        assert data["tags"] == [tag_name(entry)]
        approved = next(c for c in data["claims"] if c["id"] == entry.approved.pk)
        assert approved["explanation"] == entry.approved.explanation
        assert approved["condition"]["name"] == entry.condition.name
        assert approved["evidence"]["symbol"] == entry.status.symbol
        assert {s["title"] for s in approved["sources"]} == {s.title for s in entry.sources}
        assert all(url_scheme(s["url"]) == "https" for s in approved["sources"])
