"""The designs each grade expects, and the findings about a claim's sources read from the database."""

import datetime

import pytest
from django.test import Client

from claims.evidence_watch import claim_findings, finding_condition, summary_of, with_source_summary
from claims.models import Claim, SourceEvent
from claims.text import source_findings
from claims.text import study_design as design
from tests.factories import ClaimFactory, SourceFactory, evidence
from tests.helpers import approved_claim

pytestmark = pytest.mark.django_db


def test_the_seeded_grades_state_the_designs_they_expect():
    strong, moderate, early = evidence("strong"), evidence("moderate"), evidence("early-research")
    assert set(strong.expected_designs) == {design.SYSTEMATIC_REVIEW, design.RANDOMISED_TRIAL}
    assert strong.expected_count == 2 and strong.supports_causal_wording
    assert design.COHORT_CASE_CONTROL in moderate.expected_designs and moderate.supports_causal_wording
    assert design.CASE_SERIES in evidence("limited").expected_designs
    assert evidence("limited").supports_causal_wording  # hedged, as its own "may reduce" is
    assert not any(evidence(slug).supports_causal_wording for slug in ("very-uncertain", "early-research"))
    assert set(early.expected_designs) == {design.ANIMAL, design.LABORATORY}
    assert evidence("very-uncertain").expected_designs == [] == evidence("not-supported").expected_designs


def test_an_editor_ticks_the_designs_a_grade_expects_in_the_admin(root_client):
    status = evidence("limited")
    page = root_client.get(f"/admin/claims/evidencestatus/{status.pk}/change/")
    assert b'name="expected_designs" value="cross_sectional"' in page.content


def cited(slug, *designs, **kwargs):
    return ClaimFactory(evidence_status=evidence(slug), sources=[SourceFactory(design=d) for d in designs], **kwargs)


def matching(kind):
    """The claims the integrity filter finds, after checking that the lists' summary finds the same kinds."""
    claims = with_source_summary(Claim.objects.select_related("evidence_status"))
    found = claim_findings(Claim.objects.all())
    for claim in claims:
        assert [f.kind for f in summary_of(claim)] == list(dict.fromkeys(f.kind for f in found[claim.pk]))
    return set(with_source_summary(Claim.objects.all()).filter(finding_condition(kind)).values_list("pk", flat=True))


def test_a_moderate_claim_citing_mice_outruns_its_sources_in_the_findings_and_the_filter():
    mice = cited("moderate", design.ANIMAL)
    trial = cited("moderate", design.RANDOMISED_TRIAL)
    strong_one_trial = cited("strong", design.RANDOMISED_TRIAL)
    strong_two = cited("strong", design.RANDOMISED_TRIAL, design.SYSTEMATIC_REVIEW)
    anything = cited("very-uncertain", design.ANIMAL)

    found = claim_findings(Claim.objects.all())

    assert [f.kind for f in found[mice.pk]] == [source_findings.OUTRUNS]
    assert found[trial.pk] == found[strong_two.pk] == found[anything.pk] == []
    assert [f.kind for f in found[strong_one_trial.pk]] == [source_findings.OUTRUNS]
    assert matching(source_findings.OUTRUNS) == {mice.pk, strong_one_trial.pk}


def test_a_retraction_and_a_stopped_trial_are_found_and_filtered(reviewer):
    paper = SourceFactory(design=design.RANDOMISED_TRIAL, title="The retracted trial")
    trial = SourceFactory(kind="nct", identifier="NCT01234567", design=design.RANDOMISED_TRIAL)
    retracted = ClaimFactory(evidence_status=evidence("moderate"), sources=[paper])
    stopped = ClaimFactory(evidence_status=evidence("moderate"), sources=[trial])
    SourceEvent.objects.create(source=paper, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1))
    SourceEvent.objects.create(
        source=trial,
        kind=SourceEvent.Kind.TRIAL_STOPPED,
        date=datetime.date(2024, 5, 2),
        detail="ClinicalTrials.gov: terminated",
    )

    found = claim_findings(Claim.objects.all())

    # Its only source retracted, the grade also outruns its sources: a retracted source supports nothing.
    assert [f.kind for f in found[retracted.pk]] == [source_findings.OUTRUNS, source_findings.RETRACTED]
    assert (
        "its only source, “The retracted trial”, was retracted, and a retracted source is not counted as support."
        in (found[retracted.pk][0].text)
    )
    assert found[retracted.pk][1].text == "“The retracted trial” was retracted on 1 March 2024."
    assert [f.kind for f in found[stopped.pk]] == [source_findings.TRIAL_STOPPED]
    assert "stopped early: status terminated, last updated 2 May 2024." in found[stopped.pk][0].text
    assert matching(source_findings.RETRACTED) == {retracted.pk}
    assert matching(source_findings.OUTRUNS) == {retracted.pk}
    assert matching(source_findings.TRIAL_STOPPED) == {stopped.pk}


def test_results_posted_after_the_approval_are_found(reviewer):
    trial = SourceFactory(kind="nct", identifier="NCT07654321", design=design.RANDOMISED_TRIAL)
    claim = approved_claim(
        reviewer, evidence_status=evidence("strong"), sources=[trial, SourceFactory(design=design.SYSTEMATIC_REVIEW)]
    )
    approved_on = claim.reviewed_at.date()
    SourceEvent.objects.create(
        source=trial, kind=SourceEvent.Kind.RESULTS_POSTED, date=approved_on - datetime.timedelta(days=3)
    )
    assert claim_findings([claim])[claim.pk] == []
    assert matching(source_findings.RESULTS_POSTED) == set()

    SourceEvent.objects.create(
        source=trial, kind=SourceEvent.Kind.RESULTS_POSTED, date=approved_on + datetime.timedelta(days=3)
    )

    assert [f.kind for f in claim_findings([claim])[claim.pk]] == [source_findings.RESULTS_POSTED]
    assert matching(source_findings.RESULTS_POSTED) == {claim.pk}


