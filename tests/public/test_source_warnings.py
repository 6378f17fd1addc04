"""What readers see of a claim whose sources were retracted, given an expression of concern or were trials
stopped early: no grade when nothing is left to stand on, a warning in words on the badge otherwise, and a
withdrawn claim told apart from one never approved."""

import datetime
import html as html_lib
import json
import re

import pytest
from django.db import connection
from django.urls import reverse

from claims import evidence_watch, selectors
from claims.citations import sources_prefetch
from claims.models import Claim, EvidenceAlert, PublishedClaim, SourceEvent, SourceRecord
from claims.models.source_record import Outcome
from claims.publishing import claim_withdraw_urgently
from claims.services import claim_approve
from claims.text import study_design as design
from tests.factories import ArticleFactory, SourceFactory, evidence, published
from tests.helpers import graded_claim, public_page

pytestmark = pytest.mark.django_db

Kind = SourceEvent.Kind


def text_of(html):
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", html)))


def badges_of(page):
    """The text of each badge in the article's body, as a screen reader reads it (the symbols hidden from it)."""
    found = re.findall(r'<a class="badge[^"]*"[^>]*>(.*?)</a>', page, re.S)
    return [text_of(re.sub(r'<span[^>]*aria-hidden="true">[^<]*</span>', "", badge)).strip() for badge in found]


def notes_of(page):
    return text_of(page[page.index('class="evidence-notes"') :])


def json_of(client, article):
    return client.get(reverse("claims:article-json", kwargs={"slug": article.slug})).json()


def json_ld_of(page):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


SHORT_CLAIM = "Stem-cell infusions ease joint pain in lupus."


def retract(source, day=datetime.date(2024, 3, 1)):
    return SourceEvent.objects.create(source=source, kind=Kind.RETRACTION, date=day)


def stopped_trial(title="The STOP trial", status="TERMINATED", updated=datetime.date(2023, 5, 4)):
    """A registered trial the look-up found stopped, with the event the evidence watch records from it."""
    trial = SourceFactory(kind="nct", identifier="NCT04000001", title=title, design=design.RANDOMISED_TRIAL)
    SourceRecord.objects.update_or_create(
        source=trial,
        defaults={
            "outcome": Outcome.LOOKED_UP,
            "looked_up_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
            "trial_status": status,
            "trial_last_update": updated,
            "trial_study_type": "INTERVENTIONAL",
            "trial_allocation": "RANDOMIZED",
            "enrolment": 320,
        },
    )
    evidence_watch.record_events(trial.pk)
    return trial


def test_a_claim_whose_only_source_is_retracted_shows_no_grade(client, reviewer):
    paper = SourceFactory(title="Stem cells reverse arthritis", design=design.RANDOMISED_TRIAL)
    claim = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[paper])
    assert badges_of(public_page(client, claim.article)) == ["Evidence: Moderate evidence"]

    retract(paper, datetime.date(2024, 3, 1))
    page = public_page(client, claim.article)

    assert badges_of(page) == ["Evidence: Under review"]
    assert '<span aria-hidden="true">⚠</span><span class="visually-hidden">Evidence: </span>Under review' in page
    assert "Moderate evidence" not in page
    note = notes_of(page)
    assert (
        "The study this grade rested on was retracted on 1 March 2024. A medical reviewer is checking the claim; "
        "until then we do not grade it." in note
    )
    assert "⚠ Retracted on 1 March 2024: Stem cells reverse arthritis." in note
    assert "has not approved the evidence" not in note
    data = json_of(client, claim.article)
    assert data["claims"][0]["evidence"] is None
    assert data["claims"][0]["review_state"] == "under_review"
    assert data["claims"][0]["under_review_reason"] == "sources_retracted"
    assert data["references"] == []
    assert json_ld_of(page)["citation"] == []


