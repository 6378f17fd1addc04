"""Public condition pages, the evidence legend, tag pages and the article's JSON-LD."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_mark_reviewed
from claims.models import Claim, Condition, EvidenceStatus
from claims.pages.badges import annotate_article
from claims.services import CLAIM_REVIEW_MONTHS, claim_approve
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence, published
from tests.helpers import graded_claim, person_url, rejected_claim

pytestmark = pytest.mark.django_db

DANGEROUS_NAME = "<script>alert(1)</script>"


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def condition_url(condition):
    return reverse("claims:condition-detail", kwargs={"slug": condition.slug})


def json_ld(article):
    request = RequestFactory().get("/")
    html = Template("{% load structured_data %}{% article_json_ld article %}").render(
        Context({"article": article, "request": request})
    )
    match = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html, re.S)
    assert match, html
    return html, json.loads(match.group(1))


# Condition list ----------------------------------------------------------------------------


def test_condition_list_shows_conditions_with_approved_published_claims_alphabetically(client, reviewer):
    zebra = ConditionFactory(name="Zebra disease", slug="zebra")
    asthma = ConditionFactory(name="Asthma", slug="asthma")
    pending_only = ConditionFactory(name="Pending only", slug="pending-only")
    draft_only = ConditionFactory(name="Draft only", slug="draft-only")
    article = ArticleFactory()
    graded_claim(reviewer, article=article, condition=zebra, sentence=1, evidence_status=evidence("limited"))
    graded_claim(reviewer, article=article, condition=asthma, sentence=1, evidence_status=evidence("strong"))
    graded_claim(reviewer, article=article, condition=asthma, sentence=2)
    ClaimFactory(article=article, condition=pending_only, sentence=3)
    graded_claim(reviewer, article=ArticleFactory(status=Article.Status.DRAFT), condition=draft_only)

    content = get(client, reverse("claims:condition-list"))

    assert content.index("Asthma") < content.index("Zebra disease")
    assert condition_url(asthma) in content
    assert "Pending only" not in content
    assert "Draft only" not in content
    assert "Strong evidence" in content and "Limited evidence" in content
    assert "1 claim<" in content


# Condition detail ------------------------------------------------------------------------------


def test_condition_map_groups_approved_claims_strongest_first_and_links_to_sentences(client, reviewer):
    condition = ConditionFactory(
        name="Idiopathic pulmonary fibrosis", slug="ipf", synonyms="IPF\nLung scarring", icd10_code="J84.1"
    )
    article = ArticleFactory()
    weak = graded_claim(reviewer, article=article, condition=condition, sentence=2, evidence_status=evidence())
    strong = graded_claim(
        reviewer, article=article, condition=condition, sentence=1, evidence_status=evidence("strong")
    )
    source = weak.sources.get()

    content = get(client, condition_url(condition))

    assert content.index("Strong evidence") < content.index("Limited evidence")
    assert content.index(strong.quote) < content.index(weak.quote)
    assert f'href="{article.get_absolute_url()}#claim-{strong.pk}"' in content
    assert f'href="{article.get_absolute_url()}#claim-{weak.pk}"' in content
    assert f'href="{source.url}"' in content
    assert "J84.1" in content
    assert 'href="https://meshb.nlm.nih.gov/record/ui?ui=D054990"' in content
    assert "Lung scarring" in content and "Scarring of the lungs." in content


def test_condition_map_never_shows_drafts_pending_rejected_or_orphaned_claims(client, reviewer):
    condition = ConditionFactory()
    article = ArticleFactory()
    shown = graded_claim(reviewer, article=article, condition=condition, sentence=1)
    pending = ClaimFactory(article=article, condition=condition, sentence=2)
    rejected = rejected_claim(reviewer, article=article, condition=condition, sentence=3)
    orphaned = graded_claim(reviewer, article=article, condition=condition, sentence=4)
    Claim.objects.filter(pk=orphaned.pk).update(is_orphaned=True)
    published(article)  # the orphaned claim is left out of the revision readers now see
    in_draft = graded_claim(
        reviewer, article=ArticleFactory(status=Article.Status.DRAFT), condition=condition, sentence=1
    )

    content = get(client, condition_url(condition))

    assert f"#claim-{shown.pk}" in content
    for hidden in (pending, rejected, orphaned, in_draft):
        assert f"#claim-{hidden.pk}" not in content
    assert in_draft.article.title not in content


def test_a_condition_without_published_claims_has_a_page_saying_so(client):
    condition = ConditionFactory(name="Rare thing", slug="rare-thing")

    content = get(client, condition_url(condition))

    assert "Rare thing" in content
    assert "No reviewed claims about Rare thing have been published yet." in content


def test_an_unknown_condition_is_not_found(client):
    get(client, reverse("claims:condition-detail", kwargs={"slug": "no-such-thing"}), status=404)


def test_condition_map_queries_do_not_grow_with_its_claims(client, reviewer, django_assert_max_num_queries):
    condition = ConditionFactory()
    for _ in range(3):
        article = ArticleFactory()
        for index in range(1, 4):
            graded_claim(
                reviewer,
                article=article,
                condition=condition,
                sentence=index,
                sources=[SourceFactory(), SourceFactory()],
            )
    # Rendered and stored (claims.pages.lists: read, the render lock taken, then SAVEPOINT, INSERT, RELEASE, the
    # lock released), then read as stored.
    with django_assert_max_num_queries(5 + 6):
        content = get(client, condition_url(condition))
    assert content.count('class="evidence-note"') == 9
    with django_assert_max_num_queries(1):
        assert get(client, condition_url(condition)) == content


# Evidence legend ---------------------------------------------------------------------------


def test_legend_lists_rated_statuses_in_rank_order_and_the_review_policy(client):
    content = get(client, reverse("claims:evidence-legend"))

    rated = list(EvidenceStatus.objects.rated().order_by("rank"))
    positions = [content.index(status.badge_text) for status in rated]
    assert positions == sorted(positions)
    for status in rated:
        assert status.symbol in content
    assert "Not yet rated" not in content
    assert "How claims are reviewed" in content
    assert "did not write it" in content
    assert f"due for another review {CLAIM_REVIEW_MONTHS} months after its approval" in content


def test_the_navigation_links_to_the_public_pages(client):
    content = get(client, reverse("articles:article-list"))

    for name in ("claims:condition-list", "claims:evidence-legend"):
        assert f'href="{reverse(name)}"' in content


# Tag pages -------------------------------------------------------------------------------------


def test_tag_page_lists_only_published_articles_with_the_tag(client):
    published = ArticleFactory(title="Published on lungs")
    draft = ArticleFactory(title="Draft on lungs", status=Article.Status.DRAFT)
    other = ArticleFactory(title="About hearts")
    published.tags.add("lung disease")
    draft.tags.add("lung disease")
    other.tags.add("heart disease")

    content = get(client, reverse("articles:tag-detail", kwargs={"slug": "lung-disease"}))

    assert "Published on lungs" in content
    assert "Draft on lungs" not in content
    assert "About hearts" not in content


def test_article_tags_link_to_their_pages_which_count_claims_by_evidence_and_are_in_the_sitemap(client, reviewer):
    article = ArticleFactory(title="Published on lungs")
    article.tags.add("lung disease")
    ArticleFactory(title="Draft on hearts", status=Article.Status.DRAFT).tags.add("heart disease")
    graded_claim(reviewer, article=article, sentence=1, evidence_status=evidence("strong"))
    tag_url = reverse("articles:tag-detail", kwargs={"slug": "lung-disease"})

    assert f'<a href="{tag_url}">lung disease</a>' in get(client, article.get_absolute_url())
    tag_page = get(client, tag_url)
    assert "Strong evidence" in tag_page and "1 claim<" in tag_page
    sitemap = get(client, "/sitemap.xml")
    assert f"{tag_url}</loc>" in sitemap
    assert "/tags/heart-disease/" not in sitemap  # only a draft has it


def test_an_unknown_tag_is_not_found(client):
    get(client, reverse("articles:tag-detail", kwargs={"slug": "no-such-tag"}), status=404)


# Article page and JSON-LD -------------------------------------------------------------------


def test_article_page_links_to_the_condition_maps_of_its_claims(client, reviewer):
    condition = ConditionFactory(name="Asthma", slug="asthma")
    claim = graded_claim(reviewer, condition=condition)

    content = get(client, claim.article.get_absolute_url())

    assert f'href="{condition_url(condition)}"' in content


def test_json_ld_describes_the_reviewed_article_its_conditions_and_sources(reviewer, settings):
    settings.SITE_URL = "https://health.example.org"
    condition = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
    claim = graded_claim(reviewer, condition=condition)
    ClaimFactory(article=claim.article, sentence=2, condition=ConditionFactory(name="Pending only"))
    article = claim.article
    article_mark_reviewed(article=article, reviewer=reviewer)
    published(article)  # the review reaches readers with a revision carrying it as its sign-off
    article.refresh_from_db()
    source = claim.sources.get()

    _, data = json_ld(article)

    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == article.title
    assert data["url"] == "https://health.example.org" + article.get_absolute_url()
    assert data["lastReviewed"] == article.last_reviewed.isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": reviewer.get_full_name(),
        "url": "https://health.example.org" + person_url(reviewer),
    }
    assert data["about"] == [
        {
            "@type": "MedicalCondition",
            "name": "Idiopathic pulmonary fibrosis",
            "code": [
                {"@type": "MedicalCode", "codeValue": "J84.1", "codingSystem": "ICD-10"},
                {"@type": "MedicalCode", "codeValue": "D054990", "codingSystem": "MeSH"},
            ],
        }
    ]
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "url": source.url,
            "name": source.title,
            "datePublished": str(source.year),
            "genre": "Study design not known",
        }
    ]


def test_json_ld_of_an_unreviewed_article_names_no_reviewer():
    _, data = json_ld(ArticleFactory())

    assert "lastReviewed" not in data and "reviewedBy" not in data
    assert data["about"] == [] and data["citation"] == []


def test_article_body_tag_gives_the_stored_page_of_the_current_claims(reviewer):
    claim = graded_claim(reviewer)
    context = Context({"article": claim.article})
    stored = Template("{% load structured_data %}{% article_body article as b %}{{ b.body }}").render(context)
    claims = list(Claim.objects.filter(article=claim.article).public())

    assert stored == annotate_article(claim.article, claims).html
    assert f'id="claim-{claim.pk}"' in stored


# Escaping -------------------------------------------------------------------------------------


def test_a_dangerous_condition_name_is_escaped_everywhere(client, reviewer):
    condition = ConditionFactory(name=DANGEROUS_NAME, slug="dangerous", description=DANGEROUS_NAME)
    claim = graded_claim(reviewer, condition=condition)

    for url in (reverse("claims:condition-list"), condition_url(condition), claim.article.get_absolute_url()):
        content = get(client, url)
        assert DANGEROUS_NAME not in content
        assert "&lt;script&gt;" in content

    html, data = json_ld(claim.article)
    assert html.count("<script") == 1
    assert "</script>" not in html.removesuffix("</script>")
    assert data["about"][0]["name"] == DANGEROUS_NAME


def test_article_page_carries_its_medical_web_page_json_ld(client, article, reviewer):
    import json
    import re

    from tests.factories import ClaimFactory, published

    claim_approve(claim=ClaimFactory(article=article, sentence=1), reviewer=reviewer)
    published(article)
    content = client.get(article.get_absolute_url()).text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "MedicalWebPage"
    assert data["about"][0]["@type"] == "MedicalCondition"
    assert data["citation"][0]["url"].startswith("https://pubmed.ncbi.nlm.nih.gov/")


# Sitemap -----------------------------------------------------------------------------------------


def test_sitemap_lists_mapped_conditions_dated_by_their_latest_publication_and_the_legend(client, reviewer):
    mapped = ConditionFactory(name="Asthma", slug="asthma")
    unmapped = ConditionFactory(name="Pending only", slug="pending-only")
    older, newer = ArticleFactory(), ArticleFactory()
    graded_claim(reviewer, article=older, condition=mapped, sentence=1)
    graded_claim(reviewer, article=newer, condition=mapped, sentence=2)
    ClaimFactory(article=newer, condition=unmapped, sentence=3)
    for article, days in ((older, 40), (newer, 3)):
        article.revisions.filter(is_live=True).update(published_at=timezone.now() - datetime.timedelta(days=days))
    # Approving a draft claim later changes nothing readers see, so neither the map nor its date.
    Claim.objects.filter(condition=mapped).update(reviewed_at=timezone.now())

    root = ET.fromstring(client.get("/sitemap.xml").content)

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    lastmods = {url.findtext(f"{ns}loc"): url.findtext(f"{ns}lastmod") for url in root.iter(f"{ns}url")}
    [condition_loc] = [loc for loc in lastmods if loc.endswith(mapped.get_absolute_url())]
    assert lastmods[condition_loc].startswith((timezone.now() - datetime.timedelta(days=3)).date().isoformat())
    assert not any(loc.endswith(unmapped.get_absolute_url()) for loc in lastmods)
    assert any(loc.endswith(reverse("claims:evidence-legend")) for loc in lastmods)
    assert any(loc.endswith(reverse("claims:condition-list")) for loc in lastmods)


def test_public_urls_of_conditions_and_evidence_statuses():
    condition = Condition(name="Asthma", slug="asthma")

    assert condition.get_absolute_url() == "/conditions/asthma/"
    assert evidence("limited").get_absolute_url() == "/evidence/#grade-limited"
