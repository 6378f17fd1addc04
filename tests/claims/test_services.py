import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article
from articles.services import add_months, article_mark_reviewed
from claims.models import Claim
from claims.services import claim_approve, claim_record_change, claim_save, source_from_identifier
from tests.factories import ClaimFactory, EditorFactory, UserFactory, evidence

pytestmark = pytest.mark.django_db


def test_a_reviewer_approves_someone_elses_claim_and_who_and_when_are_recorded(reviewer):
    claim = ClaimFactory()
    approved = claim_approve(claim=claim, reviewer=reviewer)
    assert approved.review_state == Claim.ReviewState.APPROVED
    assert approved.reviewed_by == reviewer
    assert timezone.now() - approved.reviewed_at < datetime.timedelta(minutes=1)
    assert approved.next_review_due == add_months(timezone.localdate(), 12)


def test_nobody_approves_a_claim_they_wrote_not_even_a_superuser(reviewer):
    author = UserFactory(username="boss", is_superuser=True)
    author.groups.add(Group.objects.get(name="Reviewers"))
    claim = ClaimFactory(created_by=author, last_changed_by=author)
    with pytest.raises(PermissionDenied, match="You wrote this claim"):
        claim_approve(claim=claim, reviewer=author)
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PENDING


def test_the_last_person_to_change_a_claim_cannot_approve_it(reviewer):
    claim = ClaimFactory(last_changed_by=reviewer)
    with pytest.raises(PermissionDenied, match="last change"):
        claim_approve(claim=claim, reviewer=reviewer)


def test_an_editor_without_the_review_permission_cannot_approve():
    claim = ClaimFactory()
    with pytest.raises(PermissionDenied, match="Only medical reviewers"):
        claim_approve(claim=claim, reviewer=EditorFactory())


def test_a_claim_not_yet_rated_cannot_be_approved(reviewer):
    claim = ClaimFactory(evidence_status=evidence("not-yet-rated"))
    with pytest.raises(PermissionDenied, match="rate it before approving"):
        claim_approve(claim=claim, reviewer=reviewer)


def test_an_orphaned_claim_cannot_be_approved(reviewer):
    claim = ClaimFactory(is_orphaned=True)
    with pytest.raises(PermissionDenied, match="lost its sentence"):
        claim_approve(claim=claim, reviewer=reviewer)


@pytest.mark.parametrize("field", ["quote", "start", "condition", "evidence_status"])
def test_a_substantive_change_withdraws_approval(reviewer, field):
    claim = claim_approve(claim=ClaimFactory(), reviewer=reviewer)
    withdrawn = claim_record_change(claim=claim, user=claim.created_by, changed_fields={field})
    assert withdrawn.startswith("Approval withdrawn: ")
    assert claim.review_state == Claim.ReviewState.PENDING


def test_changing_sources_withdraws_approval(reviewer):
    claim = claim_approve(claim=ClaimFactory(), reviewer=reviewer)
    assert claim_record_change(claim=claim, user=claim.created_by, changed_fields=set(), sources_changed=True)


def test_changing_only_the_explanations_punctuation_keeps_approval(reviewer):
    claim = claim_approve(claim=ClaimFactory(explanation="Two small trials, in people."), reviewer=reviewer)
    claim.explanation = "Two small trials in people!"
    withdrawn = claim_record_change(
        claim=claim,
        user=claim.created_by,
        changed_fields={"explanation"},
        old_explanation="Two small trials, in people.",
    )
    assert withdrawn is None
    assert claim.review_state == Claim.ReviewState.APPROVED


def test_rewording_the_explanation_withdraws_approval(reviewer):
    claim = claim_approve(claim=ClaimFactory(explanation="Two small trials in people."), reviewer=reviewer)
    claim.explanation = "Several large trials in people."
    withdrawn = claim_record_change(
        claim=claim,
        user=claim.created_by,
        changed_fields={"explanation"},
        old_explanation="Two small trials in people.",
    )
    assert withdrawn == "Approval withdrawn: its public explanation was reworded."
    assert claim.review_state == Claim.ReviewState.PENDING


def test_a_reviewer_who_edits_their_approved_claim_withdraws_their_approval(reviewer):
    claim = claim_approve(claim=ClaimFactory(), reviewer=reviewer)
    assert claim_record_change(claim=claim, user=reviewer, changed_fields={"explanation"})
    claim.save()  # the database would refuse an approval by the last editor
    assert claim.last_changed_by == reviewer


def test_claims_follow_their_sentence_when_text_is_added_before_it(article):
    claim = ClaimFactory(article=article, sentence=2)
    old_start = claim.start
    article.body = "A new opening paragraph that pushes everything down.\n\n" + article.body
    article.save()
    claim.refresh_from_db()
    assert claim.start > old_start
    assert article.body_text[claim.start : claim.end] == claim.quote
    assert not claim.is_orphaned


def test_a_claim_whose_words_were_deleted_is_orphaned_not_deleted(reviewer, article):
    claim = claim_approve(claim=ClaimFactory(article=article, sentence=2), reviewer=reviewer)
    article.body = article.body.replace(claim.quote, "")
    article.save()
    claim.refresh_from_db()
    assert claim.is_orphaned
    assert claim.review_state == Claim.ReviewState.PENDING


