import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.services import article_archive, article_restore
from claims import assignments
from claims.models import Assignment, Claim, ClaimDecision
from claims.services import claim_decide, claim_submit
from tests.factories import ClaimFactory, EditorFactory, claim_form_data, evidence
from tests.helpers import fresh, messages_of
from tests.reviewing import decide, seen_inputs

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:claims_reviewqueueclaim_changelist")


def submitted(claim, when):
    """`claim` submitted for review as if at `when`: its submission and its place in the queue dated then."""
    claim_submit(claim=claim, user=claim.created_by)
    ClaimDecision.objects.filter(claim=claim, decision="submitted").update(created_at=when)
    Claim.objects.filter(pk=claim.pk).update(queued_at=when)
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


# Ready or blocked, by the approval's own rule ----------------------------------------------------


def test_the_queue_tells_ready_claims_from_blocked_ones_and_says_why_in_the_row(client, reviewer, article):
    ready = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), timezone.now())
    unsourced = submitted(ClaimFactory(article=article, sentence=3, review_state="draft", sources=[]), timezone.now())
    unrated = submitted(
        ClaimFactory(article=article, sentence=4, review_state="draft", evidence_status=evidence("not-yet-rated")),
        timezone.now(),
    )
    client.force_login(reviewer)

    blocked = client.get(QUEUE + "?approval=blocked").text
    assert f"<mark>{ready.quote}</mark>" not in blocked
    assert f"<mark>{unsourced.quote}</mark>" in blocked and f"<mark>{unrated.quote}</mark>" in blocked
    assert "Blocked: This claim cites no source: add at least one before approving." in blocked
    assert "Blocked: The evidence is “Not yet rated”: rate it before approving." in blocked

    ready_page = client.get(QUEUE + "?approval=ready").text
    assert f"<mark>{ready.quote}</mark>" in ready_page and "Blocked:" not in ready_page
    assert f"<mark>{unsourced.quote}</mark>" not in ready_page and f"<mark>{unrated.quote}</mark>" not in ready_page


# Assigned to me, to nobody, to anyone ------------------------------------------------------------


def test_the_queue_filters_by_assignment_and_shows_who_and_by_when(client, reviewer, second_reviewer, article):
    mine, theirs, nobodys = (
        submitted(ClaimFactory(article=article, sentence=n, review_state="draft"), timezone.now()) for n in (1, 3, 4)
    )
    assignments.take(target=mine, reviewer=reviewer)
    late = assignments.take(target=theirs, reviewer=second_reviewer)
    Assignment.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(reviewer)

    def listed(query):
        page = client.get(QUEUE + query).text
        return {claim for claim in (mine, theirs, nobodys) if f"<mark>{claim.quote}</mark>" in page}

    assert listed("?assigned=me") == {mine}
    assert listed("?assigned=none") == {nobodys}
    assert listed("?assigned=any") == {mine, theirs}
    page = client.get(QUEUE).text
    assert f"Assigned to {second_reviewer.get_full_name()}, due " in page
    assert "<strong>⚠ overdue by 2 days</strong>" in page
    assert page.count("Take this</button>") == 1  # the unassigned claim's


def test_take_this_on_the_queue_assigns_the_claim_and_comes_back_to_the_queue(client, reviewer, article):
    claim = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), timezone.now())
    client.force_login(reviewer)
    url = reverse("admin:claims_claim_assign", args=[claim.pk])
    response = client.post(url, {"take": "queue"}, HTTP_REFERER=f"http://testserver{QUEUE}?assigned=none")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{QUEUE}?assigned=none"
    assert Assignment.objects.open().get(claim=claim).reviewer == reviewer
    # A referer elsewhere is not followed.
    other = submitted(ClaimFactory(article=article, sentence=3, review_state="draft"), timezone.now())
    url = reverse("admin:claims_claim_assign", args=[other.pk])
    response = client.post(url, {"take": "queue"}, HTTP_REFERER="https://elsewhere.example/admin/claims/")
    assert response["Location"] == QUEUE


