"""Readers see the live revision: a draft's edits reach them only once a new revision is published."""

import pytest
from django.test import Client

from articles.models import Article
from claims.models import Claim
from claims.publishing import claim_withdraw_urgently
from claims.services import claim_approve
from tests.factories import ArticleFactory, ClaimFactory, evidence
from tests.helpers import article_page, sign_off_and_publish, signed_in

pytestmark = pytest.mark.django_db

BODY = (
    "Antifibrotic medicines slow the loss of lung function in idiopathic pulmonary fibrosis.\n\n"
    "This page was first written in spring."
)


def reader_page(article):
    return article_page(Client(), article)


@pytest.fixture
def live(editor, reviewer, second_reviewer, django_capture_on_commit_callbacks):
    """A published article with one claim graded "strong", published through the services."""
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT)
        claim = ClaimFactory(article=article, sentence=0, evidence_status=evidence("strong"))
        claim_approve(claim=claim, reviewer=reviewer)
        sign_off_and_publish(article, second_reviewer, user=editor)
    return article, Claim.objects.get(pk=claim.pk)


def test_a_published_article_shows_its_claim_with_its_grade(live):
    article, claim = live
    page = reader_page(article)
    assert "Strong evidence" in page and f'id="claim-{claim.pk}"' in page
    assert "first written in spring" in page


def test_draft_edits_of_text_and_grade_reach_readers_only_once_published(
    live, editor, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    article, claim = live
    with django_capture_on_commit_callbacks(execute=True):
        article.body = BODY.replace("spring", "autumn")
        article.title = "A new title for the draft"
        article.save()
        claim = Claim.objects.get(pk=claim.pk)
        claim.evidence_status = evidence("limited")
        claim.review_state = Claim.ReviewState.PENDING
        claim.last_changed_by = editor
        claim.save()

    page = reader_page(article)
    assert "first written in spring" in page and "autumn" not in page
    assert "A new title for the draft" not in page
    assert "Strong evidence" in page and "Limited evidence" not in page and "Under review" not in page

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(
            claim=Claim.objects.get(pk=claim.pk), reviewer=reviewer, override_reason="Worded as the trial put it."
        )
        sign_off_and_publish(article, second_reviewer, user=editor)

    page = reader_page(article)
    assert "first written in autumn" in page and "A new title for the draft" in page
    assert "Limited evidence" in page and "Strong evidence" not in page


def test_staff_see_the_live_page_and_the_draft_only_when_they_ask(live, editor, django_capture_on_commit_callbacks):
    article, _ = live
    with django_capture_on_commit_callbacks(execute=True):
        article.body = BODY.replace("spring", "autumn")
        article.save()
    client = signed_in(editor)

    assert "first written in spring" in article_page(client, article)
    draft = client.get(article.get_absolute_url() + "?draft=1")
    assert draft.status_code == 200
    assert "first written in autumn" in draft.text and "You are viewing the draft." in draft.text
    assert "no-cache" in draft.headers.get("Cache-Control", "")
    # Readers asking for the draft get the live page.
    assert "first written in spring" in Client().get(article.get_absolute_url() + "?draft=1").text


def test_a_claim_pulled_urgently_shows_under_review_with_its_notice(live, reviewer, django_capture_on_commit_callbacks):
    article, claim = live
    with django_capture_on_commit_callbacks(execute=True):
        claim_withdraw_urgently(reviewer=reviewer, notice="The main trial behind it was retracted.", claim=claim)

    page = reader_page(article)
    assert "Under review" in page and "Strong evidence" not in page
    assert "The main trial behind it was retracted." in page


def test_an_article_with_no_live_revision_is_not_shown_to_readers(editor):
    article = ArticleFactory(author=editor, live=False)
    assert Client().get(article.get_absolute_url()).status_code == 404
    assert not Article.objects.published().filter(pk=article.pk).exists()
