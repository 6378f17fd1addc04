"""Every way a claim is saved raises its version by one: decisions, submissions, re-anchoring, bulk actions."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimDecision
from claims.reanchoring import article_reanchor_claims
from claims.services import claim_approve, claim_decide, claim_submit
from tests.factories import ArticleFactory, ClaimFactory, article_form_data
from tests.helpers import version_of
from tests.reviewing import bulk_decide

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision


@pytest.fixture
def claim(editor):
    return ClaimFactory(article=ArticleFactory(author=editor), sentence=2, review_state=State.DRAFT)


def test_submitting_and_deciding_each_raise_the_version_and_name_who_did_it_in_the_history(claim, editor, reviewer):
    claim_submit(claim=claim, user=editor)
    assert version_of(claim) == 2

    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.APPROVED)

    assert version_of(claim) == 3
    latest = claim.history.first()
    assert (latest.version, latest.history_user, latest.history_change_reason) == (3, reviewer, "Approved")


def test_an_article_edit_raises_the_version_of_the_claims_it_moved_and_records_why(editor):
    article = ArticleFactory(author=editor)
    moved = ClaimFactory(article=article, text="Claims that stem cells reverse scarring are not supported.")
    untouched = ClaimFactory(article=article, sentence=1)
    # A list item added before the last one moves its claim; the first paragraph's claim stays as it was.
    article.body = article.body.replace("- Claims that", "- Exercise helps.\n- Claims that")

    article.save()
    article_reanchor_claims(article=article, actor=editor)  # a second pass finds nothing to move

    assert version_of(moved) == 2
    assert version_of(untouched) == 1
    revision = moved.history.first()
    assert revision.version == 2
    assert revision.start == Claim.objects.get(pk=moved.pk).start != moved.start
    assert revision.history_change_reason == "Its article was edited: its sentence moved"


def test_an_article_edit_in_the_admin_that_removes_a_claims_sentence_records_the_editor_on_the_claim(
    editor, editor_client, reviewer
):
    claim = claim_approve(claim=ClaimFactory(article=ArticleFactory(author=editor), sentence=2), reviewer=reviewer)
    article = claim.article

    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form_data(article, body=article.body.replace(claim.quote, "")),
    )

    assert response.status_code == 302
    assert version_of(claim) == claim.version + 1
    revision = claim.history.first()
    assert (revision.history_user, revision.is_orphaned) == (editor, True)
    assert revision.history_change_reason == "Its article was edited: its sentence was removed"


def test_the_bulk_approval_action_raises_each_version(editor, reviewer):
    claims = [ClaimFactory(article=ArticleFactory(author=editor), sentence=n) for n in (1, 2)]
    before = [version_of(c) for c in claims]
    client = Client()
    client.force_login(reviewer)

    bulk_decide(client, reverse("admin:claims_claim_changelist"), "approve_selected", claims)

    assert [version_of(c) for c in claims] == [v + 1 for v in before]


def test_the_bulk_submit_action_raises_each_version(editor_client, claim):
    editor_client.post(
        reverse("admin:claims_claim_changelist"), {"action": "submit_selected", "_selected_action": [claim.pk]}
    )

    assert Claim.objects.get(pk=claim.pk).review_state == State.PENDING
    assert version_of(claim) == 2


def test_the_database_refuses_a_claim_version_below_one(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(version=0)
