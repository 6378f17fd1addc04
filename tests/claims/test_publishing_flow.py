"""After publication: punctuation-only edits, the editor's save message, urgent withdrawal, rollback, change log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import article_update
from claims.models import Claim, ClaimDecision, PublishedClaim
from claims.publishing import (
    PublicationRefused,
    article_change_log,
    article_publish,
    article_republish,
    article_sign_off,
    claim_withdraw_urgently,
    draft_digest,
    publication_blockers,
    punctuation_changes,
    record_live_revision,
)
from claims.services import claim_approve, claim_save
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ConditionFactory,
    EditorFactory,
    SourceFactory,
    article_form_data,
    evidence,
)
from tests.helpers import fresh, messages_of

pytestmark = pytest.mark.django_db

CLAIMED = "Stem-cell transplants may reduce flares in a few people with severe lupus."
SECOND = "Rituximab probably lowers the dose of steroids people with lupus nephritis need."
PLAIN = "Many people live with the disease for decades."
BODY = f"## Lupus and stem cells\n\n{CLAIMED} {PLAIN}\n\n{SECOND}\n"
PUNCTUATED = "Stem cell transplants may reduce flares – in a few people – with severe lupus!"
REWORDED = "Stem-cell transplants may reduce flares in most people with severe lupus."


@pytest.fixture
def lupus(db):
    return ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus\nSLE")


@pytest.fixture
def draft(editor, lupus):
    return ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Lupus and stem cells")


@pytest.fixture
def claim(draft, lupus, reviewer):
    claim = ClaimFactory(article=draft, text=CLAIMED, condition=lupus, evidence_status=evidence("moderate"))
    claim_approve(claim=claim, reviewer=reviewer)
    return fresh(claim)


@pytest.fixture
def second(draft, lupus, reviewer):
    claim = ClaimFactory(article=draft, text=SECOND, condition=lupus, evidence_status=evidence("moderate"))
    claim_approve(claim=claim, reviewer=reviewer)
    return fresh(claim)


@pytest.fixture
def live(draft, claim, second, second_reviewer):
    """The draft signed off and published: revision 1."""
    article_sign_off(article=draft, reviewer=second_reviewer, seen_digest=draft_digest(fresh(draft)))
    return article_publish(article=draft, user=draft.author, change_note="First published.")


def edit(article, old, new, user=None):
    article = fresh(article)
    article.body = article.body.replace(old, new)
    assert new in article.body
    return article_update(article=article, user=user or article.author)


def regrade(claim, slug, *, editor, reviewer):
    claim = fresh(claim)
    claim.evidence_status = evidence(slug)
    claim_save(claim=claim, user=editor, changed_fields={"evidence_status"}, sources=claim.sources.all())
    claim_approve(claim=fresh(claim), reviewer=reviewer, override_reason="The trials say so.")


def publish_again(article, reviewer, note):
    article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(fresh(article)))
    return article_publish(article=article, user=article.author, change_note=note)


# 1. Punctuation-only changes keep their approval --------------------------------------------------


def test_a_punctuation_only_edit_keeps_the_approval_and_is_listed_for_the_sign_off(draft, claim, second, live):
    editor = EditorFactory(username="copyeditor")
    version = claim.version
    outcome = edit(draft, CLAIMED, PUNCTUATED, user=editor)
    assert outcome["punctuation"] == 1 and outcome["withdrawn"] == []
    after = fresh(claim)
    assert (after.quote, after.review_state, after.text_changed) == (PUNCTUATED, Claim.ReviewState.APPROVED, False)
    assert after.previous_quote == CLAIMED and after.version > version
    assert after.last_changed_by == claim.last_changed_by  # the approval still stands as given
    history = after.history.first()
    assert history.history_change_reason == "Its article was edited: only its punctuation or case changed"
    assert history.history_user == editor
    assert not after.decisions.filter(decision=ClaimDecision.Decision.WITHDRAWN).exists()
    [change] = punctuation_changes(fresh(draft))
    assert (change.claim.pk, change.before, change.after) == (claim.pk, CLAIMED, PUNCTUATED)
    # Readers see the live revision until the signed-off draft is published.
    assert live.published_claims.get(claim=claim).quote == CLAIMED
    assert any("No medical sign-off" in blocker.text for blocker in publication_blockers(fresh(draft)))


def test_a_punctuation_only_edit_before_publication_is_listed_against_the_approved_words(draft, claim):
    edit(draft, CLAIMED, PUNCTUATED)
    assert fresh(claim).is_approved
    [change] = punctuation_changes(fresh(draft))
    assert (change.before, change.after) == (CLAIMED, PUNCTUATED)


def test_a_claim_not_approved_is_flagged_as_before_when_only_its_punctuation_changed(draft, lupus):
    pending = ClaimFactory(article=draft, text=CLAIMED, condition=lupus, evidence_status=evidence("moderate"))
    editor = EditorFactory(username="copyeditor")
    outcome = edit(draft, CLAIMED, PUNCTUATED, user=editor)
    after = fresh(pending)
    assert outcome["changed"] == 1 and "punctuation" not in outcome
    assert (after.quote, after.text_changed, after.last_changed_by) == (PUNCTUATED, True, editor)


@pytest.mark.parametrize(
    "edited",
    [
        REWORDED,  # a changed word
        CLAIMED.replace("may reduce", "may not reduce"),  # "not" added
        CLAIMED.replace("Stem-cell", "Stemcell"),  # a hyphen removed inside a word
    ],
)
def test_any_other_change_of_the_words_still_withdraws_the_approval(draft, claim, edited):
    outcome = edit(draft, CLAIMED, edited)
    after = fresh(claim)
    assert outcome.get("changed") == 1 and "punctuation" not in outcome
    assert (after.quote, after.review_state, after.text_changed) == (edited, Claim.ReviewState.PENDING, True)
    assert outcome["withdrawn"] == [{"pk": claim.pk, "quote": edited}]
    assert punctuation_changes(fresh(draft)) == []


def test_a_changed_number_withdraws_the_approval(draft, lupus, reviewer):
    numbered = "About 12 in every 100 people with lupus develop kidney disease within five years."
    article = fresh(draft)
    article.body += f"\n{numbered}\n"
    article_update(article=article, user=article.author)
    claim = ClaimFactory(article=fresh(draft), text=numbered, condition=lupus, evidence_status=evidence("strong"))
    claim_approve(claim=claim, reviewer=reviewer)
    outcome = edit(draft, numbered, numbered.replace("12", "1.2"))
    assert outcome["withdrawn"] == [{"pk": claim.pk, "quote": numbered.replace("12", "1.2")}]
    assert fresh(claim).review_state == Claim.ReviewState.PENDING


# 2. The editor's save message --------------------------------------------------------------------


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_article_admin_names_the_approvals_a_save_withdrew(client, draft, claim, second, live):
    client.force_login(draft.author)
    article = fresh(draft)
    body = article.body.replace(CLAIMED, REWORDED).replace(SECOND, SECOND.replace("probably", "surely"))
    response = client.post(change_url(article), article_form_data(article, body=body), follow=True)
    assert response.status_code == 200
    [message] = [m for m in messages_of(response) if "approval" in m]
    assert message == (
        f"Your save withdrew the approval of 2 claims: “{REWORDED}”, “{SECOND.replace('probably', 'surely')}”. "
        f"Readers still see revision {live.number} until a new one is published."
    )


def test_the_article_admin_says_when_no_approval_was_withdrawn(client, draft, claim):
    client.force_login(draft.author)
    article = fresh(draft)
    body = article.body.replace(CLAIMED, PUNCTUATED).replace(SECOND, SECOND + " It is given by drip.")
    response = client.post(change_url(article), article_form_data(article, body=body), follow=True)
    assert "No approval was withdrawn." in messages_of(response)
    assert fresh(claim).is_approved


def test_without_a_live_revision_the_message_says_nothing_of_readers(client, draft, claim):
    client.force_login(draft.author)
    article = fresh(draft)
    response = client.post(
        change_url(article), article_form_data(article, body=article.body.replace(CLAIMED, REWORDED)), follow=True
    )
    assert f"Your save withdrew the approval of 1 claim: “{REWORDED}”." in messages_of(response)


# 3. Urgent withdrawal ----------------------------------------------------------------------------


def test_a_reviewer_pulls_a_live_claim_at_once_in_a_new_minor_revision(draft, claim, second, live, reviewer):
    notice = "Its main trial was retracted in May."
    copy = live.published_claims.get(claim=claim)
    revision = claim_withdraw_urgently(published_claim=copy, reviewer=reviewer, notice=notice)
    live = fresh(live)
    assert not live.is_live and revision.is_live
    assert (revision.number, revision.is_minor, revision.reviewed_in, revision.signed_off_by) == (2, True, live, None)
    assert revision.change_note == "A claim was withdrawn for review."
    assert revision.published_claims.get(claim=claim).under_review_notice == notice
    assert (revision.body, revision.body_html, revision.title) == (live.body, live.body_html, live.title)
    pulled = revision.published_claims.get(claim=claim)
    assert pulled.under_review_since is not None and pulled.under_review_notice == notice
    assert pulled.public_grade is None
    assert set(pulled.sources.all()) == set(claim.sources.all())
    kept = revision.published_claims.get(claim=second)
    assert kept.under_review_since is None and kept.public_grade == evidence("moderate")
    # The revision before is left as readers saw it, and the draft goes back to review.
    assert live.published_claims.get(claim=claim).under_review_since is None
    draft_claim = fresh(claim)
    assert draft_claim.review_state == Claim.ReviewState.PENDING
    assert draft_claim.decisions.filter(decision=ClaimDecision.Decision.WITHDRAWN, actor=reviewer).exists()
    with pytest.raises(PublicationRefused):
        article_publish(article=draft, user=draft.author)


def test_an_urgent_withdrawal_is_for_reviewers_with_a_notice_and_a_live_claim(
    draft, claim, second, editor, reviewer, second_reviewer
):
    with pytest.raises(ValidationError, match="not in the revision readers see"):
        claim_withdraw_urgently(claim=claim, reviewer=reviewer, notice="Retracted.")
    live = publish_again(draft, second_reviewer, "First published.")
    with pytest.raises(PermissionDenied, match="Only medical reviewers"):
        claim_withdraw_urgently(claim=claim, reviewer=editor, notice="Retracted.")
    with pytest.raises(ValidationError, match="notice"):
        claim_withdraw_urgently(claim=claim, reviewer=reviewer, notice="   ")
    older = live.published_claims.get(claim=claim)
    claim_withdraw_urgently(claim=claim, reviewer=reviewer, notice="Retracted.")
    with pytest.raises(ValidationError, match="already see this claim under review"):
        claim_withdraw_urgently(claim=claim, reviewer=reviewer, notice="Retracted again.")
    with pytest.raises(ValidationError, match="not in the revision readers see"):
        claim_withdraw_urgently(published_claim=older, reviewer=reviewer, notice="Retracted.")
    assert ArticleRevision.objects.filter(article=draft).count() == 2


# 4. Rollback -------------------------------------------------------------------------------------


def test_an_earlier_revision_is_published_again_as_a_new_one_keeping_its_review(
    draft, claim, second, live, reviewer, second_reviewer
):
    regrade(second, "limited", editor=EditorFactory(), reviewer=reviewer)
    newer = publish_again(draft, second_reviewer, "Rituximab downgraded.")
    back = article_republish(revision=live, user=draft.author, change_note="Back to the first text.")
    assert back.is_live and not fresh(newer).is_live
    assert (back.number, back.reviewed_in, back.signed_off_by, back.change_note) == (
        3,
        live,
        None,
        "Back to the first text.",
    )
    assert back.medical_review == live
    assert back.body == live.body
    copies = {copy.claim_id: copy.evidence_status for copy in back.published_claims.all()}
    assert copies == {claim.pk: evidence("moderate"), second.pk: evidence("moderate")}


def test_a_revision_without_a_medical_review_or_with_a_claim_under_review_is_not_published_again(
    draft, claim, second, live, reviewer
):
    with pytest.raises(PublicationRefused, match="readers see already"):
        article_republish(revision=live, user=draft.author, change_note="Again.")
    pulled = claim_withdraw_urgently(claim=claim, reviewer=reviewer, notice="Retracted.")
    # The first revision holds the claim pulled since: it comes back only through a new review.
    with pytest.raises(PublicationRefused, match="withdrawn for review after revision 1"):
        article_republish(revision=live, user=draft.author, change_note="Back to the first text.")
    # A revision showing a claim under review is not brought back either (here: once it is not live).
    ArticleRevision.objects.filter(pk=pulled.pk).update(is_live=False)
    ArticleRevision.objects.filter(pk=live.pk).update(is_live=True)
    with pytest.raises(PublicationRefused, match="under review"):
        article_republish(revision=pulled, user=draft.author, change_note="Again.")
    # A published revision with no medical review of its own or kept.
    ArticleRevision.objects.filter(pk=pulled.pk).update(reviewed_in=None)
    with pytest.raises(PublicationRefused, match="had no medical review"):
        article_republish(revision=fresh(pulled), user=draft.author, change_note="Again.")
    with pytest.raises(ValidationError, match="change note"):
        article_republish(revision=fresh(pulled), user=draft.author, change_note=" ")


def test_an_unpublished_revision_is_not_published_again(draft, claim, second, reviewer):
    signed = article_sign_off(article=draft, reviewer=reviewer, seen_digest=draft_digest(fresh(draft)))
    with pytest.raises(PublicationRefused, match="never published"):
        article_republish(revision=signed, user=draft.author, change_note="Rollback.")


# 5. The change log -------------------------------------------------------------------------------


def test_the_change_log_gives_each_published_revision_newest_first_with_grade_changes_and_pulled_claims(
    draft, claim, second, live, reviewer, second_reviewer
):
    regrade(second, "limited", editor=EditorFactory(), reviewer=reviewer)
    regrade(claim, "strong", editor=EditorFactory(), reviewer=reviewer)
    publish_again(draft, second_reviewer, "Grades reviewed.")
    claim_withdraw_urgently(claim=second, reviewer=reviewer, notice="Its main trial was retracted.")
    third, second_entry, first = article_change_log(fresh(draft))
    assert [(e.number, e.change_note) for e in (third, second_entry, first)] == [
        (3, "A claim was withdrawn for review."),
        (2, "Grades reviewed."),
        (1, "First published."),
    ]
    assert first.grade_changes == () and first.pulled == ()
    today = timezone.localdate()
    by_claim = {change.claim_id: change for change in second_entry.grade_changes}
    assert by_claim[second.pk].direction == "downgraded"
    assert by_claim[second.pk].text == (
        f"This claim's evidence was downgraded from Moderate to Limited on {today.day} {today:%B %Y}"
    )
    assert by_claim[claim.pk].direction == "upgraded"
    assert second_entry.date == today
    assert third.grade_changes == ()
    [pulled] = third.pulled
    assert (pulled.claim_id, pulled.notice) == (second.pk, "Its main trial was retracted.")
    assert third.is_minor and not first.is_minor


def test_a_claim_published_under_review_without_a_notice_is_not_listed_as_pulled(draft, claim, lupus):
    # An article recorded as it stood (load_demo, the migration of older articles) shows a claim nobody
    # approved under review from its first revision: it was never graded for readers, so never pulled.
    ClaimFactory(article=draft, text=SECOND, condition=lupus, evidence_status=evidence("moderate"))
    record_live_revision(fresh(draft))

    [entry] = article_change_log(fresh(draft))
    assert entry.pulled == ()
    assert entry.number == 1


def test_the_change_log_leaves_out_unpublished_revisions(draft, claim, second, reviewer):
    article_sign_off(article=draft, reviewer=reviewer, seen_digest=draft_digest(fresh(draft)))
    assert article_change_log(fresh(draft)) == []
    assert not PublishedClaim.objects.filter(revision__published_at__isnull=False).exists()


def test_sources_are_copied_not_shared_with_the_draft(draft, claim, second, live, reviewer):
    claim_withdraw_urgently(claim=claim, reviewer=reviewer, notice="Retracted.")
    draft_claim = fresh(claim)
    draft_claim.sources.add(SourceFactory())
    assert live.published_claims.get(claim=claim).sources.count() == 1
