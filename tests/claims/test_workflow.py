"""The claim review workflow as a state machine: every move, every refusal and the decision rows it leaves.

draft → submitted → pending → approved / changes requested / rejected; changes requested → edited →
submitted again; an approval is withdrawn (back to pending) by a substantive change. The claim's
state always equals the state implied by its latest decision row.
"""

import random
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from claims.models import Claim, ClaimDecision
from claims.publishing import publication_blockers
from claims.services import (
    STATE_AFTER,
    claim_approve,
    claim_create,
    claim_decide,
    claim_record_change,
    claim_submit,
)
from tests.factories import ArticleFactory, ConditionFactory, EditorFactory, SourceFactory, evidence, published
from tests.factories import article_form_data as article_data
from tests.factories import claim_form_data as change_data
from tests.helpers import claim_opening_tag, fresh, sentence_value
from tests.helpers import public_page as live_page


def public_page(client, article):
    """The public page once the draft as it now stands is published (the fixture shortcut `published`)."""
    published(article)
    return live_page(client, article)


pytestmark = pytest.mark.django_db

State = Claim.ReviewState
Decision = ClaimDecision.Decision
CHANGED_SENTENCE = "Stem-cell infusions may be safe in small early trials."
REWORDED_SENTENCE = "Stem-cell infusions may be safe in a few small early trials."


# Helpers ----------------------------------------------------------------------------------


def rows(claim):
    """The claim's decision rows, oldest first."""
    return list(ClaimDecision.objects.filter(claim_id=claim.pk).order_by("created_at", "pk"))


def decisions(claim):
    return [row.decision for row in rows(claim)]


def implied_state(claim):
    """The state the claim's latest decision row puts it in (a claim without any row is a draft)."""
    latest = ClaimDecision.objects.filter(claim_id=claim.pk).order_by("-created_at", "-pk").first()
    return State.DRAFT if latest is None else STATE_AFTER[latest.decision]


def assert_state_follows_latest_decision(claim):
    current = fresh(claim)
    assert current.review_state == implied_state(claim), decisions(claim)


def draft_claim(article, *, sentence=2, user=None, **kwargs):
    """A claim made the way editors make them: a draft, with no decision row yet."""
    target = article.sentences()[sentence]
    claim = claim_create(
        article=article,
        start=target.start,
        end=target.end,
        condition=kwargs.pop("condition", None) or ConditionFactory(),
        evidence_status=kwargs.pop("evidence_status", None) or evidence("limited"),
        user=user or article.author,
        sources=kwargs.pop("sources", None) or [SourceFactory()],
        explanation=kwargs.pop("explanation", "Two small trials in people."),
    )
    assert not kwargs, kwargs
    return claim


def submitted_claim(article, **kwargs):
    claim = draft_claim(article, **kwargs)
    return claim_submit(claim=claim, user=claim.created_by)


def approved_claim(article, reviewer, **kwargs):
    return claim_approve(claim=submitted_claim(article, **kwargs), reviewer=reviewer)


def sentence_of(claim):
    article = Article.objects.get(pk=claim.article_id)
    return next(s for s in article.sentences() if s.start <= claim.start < s.end)


