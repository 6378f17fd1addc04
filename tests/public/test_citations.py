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

    data = client.get(reverse("claims:article-json", kwargs={"slug": claim.article.slug})).json()
    [source] = data["claims"][0]["sources"]
    assert source["retracted_on"] == "2018-01-09"
    assert source["links"] == [{"name": "DOI", "url": "https://doi.org/10.5555/cnr.2016.77"}]
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    [cited] = ld["citation"]
    assert cited["creativeWorkStatus"] == "Retracted on 2018-01-09"


def test_a_correction_is_not_called_a_retraction(client, reviewer):
    paper = SourceFactory(title="A corrected trial")
    claim = graded_claim(reviewer, sources=[paper])
    SourceEvent.objects.create(source=paper, kind=SourceEvent.Kind.CORRECTION, date=datetime.date(2020, 1, 1))
    assert "Retracted" not in public_page(client, claim.article)
