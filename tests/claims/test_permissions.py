"""Who may take each review action in the admin, and what a refusal leaves behind (nothing).

Roles: anonymous, an editor, a reviewer who did not write the claim, a superuser who wrote the claim
and its article, and a superuser who did not. A superuser has every permission, but separation of
duties still refuses them a decision on what they wrote.
"""

from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article
from claims.models import Claim, ClaimDecision
from tests.factories import ArticleFactory, ClaimFactory, UserFactory, claim_form_data

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision
CLAIM_CHANGELIST = reverse("admin:claims_claim_changelist")
ARTICLE_CHANGELIST = reverse("admin:articles_article_changelist")
LOGIN = reverse("admin:login")
COMMENT = "The trials were too small for this wording."


@dataclass
class World:
    author: object  # a superuser who wrote the article and its claims
    article: Article
    pending: Claim
    draft: Claim


@pytest.fixture
def world(db):
    author = UserFactory(username="chief", is_superuser=True)
    article = ArticleFactory(author=author, status=Article.Status.DRAFT)
    pending = ClaimFactory(article=article, sentence=2, review_state=State.PENDING)
    draft = ClaimFactory(article=article, sentence=4, review_state=State.DRAFT)
    assert pending.created_by == draft.created_by == author
    return World(author=author, article=article, pending=pending, draft=draft)


@pytest.fixture
def users(world, editor, reviewer, superuser):
    return {
        "anonymous": None,
        "editor": editor,
        "reviewer": reviewer,
        "superuser who wrote it": world.author,
        "superuser who did not": superuser,
    }


# The actions -------------------------------------------------------------------------------------------


def decide(decision, comment=""):
    def run(client, world):
        url = reverse("admin:claims_claim_decide", args=[world.pending.pk])
        return [client.post(url, {"decision": decision, "comment": comment})]

    return run


def bulk_approve(client, world):
    return [client.post(CLAIM_CHANGELIST, {"action": "approve_selected", "_selected_action": [world.pending.pk]})]


def bulk_with_comment(action):
    def run(client, world):
        selected = {"action": action, "_selected_action": [world.pending.pk]}
        asked = client.post(CLAIM_CHANGELIST, selected)
        confirmed = client.post(CLAIM_CHANGELIST, {**selected, "confirm": "yes", "comment": COMMENT})
        return [asked, confirmed]

    return run


def bulk_submit(client, world):
    return [client.post(CLAIM_CHANGELIST, {"action": "submit_selected", "_selected_action": [world.draft.pk]})]


def form_submit(client, world):
    claim = world.draft
    data = claim_form_data(claim, part="", submit_for_review="on")
    return [client.post(claim.get_admin_url(), data)]


def mark_reviewed(client, world):
    return [
        client.post(ARTICLE_CHANGELIST, {"action": "mark_medically_reviewed", "_selected_action": [world.article.pk]})
    ]


@dataclass
class Action:
    run: object
    target: str  # "pending" or "draft" claim, or "article"
    state: str | None = None  # the claim's state once allowed
    decision: str | None = None  # the decision row it adds once allowed
    comment_page: bool = False  # asks for a comment on an intermediate page first