def edit_in_admin(client, user, claim, **overrides):
    client.force_login(user)
    response = client.post(claim.get_admin_url(), change_data(fresh(claim), **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return fresh(claim)


def edit_article_in_admin(client, user, article, **overrides):
    client.force_login(user)
    article = Article.objects.get(pk=article.pk)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), article_data(article, **overrides)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return Article.objects.get(pk=article.pk)


def badge_of(content, claim):
    match = re.search(rf'<a class="badge [^"]*" href="#evidence-{claim.pk}">(.*?)</a>', content, flags=re.S)
    assert match, f"no badge for claim {claim.pk}"
    return match.group(1)


@pytest.fixture
def draft_article(editor):
    return ArticleFactory(author=editor, status=Article.Status.DRAFT)


@pytest.fixture
def other_editor(db):
    return EditorFactory(username="other-editor")


# Submitting -------------------------------------------------------------------------------------


def test_a_new_claim_is_a_draft_without_decisions_until_its_editor_submits_it(editor, article):
    claim = draft_claim(article)

    assert claim.review_state == State.DRAFT
    assert rows(claim) == []

    before = timezone.now()
    submitted = claim_submit(claim=claim, user=editor)

    assert submitted.review_state == State.PENDING == fresh(claim).review_state
    [row] = rows(claim)
    assert row.decision == Decision.SUBMITTED
    assert row.actor == editor
    assert row.comment == ""
    assert before <= row.created_at <= timezone.now()
    assert_state_follows_latest_decision(claim)


@pytest.mark.parametrize("state", [State.PENDING, State.APPROVED, State.REJECTED])
def test_a_claim_that_is_not_a_draft_or_sent_back_cannot_be_submitted(editor, reviewer, article, state):
    claim = submitted_claim(article)
    if state == State.APPROVED:
        claim_approve(claim=claim, reviewer=reviewer)
    elif state == State.REJECTED:
        claim_decide(claim=claim, reviewer=reviewer, decision=Decision.REJECTED, comment="Not a health claim.")
    before = decisions(claim)

    with pytest.raises(ValidationError, match="there is nothing to submit"):
        claim_submit(claim=claim, user=editor)

    assert fresh(claim).review_state == state
    assert decisions(claim) == before


def test_an_orphaned_draft_cannot_be_submitted(editor, article):
    claim = draft_claim(article)
    Claim.objects.filter(pk=claim.pk).update(is_orphaned=True)

    with pytest.raises(ValidationError, match="lost its sentence"):
        claim_submit(claim=claim, user=editor)

    assert fresh(claim).review_state == State.DRAFT
    assert rows(claim) == []


# Deciding -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "comment", "state"),
    [
        (Decision.APPROVED, "", State.APPROVED),
        (Decision.APPROVED, "Well sourced.", State.APPROVED),
        (Decision.CHANGES_REQUESTED, "Say “may”, the trials were tiny.", State.CHANGES_REQUESTED),
        (Decision.REJECTED, "This sentence makes no health claim.", State.REJECTED),
    ],
)
def test_a_reviewer_decides_on_a_pending_claim(reviewer, article, decision, comment, state):
    claim = submitted_claim(article)
    before = timezone.now()

    decided = claim_decide(claim=claim, reviewer=reviewer, decision=decision, comment=comment)

    stored = fresh(claim)
    assert decided.review_state == stored.review_state == state
    assert stored.reviewed_by == reviewer
    assert before <= stored.reviewed_at <= timezone.now()
    assert decisions(claim) == [Decision.SUBMITTED, decision]
    row = rows(claim)[-1]
    assert (row.actor, row.comment) == (reviewer, comment)
    assert before <= row.created_at <= timezone.now()
    assert_state_follows_latest_decision(claim)


@pytest.mark.parametrize("decision", [Decision.APPROVED, Decision.CHANGES_REQUESTED, Decision.REJECTED])
def test_a_draft_cannot_be_decided(reviewer, article, decision):
    claim = draft_claim(article)

    with pytest.raises(PermissionDenied, match="still a draft"):
        claim_decide(claim=claim, reviewer=reviewer, decision=decision, comment="Looked at it early.")

    stored = fresh(claim)
    assert stored.review_state == State.DRAFT
    assert stored.reviewed_by is None and stored.reviewed_at is None
    assert rows(claim) == []


@pytest.mark.parametrize("decision", [Decision.CHANGES_REQUESTED, Decision.REJECTED])
@pytest.mark.parametrize("comment", ["", "   \n\t "])
def test_requesting_changes_or_rejecting_needs_a_comment(reviewer, article, decision, comment):
    claim = submitted_claim(article)

    with pytest.raises(ValidationError, match="a comment is required"):
        claim_decide(claim=claim, reviewer=reviewer, decision=decision, comment=comment)

    stored = fresh(claim)
    assert stored.review_state == State.PENDING
    assert stored.reviewed_by is None and stored.reviewed_at is None
    assert decisions(claim) == [Decision.SUBMITTED]


@pytest.mark.parametrize("decision", [Decision.CHANGES_REQUESTED, Decision.REJECTED])
def test_the_database_refuses_a_decision_row_without_the_comment_it_needs(reviewer, article, decision):
    claim = submitted_claim(article)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimDecision.objects.create(claim=claim, decision=decision, actor=reviewer, comment="")

    assert decisions(claim) == [Decision.SUBMITTED]


@pytest.mark.parametrize("decision", [Decision.SUBMITTED, Decision.WITHDRAWN])
def test_only_a_reviewers_decisions_are_accepted_by_claim_decide(reviewer, article, decision):
    claim = submitted_claim(article)

    with pytest.raises(ValueError, match="Not a reviewer's decision"):
        claim_decide(claim=claim, reviewer=reviewer, decision=decision, comment="Trying.")

    assert fresh(claim).review_state == State.PENDING
    assert decisions(claim) == [Decision.SUBMITTED]


