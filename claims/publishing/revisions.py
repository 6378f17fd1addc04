"""Revisions going live: sign-off, publishing now or at a set time, urgent withdrawal, republishing."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import add_months

from .. import assignments, map_counts, notices, pages
from ..models import Claim, PublishedClaim, SuggestionDismissal
from ..policy import refusal_to_republish, refusal_to_sign_off, refusal_to_withdraw_urgently
from ..services import claim_withdraw_approval, send_to_reviewers
from .gate import (
    Blocker,
    PublicationRefused,
    draft_claims,
    draft_digest,
    draft_last_editor,
    gate,
    live_revision,
    shortened,
    sign_off_blockers,
)

# Writes ------------------------------------------------------------------------------------------


def _next_number(article_id) -> int:
    numbers = ArticleRevision.objects.filter(article_id=article_id).order_by("-number").values_list("number", flat=True)
    return (numbers.first() or 0) + 1


def _copy_claims(revision, claims):
    """Copy the claims onto the revision as readers will see them: approved with their grade, else under review.

    Two inserts whatever the number of claims: the copies, then their sources (the claims' sources
    prefetched, as `draft_claims` reads them).
    """
    copies = []
    for claim in claims:
        approved = claim.is_approved and claim.reviewed_by_id is not None
        copies.append(
            PublishedClaim(
                revision=revision,
                claim=claim,
                quote=claim.quote,
                start=claim.start,
                condition_id=claim.condition_id,
                evidence_status_id=claim.evidence_status_id,
                explanation=claim.explanation,
                approved_by_id=claim.reviewed_by_id if approved else None,
                approved_at=(claim.reviewed_at or claim.updated_at) if approved else None,
                override_reason=(getattr(claim, "override_reason", None) or "") if approved else "",
                under_review_since=None if approved else claim.updated_at,
            )
        )
    PublishedClaim.objects.bulk_create(copies)
    _copy_sources(copies, [claim.sources.all() for claim in claims])


def _copy_sources(copies, sources):
    """Give each new copy its sources (`sources[i]` for `copies[i]`), in one insert."""
    Through = PublishedClaim.sources.through
    Through.objects.bulk_create(
        Through(publishedclaim_id=copy.pk, source_id=source.pk)
        for copy, its_sources in zip(copies, sources, strict=True)
        for source in its_sources
    )


TEXT_FIELDS = ("title", "standfirst", "body", "body_html", "body_text")


def _new_revision(article_id, text, **fields) -> ArticleRevision:
    """The article's next revision, with the title, standfirst and body of `text` (the draft or a revision)."""
    return ArticleRevision.objects.create(
        article_id=article_id,
        number=_next_number(article_id),
        **{name: getattr(text, name) for name in TEXT_FIELDS},
        **fields,
    )


def _take_revision(article, claims, *, user, last_editor=None, **fields) -> ArticleRevision:
    revision = _new_revision(
        article.pk,
        article,
        draft_digest=draft_digest(article, claims),
        last_editor=draft_last_editor(article, claims) if last_editor is None else last_editor,
        created_by=user,
        **fields,
    )
    _copy_claims(revision, claims)
    return revision


def record_live_revision(article, *, replace=False) -> ArticleRevision:
    """Record the article as it stands as its live revision, without the gate: what readers are shown.

    What migration claims 0016 did for the articles published before revisions existed: the
    article's text, approved claims with their grade and the others under review, its last medical
    review as the sign-off. It returns the live revision there is unless `replace` (the tests'
    shortcut, tests.factories.published), which records a new one. Nothing the site offers editors
    or the demo publishes this way: they go through `article_sign_off` and `article_publish`.
    """
    live = live_revision(article)
    if live is not None and not replace:
        return live
    ArticleRevision.objects.filter(article=article, is_live=True).update(is_live=False)
    claims = draft_claims(article)
    reviewed = article.medical_reviewer_id is not None and article.last_reviewed is not None
    revision = _new_revision(
        article.pk,
        article,
        draft_digest=draft_digest(article, claims),
        signed_off_by_id=article.medical_reviewer_id if reviewed else None,
        signed_off_at=(
            timezone.make_aware(datetime.datetime.combine(article.last_reviewed, datetime.time(12)))
            if reviewed
            else None
        ),
        change_note=article.change_note,
        is_live=True,
        published_at=timezone.now() if replace else (article.published_at or timezone.now()),
    )
    _copy_claims(revision, [claim for claim in claims if not claim.is_orphaned])
    map_counts.refresh([article.pk])
    return revision


