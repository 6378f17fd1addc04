"""Revisions of articles: the publication gate, the medical sign-off, minor revisions and scheduling."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import article_update
from claims.models import Claim, PublishedClaim
from claims.publishing import (
    PublicationRefused,
    article_publish,
    article_sign_off,
    draft_digest,
    publication_blockers,
    publish_scheduled,
    suggestion_dismiss,
)
from claims.services import claim_approve, claim_save
from tests.factories import ArticleFactory, ClaimFactory, ConditionFactory, EditorFactory, evidence
from tests.helpers import fresh

pytestmark = pytest.mark.django_db

CLAIMED = "Stem-cell transplants may be linked to fewer flares in a few people with severe lupus."
UNGRADED = "Hydroxychloroquine reduces flares of lupus nephritis and improves survival."
PLAIN = "Many people live with the disease for decades."
BODY = f"## Lupus and stem cells\n\n{CLAIMED} {PLAIN}\n"


@pytest.fixture
def lupus(db):
    return ConditionFactory(name="Systemic lupus erythematosus", slug="sle", synonyms="lupus\nSLE")


@pytest.fixture
def draft(editor, lupus):
    return ArticleFactory(author=editor, body=BODY, status=Article.Status.DRAFT, title="Lupus and stem cells")


@pytest.fixture
def claim(draft, lupus):
    return ClaimFactory(article=draft, text=CLAIMED, condition=lupus, evidence_status=evidence("limited"))


def approve(claim, reviewer):
    claim_approve(claim=claim, reviewer=reviewer)
    return fresh(claim)


def sign_off(article, reviewer):
    return article_sign_off(article=article, reviewer=reviewer, seen_digest=draft_digest(fresh(article)))


def texts(blockers):
    return [blocker.text for blocker in blockers]


def test_a_draft_with_an_open_claim_and_no_sign_off_is_refused_with_each_reason_and_a_link(draft, claim):
    with pytest.raises(PublicationRefused) as refused:
        article_publish(article=draft, user=draft.author)
    reasons = texts(refused.value.blockers)
    assert any(CLAIMED[:40] in reason and "pending review" in reason for reason in reasons)
    assert any("No medical sign-off" in reason for reason in reasons)
    assert all(blocker.url.startswith("/admin/") for blocker in refused.value.blockers)
    assert not ArticleRevision.objects.filter(article=draft).exists()
    assert fresh(draft).status == Article.Status.DRAFT


def test_an_ungraded_health_claim_blocks_until_claimed_or_dismissed_with_a_reason(draft, claim, reviewer):
    approve(claim, reviewer)
    draft.body = BODY.replace(PLAIN, UNGRADED)
    article_update(article=draft, user=draft.author)
    assert any(UNGRADED[:40] in reason for reason in texts(publication_blockers(fresh(draft))))
    with pytest.raises(ValidationError):
        suggestion_dismiss(article=draft, sentence=UNGRADED, reviewer=reviewer, reason="  ")
    suggestion_dismiss(article=draft, sentence=UNGRADED, reviewer=reviewer, reason="Reports a trial, not advice.")
    assert not any(UNGRADED[:40] in reason for reason in texts(publication_blockers(fresh(draft))))
    # Its words change: it is suggested again.
    draft = fresh(draft)
    draft.body = draft.body.replace(UNGRADED, UNGRADED.replace("improves", "greatly improves"))
    article_update(article=draft, user=draft.author)
    assert any("greatly improves" in reason for reason in texts(publication_blockers(fresh(draft))))


def test_a_sentence_naming_several_conditions_is_one_suggestion_to_claim_or_dismiss(draft, claim, reviewer):
    ConditionFactory(name="Rheumatoid arthritis", slug="ra", synonyms="")
    several = "Hydroxychloroquine reduces flares of lupus and of rheumatoid arthritis."
    approve(claim, reviewer)
    draft.body = BODY.replace(PLAIN, several)
    article_update(article=draft, user=draft.author)
    assert sum(several[:40] in reason for reason in texts(publication_blockers(fresh(draft)))) == 1


def test_the_author_and_the_last_editor_may_not_sign_off(draft, claim, editor, reviewer, second_reviewer):
    approve(claim, reviewer)
    with pytest.raises(PermissionDenied, match="Only medical reviewers"):
        sign_off(draft, editor)
    Article.objects.filter(pk=draft.pk).update(author=second_reviewer)
    with pytest.raises(PermissionDenied, match="You wrote"):
        sign_off(draft, second_reviewer)
    Article.objects.filter(pk=draft.pk).update(author=editor)
    draft = fresh(draft)
    draft.body = draft.body.replace(PLAIN, "Many people live with lupus for decades.")
    article_update(article=draft, user=second_reviewer)
    with pytest.raises(PermissionDenied, match="You last edited this draft"):
        sign_off(draft, second_reviewer)
    assert sign_off(draft, reviewer).signed_off_by == reviewer


def test_sign_off_is_refused_while_a_claim_is_open_and_when_the_draft_changed_since_it_was_seen(draft, claim, reviewer):
    with pytest.raises(PermissionDenied, match="not approved"):
        sign_off(draft, reviewer)
    approve(claim, reviewer)
    seen = draft_digest(fresh(draft))
    draft = fresh(draft)
    draft.title = "Lupus and stem cells, revised"
    article_update(article=draft, user=draft.author)
    with pytest.raises(ValidationError, match="changed after you opened it"):
        article_sign_off(article=draft, reviewer=reviewer, seen_digest=seen)


def test_a_signed_off_draft_goes_live_with_copies_of_its_claims_and_dates_the_review(draft, claim, reviewer):
    approve(claim, reviewer)
    signed = sign_off(draft, reviewer)
    live = article_publish(article=draft, user=draft.author, change_note="First published.")
    assert live == signed and live.is_live and live.number == 1
    [published] = live.published_claims.all()
    assert (published.quote, published.evidence_status, published.approved_by, published.public_grade) == (
        CLAIMED,
        evidence("limited"),
        reviewer,
        evidence("limited"),
    )
    article = fresh(draft)
    assert article.status == Article.Status.PUBLISHED
    assert (article.medical_reviewer, article.last_reviewed) == (reviewer, timezone.localdate())


def test_an_edit_after_publication_leaves_the_live_revision_as_it_was(draft, claim, reviewer):
    approve(claim, reviewer)
    sign_off(draft, reviewer)
    live = article_publish(article=draft, user=draft.author)
    draft = fresh(draft)
    draft.body = draft.body.replace(CLAIMED, "Stem-cell transplants cure lupus in every patient.")
    article_update(article=draft, user=draft.author)
    claim = fresh(claim)
    claim.evidence_status = evidence("strong")
    claim_save(claim=claim, user=draft.author, changed_fields={"evidence_status"}, sources=claim.sources.all())
    live = ArticleRevision.objects.get(pk=live.pk)
    assert live.is_live and live.body == BODY
    [published] = live.published_claims.all()
    assert (published.quote, published.evidence_status) == (CLAIMED, evidence("limited"))
    assert fresh(claim).review_state == Claim.ReviewState.PENDING
    with pytest.raises(PublicationRefused):
        article_publish(article=draft, user=draft.author)
    assert ArticleRevision.objects.get(article=draft, is_live=True) == live


def test_a_minor_revision_is_published_without_a_new_sign_off_and_keeps_the_review(draft, claim, reviewer):
    approve(claim, reviewer)
    first = sign_off(draft, reviewer)
    article_publish(article=draft, user=draft.author)
    draft = fresh(draft)
    draft.body = draft.body.replace("decades.", "decades, often well.")
    article_update(article=draft, user=draft.author)
    second = article_publish(article=draft, user=draft.author, change_note="A clearer sentence.")
    assert (second.number, second.is_minor, second.signed_off_by, second.reviewed_in) == (2, True, None, first)
    assert second.medical_review == first
    assert list(ArticleRevision.objects.filter(article=draft, is_live=True)) == [second]


def test_a_reworded_claim_is_not_minor_and_needs_a_sign_off(draft, claim, reviewer, second_reviewer):
    approve(claim, reviewer)
    sign_off(draft, reviewer)
    article_publish(article=draft, user=draft.author)
    draft = fresh(draft)
    draft.body = draft.body.replace("a few people", "some people")
    article_update(article=draft, user=draft.author)
    approve(fresh(claim), second_reviewer)
    assert any("No medical sign-off" in reason for reason in texts(publication_blockers(fresh(draft))))


def test_a_scheduled_revision_goes_live_when_its_time_comes(draft, claim, reviewer):
    approve(claim, reviewer)
    sign_off(draft, reviewer)
    when = timezone.now() + datetime.timedelta(hours=2)
    scheduled = article_publish(article=draft, user=draft.author, at=when)
    assert not scheduled.is_live and scheduled.scheduled_for == when
    assert publish_scheduled(now=when - datetime.timedelta(minutes=1)) == []
    [(handled, blockers)] = publish_scheduled(now=when + datetime.timedelta(minutes=1))
    assert blockers == [] and fresh(handled).is_live
    assert fresh(draft).status == Article.Status.PUBLISHED


def test_a_scheduled_revision_whose_gate_fails_when_its_time_comes_stays_off_and_says_why(draft, claim, reviewer):
    approve(claim, reviewer)
    sign_off(draft, reviewer)
    when = timezone.now() + datetime.timedelta(hours=2)
    scheduled = article_publish(article=draft, user=draft.author, at=when)
    claim = fresh(claim)
    claim.evidence_status = evidence("moderate")
    claim_save(claim=claim, user=EditorFactory(), changed_fields={"evidence_status"}, sources=claim.sources.all())
    [(handled, blockers)] = publish_scheduled(now=when + datetime.timedelta(minutes=1))
    scheduled = fresh(scheduled)
    assert blockers and not scheduled.is_live and scheduled.scheduled_for is None
    assert "not approved" in scheduled.schedule_problem
    assert not ArticleRevision.objects.filter(article=draft, is_live=True).exists()
    assert PublishedClaim.objects.filter(revision=scheduled).get().evidence_status == evidence("limited")


def test_recording_a_medical_review_does_not_make_the_reviewer_the_drafts_last_editor(draft, claim, reviewer):
    approve(claim, reviewer)
    draft = fresh(draft)
    draft.title = "Lupus and stem cells, revised"
    article_update(article=draft, user=draft.author)
    # A save of other fields by the reviewer, as recording a review or archiving makes.
    draft = fresh(draft)
    draft.review_interval_months = 6
    draft._history_user = reviewer
    draft.save(update_fields=["review_interval_months"])
    assert sign_off(draft, reviewer).last_editor == draft.author


def test_blockers_quote_long_sentences_cut_at_a_word_with_an_ellipsis(draft, claim):
    long_words = (
        "Stem-cell transplants may be linked to fewer flares in a few people with severe lupus who have tried "
        "every other medicine."
    )
    draft.body = BODY.replace(CLAIMED, long_words)
    article_update(article=draft, user=draft.author)
    [quoted] = [
        reason
        for reason in texts(publication_blockers(fresh(draft)))
        if "lost its sentence" in reason or "pending" in reason
    ]
    shown = quoted.split("“", 1)[1].split("”", 1)[0]
    assert shown.endswith("…") and long_words.startswith(shown[:-1]) and not shown[:-1].endswith(" ")