# Changes requested, then edited and submitted again ---------------------------------------------------


def test_changes_requested_then_edited_and_resubmitted_is_then_approved(editor, reviewer, article):
    claim = submitted_claim(article, evidence_status=evidence("strong"))
    claim_decide(
        claim=claim,
        reviewer=reviewer,
        decision=Decision.CHANGES_REQUESTED,
        comment="Two small trials are not strong evidence.",
    )
    assert fresh(claim).review_state == State.CHANGES_REQUESTED

    # The editor lowers the grade, as the admin saves it: the claim stays with them until resubmitted.
    claim = fresh(claim)
    claim.evidence_status = evidence("limited")
    assert claim_record_change(claim=claim, user=editor, changed_fields={"evidence_status"}) is None
    claim.save()
    assert fresh(claim).review_state == State.CHANGES_REQUESTED
    assert decisions(claim) == [Decision.SUBMITTED, Decision.CHANGES_REQUESTED]

    assert claim_submit(claim=claim, user=editor).review_state == State.PENDING
    approved = claim_approve(claim=claim, reviewer=reviewer)

    assert approved.review_state == fresh(claim).review_state == State.APPROVED
    assert decisions(claim) == [Decision.SUBMITTED, Decision.CHANGES_REQUESTED, Decision.SUBMITTED, Decision.APPROVED]
    # Each row keeps what was decided on then.
    assert [row.snapshot["evidence"] for row in rows(claim)] == ["Strong", "Strong", "Limited", "Limited"]
    assert_state_follows_latest_decision(claim)


def test_an_editor_resubmits_a_claim_sent_back_from_its_form_with_the_submit_box(client, editor, reviewer, article):
    claim = submitted_claim(article)
    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Cite the trial.")

    claim = edit_in_admin(client, editor, claim, new_sources="NCT00114530", submit_for_review="on")

    assert claim.review_state == State.PENDING
    assert decisions(claim) == [Decision.SUBMITTED, Decision.CHANGES_REQUESTED, Decision.SUBMITTED]
    assert "NCT00114530" in rows(claim)[-1].snapshot["sources"]
    assert claim_approve(claim=claim, reviewer=reviewer).review_state == State.APPROVED
    assert_state_follows_latest_decision(claim)


def test_saving_a_draft_with_the_submit_box_unticked_keeps_it_a_draft(client, editor, article):
    claim = draft_claim(article)

    claim = edit_in_admin(client, editor, claim, explanation="One small trial in people.")

    assert claim.review_state == State.DRAFT
    assert rows(claim) == []


# Decision rows ------------------------------------------------------------------------------------


def snapshot_now(claim):
    claim = fresh(claim)
    return {
        "quote": claim.quote,
        "condition": claim.condition.name,
        "evidence": claim.evidence_status.name,
        "sources": sorted(source.citation_label for source in claim.sources.all()),
    }


def decision_snapshot(row):
    return {
        **{key: row.snapshot[key] for key in ("quote", "condition", "evidence")},
        "sources": sorted(row.snapshot["sources"]),
    }


def test_every_decision_is_a_row_with_its_actor_comment_time_and_what_was_decided_on(
    client, editor, other_editor, reviewer, second_reviewer, article
):
    claim = draft_claim(article, evidence_status=evidence("strong"))
    expected = []  # (decision, actor, comment, snapshot) as each happened

    def happened(decision, actor, comment=""):
        expected.append((decision, actor, comment, snapshot_now(claim)))

    claim_submit(claim=claim, user=editor)
    happened(Decision.SUBMITTED, editor)
    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.CHANGES_REQUESTED, comment="Too strong.")
    happened(Decision.CHANGES_REQUESTED, reviewer, "Too strong.")
    edit_in_admin(client, editor, claim, evidence_status=str(evidence("limited").pk), submit_for_review="on")
    happened(Decision.SUBMITTED, editor)
    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.APPROVED, comment="Fine now.")
    happened(Decision.APPROVED, reviewer, "Fine now.")
    edit_in_admin(client, other_editor, claim, condition=str(ConditionFactory(name="Scleroderma").pk))
    happened(Decision.WITHDRAWN, other_editor, "Approval withdrawn: its condition changed.")
    claim_decide(claim=claim, reviewer=second_reviewer, decision=Decision.REJECTED, comment="Off topic.")
    happened(Decision.REJECTED, second_reviewer, "Off topic.")

    found = rows(claim)
    assert [(r.decision, r.actor, r.comment, decision_snapshot(r)) for r in found] == expected
    assert [row.pk for row in found] == sorted(row.pk for row in found)  # in the order they happened
    assert all(row.created_at is not None for row in found)
    assert found[0].snapshot["quote"] == CHANGED_SENTENCE
    assert found[0].snapshot["condition"] != "Scleroderma" and found[-1].snapshot["condition"] == "Scleroderma"
    assert fresh(claim).review_state == State.REJECTED
    assert_state_follows_latest_decision(claim)