def _locked(article):
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def article_sign_off(*, article, reviewer, seen_digest: str) -> ArticleRevision:
    """Sign off the draft as the reviewer saw it: a revision is taken, ready to publish.

    Refused when the draft changed since the reviewer's page was drawn (`seen_digest`), for the
    article's author and the draft's last editor, and while any claim is open or overclaims unreasoned.
    """
    article = _locked(article)
    claims = draft_claims(article)
    if draft_digest(article, claims) != seen_digest:
        raise ValidationError("The draft changed after you opened it: look at it again before signing it off.")
    last_editor = draft_last_editor(article, claims)
    reasons = sign_off_blockers(article, reviewer, claims, last_editor=last_editor)
    if reasons:
        raise PermissionDenied(" ".join(reasons))
    revision = _take_revision(
        article, claims, user=reviewer, last_editor=last_editor, signed_off_by=reviewer, signed_off_at=timezone.now()
    )
    assignments.mark_done(article)
    notices.article_signed_off(revision)
    return revision


@transaction.atomic
def suggestion_dismiss(*, article, sentence: str, reviewer, reason: str) -> SuggestionDismissal:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say in a few words why this sentence makes no health claim.")
    refusal = refusal_to_sign_off(article, reviewer, last_editor=None)
    if refusal:
        raise PermissionDenied(refusal)
    dismissal, _ = SuggestionDismissal.objects.update_or_create(
        article=article, sentence=sentence, defaults={"reason": reason[:300], "dismissed_by": reviewer}
    )
    return dismissal


@transaction.atomic
def article_publish(*, article, user, change_note: str = "", at=None) -> ArticleRevision:
    """Publish the draft now, or schedule it for `at`; refused with PublicationRefused listing the blockers."""
    article = _locked(article)
    claims = draft_claims(article)
    blockers, revision = gate(article, claims)
    if blockers:
        raise PublicationRefused(blockers)
    if revision is None or revision.published_at is not None:
        live = live_revision(article)
        revision = _take_revision(article, claims, user=user, is_minor=True, reviewed_in=live.medical_review)
    revision.change_note = change_note
    # One schedule an article: publishing now, or scheduling this draft, replaces any other.
    ArticleRevision.objects.scheduled().filter(article=article).exclude(pk=revision.pk).update(
        scheduled_for=None, scheduled_by=None
    )
    if at is not None and at > timezone.now():
        revision.scheduled_for, revision.scheduled_by, revision.schedule_problem = at, user, ""
        revision.save(update_fields=["change_note", "scheduled_for", "scheduled_by", "schedule_problem"])
        return revision
    return _make_live(revision, user=user)


def _make_live(revision, *, user):
    """The revision becomes the one readers see; a signed-off one also dates the article's medical review."""
    now = timezone.now()
    ArticleRevision.objects.filter(article_id=revision.article_id, is_live=True).update(is_live=False)
    revision.is_live, revision.published_at, revision.published_by = True, now, user
    revision.save(update_fields=["is_live", "published_at", "published_by", "change_note"])
    article = Article.objects.get(pk=revision.article_id)
    article.status = Article.Status.PUBLISHED
    article.published_at = article.published_at or now
    fields = ["status", "published_at"]
    review = revision.medical_review
    if review is not None:
        reviewed_on = timezone.localdate(review.signed_off_at)
        if (article.medical_reviewer_id, article.last_reviewed) != (review.signed_off_by_id, reviewed_on):
            article.medical_reviewer_id, article.last_reviewed = review.signed_off_by_id, reviewed_on
            article.next_review_due = add_months(reviewed_on, article.review_interval_months)
            fields += ["medical_reviewer", "last_reviewed", "next_review_due"]
    article._history_user, article._change_reason = user, f"Revision {revision.number} published"
    article.save(update_fields=fields)
    pages.mark_stale([article.pk])
    map_counts.refresh([article.pk])  # the claims it dropped leave the evidence maps, those it brings join them
    return revision


