"""Causal wording for an association in the database and the admin: stored, listed, filtered, reported, overridden."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Claim, EvidenceStatus
from claims.reports import report_csv_rows, report_text, site_report
from claims.services import claim_decide, claims_rerate_wording
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, SourceFactory, evidence
from tests.reviewing import bulk_decide, decide

pytestmark = pytest.mark.django_db

CAUSE = "Daily brisk walking lowers blood pressure in older adults."
LINKED = "Daily brisk walking is linked to lower blood pressure in older adults."
DOUBT = "There is no good evidence that copper bracelets relieve arthritis pain."
CLINICS = "Some clinics claim that stem-cell infusions cure asthma completely."
HEDGED_CAUSE = "Daily brisk walking may lower blood pressure."
BODY = f"""## Walking and blood pressure

{CAUSE} {LINKED}

{DOUBT} {CLINICS}

{HEDGED_CAUSE}
"""


@pytest.fixture(autouse=True)
def limited_without_causal_wording(db):
    """Seeded, "Limited" supports hedged causal wording: here it is a grade its editors said does not."""
    EvidenceStatus.objects.filter(slug="limited").update(supports_causal_wording=False)


def test_seeded_limited_evidence_lets_a_hedged_cause_stand_unless_its_sources_are_observational(article, condition):
    EvidenceStatus.objects.filter(slug="limited").update(supports_causal_wording=True)
    hedged = claim_on(article, HEDGED_CAUSE, condition)
    [row] = site_report().rows
    assert row.causal == 0
    hedged.sources.add(cohort())
    [row] = site_report().rows
    assert row.causal == 1


@pytest.fixture
def condition(db):
    return ConditionFactory(name="High blood pressure", slug="hypertension", synonyms="blood pressure")


@pytest.fixture
def article(editor):
    return ArticleFactory(author=editor, body=BODY, title="Walking for blood pressure")


def claim_on(article, text, condition, grade="limited", **kwargs):
    return ClaimFactory(article=article, text=text, condition=condition, evidence_status=evidence(grade), **kwargs)


def cohort(n=1):
    return SourceFactory(identifier=f"3100000{n}", design="cohort_case_control")


def trial():
    return SourceFactory(identifier="31000009", design="randomised_trial")


def test_a_claim_stores_the_relationship_its_sentence_claims(article, condition):
    assert claim_on(article, CAUSE, condition).wording_relation == Claim.Relation.CAUSE
    assert claim_on(article, LINKED, ConditionFactory()).wording_relation == Claim.Relation.ASSOCIATION


def test_claims_without_a_stored_relationship_are_read_again(article, condition):
    claim = claim_on(article, CAUSE, condition)
    Claim.objects.filter(pk=claim.pk).update(wording_relation="")
    assert claims_rerate_wording() == 1
    claim.refresh_from_db()
    assert claim.wording_relation == Claim.Relation.CAUSE
    assert claims_rerate_wording() == 0


def test_a_grade_without_causal_wording_finds_a_claimed_cause(article, condition):
    cause = claim_on(article, CAUSE, condition)
    claim_on(article, LINKED, ConditionFactory())
    claim_on(article, DOUBT, ConditionFactory(), grade="not-supported")
    assert list(Claim.objects.causal_for_association()) == [cause]
    assert cause.causal_wording.reason == "its grade, “Limited”, does not support causal wording"


def test_a_grade_supporting_causal_wording_finds_a_cause_resting_on_observational_sources_only(article, condition):
    observational = claim_on(article, CAUSE, condition, grade="moderate", sources=[cohort()])
    tried = claim_on(article, CAUSE, ConditionFactory(), grade="moderate", sources=[cohort(2), trial()])
    unknown = claim_on(article, CAUSE, ConditionFactory(), grade="moderate", sources=[SourceFactory()])
    found = Claim.objects.causal_for_association()
    assert list(found) == [observational]
    assert observational.causal_wording is not None
    assert tried.causal_wording is None and unknown.causal_wording is None
    named = Claim.objects.with_causal_sources().get(pk=observational.pk)
    assert named.observational_named == "PMID 31000001 (cohort or case-control study)"


def test_approving_causal_wording_needs_a_reason_kept_like_an_overclaiming_one(article, condition, reviewer):
    claim = claim_on(article, HEDGED_CAUSE, condition)
    assert not claim.is_overclaiming and claim.causal_wording is not None
    with pytest.raises(ValidationError, match="claims a cause, but its grade"):
        claim_decide(claim=claim, reviewer=reviewer, decision="approved")
    claim_decide(claim=claim, reviewer=reviewer, decision="approved", override_reason="The trial is named beside it.")
    assert claim.decisions.get(decision="approved").override_reason == "The trial is named beside it."
    assert list(Claim.objects.approved_despite_causal_wording()) == [claim]
    assert not Claim.objects.causal_for_association_open().exists()


def test_the_claim_list_shows_and_filters_causal_wording(editor_client, article, condition):
    cause = claim_on(article, CAUSE, condition)
    claim_on(article, LINKED, ConditionFactory())
    url = reverse("admin:claims_claim_changelist")
    listed = editor_client.get(url + "?integrity=causal")
    assert list(listed.context["cl"].result_list) == [cause]
    assert "⇏</span> Causal wording for an association (its grade)" in listed.content.decode()
    assert cause in set(editor_client.get(url + "?integrity=flagged").context["cl"].result_list)


def test_the_review_queue_column_says_why_in_a_few_words(reviewer_client, article, condition):
    claim_on(article, CAUSE, condition, grade="moderate", sources=[cohort()])
    html = reviewer_client.get(reverse("admin:claims_reviewqueueclaim_changelist")).content.decode()
    assert "⇏</span> Causal wording for an association (observational sources)" in html


def test_bulk_approval_leaves_causal_wording_to_its_own_page(reviewer_client, article, condition):
    claim = claim_on(article, HEDGED_CAUSE, condition)
    response = bulk_decide(reviewer_client, reverse("admin:claims_claim_changelist"), "approve_selected", [claim])
    html = response.content.decode()
    assert "Not decided" in html and "This sentence claims a cause, but its grade" in html
    assert not Claim.objects.get(pk=claim.pk).is_approved


def test_the_claim_page_explains_the_finding_and_offers_association_wording(reviewer_client, article, condition):
    claim = claim_on(article, CAUSE, condition, grade="strong", sources=[cohort()])
    html = reviewer_client.get(claim.get_admin_url()).content.decode()
    assert "Causal wording for an association:</strong> Claims a cause (“lowers”)" in html
    assert "its sources are observational: PMID 31000001 (cohort or case-control study)" in html
    assert "Daily brisk walking is linked to lower blood pressure in older adults." in html
    assert "Reason to approve this causal wording as it is" in html


def test_the_article_panel_counts_and_explains_causal_wording(editor_client, article, condition):
    claim_on(article, CAUSE, condition)
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "1 causal wording for an association" in html
    assert "Claims a cause (“lowers”), but its grade, “Limited”, does not support causal wording" in html
    assert "<q>Daily brisk walking is linked to lower blood pressure in older adults.</q>" in html


def test_a_not_supported_claim_is_advised_as_an_absence_of_evidence(editor_client, article, condition):
    claim_on(article, CLINICS, condition, grade="not-supported")
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "There is no good evidence that stem-cell infusions cure asthma." in html
    assert "It is not known whether stem-cell infusions" not in html


def test_the_report_counts_causal_wording_as_a_flag_and_apart_once_approved(editor, reviewer, condition):
    article = ArticleFactory(author=editor, body=f"{HEDGED_CAUSE}\n")
    claim = claim_on(article, HEDGED_CAUSE, condition)
    [row] = site_report().rows
    assert (row.overclaiming, row.causal, row.flags) == (0, 1, 1)
    rows = list(report_csv_rows(site_report()))
    assert rows[1][rows[0].index("causal wording for an association")] == 1
    assert "Caus" in report_text(site_report())
    limited = next(t for t in site_report().statuses if t.status.slug == "limited")
    assert limited.causal == 1

    claim_decide(claim=claim, reviewer=reviewer, decision="approved", override_reason="Quotes the trial's words.")
    [row] = site_report().rows
    assert (row.causal, row.causal_overridden, row.flags) == (0, 1, 0)


def test_the_report_page_links_to_the_causal_filter(editor_client, article, condition):
    claim_on(article, CAUSE, condition)
    html = editor_client.get(reverse("admin:claims_integrity_report")).content.decode()
    assert "?integrity=causal" in html and "1 causal wording for an association" in html
    response = editor_client.get(reverse("admin:claims_integrity_report") + "?format=csv")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert "causal wording for an association" in header


def test_a_reviewer_deciding_on_the_page_gives_the_reason(reviewer_client, article, condition):
    claim = claim_on(article, HEDGED_CAUSE, condition)
    decide(reviewer_client, claim, "approved")
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING
    decide(reviewer_client, claim, "approved", override_reason="It quotes the trial.")
    claim.refresh_from_db()
    assert claim.is_approved
    history = reviewer_client.get(claim.get_admin_url()).content.decode()
    assert "Approved despite causal wording:</strong> It quotes the trial." in history
