"""When a claim entered the review queue, stored on it (`Claim.queued_at`) by every path that sends it to the
reviewers or takes it out, and the queue read in that order: the same order as the queue's earlier reading of the
history, which found each waiting claim's latest submission or withdrawn approval among its decisions.
"""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from claims import assignments
from claims.models import Claim, ClaimDecision
from claims.publishing import claim_withdraw_urgently
from claims.selectors import next_in_queue, review_queue
from claims.services import claim_decide, claim_save, claim_submit, claim_withdraw_approval
from claims.source_review import source_change
from tests.claims.test_workflow import (
    CHANGED_SENTENCE,
    REWORDED_SENTENCE,
    approved_claim,
    draft_claim,
    edit_article_in_admin,
    edit_in_admin,
    submitted_claim,
)
from tests.factories import ClaimFactory, EditorFactory, SourceFactory, evidence, published
from tests.helpers import fresh

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision


def entered_by_history(claim):
    """When a waiting claim last came to the reviewers, read from its decisions as the queue read it before the
    time was stored: its latest submission or withdrawn approval. None for a claim not waiting."""
    if fresh(claim).review_state != State.PENDING:
        return None
    latest = (
        ClaimDecision.objects.filter(claim_id=claim.pk, decision__in=[Decision.SUBMITTED, Decision.WITHDRAWN])
        .order_by("-created_at", "-pk")
        .first()
    )
    return latest and latest.created_at


def assert_queued_as_history_says(claim):
    stored = fresh(claim).queued_at
    assert stored == entered_by_history(claim)
    return stored


def queue_order(user):
    return [claim.pk for claim in review_queue(user)]


def order_by_history(user):
    """The queue's order as it was read before: by each claim's latest submission or withdrawal, then id."""
    waiting = Claim.objects.filter(
        review_state=State.PENDING, is_orphaned=False, article__archived_at__isnull=True
    ).exclude(created_by=user)
    return [
        claim.pk for claim in sorted(waiting.exclude(last_changed_by=user), key=lambda c: (entered_by_history(c), c.pk))
    ]


@pytest.fixture
def second_editor(db):
    return EditorFactory(username="second-editor")


# Into the queue ------------------------------------------------------------------------------------


def test_a_draft_waits_for_nobody_until_it_is_submitted_then_waits_since_its_submission(article):
    claim = draft_claim(article)
    assert fresh(claim).queued_at is None
    before = timezone.now()
    claim_submit(claim=claim, user=claim.created_by)
    waiting_since = assert_queued_as_history_says(claim)
    assert before <= waiting_since <= timezone.now()


@pytest.mark.parametrize(
    "decision, comment",
    [(Decision.APPROVED, ""), (Decision.CHANGES_REQUESTED, "Name the trial."), (Decision.REJECTED, "No trial.")],
)
def test_a_reviewers_decision_takes_the_claim_out_of_the_queue(article, reviewer, decision, comment):
    claim = submitted_claim(article)
    claim_decide(claim=claim, reviewer=reviewer, decision=decision, comment=comment)
    assert fresh(claim).queued_at is None
    assert claim.pk not in queue_order(reviewer)


def test_resubmitting_after_changes_requested_waits_since_the_new_submission(client, article, reviewer):
    claim = submitted_claim(article)
    first = fresh(claim).queued_at
    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Name the trial.")

    edit_in_admin(client, claim.created_by, claim, explanation="The TRIAL-1 trial.", submit_for_review="on")

    again = assert_queued_as_history_says(claim)
    assert again > first
    assert [d.decision for d in fresh(claim).decisions.order_by("created_at", "pk")][-1] == Decision.SUBMITTED


def test_an_edit_after_changes_requested_not_submitted_leaves_it_out_of_the_queue(client, article, reviewer):
    claim = submitted_claim(article)
    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Name the trial.")
    edit_in_admin(client, claim.created_by, claim, explanation="The TRIAL-1 trial.")
    assert fresh(claim).review_state == State.CHANGES_REQUESTED
    assert fresh(claim).queued_at is None


def test_an_approval_withdrawn_by_the_claims_form_waits_since_the_withdrawal(client, article, reviewer, second_editor):
    claim = approved_claim(article, reviewer)
    edit_in_admin(client, second_editor, claim, evidence_status=str(evidence("moderate").pk))
    assert fresh(claim).review_state == State.PENDING
    withdrawn = fresh(claim).decisions.first()
    assert withdrawn.decision == Decision.WITHDRAWN
    assert assert_queued_as_history_says(claim) == withdrawn.created_at