def publish_scheduled(*, now=None) -> list[tuple[ArticleRevision, list[Blocker]]]:
    """Publish every scheduled revision whose time has come, checking the gate again for each.

    A revision that fails the gate does not go live: its schedule is taken off and the reason kept.
    Returns each revision handled with what blocked it (an empty list when it went live).
    """
    now = now or timezone.now()
    handled = []
    due = ArticleRevision.objects.scheduled().filter(scheduled_for__lte=now).select_related("article")
    for revision in due.order_by("scheduled_for", "pk"):
        with transaction.atomic():
            article = _locked(revision.article)
            claims = draft_claims(article)
            blockers, _ = gate(article, claims)
            if not blockers and revision.draft_digest != draft_digest(article, claims):
                blockers = [Blocker("The draft changed after this revision was scheduled.")]
            if blockers:
                problem = " ".join(blocker.text for blocker in blockers)
                notices.schedule_failed(revision, problem)
                revision.scheduled_for, revision.schedule_problem = None, problem
                revision.save(update_fields=["scheduled_for", "schedule_problem"])
            else:
                _make_live(revision, user=revision.scheduled_by)
            handled.append((revision, blockers))
    return handled


# Copies of published revisions: urgent withdrawal, rollback ---------------------------------------


def _copy_revision(source, *, user, under_review=None, **fields) -> ArticleRevision:
    """A new revision with the text and the claim copies of `source`; `under_review` maps copy pks to notices."""
    under_review, now = under_review or {}, timezone.now()
    copy = _new_revision(
        source.article_id,
        source,
        draft_digest=source.draft_digest,
        last_editor=source.last_editor,
        created_by=user,
        **fields,
    )
    copies, sources = [], []
    for published in source.published_claims.prefetch_related("sources").order_by("pk"):
        sources.append(list(published.sources.all()))
        if published.pk in under_review:
            published.under_review_since, published.under_review_notice = now, under_review[published.pk]
        published.pk, published.revision = None, copy
        published.mapped, published.article_published_at = False, None  # until it goes live (map_counts.refresh)
        published._state.adding, published._prefetched_objects_cache = True, {}  # a new row, no sources yet
        copies.append(published)
    PublishedClaim.objects.bulk_create(copies)
    _copy_sources(copies, sources)
    return copy


# The revision's change note; the change log gives the claim and its notice beside it.
URGENT_NOTE = "A claim was withdrawn for review."


@transaction.atomic
def claim_withdraw_urgently(*, reviewer, notice: str, published_claim=None, claim=None) -> ArticleRevision:
    """Pull one claim from the live page at once: a new revision is published showing it under review.

    Pass the claim's copy in the live revision (`published_claim`) or its draft (`claim`). The new
    revision copies the live one (text and every published claim), with that claim's copy under
    review since now and the reviewer's `notice` (required: readers see it), as a minor revision
    keeping the live one's medical review. The draft claim goes back to review too, its approval
    withdrawn with the notice as the reason, so that no later publication brings its badge back
    without a reviewer's new decision.

    Reviewers only (claims.policy.refusal_to_withdraw_urgently). Refused (ValidationError) without
    a notice, when the claim is not in the live revision, and when readers already see it under review.
    """
    notice = (notice or "").strip()
    if not notice:
        raise ValidationError("Write the notice readers see: why this claim is under review.")
    refusal = refusal_to_withdraw_urgently(reviewer)
    if refusal:
        raise PermissionDenied(refusal)
    if (published_claim is None) == (claim is None):
        raise TypeError("Pass either the published claim or the claim.")
    article_id = published_claim.revision.article_id if claim is None else claim.article_id
    article = Article.objects.select_for_update().get(pk=article_id)
    live = live_revision(article)
    copies = list(live.published_claims.all()) if live else []
    if claim is None:
        target = next((copy for copy in copies if copy.pk == published_claim.pk), None)
    else:
        target = next((copy for copy in copies if copy.claim_id == claim.pk), None)
    if target is None:
        raise ValidationError("This claim is not in the revision readers see: there is nothing to withdraw from them.")
    if target.under_review_since:
        raise ValidationError("Readers already see this claim under review.")
    revision = _copy_revision(
        live,
        user=reviewer,
        under_review={target.pk: notice},
        is_minor=True,
        origin=ArticleRevision.Origin.WITHDRAWAL,
        reviewed_in=live.medical_review,
        change_note=URGENT_NOTE,
    )
    _make_live(revision, user=reviewer)
    if target.claim_id is not None:
        _withdraw_draft(target.claim_id, reviewer=reviewer, notice=notice)
    return revision


