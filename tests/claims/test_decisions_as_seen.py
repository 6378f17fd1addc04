"""A decision lands only on the claim its reviewer saw: any save in between leaves it undecided.

Every decision path carries the claim as its page showed it: the claim's page (and the review
queue's copy of it), and the bulk actions of the claim list and the queue, whose confirmation page
lists the claims as they are. The reviewer who is refused is shown what changed, and decides again.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims.models import Claim, ClaimDecision
from tests.factories import ArticleFactory, ClaimFactory, article_form_data, claim_form_data, evidence
from tests.helpers import fresh, signed_in
from tests.reviewing import bulk_confirmation, decide, decide_url, seen_inputs, seen_on_claim_page

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision
CLAIMS = reverse("admin:claims_claim_changelist")
QUEUE = reverse("admin:claims_reviewqueueclaim_changelist")


def article_change(article):
    return reverse("admin:articles_article_change", args=[article.pk])


MODERATE_EXPLANATION = "One trial in people, with a short follow-up."


def regrade(editor_client, claim):
    """The editor moves the claim from Strong to Moderate and rewrites its explanation, through its form."""
    current = fresh(claim)
    data = claim_form_data(current, evidence_status=str(evidence("moderate").pk), explanation=MODERATE_EXPLANATION)
    assert editor_client.post(claim.get_admin_url(), data).status_code == 302
    assert fresh(claim).evidence_status.slug == "moderate"


def errors(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.fixture
def strong_claim(editor):
    return ClaimFactory(article=ArticleFactory(author=editor), evidence_status=evidence("strong"))


def test_an_approval_of_a_claim_regraded_after_the_reviewer_opened_it_decides_nothing(strong_claim, editor, reviewer):
    reviewing = signed_in(reviewer)
    seen = seen_on_claim_page(reviewing, strong_claim)
    regrade(signed_in(editor), strong_claim)

    response = decide(reviewing, strong_claim, Decision.APPROVED, seen=seen, comment="Both trials checked.")

    now = fresh(strong_claim)
    assert now.review_state == State.PENDING and now.reviewed_by is None
    assert not now.decisions.filter(decision=Decision.APPROVED).exists()
    page = response.content.decode()
    assert "Nothing was decided: this claim changed after you opened it" in page
    assert "<del>Strong</del>" in page and "<ins>Moderate</ins>" in page
    assert "<del>Two small trials in people.</del>" in page and f"<ins>{MODERATE_EXPLANATION}</ins>" in page
    assert "Both trials checked.</textarea>" in page  # what the reviewer typed is kept

    # Deciding again, from the page as it is now, goes through and is recorded for Moderate.
    # (Its plain wording is stronger than Moderate allows, so approving it takes a reason.)
    decide(reviewing, strong_claim, Decision.APPROVED, override_reason="The guideline words it so.")
    approved = fresh(strong_claim)
    assert approved.review_state == State.APPROVED
    assert approved.decisions.get(decision=Decision.APPROVED).snapshot["evidence"] == "Moderate"


def test_a_decision_from_the_review_queues_copy_of_the_page_is_bound_to_what_it_showed(strong_claim, editor, reviewer):
    reviewing = signed_in(reviewer)
    queue_page = reviewing.get(reverse("admin:claims_reviewqueueclaim_change", args=[strong_claim.pk]), follow=True)
    seen = seen_inputs(queue_page)["seen"]
    regrade(signed_in(editor), strong_claim)

    queue_decide = f"{QUEUE}{strong_claim.pk}/decide/"
    reviewing.post(queue_decide, {"decision": Decision.APPROVED, "seen": seen})

    assert fresh(strong_claim).review_state == State.PENDING


def test_rewording_the_claims_sentence_in_the_article_after_the_reviewer_opened_it_decides_nothing(
    strong_claim, editor, reviewer
):
    reviewing = signed_in(reviewer)
    seen = seen_on_claim_page(reviewing, strong_claim)
    article = strong_claim.article
    article.refresh_from_db()
    body = article.body.replace("slow the loss of lung function", "always halt the loss of lung function")
    assert signed_in(editor).post(article_change(article), article_form_data(article, body=body)).status_code == 302

    response = decide(reviewing, strong_claim, Decision.APPROVED, seen=seen)

    assert fresh(strong_claim).review_state == State.PENDING
    page = response.content.decode()
    assert '<th scope="row">Words</th>' in page and "always halt the loss" in page


def test_a_request_for_changes_on_a_claim_that_changed_is_not_recorded_either(strong_claim, editor, reviewer):
    reviewing = signed_in(reviewer)
    seen = seen_on_claim_page(reviewing, strong_claim)
    regrade(signed_in(editor), strong_claim)

    decide(reviewing, strong_claim, Decision.CHANGES_REQUESTED, seen=seen, comment="Name the trials.")

    assert fresh(strong_claim).review_state == State.PENDING
    assert not strong_claim.decisions.filter(decision=Decision.CHANGES_REQUESTED).exists()


def test_a_decision_that_does_not_say_what_was_seen_decides_nothing(strong_claim, reviewer):
    reviewing = signed_in(reviewer)

    without = reviewing.post(decide_url(strong_claim), {"decision": Decision.APPROVED}, follow=True)
    other = ClaimFactory(article=strong_claim.article, sentence=4)
    borrowed = seen_on_claim_page(reviewing, other)  # signed, but for another claim
    with_other = reviewing.post(decide_url(strong_claim), {"decision": Decision.APPROVED, "seen": borrowed})
    forged = reviewing.post(decide_url(strong_claim), {"decision": Decision.APPROVED, "seen": '{"version": 1}'})

    assert fresh(strong_claim).review_state == State.PENDING
    assert "did not say which version of the claim you saw" in " ".join(errors(without))
    assert with_other.status_code == forged.status_code == 302


def test_two_reviewers_deciding_on_one_page_view_the_second_sees_the_first_decision(
    strong_claim, reviewer, second_reviewer
):
    first, second = signed_in(reviewer), signed_in(second_reviewer)
    seen_by_second = seen_on_claim_page(second, strong_claim)
    decide(first, strong_claim, Decision.APPROVED)

    response = decide(second, strong_claim, Decision.REJECTED, seen=seen_by_second, comment="Not a claim.")

    assert fresh(strong_claim).review_state == State.APPROVED
    assert "<del>Pending review</del>" in response.content.decode()


@pytest.mark.parametrize("changelist", [CLAIMS, QUEUE], ids=["claim list", "review queue"])
def test_a_bulk_approval_decides_only_the_claims_unchanged_since_the_confirmation_page(changelist, editor, reviewer):
    article = ArticleFactory(author=editor)
    kept, regraded = (ClaimFactory(article=article, sentence=n) for n in (1, 4))
    reviewing = signed_in(reviewer)
    confirmation = bulk_confirmation(reviewing, changelist, "approve_selected", [kept, regraded])
    assert confirmation.status_code == 200 and set(seen_inputs(confirmation)) == {
        f"seen-{kept.pk}",
        f"seen-{regraded.pk}",
    }
    regrade(signed_in(editor), regraded)

    response = reviewing.post(
        changelist,
        {
            "action": "approve_selected",
            "_selected_action": [kept.pk, regraded.pk],
            "confirm": "yes",
            "comment": "",
            **seen_inputs(confirmation),
        },
        follow=True,
    )

    assert fresh(kept).review_state == State.APPROVED
    assert fresh(regraded).review_state == State.PENDING
    (refusal,) = errors(response)
    assert "changed after you confirmed the list" in refusal
    assert "Evidence status: “Strong” → “Moderate”" in refusal
    assert "Approved 1 claim." in response.content.decode()


def test_select_all_decides_only_the_claims_the_confirmation_page_listed(editor, reviewer):
    article = ArticleFactory(author=editor)
    listed = ClaimFactory(article=article, sentence=1)
    reviewing = signed_in(reviewer)
    confirmation = bulk_confirmation(reviewing, QUEUE, "request_changes_selected", [listed], select_across="1")
    arrived_later = ClaimFactory(article=article, sentence=4)

    response = reviewing.post(
        QUEUE,
        {
            "action": "request_changes_selected",
            "_selected_action": [listed.pk],
            "select_across": "1",
            "confirm": "yes",
            "comment": "Name the trials.",
            **seen_inputs(confirmation),
        },
        follow=True,
    )

    assert fresh(listed).review_state == State.CHANGES_REQUESTED
    assert fresh(arrived_later).review_state == State.PENDING
    assert any("was not on the page you confirmed" in text for text in errors(response))


def test_a_bulk_confirmation_without_the_listed_claims_decides_nothing(editor, reviewer):
    claim = ClaimFactory(article=ArticleFactory(author=editor))

    signed_in(reviewer).post(
        CLAIMS, {"action": "approve_selected", "_selected_action": [claim.pk], "confirm": "yes", "comment": ""}
    )

    assert fresh(claim).review_state == State.PENDING


def test_the_confirmation_page_says_which_claims_will_not_be_decided_and_why(editor, reviewer):
    article = ArticleFactory(author=editor)
    ready = ClaimFactory(article=article, sentence=1)
    unsourced = ClaimFactory(article=article, sentence=4, sources=[])

    page = bulk_confirmation(signed_in(reviewer), QUEUE, "approve_selected", [ready, unsourced]).content.decode()

    assert 'value="Approve 2 claims"' in page
    assert page.count("Not decided:") == 1
    assert "Not decided: This claim cites no source" in page