ACTIONS = {
    "decide: approve": Action(decide(Decision.APPROVED), "pending", State.APPROVED, Decision.APPROVED),
    "decide: request changes": Action(
        decide(Decision.CHANGES_REQUESTED, COMMENT), "pending", State.CHANGES_REQUESTED, Decision.CHANGES_REQUESTED
    ),
    "decide: reject": Action(decide(Decision.REJECTED, COMMENT), "pending", State.REJECTED, Decision.REJECTED),
    "approve_selected": Action(bulk_approve, "pending", State.APPROVED, Decision.APPROVED),
    "request_changes_selected": Action(
        bulk_with_comment("request_changes_selected"),
        "pending",
        State.CHANGES_REQUESTED,
        Decision.CHANGES_REQUESTED,
        comment_page=True,
    ),
    "reject_selected": Action(
        bulk_with_comment("reject_selected"), "pending", State.REJECTED, Decision.REJECTED, comment_page=True
    ),
    "submit_selected": Action(bulk_submit, "draft", State.PENDING, Decision.SUBMITTED),
    "submit from the claim form": Action(form_submit, "draft", State.PENDING, Decision.SUBMITTED),
    "mark_medically_reviewed": Action(mark_reviewed, "article"),
}
REVIEW = [
    "decide: approve",
    "decide: request changes",
    "decide: reject",
    "approve_selected",
    "request_changes_selected",
    "reject_selected",
]
SUBMIT = ["submit_selected", "submit from the claim form"]
ALLOWED = {
    "anonymous": set(),
    "editor": {*SUBMIT},
    "reviewer": set(ACTIONS),
    # They wrote the claims and the article: they may submit their own claims, never decide on them.
    "superuser who wrote it": {*SUBMIT},
    "superuser who did not": set(ACTIONS),
}
# What a refused user is told, where the admin tells them something.
REFUSAL_MESSAGES = {
    ("editor", "decide: approve"): "Only medical reviewers can decide on claims.",
    ("editor", "decide: request changes"): "Only medical reviewers can decide on claims.",
    ("editor", "decide: reject"): "Only medical reviewers can decide on claims.",
    # Actions a user lacks the permission for are not offered: a forced POST selects nothing.
    ("editor", "approve_selected"): "No action selected.",
    ("editor", "request_changes_selected"): "No action selected.",
    ("editor", "reject_selected"): "No action selected.",
    **{
        ("superuser who wrote it", action): "You wrote this claim: another reviewer must decide on it."
        for action in REVIEW
    },
    ("superuser who wrote it", "mark_medically_reviewed"): "another reviewer must review it.",
}
MATRIX = [
    pytest.param(
        role, action, action in allowed, id=f"{role} / {action} / {'allowed' if action in allowed else 'refused'}"
    )
    for role, allowed in ALLOWED.items()
    for action in ACTIONS
]


# Helpers ----------------------------------------------------------------------------------------------


def claim_state(claim):
    return Claim.objects.filter(pk=claim.pk).values().get()


def article_state(article):
    return Article.objects.filter(pk=article.pk).values().get()


def messages_of(responses):
    return [str(message) for response in responses for message in get_messages(response.wsgi_request)]


# The matrix ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "action_name", "allowed"), MATRIX)
def test_review_action_permission_matrix(client, world, users, role, action_name, allowed):
    action, acting_user = ACTIONS[action_name], users[role]
    if acting_user is not None:
        client.force_login(acting_user)
    claim = world.pending if action.target == "pending" else world.draft
    claim_before, article_before = claim_state(claim), article_state(world.article)
    other_before = claim_state(world.draft if claim is world.pending else world.pending)
    decisions_before = ClaimDecision.objects.count()

    responses = action.run(client, world)

    if acting_user is None:
        for response in responses:
            assert response.status_code == 302
            assert response["Location"].startswith(LOGIN)
    else:
        assert all(response.status_code in (200, 302) for response in responses), [r.status_code for r in responses]
    if (role, action_name) in REFUSAL_MESSAGES:
        assert any(REFUSAL_MESSAGES[role, action_name] in text for text in messages_of(responses)), messages_of(
            responses
        )
    if action.comment_page and acting_user is not None and allowed:
        assert responses[0].status_code == 200
        assert 'name="confirm" value="yes"' in responses[0].content.decode()

    # Whatever happens, the other claim is untouched.
    assert claim_state(world.draft if claim is world.pending else world.pending) == other_before
    if action.target == "article":
        after = Article.objects.get(pk=world.article.pk)
        if allowed:
            assert after.medical_reviewer == acting_user and after.last_reviewed is not None
        else:
            assert article_state(world.article) == article_before
        assert ClaimDecision.objects.count() == decisions_before
    elif allowed:
        stored = Claim.objects.get(pk=claim.pk)
        assert stored.review_state == action.state
        [row] = ClaimDecision.objects.filter(claim=claim)
        assert (row.decision, row.actor) == (action.decision, acting_user)
        if action.decision != Decision.SUBMITTED:
            assert stored.reviewed_by == acting_user
            assert row.comment == ("" if action.decision == Decision.APPROVED else COMMENT)
        assert ClaimDecision.objects.count() == decisions_before + 1
    else:
        assert claim_state(claim) == claim_before
        assert ClaimDecision.objects.count() == decisions_before
        assert not ClaimDecision.objects.filter(claim=claim).exists()