def _withdraw_draft(claim_pk, *, reviewer, notice):
    draft = Claim.objects.select_for_update().get(pk=claim_pk)
    if not draft.is_approved:
        return
    send_to_reviewers(draft)
    draft._history_user, draft._change_reason = reviewer, "Withdrawn for review from the live page"
    draft.save(update_fields=["review_state", "queued_at", "updated_at"])
    claim_withdraw_approval(claim=draft, actor=reviewer, reason=f"Approval withdrawn urgently: {notice}")


def republish_blockers(revision) -> list[Blocker]:
    """Why an earlier revision may not be published again (an empty list when it may).

    It must have been published, not be the live one, have had a medical review (its own sign-off
    or the one it kept), show no claim under review, and hold no claim that a reviewer pulled from
    readers after it went out: such a claim comes back only through a new review.
    """
    name = f"Revision {revision.number}"
    if revision.published_at is None:
        return [Blocker(f"{name} was never published: only a published revision can be published again.")]
    if revision.is_live:
        return [Blocker(f"{name} is the one readers see already.")]
    blockers = []
    if revision.medical_review is None:
        blockers.append(Blocker(f"{name} had no medical review: it cannot be published again."))
    copies = list(revision.published_claims.all())
    for copy in copies:
        if copy.under_review_since:
            blockers.append(Blocker(f"In {name.lower()}, readers saw “{shortened(copy.quote)}” under review."))
    pulled_since = (
        PublishedClaim.objects.filter(
            revision__article_id=revision.article_id,
            revision__published_at__gt=revision.published_at,
            under_review_since__isnull=False,
            claim_id__in=[copy.claim_id for copy in copies if copy.claim_id and not copy.under_review_since],
        )
        .values_list("claim_id", flat=True)
        .distinct()
    )
    pulled_since = set(pulled_since)
    for copy in copies:
        if copy.claim_id in pulled_since:
            blockers.append(
                Blocker(
                    f"“{shortened(copy.quote)}” was withdrawn for review after {name.lower()}: "
                    "it comes back only through a new review."
                )
            )
    return blockers


@transaction.atomic
def article_republish(*, revision, user, change_note: str) -> ArticleRevision:
    """Publish an earlier revision again, as a new revision copying it (text and claim copies).

    The new revision is numbered next and keeps the old one's medical review (`reviewed_in`), so the
    article's review date is that review's again. Refused with PublicationRefused listing
    `republish_blockers`; a change note for readers is required; editors and reviewers only.
    """
    change_note = (change_note or "").strip()
    if not change_note:
        raise ValidationError("Write the change note readers see: why an earlier revision is back.")
    refusal = refusal_to_republish(user)
    if refusal:
        raise PermissionDenied(refusal)
    _locked(Article(pk=revision.article_id))
    revision = ArticleRevision.objects.get(pk=revision.pk)
    blockers = republish_blockers(revision)
    if blockers:
        raise PublicationRefused(blockers)
    copy = _copy_revision(
        revision,
        user=user,
        origin=ArticleRevision.Origin.REPUBLICATION,
        reviewed_in=revision.medical_review,
        change_note=change_note[:300],
    )
    return _make_live(copy, user=user)


@transaction.atomic
def schedule_cancel(*, revision, user):
    """Take the schedule off a revision that has not gone live; it stays signed off and can be published."""
    revision = ArticleRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.published_at is not None or revision.scheduled_for is None:
        raise ValidationError("This revision is not scheduled any more.")
    revision.scheduled_for, revision.scheduled_by = None, None
    revision.save(update_fields=["scheduled_for", "scheduled_by"])
    return revision
