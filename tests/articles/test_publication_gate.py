"""Publishing an article from its admin form: refused while any claim is unsettled, never losing what was typed.

A claim is settled when it is approved and still anchored to its sentence; a rejected claim still
marking its sentence must be deleted (or its sentence taken out) first. The check
applies to the move to "published" only: a published article whose claim is later sent back for
review stays published, and readers see that sentence as under review.
"""

import html
import re

import pytest
from django.urls import reverse

from articles.models import Article
from claims.models import Claim, ClaimDecision
from claims.services import claim_decide
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, evidence, published
from tests.factories import article_form_data as article_data
from tests.helpers import approved_claim, claim_opening_tag, public_page, rejected_claim

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision
TYPED = {
    "title": "Stem cells and the lung: what we know in 2026",
    "standfirst": "A short, careful summary of the trials so far.",
    "tags": "lung disease, stem cells",
}
CLOSING = "\n\nAsk your lung specialist before joining any trial.\n"
REFUSED = "This article cannot be published yet."
STATE_WORDS = {
    State.DRAFT: "is draft.",
    State.PENDING: "is pending review.",
    State.CHANGES_REQUESTED: "is changes requested.",
    State.REJECTED: "was rejected and still marks its sentence: delete the claim, or take the sentence out.",
}
SENTENCE = "Stem-cell infusions may be safe in small early trials."
REWORDED = "Stem-cell infusions may be safe in a few small early trials."


# Helpers ----------------------------------------------------------------------------------------


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def publish(client, article, **overrides):
    """Post the article's change form with status published and everything else typed in `overrides`."""
    return client.post(change_url(article), article_data(article, status=Article.Status.PUBLISHED, **overrides))


def status_errors(response):
    return list(response.context["adminform"].form.errors.get("status", []))


def unsettled(kind, reviewer, **kwargs):
    if kind == "orphaned":
        claim = approved_claim(reviewer, **kwargs)
        Claim.objects.filter(pk=claim.pk).update(is_orphaned=True)
        return Claim.objects.get(pk=claim.pk)
    if kind == State.CHANGES_REQUESTED:
        return claim_decide(
            claim=ClaimFactory(**kwargs), reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Soften it."
        )
    return ClaimFactory(review_state=kind, **kwargs)


def expected_problem(claim):
    what = "is orphaned: it lost its sentence." if claim.is_orphaned else STATE_WORDS[claim.review_state]
    return f"“{claim.quote[:80]}” ({claim.condition.name}) {what}"


@pytest.fixture
def draft(editor):
    return ArticleFactory(author=editor, status=Article.Status.DRAFT)


# Refused while a claim is unsettled ------------------------------------------------------------------


@pytest.mark.parametrize("kind", [State.DRAFT, State.PENDING, State.CHANGES_REQUESTED, "orphaned"])
def test_publishing_is_refused_while_a_claim_is_unsettled_and_nothing_typed_is_lost(
    editor_client, reviewer, draft, kind
):
    settled = approved_claim(reviewer, article=draft, sentence=1)
    offending = unsettled(kind, reviewer, article=draft, sentence=2)
    body = draft.body + CLOSING

    response = publish(editor_client, draft, body=body, **TYPED)

    assert response.status_code == 200
    errors = status_errors(response)
    assert errors == [REFUSED, expected_problem(offending)]
    assert settled.quote[:80] not in " ".join(errors)
    content = response.content.decode()
    for error in errors:
        assert html.escape(error) in content
    # What was typed is all still in the form…
    for value in TYPED.values():
        assert html.escape(value) in content
    assert html.escape(body.strip()) in content
    assert 'value="published" selected' in content
    # …and nothing was saved.
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.status, stored.published_at, stored.title, stored.body) == (
        Article.Status.DRAFT,
        None,
        draft.title,
        draft.body,
    )


def test_the_refusal_lists_every_unsettled_claim_by_its_words(editor_client, reviewer, draft):
    approved_claim(reviewer, article=draft, sentence=1)
    offending = [
        unsettled(State.DRAFT, reviewer, article=draft, sentence=2),
        unsettled(State.PENDING, reviewer, article=draft, sentence=3),
        unsettled(State.CHANGES_REQUESTED, reviewer, article=draft, sentence=4),
        unsettled("orphaned", reviewer, article=draft, sentence=5),
        rejected_claim(reviewer, article=draft, sentence=2, comment="Not a health claim."),
    ]

    response = publish(editor_client, draft)

    assert response.status_code == 200
    errors = status_errors(response)
    assert errors[0] == REFUSED
    assert sorted(errors[1:]) == sorted(expected_problem(claim) for claim in offending)
    content = response.content.decode()
    for claim in offending:
        assert html.escape(claim.quote) in content
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_publishing_from_any_unpublished_status_is_refused_with_a_pending_claim(editor, editor_client, status):
    article = ArticleFactory(author=editor, status=status)
    claim = ClaimFactory(article=article, sentence=2)

    response = publish(editor_client, article)

    assert response.status_code == 200
    assert status_errors(response) == [REFUSED, expected_problem(claim)]
    assert Article.objects.get(pk=article.pk).status == status