def test_an_approval_withdrawn_and_submitted_in_one_save_is_dated_by_the_withdrawal(article, reviewer, second_editor):
    claim = approved_claim(article, reviewer)
    claim = fresh(claim)
    claim.evidence_status = evidence("moderate")
    saved = claim_save(
        claim=claim, user=second_editor, changed_fields={"evidence_status"}, sources=claim.sources.all(), submit=True
    )
    assert saved.withdrawal
    assert [d.decision for d in fresh(claim).decisions.all()][0] == Decision.WITHDRAWN  # nothing left to submit
    assert_queued_as_history_says(claim)


def test_an_article_edit_changing_a_claims_words_sends_it_back_dated_by_the_withdrawal(
    client, editor, reviewer, article
):
    claim = approved_claim(article, reviewer)
    edit_article_in_admin(client, editor, article, body=article.body.replace(CHANGED_SENTENCE, REWORDED_SENTENCE))
    claim = fresh(claim)
    assert claim.review_state == State.PENDING and claim.quote == REWORDED_SENTENCE
    assert claim.decisions.first().decision == Decision.WITHDRAWN
    assert assert_queued_as_history_says(claim) == claim.decisions.first().created_at


def test_an_article_edit_removing_a_claims_sentence_sends_it_back_as_an_orphan(client, editor, reviewer, article):
    claim = approved_claim(article, reviewer)
    edit_article_in_admin(client, editor, article, body=article.body.replace(CHANGED_SENTENCE, ""))
    claim = fresh(claim)
    assert claim.is_orphaned and claim.review_state == State.PENDING
    assert_queued_as_history_says(claim)
    assert claim.pk not in queue_order(reviewer)  # an orphan waits for its editor, not in the queue


def test_an_article_edit_keeps_the_place_of_a_claim_already_waiting(client, editor, reviewer, article):
    claim = submitted_claim(article)
    waiting_since = fresh(claim).queued_at
    edit_article_in_admin(client, editor, article, body=article.body.replace(CHANGED_SENTENCE, REWORDED_SENTENCE))
    claim = fresh(claim)
    assert claim.quote == REWORDED_SENTENCE and claim.text_changed
    assert claim.queued_at == waiting_since == entered_by_history(claim)


def test_repointing_a_source_sends_the_claims_citing_it_back_dated_by_the_withdrawal(editor, reviewer, article):
    source = SourceFactory(identifier="24836312", title="A trial of pirfenidone", year=2014)
    claim = approved_claim(article, reviewer, sources=[source])
    source_change(source=source, user=editor, kind="pmid", identifier="29298160", title=source.title, year=2014)
    claim = fresh(claim)
    assert claim.review_state == State.PENDING
    assert assert_queued_as_history_says(claim) == claim.decisions.first().created_at


def test_an_urgent_withdrawal_sends_the_draft_claim_back_dated_by_the_withdrawal(article, reviewer, second_reviewer):
    claim = approved_claim(article, reviewer)
    published(article)
    claim_withdraw_urgently(claim=fresh(claim), reviewer=second_reviewer, notice="Its trial was retracted.")
    claim = fresh(claim)
    assert claim.review_state == State.PENDING
    assert assert_queued_as_history_says(claim) == claim.decisions.first().created_at


def test_assigning_and_reassigning_a_claim_leaves_its_place_in_the_queue(
    article, editor, reviewer, second_reviewer, superuser
):
    earlier = submitted_claim(article, sentence=1)
    claim = submitted_claim(article, sentence=2)
    later = submitted_claim(article, sentence=3)
    waiting_since = fresh(claim).queued_at
    due = timezone.localdate() + datetime.timedelta(days=3)
    assignments.assign(target=fresh(claim), reviewer=reviewer, due_on=due, by=editor)
    assignments.assign(target=fresh(claim), reviewer=second_reviewer, due_on=due, by=editor, replace=True)
    assert fresh(claim).queued_at == waiting_since
    assert queue_order(superuser) == [earlier.pk, claim.pk, later.pk] == order_by_history(superuser)


def test_a_withdrawal_is_recorded_only_for_a_claim_sent_to_the_reviewers(article, reviewer):
    claim = fresh(approved_claim(article, reviewer))
    with pytest.raises(ValueError, match="send_to_reviewers"):
        claim_withdraw_approval(claim=claim, actor=None, reason="Approval withdrawn: a test.")
    assert fresh(claim).review_state == State.APPROVED
    assert not claim.decisions.filter(decision=Decision.WITHDRAWN).exists()