# Any sequence: the state follows the latest decision row ---------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_after_any_sequence_of_moves_the_state_is_the_one_the_latest_decision_implies(
    client, editor, other_editor, reviewer, second_reviewer, seed
):
    article = ArticleFactory(author=editor)
    claim = draft_claim(article, evidence_status=evidence("limited"))
    rng = random.Random(seed)
    wordings = [CHANGED_SENTENCE, REWORDED_SENTENCE]
    punctuation = ["Two small trials in people.", "Two small trials, in people!"]

    def submit():
        claim_submit(claim=claim, user=editor)

    def decide(decision, comment):
        return lambda: claim_decide(
            claim=claim, reviewer=rng.choice([reviewer, second_reviewer]), decision=decision, comment=comment
        )

    def regrade():
        current = fresh(claim).evidence_status.slug
        edit_in_admin(
            client, editor, claim, evidence_status=str(evidence("strong" if current == "limited" else "limited").pk)
        )

    def repunctuate():
        current = fresh(claim).explanation
        edit_in_admin(client, other_editor, claim, explanation=punctuation[1 - punctuation.index(current)])

    def reword_article():
        current = Article.objects.get(pk=article.pk)
        old, new = wordings if wordings[0] in current.body else wordings[::-1]
        current.body = current.body.replace(old, new)
        current.save()

    def edit_elsewhere():
        current = Article.objects.get(pk=article.pk)
        current.body = (
            current.body.replace("probably improves", "may improve", 1)
            if "probably improves" in (current.body)
            else current.body.replace("may improve", "probably improves", 1)
        )
        current.save()

    moves = [
        submit,
        submit,
        decide(Decision.APPROVED, ""),
        decide(Decision.APPROVED, ""),
        decide(Decision.CHANGES_REQUESTED, "Please soften the wording."),
        decide(Decision.REJECTED, "Not about this condition."),
        decide(Decision.REJECTED, ""),
        regrade,
        repunctuate,
        reword_article,
        edit_elsewhere,
    ]
    for _ in range(40):
        before = len(rows(claim))
        try:
            rng.choice(moves)()
        except (PermissionDenied, ValidationError):
            assert len(rows(claim)) == before  # a refused move leaves no row
        assert len(rows(claim)) - before in (0, 1)
        assert_state_follows_latest_decision(claim)


# Withdrawn approvals -----------------------------------------------------------------------------------------


def another_sentence(claim):
    return {"sentence": sentence_value(Article.objects.get(pk=claim.article_id).sentences()[3])}


# change: (the form fields it changes, the reason recorded, (snapshot key, value it then holds))
WITHDRAWING_CHANGES = {
    "another sentence": (
        another_sentence,
        "Approval withdrawn: its words changed; it moved to another sentence.",
        ("quote", "We do not know whether they slow the disease."),
    ),
    "condition": (
        lambda claim: {"condition": str(ConditionFactory(name="Systemic sclerosis", slug="ssc").pk)},
        "Approval withdrawn: its condition changed.",
        ("condition", "Systemic sclerosis"),
    ),
    "evidence status": (
        lambda claim: {"evidence_status": str(evidence("strong").pk)},
        "Approval withdrawn: its evidence grade changed.",
        ("evidence", "Strong"),
    ),
    "explanation reworded": (
        lambda claim: {"explanation": "Several large trials in people."},
        "Approval withdrawn: its public explanation was reworded.",
        ("explanation", "Several large trials in people."),
    ),
}
# change: (the form fields it changes, the sources the claim then cites)
SOURCE_CHANGES = {
    "sources picked": (
        lambda claim: {"sources": [str(SourceFactory(identifier="31112233").pk)]},
        lambda claim: ["PMID 31112233"],
    ),
    "source added by identifier": (
        lambda claim: {"new_sources": "NCT00114530"},
        lambda claim: sorted([*rows(claim)[-2].snapshot["sources"], "NCT00114530"]),
    ),
}
ALL_WITHDRAWING_CHANGES = {
    **{change: (overrides, reason) for change, (overrides, reason, _) in WITHDRAWING_CHANGES.items()},
    **{
        change: (overrides, "Approval withdrawn: its sources changed.")
        for change, (overrides, _) in SOURCE_CHANGES.items()
    },
}