# After a decision: the next claim ----------------------------------------------------------------


def test_a_decision_on_a_claims_page_opens_the_next_claim_of_the_queue(client, reviewer, article):
    now = timezone.now()
    first = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), now - datetime.timedelta(days=3))
    own = submitted(
        ClaimFactory(article=article, sentence=3, review_state="draft", created_by=reviewer, last_changed_by=reviewer),
        now - datetime.timedelta(days=2),
    )
    last = submitted(ClaimFactory(article=article, sentence=4, review_state="draft"), now - datetime.timedelta(days=1))
    client.force_login(reviewer)

    response = decide(client, first, "approved", follow=False)
    # The reviewer's own claim comes between, in the queue's order, but is not theirs to decide: skipped.
    assert response["Location"] == last.get_admin_url()
    followed = client.get(response["Location"])
    assert f"Approved “{first}”." in messages_of(followed)
    assert own.pk != last.pk

    response = decide(client, last, "changes_requested", comment="Name the trial.", follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert f"Changes requested for “{last}”." in messages_of(response)
    assert "No more claims to review." in messages_of(response)


def test_a_refused_decision_stays_on_the_claim(client, reviewer, article):
    claim = submitted(ClaimFactory(article=article, sentence=1, review_state="draft", sources=[]), timezone.now())
    submitted(ClaimFactory(article=article, sentence=3, review_state="draft"), timezone.now())
    client.force_login(reviewer)
    response = decide(client, claim, "approved", follow=False)
    assert response["Location"] == claim.get_admin_url()


# When a claim came to the reviewers ---------------------------------------------------------------


def test_a_claim_resubmitted_after_changes_requested_shows_its_new_submission_time(
    client, reviewer, second_reviewer, article
):
    claim = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), timezone.now())
    ClaimDecision.objects.filter(claim=claim).update(created_at=timezone.now() - datetime.timedelta(days=30))
    claim_decide(claim=claim, reviewer=second_reviewer, decision="changes_requested", comment="Name the trial.")
    client.force_login(claim.created_by)
    form = claim_form_data(fresh(claim), explanation="The trial is named.", submit_for_review="on")
    client.post(claim.get_admin_url(), form)
    client.force_login(reviewer)
    page = client.get(QUEUE).text
    assert f"<mark>{claim.quote}</mark>" in page
    assert date_format(timezone.localtime(), "j M Y") in page
    assert date_format(timezone.now() - datetime.timedelta(days=30), "j M Y") not in page


def test_a_claim_whose_approval_was_withdrawn_is_dated_by_the_withdrawal(client, reviewer, second_reviewer, article):
    claim = submitted(ClaimFactory(article=article, sentence=1, review_state="draft"), timezone.now())
    ClaimDecision.objects.filter(claim=claim).update(created_at=timezone.now() - datetime.timedelta(days=30))
    claim_decide(claim=claim, reviewer=second_reviewer, decision="approved")
    editor = claim.created_by
    client.force_login(editor)
    client.post(claim.get_admin_url(), claim_form_data(fresh(claim), evidence_status=str(evidence("moderate").pk)))
    assert fresh(claim).review_state == "pending"  # the new grade sent it back to the reviewers
    client.force_login(reviewer)
    page = client.get(QUEUE).text
    assert "Back for review " + date_format(timezone.localtime(), "j M Y") in page
    assert date_format(timezone.now() - datetime.timedelta(days=30), "j M Y") not in page


# Plain labels ------------------------------------------------------------------------------------


def test_the_queue_is_labelled_in_plain_words(client, reviewer, article):
    for n in (1, 3):
        submitted(ClaimFactory(article=article, sentence=n, review_state="draft"), timezone.now())
    client.force_login(reviewer)
    page = client.get(QUEUE).text
    assert "2 claims waiting for review" in page and "review queue" not in page.lower()
    assert "Claims waiting for review" in client.get(reverse("admin:index")).text