def test_the_database_refuses_a_queue_time_on_a_claim_not_waiting(article, reviewer):
    claim = approved_claim(article, reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(queued_at=timezone.now())


# The queue's order -----------------------------------------------------------------------------------


def test_the_queue_keeps_the_order_its_history_gives_whatever_sent_each_claim(
    client, article, editor, second_editor, reviewer, second_reviewer, superuser
):
    """Claims sent to the reviewers by each path, in an order none of their ids gives, read in the order their
    decisions give, as the queue read them before."""
    resubmitted = submitted_claim(article, sentence=1)
    withdrawn = approved_claim(article, second_reviewer, sentence=2)
    plain = submitted_claim(article, sentence=3)
    pulled = approved_claim(article, second_reviewer, sentence=4, evidence_status=evidence("strong"))
    published(article)
    reworded = approved_claim(article, second_reviewer, sentence=5, evidence_status=evidence("strong"))
    claim_decide(
        claim=resubmitted, reviewer=second_reviewer, decision=Decision.CHANGES_REQUESTED, comment="Name the trial."
    )
    claim_withdraw_urgently(claim=fresh(pulled), reviewer=second_reviewer, notice="Retracted.")
    edit_in_admin(client, second_editor, withdrawn, evidence_status=str(evidence("moderate").pk))
    claim_submit(claim=fresh(resubmitted), user=resubmitted.created_by)
    sentence = fresh(article).sentences()[5].text
    edit_article_in_admin(client, editor, article, body=fresh(article).body.replace(sentence, sentence[:-1] + " too."))
    assert fresh(reworded).review_state == State.PENDING

    for claim in (resubmitted, withdrawn, plain, pulled, reworded):
        assert_queued_as_history_says(claim)
    expected = [plain.pk, pulled.pk, withdrawn.pk, resubmitted.pk, reworded.pk]
    assert queue_order(superuser) == order_by_history(superuser) == expected
    # The reviewer who approved some of them sees the rest in the same order, and each next claim after a decision.
    assert queue_order(second_reviewer) == order_by_history(second_reviewer)
    after_plain = next_in_queue(superuser, review_queue(superuser).get(pk=plain.pk))
    assert after_plain.pk == pulled.pk
    last = review_queue(superuser).get(pk=reworded.pk)
    assert next_in_queue(superuser, last).pk == plain.pk  # from the start again


def test_the_queues_admin_list_reads_the_stored_order(client, article, reviewer, second_editor, second_reviewer):
    first = submitted_claim(article, sentence=1)
    withdrawn = approved_claim(article, second_reviewer, sentence=2)
    third = submitted_claim(article, sentence=3)
    edit_in_admin(client, second_editor, withdrawn, evidence_status=str(evidence("moderate").pk))
    client.force_login(reviewer)
    listed = client.get("/admin/claims/reviewqueueclaim/").context["cl"].result_list
    assert [claim.pk for claim in listed] == [first.pk, third.pk, withdrawn.pk] == order_by_history(reviewer)
    newest_first = client.get("/admin/claims/reviewqueueclaim/", {"o": "-4"}).context["cl"].result_list
    assert [claim.pk for claim in newest_first] == [withdrawn.pk, third.pk, first.pk]


# The migration that filled it -----------------------------------------------------------------------


def test_the_migration_fills_each_waiting_claims_time_from_its_history(client, article, reviewer, second_editor):
    resubmitted = submitted_claim(article, sentence=1)
    claim_decide(claim=resubmitted, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Which trial?")
    claim_submit(claim=fresh(resubmitted), user=resubmitted.created_by)
    withdrawn = approved_claim(article, reviewer, sentence=2)
    edit_in_admin(client, second_editor, withdrawn, explanation="Three small trials in people.")
    approved = approved_claim(article, reviewer, sentence=3)
    never_submitted = ClaimFactory(article=article, sentence=4)  # pending with no decision, as a bulk load leaves it
    expected = {c.pk: fresh(c).queued_at for c in (resubmitted, withdrawn, approved, never_submitted)}
    assert expected[approved.pk] is None and expected[never_submitted.pk] is None
    assert expected[resubmitted.pk] and expected[withdrawn.pk]
    Claim.objects.update(queued_at=None)

    migration = importlib.import_module("claims.migrations.0029_claim_queued_at")
    migration.fill_queued_at(apps, SimpleNamespace(connection=connection))

    assert {c.pk: c.queued_at for c in Claim.objects.all()} == expected
