"""The article's status in the admin: read-only, set by publishing a revision, shown as which revision readers see.

An article is published by publishing a revision of it through the gate (claims.publishing, tested in
tests/claims/test_publishing_flow.py and the publish page's tests); its form neither publishes nor
hides it, and a status set by hand without a live revision is refused by `Article.clean`. A published
article whose claim is later sent back for review stays published, and readers see that sentence
under review once a revision with it goes live.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import PUBLISHED_THROUGH_REVISIONS, Article, ArticleRevision
from claims.models import Claim, ClaimDecision
from tests.factories import ArticleFactory, EditorFactory, evidence, published
from tests.factories import article_form_data as article_data
from tests.helpers import approved_claim, claim_opening_tag, public_page

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision
SENTENCE = "Stem-cell infusions may be safe in small early trials."
REWORDED = "Stem-cell infusions may be safe in a few small early trials."
LIST_URL = "/admin/articles/article/"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def draft(editor):
    return ArticleFactory(author=editor, status=Article.Status.DRAFT)


# The form does not publish -------------------------------------------------------------------------------


def test_the_article_form_has_no_status_to_set_and_says_publication_sets_it(editor_client, draft):
    content = editor_client.get(change_url(draft)).content.decode()
    assert 'name="status"' not in content
    assert "Set by publication: “Published” once a revision has gone live." in content
    assert "Mark as medically reviewed" not in content
    assert "Set when a revision signed off by a medical reviewer goes live" in content


def test_posting_published_in_the_form_saves_the_text_and_publishes_nothing(client, editor_client, reviewer, draft):
    approved_claim(reviewer, article=draft, sentence=1)

    response = editor_client.post(change_url(draft), article_data(draft, status="published", title="Retitled"))

    assert response.status_code == 302
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.title, stored.status, stored.published_at) == ("Retitled", Article.Status.DRAFT, None)
    assert not ArticleRevision.objects.filter(article=draft).exists()
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_posting_draft_in_the_form_does_not_hide_a_live_article(client, editor_client, article):
    response = editor_client.post(change_url(article), article_data(article, status="draft"))

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert article.title in public_page(client, article)


def test_a_status_set_to_published_by_hand_needs_a_live_revision(draft, article):
    draft.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert refused.value.message_dict["status"] == [
        "This article cannot be published yet.",
        PUBLISHED_THROUGH_REVISIONS,
    ]

    # An article readers have a revision of may carry the status, whatever its draft's claims.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    article.refresh_from_db()
    article.status = Article.Status.PUBLISHED
    article.full_clean()


# The list -------------------------------------------------------------------------------------------------


def test_the_article_list_says_which_revision_readers_see_and_filters_by_it(editor_client, draft, article):
    live = ArticleRevision.objects.get(article=article, is_live=True)
    archived = ArticleFactory(title="An archived article", archived_at=None)
    Article.objects.filter(pk=archived.pk).update(archived_at=article.updated_at)

    rows = {row["title"]: row for row in list_rows(editor_client, "?archived=all")}
    assert rows[article.title]["readers"] == f"Revision {live.number}"
    assert rows[draft.title]["readers"] == "Not published"
    assert rows["An archived article"]["readers"] == "Nothing (archived)"

    assert {row["title"] for row in list_rows(editor_client, "?published=yes")} == {article.title}
    assert {row["title"] for row in list_rows(editor_client, "?published=no")} == {draft.title}
    assert "mark_medically_reviewed" not in editor_client.get(LIST_URL).content.decode()


def list_rows(client, query):
    response = client.get(LIST_URL + query)
    assert response.status_code == 200
    rows = []
    for row in response.context["cl"].result_list:
        rows.append({"title": row.title, "readers": response.context["cl"].model_admin.readers_see(row)})
    return rows


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