@pytest.mark.parametrize("change", list(ALL_WITHDRAWING_CHANGES))
def test_a_substantive_change_in_the_admin_withdraws_the_approval_with_its_reason(
    client, other_editor, reviewer, article, change
):
    overrides, reason = ALL_WITHDRAWING_CHANGES[change]
    claim = approved_claim(article, reviewer, evidence_status=evidence("limited"))

    claim = edit_in_admin(client, other_editor, claim, **overrides(claim))

    assert claim.review_state == State.PENDING
    assert claim.last_changed_by == other_editor
    assert decisions(claim) == [Decision.SUBMITTED, Decision.APPROVED, Decision.WITHDRAWN]
    withdrawn = rows(claim)[-1]
    assert withdrawn.actor == other_editor
    assert withdrawn.comment == reason
    assert_state_follows_latest_decision(claim)
    content = public_page(client, article)
    assert 'data-evidence="under-review"' in claim_opening_tag(content, claim)
    assert "Under review" in badge_of(content, claim)
    assert "Limited evidence" not in content


@pytest.mark.parametrize("change", list(WITHDRAWING_CHANGES))
def test_the_withdrawal_row_records_the_claim_as_it_now_stands(client, other_editor, reviewer, article, change):
    overrides, _, (key, value) = WITHDRAWING_CHANGES[change]
    claim = approved_claim(article, reviewer, evidence_status=evidence("limited"))

    claim = edit_in_admin(client, other_editor, claim, **overrides(claim))

    withdrawn = rows(claim)[-1]
    assert withdrawn.decision == Decision.WITHDRAWN
    assert withdrawn.snapshot[key] == value
    assert decision_snapshot(withdrawn) == snapshot_now(claim)


def test_an_unrelated_edit_elsewhere_in_the_article_keeps_the_approval(client, editor, reviewer, article):
    claim = approved_claim(article, reviewer, evidence_status=evidence("strong"))
    start = claim.start

    edit_article_in_admin(
        client,
        editor,
        article,
        title="Stem cells and the lung: an update",
        body=article.body.replace(
            "Antifibrotic medicines slow", "Antifibrotic medicines such as nintedanib slow"
        ).replace("probably improves", "may improve"),
    )

    claim = fresh(claim)
    assert claim.start != start  # it followed its sentence, which moved
    assert claim.quote == CHANGED_SENTENCE and not claim.text_changed
    assert claim.review_state == State.APPROVED and claim.reviewed_by == reviewer
    assert decisions(claim) == [Decision.SUBMITTED, Decision.APPROVED]
    content = public_page(client, article)
    assert 'data-evidence="strong"' in claim_opening_tag(content, claim)
    assert "Strong evidence" in badge_of(content, claim)


def test_a_punctuation_only_change_to_the_explanation_keeps_the_approval(client, other_editor, reviewer, article):
    claim = approved_claim(article, reviewer, explanation="Two small trials, in people.")

    claim = edit_in_admin(client, other_editor, claim, explanation="Two small trials in people!")

    assert claim.explanation == "Two small trials in people!"
    assert claim.review_state == State.APPROVED and claim.reviewed_by == reviewer
    assert decisions(claim) == [Decision.SUBMITTED, Decision.APPROVED]


def test_an_article_edit_changing_a_claimed_sentences_words_withdraws_it_and_readers_see_it_under_review(
    client, editor, reviewer, article
):
    claim = approved_claim(article, reviewer, evidence_status=evidence("strong"))
    content = public_page(client, article)
    assert "Strong evidence" in badge_of(content, claim)

    edit_article_in_admin(client, editor, article, body=article.body.replace(CHANGED_SENTENCE, REWORDED_SENTENCE))

    claim = fresh(claim)
    assert claim.review_state == State.PENDING
    assert claim.text_changed and claim.quote == REWORDED_SENTENCE and claim.previous_quote == CHANGED_SENTENCE
    assert decisions(claim) == [Decision.SUBMITTED, Decision.APPROVED, Decision.WITHDRAWN]
    withdrawn = rows(claim)[-1]
    assert withdrawn.comment == "Approval withdrawn: an edit of the article changed its words."
    assert withdrawn.snapshot["quote"] == REWORDED_SENTENCE
    assert_state_follows_latest_decision(claim)

    content = public_page(client, article)
    opening = claim_opening_tag(content, claim)
    assert 'data-evidence="under-review"' in opening
    assert re.search(re.escape(opening) + re.escape(REWORDED_SENTENCE) + "</span>", content)
    assert "Under review" in badge_of(content, claim)
    assert "Strong evidence" not in content
    assert 'data-evidence="strong"' not in content


