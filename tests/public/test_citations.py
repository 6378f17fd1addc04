"""Readers' citations: authors, title, journal, year, the design in plain words, links, and a retraction
marked "Retracted on …" as soon as the evidence watch records it."""

import datetime
import html as html_lib
import json
import re

import pytest
from django.urls import reverse

from claims import evidence_watch
from claims.models import Source, SourceEvent
from claims.text import study_design as design
from tests.factories import SourceFactory
from tests.helpers import graded_claim, public_page
from tests.helpers import recorded_answer as answer

pytestmark = pytest.mark.django_db


def notes(page):
    """The evidence notes' text, tags dropped."""
    section = page[page.index('class="evidence-notes"') :]
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", section)))


def test_an_evidence_note_gives_the_full_citation(client, reviewer):
    paper = SourceFactory(
        title="Inhaled therapy for breathlessness",
        authors="Okafor N, Lindqvist A, Berg T, Chen L",
        journal="Journal of Lung Medicine",
        year=2019,
        design=design.RANDOMISED_TRIAL,
    )
    claim = graded_claim(reviewer, sources=[paper])

    text = notes(public_page(client, claim.article))

    assert (
        "Okafor N, Lindqvist A, Berg T et al. Inhaled therapy for breathlessness. Journal of Lung Medicine 2019. "
        "Randomised trial." in text
    )
    assert f"PubMed: {paper.identifier}" in text
    assert "Retracted" not in text


def test_a_title_ending_in_its_own_full_stop_or_question_mark_gets_no_second_one(client, reviewer):
    statement = SourceFactory(title="Stem cells for lung disease: what works?", journal="Thorax", year=2020)
    sentence = SourceFactory(title="A randomised trial of infusions.", journal="Chest", year=2021)
    claim = graded_claim(reviewer, sources=[statement, sentence])

    text = notes(public_page(client, claim.article))

    assert "what works? Thorax 2020." in text and "A randomised trial of infusions. Chest 2021." in text
    assert "works?." not in text and "infusions.." not in text


def test_a_retraction_the_watch_finds_is_marked_on_the_live_page_at_once(client, reviewer, services):
    services.get("https://api.crossref.org/works/10.5555/cnr.2016.77").mock(
        return_value=answer("crossref_retracted.json")
    )
    paper = SourceFactory(kind=Source.Kind.DOI, identifier="10.5555/cnr.2016.77", title="A supplement")
    claim = graded_claim(reviewer, sources=[paper])
    assert "Retracted on" not in public_page(client, claim.article)

    evidence_watch.watch()

    page = public_page(client, claim.article)
    assert '<span aria-hidden="true">⚠</span> Retracted on <time datetime="2018-01-09">9 January 2018</time>' in page
    assert "DOI: 10.5555/cnr.2016.77" in notes(page)

    # Its only source retracted, the claim's grade is withheld from the page at once, the JSON and the JSON-LD.
    assert '⚠</span><span class="visually-hidden">Evidence: </span>Under review' in page
    assert "The study this grade rested on was retracted on 9 January 2018." in notes(page)
    data = client.get(reverse("claims:article-json", kwargs={"slug": claim.article.slug})).json()
    [shown] = data["claims"]
    assert shown["evidence"] is None and shown["under_review_reason"] == "sources_retracted"
    [source] = shown["sources"]
    assert source["retracted_on"] == "2018-01-09"
    assert source["links"] == [{"name": "DOI", "url": "https://doi.org/10.5555/cnr.2016.77"}]
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["citation"] == [] and ld["about"] == []


def test_a_correction_is_not_called_a_retraction(client, reviewer):
    paper = SourceFactory(title="A corrected trial")
    claim = graded_claim(reviewer, sources=[paper])
    SourceEvent.objects.create(source=paper, kind=SourceEvent.Kind.CORRECTION, date=datetime.date(2020, 1, 1))
    assert "Retracted" not in public_page(client, claim.article)


def references_of(page):
    """The References section's items, as text, in order."""
    section = page[page.index('<section class="references"') :]
    section = section[: section.index("</section>")]
    items = re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)
    return [re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", item))).strip() for item in items]


def test_the_article_ends_with_its_references_once_each_in_order_of_first_citation(client, reviewer):
    retracted = SourceFactory(title="Iron and fatigue", journal="Blood", year=2015, design=design.RANDOMISED_TRIAL)
    review = SourceFactory(title="Iron in pregnancy: a review", authors="Ames B", design=design.SYSTEMATIC_REVIEW)
    trial = SourceFactory(kind=Source.Kind.NCT, identifier="NCT01234567", title="The IRON trial")
    first = graded_claim(reviewer, sentence=1, sources=[review])
    graded_claim(reviewer, article=first.article, sentence=3, sources=[review, retracted])
    graded_claim(reviewer, article=first.article, sentence=5, sources=[trial])
    SourceEvent.objects.create(source=retracted, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1))
    # A claim on the draft only: readers see the live revision, so its source is no reference yet.
    SourceFactory(title="Not yet published")
    from tests.factories import ClaimFactory

    ClaimFactory(article=first.article, sentence=2, sources=[Source.objects.get(title="Not yet published")])

    page = public_page(client, first.article)

    refs = references_of(page)
    assert len(refs) == 3
    assert refs[0].startswith("Ames B. Iron in pregnancy: a review.") and "Systematic review" in refs[0]
    assert f"PubMed: {review.identifier}" in refs[0]
    assert refs[1].startswith("⚠ Retracted on 1 March 2024: Iron and fatigue. Blood 2015. Randomised trial.")
    assert "ClinicalTrials.gov: NCT01234567" in refs[2]
    assert "Not yet published" not in page
    assert '<h2 id="references-title">References</h2>' in page
    assert page.index('id="references-title"') > page.index('id="evidence-title"'), "after the evidence notes"
    assert '<a href="#references">References</a>' in page, "a link to them near the top, for keyboards"

    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert [cited["name"] for cited in ld["citation"]] == [
        "Iron in pregnancy: a review",
        "Iron and fatigue",
        "The IRON trial",
    ]
    data = client.get(reverse("claims:article-json", kwargs={"slug": first.article.slug})).json()
    assert [source["title"] for source in data["references"]] == [
        "Iron in pregnancy: a review",
        "Iron and fatigue",
        "The IRON trial",
    ]
    assert data["references"][1]["retracted_on"] == "2024-03-01"
