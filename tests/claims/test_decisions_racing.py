"""A reviewer's decision and an editor's change sent at the same moment, by two real clients.

Whichever gets through first, the outcome is one a reader could trust: either the approval was of
the claim as the reviewer saw it (and the editor's save, made on the older version, was refused or
withdrew it again), or the claim changed first and the approval was not recorded. Never an
approval recorded for words or a grade the reviewer did not see. Run on SQLite and PostgreSQL; on
SQLite, which answers a concurrent writer with "locked" rather than waiting, a refused request is
sent again, as a browser user would.
"""

import threading
import time
from functools import partial

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse

from claims.models import Claim, ClaimDecision
from claims.services import ClaimChanged, claim_decide
from tests.factories import ArticleFactory, ClaimFactory, article_form_data, claim_form_data, evidence
from tests.helpers import at_once, retrying_sqlite_locks, signed_in
from tests.reviewing import bulk_confirmation, seen_inputs, seen_on_claim_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Decision = ClaimDecision.Decision
TRIES = 5
CLAIMS = reverse("admin:claims_claim_changelist")
QUEUE = reverse("admin:claims_reviewqueueclaim_changelist")


def post(client, url, data):
    """POST as a browser would; on SQLite a "locked" refusal is sent again after a short wait."""
    return retrying_sqlite_locks(partial(client.post, url, data), f"a POST to {url}")


def send_at_once(*requests):
    """Send each (client, url, data) from its own thread, all released together; return the responses."""
    responses = [response for response, _, _ in at_once(*(partial(post, *request) for request in requests))]
    assert all(response.status_code < 500 for response in responses)
    return responses


def assert_no_approval_of_unseen_evidence(claim):
    stored = Claim.objects.select_related("evidence_status").get(pk=claim.pk)
    approvals = list(stored.decisions.filter(decision=Decision.APPROVED))
    assert all(a.snapshot["evidence"] == "Strong" and a.snapshot["quote"] == claim.quote for a in approvals)
    if stored.review_state == Claim.ReviewState.APPROVED:
        assert stored.evidence_status.slug == "strong" and stored.quote == claim.quote
    return stored


def regrade_request(editor_client, claim):
    data = claim_form_data(claim, evidence_status=str(evidence("moderate").pk), explanation="One trial.")
    return editor_client, claim.get_admin_url(), data


def single_decision(reviewer_client, claim, url):
    seen = seen_on_claim_page(reviewer_client, claim)
    return reviewer_client, url, {"decision": Decision.APPROVED, "seen": seen}


def claim_page_decision(reviewer_client, claim):
    return single_decision(reviewer_client, claim, reverse("admin:claims_claim_decide", args=[claim.pk]))


def queue_decision(reviewer_client, claim):
    return single_decision(reviewer_client, claim, f"{QUEUE}{claim.pk}/decide/")


def bulk_decision(changelist):
    def prepare(reviewer_client, claim):
        page = bulk_confirmation(reviewer_client, changelist, "approve_selected", [claim])
        data = {"action": "approve_selected", "_selected_action": [claim.pk], "confirm": "yes", "comment": ""}
        return reviewer_client, changelist, {**data, **seen_inputs(page)}

    return prepare


PATHS = {
    "claim page": claim_page_decision,
    "review queue page": queue_decision,
    "claim list, bulk": bulk_decision(CLAIMS),
    "review queue, bulk": bulk_decision(QUEUE),
}


@pytest.mark.parametrize("path", PATHS)
def test_an_approval_and_a_regrade_sent_together_never_approve_the_unseen_grade(editor, reviewer, path):
    editing, reviewing = signed_in(editor), signed_in(reviewer)
    outcomes = set()
    for _ in range(TRIES):
        claim = ClaimFactory(article=ArticleFactory(author=editor), evidence_status=evidence("strong"))
        decision = PATHS[path](reviewing, claim)
        send_at_once(regrade_request(editing, claim), decision)
        outcomes.add(assert_no_approval_of_unseen_evidence(claim).review_state)
    assert outcomes <= {Claim.ReviewState.APPROVED, Claim.ReviewState.PENDING}


@pytest.mark.parametrize("path", PATHS)
def test_an_approval_and_a_rewording_of_the_article_sent_together_never_approve_the_unseen_words(
    editor, reviewer, path
):
    editing, reviewing = signed_in(editor), signed_in(reviewer)
    for _ in range(TRIES):
        article = ArticleFactory(author=editor)
        claim = ClaimFactory(article=article, evidence_status=evidence("strong"))
        decision = PATHS[path](reviewing, claim)
        body = article.body.replace("slow the loss of lung function", "always halt the loss of lung function")
        url = reverse("admin:articles_article_change", args=[article.pk])
        send_at_once((editing, url, article_form_data(article, body=body)), decision)
        stored = assert_no_approval_of_unseen_evidence(claim)
        assert stored.review_state == Claim.ReviewState.PENDING  # reworded: approved first and withdrawn, or refused


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks that wait are PostgreSQL's")
def test_a_decision_waiting_on_a_regrade_is_refused_rather_than_failing(editor, reviewer):
    """The locked read used to join the grade: PostgreSQL then found no row once the grade changed."""
    claim = ClaimFactory(article=ArticleFactory(author=editor), evidence_status=evidence("strong"))
    changed, errors = threading.Event(), []

    def regrade():
        try:
            with transaction.atomic():
                Claim.objects.filter(pk=claim.pk).update(evidence_status=evidence("moderate"), version=F("version") + 1)
                changed.set()
                time.sleep(0.5)  # the decision below is waiting on this row meanwhile
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=regrade)
    thread.start()
    assert changed.wait(10)
    with pytest.raises(ClaimChanged):
        claim_decide(claim=claim, reviewer=reviewer, decision=Decision.APPROVED, seen_version=claim.version)
    thread.join(10)
    assert not errors
    assert Claim.objects.get(pk=claim.pk).review_state == Claim.ReviewState.PENDING
