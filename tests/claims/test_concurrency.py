"""Two reviewers deciding on one claim at the same moment: both decisions are kept, one after the other.

claim_decide locks the claim's row (SELECT … FOR UPDATE), so on PostgreSQL the second reviewer waits
for the first to commit and then decides on the state the first left. SQLite has no row locks and
answers a concurrent writer with "database is locked" (or "database table is locked" for the
in-memory test database) instead of waiting: there the refused call is retried, which serialises
the two decisions the same way, so the assertions hold on both databases.
"""

import threading
import time
from functools import partial

import pytest
from django.db import OperationalError, connection

from claims import services
from claims.models import Claim, ClaimDecision
from claims.services import STATE_AFTER, claim_decide
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, claim_form_data
from tests.helpers import at_once, is_sqlite_lock, retrying_sqlite_locks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Decision = ClaimDecision.Decision
COMMENTS = {
    Decision.APPROVED: "",
    Decision.CHANGES_REQUESTED: "Soften the wording: the trials were small.",
    Decision.REJECTED: "This sentence makes no claim about the condition.",
}
HOLD_SECONDS = 0.3  # how long the first decision keeps its lock, when the test makes it wait
DECISION_PAIRS = [
    (Decision.APPROVED, Decision.REJECTED),
    (Decision.CHANGES_REQUESTED, Decision.APPROVED),
    (Decision.REJECTED, Decision.CHANGES_REQUESTED),
]


def decide_retrying_sqlite_locks(claim, reviewer, decision):
    """claim_decide, retried while SQLite refuses a concurrent writer (never retried on other databases)."""
    decide = partial(claim_decide, claim=claim, reviewer=reviewer, decision=decision, comment=COMMENTS[decision])
    return retrying_sqlite_locks(decide, f"{reviewer}'s decision")


def decide_at_once(claim, moves):
    """Run one thread per (reviewer, decision), all released together; returns [(started, finished)]."""
    decisions = [partial(decide_retrying_sqlite_locks, claim, reviewer, decision) for reviewer, decision in moves]
    return [(started, finished) for _, started, finished in at_once(*decisions)]


@pytest.fixture
def pending_claim(editor):
    return ClaimFactory(article=ArticleFactory(author=editor), review_state=Claim.ReviewState.PENDING)


@pytest.fixture
def first_decision_holds_its_lock(monkeypatch):
    """Make whichever decision gets through first keep its transaction open a while before committing.

    The other decision is then certainly running meanwhile: it must wait (PostgreSQL) or be refused
    and retried (SQLite), never interleave its read and write with the first one's.
    """
    record = services._record
    first = threading.Lock()

    def slow_record(*args, **kwargs):
        if first.acquire(blocking=False):
            time.sleep(HOLD_SECONDS)
        return record(*args, **kwargs)

    monkeypatch.setattr(services, "_record", slow_record)


def assert_one_consistent_state(claim, decisions):
    rows = list(ClaimDecision.objects.filter(claim_id=claim.pk).order_by("created_at", "pk"))
    assert len(rows) == 2
    assert sorted(row.decision for row in rows) == sorted(decisions)
    later = ClaimDecision.objects.filter(claim_id=claim.pk).latest()
    assert later == rows[-1]
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.review_state == STATE_AFTER[later.decision]
    assert stored.reviewed_by_id == later.actor_id
    assert stored.reviewed_at <= later.created_at
    assert stored.reviewed_at >= rows[0].created_at  # the later decision was made after the first was recorded
    assert all(row.comment == COMMENTS[row.decision] for row in rows)
    return rows


@pytest.mark.parametrize(("first", "second"), DECISION_PAIRS)
def test_two_reviewers_deciding_at_the_same_moment_leave_one_state_and_two_rows(
    pending_claim, reviewer, second_reviewer, first, second
):
    decide_at_once(pending_claim, [(reviewer, first), (second_reviewer, second)])

    rows = assert_one_consistent_state(pending_claim, [first, second])
    assert {row.actor_id for row in rows} == {reviewer.pk, second_reviewer.pk}


@pytest.mark.parametrize(("first", "second"), DECISION_PAIRS)
def test_a_decision_arriving_while_another_holds_the_claim_is_applied_after_it(
    pending_claim, reviewer, second_reviewer, first_decision_holds_its_lock, first, second
):
    spans = decide_at_once(pending_claim, [(reviewer, first), (second_reviewer, second)])

    # The two calls really ran at the same time…
    assert max(start for start, _ in spans) < min(end for _, end in spans)
    # …and still one came after the other.
    assert_one_consistent_state(pending_claim, [first, second])


# An editor saving the claim form while a reviewer decides -------------------------------------------------


@pytest.mark.parametrize(
    ("approved_before", "decision", "edit"),
    [
        (False, Decision.APPROVED, {"explanation": "Several large trials in people."}),
        (True, Decision.REJECTED, {"explanation": "Two small trials, in people!"}),
    ],
    ids=["approval during a substantive edit", "rejection during a punctuation edit"],
)
def test_a_decision_made_while_an_editor_saves_the_claim_form_is_not_lost(
    client, pending_claim, reviewer, second_reviewer, monkeypatch, approved_before, decision, edit
):
    """The admin reads the claim, a reviewer decides and commits, then the admin writes its copy of the claim."""
    if approved_before:
        claim_decide(claim=pending_claim, reviewer=second_reviewer, decision=Decision.APPROVED)
    other_editor = EditorFactory(username="other-editor")
    editor_done = threading.Event()
    errors = []

    def reviewer_decides():
        try:
            while True:
                try:
                    claim_decide(claim=pending_claim, reviewer=reviewer, decision=decision, comment=COMMENTS[decision])
                    return
                except OperationalError as error:
                    if not is_sqlite_lock(error):
                        raise
                    # SQLite cannot write while the editor's transaction is open: decide right after it.
                    editor_done.wait(timeout=30)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    record_change = services.claim_record_change
    reviewer_thread = threading.Thread(target=reviewer_decides)

    def record_change_while_a_reviewer_decides(**kwargs):
        reviewer_thread.start()
        reviewer_thread.join(timeout=1)
        return record_change(**kwargs)

    monkeypatch.setattr(services, "claim_record_change", record_change_while_a_reviewer_decides)
    client.force_login(other_editor)
    claim = Claim.objects.get(pk=pending_claim.pk)
    response = client.post(claim.get_admin_url(), claim_form_data(claim, **edit))
    editor_done.set()
    reviewer_thread.join(timeout=30)

    assert response.status_code == 302
    assert not errors, errors
    latest = ClaimDecision.objects.filter(claim_id=claim.pk).latest()
    assert ClaimDecision.objects.filter(claim_id=claim.pk, decision=decision, actor=reviewer).exists()
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.review_state == STATE_AFTER[latest.decision], [
        row.decision for row in ClaimDecision.objects.filter(claim_id=claim.pk).order_by("created_at", "pk")
    ]