def test_a_claim_with_one_of_two_sources_retracted_keeps_its_grade_with_a_warning_in_words(client, reviewer):
    retracted = SourceFactory(title="Stem cells reverse arthritis", design=design.RANDOMISED_TRIAL)
    standing = SourceFactory(title="Cell therapy in lupus", design=design.RANDOMISED_TRIAL)
    claim = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[standing, retracted])
    retract(retracted, datetime.date(2024, 3, 1))

    page = public_page(client, claim.article)

    assert badges_of(page) == ["Evidence: Moderate evidence Warning: source retracted"]
    assert '<span aria-hidden="true">⚠</span><span class="visually-hidden">Warning:</span> source retracted' in page
    note = notes_of(page)
    assert "Moderate evidence ⚠Warning: source retracted" in note, "the note's chip says it too"
    lead = note.index("“Stem cells reverse arthritis” was retracted on 1 March 2024. A medical reviewer is checking")
    assert lead < note.index("Sources:"), "the note leads with it, before its explanation and sources"
    claim_json = json_of(client, claim.article)["claims"][0]
    assert claim_json["evidence"]["slug"] == "moderate"
    assert claim_json["warning"] == "source retracted"
    assert [s["retracted_on"] for s in claim_json["sources"]] == [None, "2024-03-01"]


def test_an_expression_of_concern_marks_the_badge_and_the_citation(client, reviewer):
    paper = SourceFactory(title="Vitamin D and falls", design=design.RANDOMISED_TRIAL)
    claim = graded_claim(reviewer, sources=[paper])
    SourceEvent.objects.create(source=paper, kind=Kind.EXPRESSION_OF_CONCERN, date=datetime.date(2022, 6, 7))

    page = public_page(client, claim.article)

    assert badges_of(page) == ["Evidence: Strong evidence Warning: source under concern"]
    note = notes_of(page)
    assert "“Vitamin D and falls” was given an expression of concern on 7 June 2022." in note
    assert "⚠ Expression of concern on 7 June 2022: Vitamin D and falls." in note
    assert json_of(client, claim.article)["references"][0]["concern_on"] == "2022-06-07"


def test_a_stopped_trial_is_marked_everywhere_it_is_cited_dated_by_its_last_update(client, reviewer):
    trial = stopped_trial()
    claim = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[trial])

    page = public_page(client, claim.article)

    assert badges_of(page) == ["Evidence: Moderate evidence Warning: trial stopped early"]
    note = notes_of(page)
    assert "The trial “The STOP trial” stopped early (status terminated, last updated on 4 May 2023)." in note
    cited = "⚠ Trial stopped early (terminated); status last updated on 4 May 2023: The STOP trial."
    assert cited in note
    references = text_of(page[page.index('<section class="references"') :])
    assert cited in references
    assert "stopped on" not in page
    data = json_of(client, claim.article)
    assert data["references"][0]["trial_stopped"] == {
        "status": "terminated",
        "status_last_updated": "2023-05-04",
        "words": "⚠ Trial stopped early (terminated)",
    }
    assert data["claims"][0]["warning"] == "trial stopped early"
    [ld_cited] = json_ld_of(page)["citation"]
    assert ld_cited["creativeWorkStatus"] == "Trial stopped early (terminated); status last updated on 2023-05-04"


def test_a_claim_withdrawn_by_a_reviewer_is_not_called_unapproved(client, reviewer):
    claim = graded_claim(reviewer, sources=[SourceFactory()])
    claim_withdraw_urgently(reviewer=reviewer, notice="The main trial behind it is being checked.", claim=claim)

    note = notes_of(public_page(client, claim.article))

    assert "The main trial behind it is being checked." in note
    assert "A medical reviewer is checking this claim again; we do not grade it meanwhile." in note
    assert "has not approved the evidence" not in note
    assert json_of(client, claim.article)["claims"][0]["under_review_reason"] == "withdrawn"


def test_keeping_an_alert_keeps_the_warning_and_leaves_an_all_retracted_claim_under_review(client, reviewer):
    retracted = SourceFactory(title="Retracted trial")
    alone = graded_claim(reviewer, sentence=1, sources=[retracted])
    beside = graded_claim(reviewer, article=alone.article, sentence=3, sources=[SourceFactory(), retracted])
    event = retract(retracted)
    evidence_watch.raise_alerts(event)
    for alert in EvidenceAlert.objects.filter(event=event):
        evidence_watch.resolve(alert, user=reviewer, how=EvidenceAlert.Resolution.KEPT, reason="Other trials agree.")

    page = public_page(client, alone.article)

    assert badges_of(page) == ["Evidence: Under review", "Evidence: Strong evidence Warning: source retracted"]
    assert EvidenceAlert.objects.filter(claim__in=[alone, beside], resolution="kept").count() == 2


