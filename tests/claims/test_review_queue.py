import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.services import article_archive, article_restore
from claims.models import ClaimDecision
from claims.services import claim_decide, claim_submit
from tests.factories import ClaimFactory, EditorFactory
from tests.reviewing import seen_inputs

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:claims_reviewqueueclaim_changelist")


def submitted(claim, when):
    claim_submit(claim=claim, user=claim.created_by)
    ClaimDecision.objects.filter(claim=claim, decision="submitted").update(created_at=when)
    return claim


def test_queue_lists_submitted_claims_oldest_first_in_their_paragraph(client, reviewer, article):
    now = timezone.now()
    newer = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), now)
    older = submitted(ClaimFactory(article=article, sentence=3, review_state="draft"), now - datetime.timedelta(days=2))
    ClaimFactory(article=article, sentence=2, review_state="draft")  # not submitted: not in the queue
    client.force_login(reviewer)
    page = client.get(QUEUE).text
    assert page.index(f"<mark>{older.quote}</mark>") < page.index(f"<mark>{newer.quote}</mark>")
    assert "Stem-cell infusions may be safe" in page  # the paragraph around the claim
    assert page.count("<mark>") == 2
    assert "https://pubmed.ncbi.nlm.nih.gov/" in page  # sources as links


def test_queue_hides_what_the_reviewer_may_not_decide(client, reviewer, article):
    own = submitted(
        ClaimFactory(article=article, sentence=1, review_state="draft", created_by=reviewer), timezone.now()
    )
    other = submitted(ClaimFactory(article=article, sentence=3, review_state="draft"), timezone.now())
    client.force_login(reviewer)
    page = client.get(QUEUE).text
    assert f"<mark>{other.quote}</mark>" in page and f"<mark>{own.quote}</mark>" not in page


def test_queue_leaves_out_claims_of_archived_articles_until_they_are_restored(client, reviewer, editor, article):
    claim = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), timezone.now())
    client.force_login(reviewer)
    article_archive(article=article, user=editor)

    assert f"<mark>{claim.quote}</mark>" not in client.get(QUEUE).text

    article_restore(article=article, user=editor)
    assert f"<mark>{claim.quote}</mark>" in client.get(QUEUE).text


def test_queue_shows_the_previous_decision(client, reviewer, second_reviewer, article):
    claim = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), timezone.now())
    claim_decide(claim=claim, reviewer=second_reviewer, decision="changes_requested", comment="Name the trial.")
    claim_submit(claim=claim, user=claim.created_by)
    client.force_login(reviewer)
    page = client.get(QUEUE).text
    assert "Changes requested by" in page and "Name the trial." in page


def test_bulk_request_changes_asks_for_one_comment_then_applies_it(client, reviewer, article):
    claims = [
        submitted(ClaimFactory(article=article, sentence=i, review_state="draft"), timezone.now()) for i in (1, 3)
    ]
    ids = [c.pk for c in claims]
    client.force_login(reviewer)
    form = client.post(QUEUE, {"action": "request_changes_selected", "_selected_action": ids})
    assert "Comment for the editors" in form.text
    empty = client.post(QUEUE, {"action": "request_changes_selected", "_selected_action": ids, "confirm": "yes"})
    assert "a comment is required" in empty.text
    client.post(
        QUEUE,
        {
            "action": "request_changes_selected",
            "_selected_action": ids,
            "confirm": "yes",
            "comment": "Cite trials.",
            **seen_inputs(form),
        },
    )
    for claim in claims:
        claim.refresh_from_db()
        assert claim.review_state == "changes_requested"
        assert claim.decisions.first().comment == "Cite trials."


def test_editors_do_not_see_the_queue(client, article):
    client.force_login(EditorFactory())
    assert client.get(QUEUE).status_code == 403


def test_claims_list_counts_claims_per_state(client, reviewer, article):
    ClaimFactory(article=article, sentence=1)
    ClaimFactory(article=article, sentence=2, review_state="draft")
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_changelist")).text
    assert "Pending review</a>: 1" in page and "Draft</a>: 1" in page and "Rejected</a>: 0" in page