def test_claim_findings_reads_a_fixed_number_of_queries(django_assert_num_queries):
    for _ in range(5):
        cited("moderate", design.ANIMAL, design.PREPRINT)
    claims = list(Claim.objects.all())
    with django_assert_num_queries(2):  # the sources with their events, and the grades
        found = claim_findings(claims)
    assert all(found[claim.pk] for claim in claims)
    read = list(with_source_summary(Claim.objects.select_related("evidence_status")))
    with django_assert_num_queries(0):  # read beside each claim, as the lists and the article's panel do
        assert all(summary_of(claim) for claim in read)


# Where editors and reviewers see them -------------------------------------------------------------


@pytest.fixture
def retracted_claim(editor):
    paper = SourceFactory(design=design.RANDOMISED_TRIAL, title="The retracted trial")
    claim = ClaimFactory(
        evidence_status=evidence("moderate"), sources=[paper], article__author=editor, created_by=editor
    )
    SourceEvent.objects.create(source=paper, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1))
    mice = ClaimFactory(
        article=claim.article, sentence=2, evidence_status=evidence("moderate"), created_by=editor,
        sources=[SourceFactory(design=design.ANIMAL, title="A study in mice")],
    )  # fmt: skip
    return claim, mice


def test_the_articles_integrity_panel_explains_each_finding(editor_client, retracted_claim):
    claim, mice = retracted_claim
    html = editor_client.get(f"/admin/articles/article/{claim.article_id}/change/").content.decode()
    assert "2 claims whose sources need a look" in html
    assert "Retracted or under concern:</strong> “The retracted trial” was retracted on 1 March 2024." in html
    assert "Grade outruns its sources:</strong> “Moderate” expects one source of these designs" in html


def test_the_claim_page_names_the_retracted_source(editor_client, retracted_claim):
    claim, _ = retracted_claim
    html = editor_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "“The retracted trial” was retracted on 1 March 2024." in html


def test_the_review_queue_column_and_the_integrity_filter(reviewer, editor_client, retracted_claim):
    claim, mice = retracted_claim
    as_reviewer = Client()
    as_reviewer.force_login(reviewer)
    queue = as_reviewer.get("/admin/claims/reviewqueueclaim/").content.decode()
    assert "Retracted or under concern" in queue and "Grade outruns its sources" in queue

    listed = editor_client.get("/admin/claims/claim/?integrity=retracted").context["cl"].result_list
    assert [c.pk for c in listed] == [claim.pk]
    listed = editor_client.get("/admin/claims/claim/?integrity=outruns").context["cl"].result_list
    assert {c.pk for c in listed} == {claim.pk, mice.pk}, "its only source retracted, nothing supports its grade"


def test_the_report_counts_them_in_text_and_csv(editor_client, retracted_claim):
    from claims.reports import report_text, site_report

    claim, _ = retracted_claim
    report = site_report()
    [row] = report.rows
    assert row.sources == {"retracted": 1, "outruns": 2}
    assert "Sources: 2 grade outruns its sources, 1 retracted or under concern, 0 trial stopped" in report_text(report)
    csv_text = editor_client.get("/admin/claims/claim/integrity-report/?format=csv").content.decode()
    header, first = csv_text.splitlines()[:2]
    assert "grade outruns its sources,retracted or under concern,trial stopped" in header
    assert ",2,1,0,0," in first


def test_the_review_queue_shows_each_claims_source_findings_naming_the_source(reviewer, editor):
    from claims.services import claim_submit

    paper = SourceFactory(kind="pmid", identifier="123", design=design.ANIMAL, title="Iron in mice")
    retracted = SourceFactory(design=design.RANDOMISED_TRIAL, title="The retracted trial")
    mice = ClaimFactory(evidence_status=evidence("strong"), sources=[paper], review_state="draft", created_by=editor)
    pulled = ClaimFactory(
        article=mice.article, sentence=2, evidence_status=evidence("moderate"), sources=[retracted],
        review_state="draft", created_by=editor,
    )  # fmt: skip
    SourceEvent.objects.create(source=retracted, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1))
    for claim in (mice, pulled):
        claim_submit(claim=claim, user=editor)
    as_reviewer = Client()
    as_reviewer.force_login(reviewer)

    page = as_reviewer.get("/admin/claims/reviewqueueclaim/")

    rows = {claim.pk: claim for claim in page.context["cl"].result_list}
    admin = page.context["cl"].model_admin
    assert "⇡</span> Grade outruns its sources" in admin.integrity(rows[mice.pk])
    assert "(PMID 123, animal study)" in admin.integrity(rows[mice.pk])
    assert "✖</span> Retracted or under concern" in admin.integrity(rows[pulled.pk])
    assert "(The retracted trial)" in admin.integrity(rows[pulled.pk])
    html = page.content.decode()
    assert "(PMID 123, animal study)" in html and "(The retracted trial)" in html
    [outruns] = [f for f in summary_of(rows[mice.pk]) if f.kind == source_findings.OUTRUNS]
    assert "its only source, PMID 123, is an animal study." in outruns.text