def test_a_reviewer_grading_the_claim_again_after_the_retraction_shows_the_new_grade_once_published(client, reviewer):
    paper = SourceFactory(title="Stem cells reverse arthritis")
    claim = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[paper])
    retract(paper)
    assert badges_of(public_page(client, claim.article)) == ["Evidence: Under review"]
    # Regraded on what is left: back to review with a lower grade, approved again.
    Claim.objects.filter(pk=claim.pk).update(
        review_state=Claim.ReviewState.PENDING, evidence_status=evidence("very-uncertain")
    )
    claim_approve(claim=Claim.objects.get(pk=claim.pk), reviewer=reviewer, override_reason="Nothing else is known.")
    assert badges_of(public_page(client, claim.article)) == ["Evidence: Under review"], "until published"

    published(claim.article)
    page = public_page(client, claim.article)

    assert badges_of(page) == ["Evidence: Very uncertain Warning: source retracted"]
    assert "was retracted on 1 March 2024. A medical reviewer has graded this claim again since." in notes_of(page)
    assert selectors.mapped_claims().count() == 1


def test_evidence_maps_and_counts_leave_out_a_claim_whose_every_source_is_retracted(reviewer):
    retracted = SourceFactory()
    claim = graded_claim(reviewer, sources=[retracted])
    assert selectors.mapped_claims().count() == 1

    retract(retracted)

    assert selectors.mapped_claims().count() == 0
    [revision] = claim.article.revisions.filter(is_live=True)
    assert selectors.evidence_counts([revision])[revision.pk] == [(None, 1)]


def test_staff_previewing_the_draft_see_the_same_as_readers_will(client, reviewer, editor):
    paper = SourceFactory(title="Stem cells reverse arthritis")
    claim = graded_claim(reviewer, sources=[paper])
    retract(paper)
    client.force_login(editor)

    draft = client.get(claim.article.get_absolute_url() + "?draft=1").content.decode()

    assert badges_of(draft) == ["Evidence: Under review"]
    assert "Strong evidence" not in draft


def test_search_snippets_show_the_warning_on_a_partly_retracted_claims_chip_and_not_on_a_clean_one(client, reviewer):
    retracted = SourceFactory(title="Stem cells reverse arthritis")
    warned = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[SourceFactory(), retracted])
    clean = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[SourceFactory()])
    retract(retracted)
    warned.article.title, clean.article.title = "Quokka warned", "Quokka clean"
    warned.article.save(update_fields=["title"])
    clean.article.save(update_fields=["title"])
    published(warned.article)
    published(clean.article)

    response = client.get(reverse("search"), {"q": warned.quote.split()[0]})
    page = response.content.decode()
    cards = {
        title: text_of(card)
        for card in re.findall(r'<li class="article-card">(.*?)</li>\s*(?=<li class="article-card">|</ol>)', page, re.S)
        for title in re.findall(r'<h3 class="article-card__title"><a [^>]*>([^<]*)</a>', card)
    }
    assert "Moderate evidence ⚠Warning: source retracted" in cards["Quokka warned"]
    assert "Moderate evidence" in cards["Quokka clean"]
    assert "source retracted" not in cards["Quokka clean"]