def test_repeated_sentence_reanchors_to_the_copy_with_matching_context(editor):
    body = "Intro one.\n\nRest helps. Context A follows.\n\nMiddle.\n\nRest helps. Context B follows."
    article = Article.objects.create(title="Rest", slug="rest", body=body, author=editor)
    second = article.body_text.rindex("Rest helps.")
    claim = ClaimFactory(article=article, text="Rest helps. Context B")
    claim.start, claim.quote = second, "Rest helps."
    claim.prefix, claim.suffix = article.body_text[second - 32 : second], " Context B follows."
    claim.save()
    article.body = "Inserted first.\n\n" + body
    article.save()
    claim.refresh_from_db()
    assert article.body_text[claim.end :].startswith(" Context B")


def test_source_from_identifier_reuses_an_existing_source():
    first = source_from_identifier("PMID: 29298160")
    again = source_from_identifier("https://pubmed.ncbi.nlm.nih.gov/29298160/")
    assert first.pk == again.pk


def test_marking_an_article_reviewed_sets_dates_and_refuses_its_author(article, reviewer):
    with pytest.raises(PermissionDenied):
        article_mark_reviewed(article=article, reviewer=article.author)
    reviewed = article_mark_reviewed(article=article, reviewer=reviewer, on=datetime.date(2026, 3, 1))
    assert reviewed.medical_reviewer == reviewer
    assert reviewed.last_reviewed == datetime.date(2026, 3, 1)
    assert reviewed.next_review_due == datetime.date(2027, 3, 1)


def test_a_claim_citing_no_source_cannot_be_approved(reviewer):
    claim = ClaimFactory(sources=[])
    with pytest.raises(PermissionDenied, match="cites no source"):
        claim_approve(claim=claim, reviewer=reviewer)


def test_a_claim_whose_words_changed_is_flagged_and_sent_back_for_review(reviewer, article):
    claim = claim_approve(claim=ClaimFactory(article=article, sentence=1), reviewer=reviewer)
    old_quote = claim.quote
    article.body = article.body.replace("slow the loss of lung function", "slow the decline of lung function")
    article.save()
    claim.refresh_from_db()
    assert claim.text_changed and not claim.is_orphaned
    assert claim.previous_quote == old_quote
    assert claim.quote == "Antifibrotic medicines slow the decline of lung function in idiopathic pulmonary fibrosis."
    assert claim.review_state == Claim.ReviewState.PENDING
    approved = claim_approve(claim=claim, reviewer=reviewer)
    assert not approved.text_changed and approved.previous_quote == ""


def test_reanchoring_reports_each_outcome_and_deletes_nothing(article):
    kept = ClaimFactory(article=article, sentence=2)
    changed = ClaimFactory(article=article, sentence=1)
    orphan = ClaimFactory(article=article, sentence=3)
    from articles.rendering import render_markdown
    from claims.reanchoring import article_reanchor_claims

    body = article.body.replace("slow the loss", "slow the decline").replace(orphan.quote, "")
    Article.objects.filter(pk=article.pk).update(body=body, body_html=render_markdown(body))  # no save signal
    article.refresh_from_db()

    counts = article_reanchor_claims(article=article)
    assert counts == {"moved": 1, "changed": 1, "orphaned": 1, "withdrawn": []}  # none was approved
    assert Claim.objects.filter(pk__in=[kept.pk, changed.pk, orphan.pk]).count() == 3


# Saving a claim as its form does --------------------------------------------------------------------


def test_claim_save_of_a_new_grade_withdraws_the_approval_once_the_sources_are_saved(reviewer):
    claim = ClaimFactory()
    claim_approve(claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    editor = EditorFactory(username="regrader")
    claim.evidence_status = evidence("limited")
    saved = claim_save(claim=claim, user=editor, changed_fields={"evidence_status"}, sources=claim.sources.all())
    claim.refresh_from_db()
    assert saved.withdrawal.startswith("Approval withdrawn:")
    assert (claim.review_state, claim.last_changed_by) == (Claim.ReviewState.PENDING, editor)
    withdrawal = claim.decisions.first()
    assert withdrawal.actor == editor
    assert withdrawal.snapshot["evidence"] == claim.evidence_status.name


def test_claim_save_keeps_the_claim_when_a_typed_source_is_refused_and_says_why(reviewer):
    claim = ClaimFactory(review_state=Claim.ReviewState.DRAFT, sources=[])
    claim.explanation = "Rewritten for readers."
    saved = claim_save(
        claim=claim,
        user=claim.created_by,
        changed_fields={"explanation"},
        sources=[],
        new_source_identifiers=["not an identifier at all"],
        submit=True,
    )
    claim.refresh_from_db()
    assert claim.explanation == "Rewritten for readers."
    assert saved.withdrawal is None
    [problem] = saved.problems
    assert problem.startswith("This is not a PubMed ID")
    assert claim.sources.count() == 0
    assert claim.review_state == Claim.ReviewState.PENDING  # submitted all the same