def test_an_unpublished_article_cannot_be_published_again_while_a_claim_is_pending(editor_client, reviewer, article):
    claim = ClaimFactory(article=article, sentence=2)
    response = editor_client.post(change_url(article), article_data(article, status=Article.Status.DRAFT))
    assert response.status_code == 302
    article.refresh_from_db()

    response = publish(editor_client, article)

    assert response.status_code == 200
    assert status_errors(response) == [REFUSED, expected_problem(claim)]
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


# Allowed once every claim is settled ------------------------------------------------------------------


@pytest.mark.parametrize("claims", ["none", "approved", "rejected then deleted", "approved and rejected then deleted"])
def test_publishing_is_allowed_when_every_claim_left_is_approved(editor_client, reviewer, draft, claims):
    if "approved" in claims:
        approved_claim(reviewer, article=draft, sentence=1)
        approved_claim(reviewer, article=draft, sentence=4)
    if "rejected" in claims:
        rejected_claim(reviewer, article=draft, sentence=2, comment="Not a health claim.")
        assert publish(editor_client, draft).status_code == 200  # refused while it marks its sentence
        Claim.objects.filter(article=draft, review_state=State.REJECTED).delete()

    response = publish(editor_client, draft, **TYPED)

    assert response.status_code == 302
    stored = Article.objects.get(pk=draft.pk)
    assert stored.status == Article.Status.PUBLISHED
    assert stored.published_at is not None
    assert stored.title == TYPED["title"]
    assert not Claim.objects.filter(article=draft).exclude(review_state=State.APPROVED).exists()


# Already published --------------------------------------------------------------------------------------


def test_a_published_article_whose_claim_is_withdrawn_stays_published_and_shows_it_under_review(
    client, editor_client, reviewer, article
):
    claim = approved_claim(reviewer, article=article, sentence=2, evidence_status=evidence("strong"))
    published_at = Article.objects.get(pk=article.pk).published_at
    other_editor = EditorFactory(username="other-editor")
    client.force_login(other_editor)
    sentence = next(s for s in article.sentences() if s.text == SENTENCE)
    response = client.post(
        claim.get_admin_url(),
        {
            "sentence": f"{sentence.start}:{sentence.end}",
            "part": "",
            "condition": str(claim.condition_id),
            "evidence_status": str(evidence("limited").pk),
            "sources": [str(pk) for pk in claim.sources.values_list("pk", flat=True)],
            "new_sources": "",
            "explanation": claim.explanation,
            "reviewer_note": "",
            "base_version": str(claim.version),
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == State.PENDING

    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.PUBLISHED and stored.published_at == published_at
    # Saving the published article again is not a new publication: it is not refused.
    response = editor_client.post(change_url(article), article_data(stored, title="Stem cells and the lung, revised"))
    assert response.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.PUBLISHED and stored.published_at == published_at
    assert stored.title == "Stem cells and the lung, revised"

    published(stored)  # readers see the change once the draft is published again
    content = public_page(client, stored)
    opening = claim_opening_tag(content, claim)
    assert 'data-evidence="under-review"' in opening
    assert re.search(re.escape(opening) + re.escape(SENTENCE) + "</span>", content)
    assert "Under review" in content
    assert "Strong evidence" not in content and "Limited evidence" not in content


def test_a_published_article_edited_so_a_claimed_sentence_changes_stays_published_with_it_under_review(
    client, editor_client, reviewer, article
):
    claim = approved_claim(reviewer, article=article, sentence=2, evidence_status=evidence("strong"))

    response = editor_client.post(
        change_url(article), article_data(article, body=article.body.replace(SENTENCE, REWORDED))
    )

    assert response.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Article.Status.PUBLISHED
    claim.refresh_from_db()
    assert claim.review_state == State.PENDING and claim.quote == REWORDED
    assert ClaimDecision.objects.filter(claim=claim).latest().decision == Decision.WITHDRAWN
    published(stored)  # readers see the change once the draft is published again
    content = public_page(client, stored)
    assert 'data-evidence="under-review"' in claim_opening_tag(content, claim)
    assert "Strong evidence" not in content


# Publishing in the same save as an edit that unsettles a claim -------------------------------------------


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda body: body.replace(SENTENCE, REWORDED), id="rewording a claimed sentence"),
        pytest.param(lambda body: body.replace(SENTENCE, ""), id="deleting a claimed sentence"),
    ],
)
def test_publishing_in_the_same_save_that_unsettles_an_approved_claim_is_refused(editor_client, reviewer, draft, edit):
    """The edit sends the claim back for review (or orphans it): the article must not go out with it unsettled."""
    claim = approved_claim(reviewer, article=draft, sentence=2)

    response = publish(editor_client, draft, body=edit(draft.body))

    stored = Article.objects.get(pk=draft.pk)
    claim.refresh_from_db()
    unsettled_now = claim.review_state != State.APPROVED or claim.is_orphaned
    assert not (stored.status == Article.Status.PUBLISHED and unsettled_now), (
        f"published with the claim {claim.get_review_state_display().lower()}"
        + (", orphaned" if claim.is_orphaned else "")
    )
    assert response.status_code == 200
    assert status_errors(response)[0] == REFUSED