def test_the_condition_page_shows_the_warning_beside_a_partly_retracted_claim_and_not_a_clean_one(client, reviewer):
    retracted = SourceFactory(title="Stem cells reverse arthritis")
    warned = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[SourceFactory(), retracted])
    clean = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[SourceFactory()])
    clean.condition = warned.condition
    clean.save(update_fields=["condition"])
    published(clean.article)
    retract(retracted)

    page = client.get(reverse("claims:condition-detail", kwargs={"slug": warned.condition.slug})).content.decode()
    notes = {
        text_of(title): text_of(note)
        for note in re.findall(
            r'<li class="evidence-note">(.*?)</li>\s*(?=<li class="evidence-note">|</ul>)', page, re.S
        )
        for title in re.findall(r"<p>From <a [^>]*>(.*?)</a></p>", note, re.S)
    }
    assert warned.article.title != clean.article.title
    assert "Moderate evidence ⚠Warning: source retracted" in notes[warned.article.title]
    clean_note = notes[clean.article.title]
    assert "Retracted" not in clean_note and "source retracted" not in clean_note


def test_a_lists_warning_read_in_its_query_says_what_the_article_page_says(reviewer):
    concern = SourceFactory()
    SourceEvent.objects.create(source=concern, kind=Kind.EXPRESSION_OF_CONCERN, date=datetime.date(2024, 2, 1))
    retracted, trial = SourceFactory(), stopped_trial()
    retract(retracted)
    claims = {
        "clean": graded_claim(reviewer, sources=[SourceFactory()]),
        "concern": graded_claim(reviewer, sources=[SourceFactory(), concern]),
        "trial": graded_claim(reviewer, sources=[trial]),
        "retracted over concern": graded_claim(reviewer, sources=[concern, retracted, SourceFactory()]),
    }
    published_claims = PublishedClaim.objects.filter(claim__in=claims.values())
    read_in_query = {c.claim_id: c.source_warning for c in published_claims.with_source_warning()}
    from_sources = {c.claim_id: c.source_warning for c in published_claims.prefetch_related(sources_prefetch())}

    assert read_in_query == from_sources
    assert {name: read_in_query[claim.pk] for name, claim in claims.items()} == {
        "clean": "",
        "concern": "source under concern",
        "trial": "trial stopped early",
        "retracted over concern": "source retracted",
    }


def test_search_snippets_show_a_claim_resting_on_retracted_sources_alone_under_review(client, reviewer):
    retracted = SourceFactory()
    claim = graded_claim(reviewer, evidence_status=evidence("moderate"), sources=[retracted])
    retract(retracted)

    page = client.get(reverse("search"), {"q": claim.quote.split()[0]}).content.decode()
    snippet_claims = page[page.index('class="search-snippet__claims"') :]
    snippet_claims = text_of(snippet_claims[snippet_claims.index(">") + 1 : snippet_claims.index("</ul>")])

    assert snippet_claims.strip().startswith("⚠ Under review")
    assert "Moderate evidence" not in snippet_claims


def test_search_reads_the_warnings_without_a_query_more(client, reviewer, django_assert_max_num_queries):
    retracted = SourceFactory()
    retract(retracted)
    # Short articles, so that PostgreSQL's snippet holds the whole claimed sentence, as SQLite's does.
    for n in range(2):
        article = ArticleFactory(title=f"Lupus and stem cells, part {n}", body=f"## Part {n}\n\n{SHORT_CLAIM}\n")
        graded_claim(reviewer, article=article, sentence=1, sources=[SourceFactory(), retracted])
    word = "infusions"

    # As tests/public/test_search.py counts it: the results, the conditions and the snippets' claims.
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 3):
        page = client.get(reverse("search"), {"q": word}).content.decode()

    assert "source retracted" in page


def test_the_condition_page_reads_the_warnings_without_a_query_more(client, reviewer, django_assert_max_num_queries):
    retracted = SourceFactory()
    retract(retracted)
    first = graded_claim(reviewer, sentence=1, sources=[SourceFactory(), retracted])
    graded_claim(
        reviewer, article=first.article, condition=first.condition, sentence=3, sources=[retracted, SourceFactory()]
    )
    url = reverse("claims:condition-detail", kwargs={"slug": first.condition.slug})

    # As tests/public/test_condition_and_tag_pages.py counts the map's queries: rendered, then stored
    # (claims.pages.lists: read, the render lock taken, SAVEPOINT, INSERT, RELEASE, the lock released).
    with django_assert_max_num_queries(5 + 6):
        page = client.get(url).content.decode()

    assert page.count("source retracted") == 2