# Rejected claims -----------------------------------------------------------------------------------------------


def test_a_rejected_claim_marks_its_sentence_as_under_review_never_as_fact_or_graded(client, editor, reviewer, article):
    claim = submitted_claim(article, evidence_status=evidence("strong"))
    claim_decide(claim=claim, reviewer=reviewer, decision=Decision.REJECTED, comment="Over-strong for the evidence.")

    content = public_page(client, article)
    assert f'data-claim="{claim.pk}"' in content
    assert 'data-evidence="under-review"' in content
    assert "Strong evidence" not in content
    assert "Under review" in content
    assert claim.explanation not in content  # nothing a reviewer turned down reaches readers

    # Still so after an edit changes its sentence's words: nobody approved the new words either.
    edit_article_in_admin(client, editor, article, body=article.body.replace(CHANGED_SENTENCE, REWORDED_SENTENCE))
    assert fresh(claim).review_state == State.REJECTED
    content = public_page(client, article)
    assert REWORDED_SENTENCE in content
    assert f'data-claim="{claim.pk}"' in content and "Strong evidence" not in content

    # Deleting the claim leaves the sentence as plain text.
    claim.delete()
    content = public_page(client, article)
    assert REWORDED_SENTENCE in content
    assert f'data-claim="{claim.pk}"' not in content and f'id="evidence-{claim.pk}"' not in content


def test_a_rejected_claim_blocks_publication_until_it_is_deleted(reviewer, draft_article):
    rejected = submitted_claim(draft_article, sentence=2)
    claim_decide(claim=rejected, reviewer=reviewer, decision=Decision.REJECTED, comment="Not a health claim.")
    approved_claim(draft_article, reviewer, sentence=4, evidence_status=evidence("moderate"))

    words = f"“{rejected.quote[:60]}"
    assert any(words in blocker.text and "rejected" in blocker.text for blocker in publication_blockers(draft_article))

    rejected.delete()
    assert not any(words in blocker.text for blocker in publication_blockers(draft_article))


# What a withdrawal says and records, in detail ------------------------------------------------------------------


def test_claiming_only_part_of_its_sentence_withdraws_the_approval_without_saying_it_moved(
    client, other_editor, reviewer, article
):
    claim = approved_claim(article, reviewer)
    start = claim.start

    claim = edit_in_admin(client, other_editor, claim, part="Stem-cell infusions may be safe")

    assert (claim.quote, claim.start) == ("Stem-cell infusions may be safe", start)  # same place, fewer words
    assert claim.review_state == State.PENDING
    withdrawn = rows(claim)[-1]
    assert withdrawn.decision == Decision.WITHDRAWN
    assert withdrawn.comment == "Approval withdrawn: its words changed."


@pytest.mark.parametrize("change", list(SOURCE_CHANGES))
def test_a_withdrawal_for_changed_sources_records_the_sources_now_cited(
    client, other_editor, reviewer, article, change
):
    overrides, expected_sources = SOURCE_CHANGES[change]
    claim = approved_claim(article, reviewer)

    claim = edit_in_admin(client, other_editor, claim, **overrides(claim))

    withdrawn = rows(claim)[-1]
    assert withdrawn.decision == Decision.WITHDRAWN
    assert sorted(withdrawn.snapshot["sources"]) == expected_sources(claim)
    assert decision_snapshot(withdrawn) == snapshot_now(claim)


def test_an_article_edit_in_the_admin_names_the_editor_on_the_withdrawal(client, editor, reviewer, article):
    from claims.services import claim_approve as approve
    from tests.factories import ClaimFactory as make_claim

    claim = approve(claim=make_claim(article=article, sentence=1), reviewer=reviewer)
    client.force_login(editor)
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body.replace("slow the loss", "slow the decline"),
        "tags": "",
        "status": article.status,
        "review_interval_months": 12,
        "change_note": "",
        "base_version": article.version,
    }
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    withdrawal = claim.decisions.filter(decision="withdrawn").get()
    assert withdrawal.actor == editor
    assert "changed its words" in withdrawal.comment
