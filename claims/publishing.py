"""Publishing revisions of articles: the publication gate, the medical sign-off, scheduling.

An article row and its claims are the draft. Readers are meant to see only its live revision
(articles.ArticleRevision) and the claims published with it (PublishedClaim). A revision goes live
through `article_publish`, which refuses, with the list of what blocks it, unless:
- every claim of the draft is approved and still has its sentence;
- every sentence the integrity check takes for an ungraded health claim is claimed, or dismissed by
  a reviewer as making none (`suggestion_dismiss`, with a reason);
- the draft carries a medical sign-off (`article_sign_off`) by a reviewer who is neither the
  article's author nor the draft's last editor, given to this exact draft; or the revision is minor:
  no claimed sentence changed and no new health claim, so it keeps the live revision's review.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.services import add_months

from .models import Claim, PublishedClaim, SuggestionDismissal
from .policy import refusal_to_sign_off
from .reports import article_findings


@dataclass(frozen=True)
class Blocker:
    """One reason a draft may not be published yet, with the page where it is dealt with."""

    text: str
    url: str = ""


class PublicationRefused(ValidationError):
    def __init__(self, blockers):
        self.blockers = list(blockers)
        super().__init__([blocker.text for blocker in self.blockers])


# The draft ---------------------------------------------------------------------------------------


def draft_claims(article):
    return list(
        Claim.objects.filter(article=article)
        .with_override_reason()
        .select_related("condition", "evidence_status", "reviewed_by", "last_changed_by")
        .prefetch_related("sources")
        .order_by("start", "pk")
    )


def draft_digest(article, claims=None) -> str:
    """Names the draft exactly: its text and the version of each of its claims."""
    claims = draft_claims(article) if claims is None else claims
    parts = [article.title, article.standfirst, article.body, *(f"{c.pk}:{c.version}" for c in claims)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def draft_last_editor(article, claims=None):
    """Who last changed the draft's text or one of its claims (None when nobody is on record)."""
    claims = draft_claims(article) if claims is None else claims
    text_saved = article.history.filter(history_type__in=["+", "~"]).exclude(history_user=None).first()
    candidates = [(text_saved.history_date, text_saved.history_user)] if text_saved else []
    candidates += [(claim.updated_at, claim.last_changed_by) for claim in claims if claim.last_changed_by_id]
    return max(candidates, key=lambda pair: pair[0])[1] if candidates else None


def live_revision(article):
    return ArticleRevision.objects.filter(article=article, is_live=True).first()


def _claim_terms(claim):
    return (claim.quote, claim.condition_id, claim.evidence_status_id, frozenset(s.pk for s in claim.sources.all()))


def is_minor(article, claims=None, findings=None) -> bool:
    """No claimed sentence changed since the live revision, and no new health claim: no new sign-off needed."""
    live = live_revision(article)
    if live is None or live.medical_review is None:
        return False
    claims = draft_claims(article) if claims is None else claims
    published = {p.claim_id: p for p in live.published_claims.prefetch_related("sources")}
    if set(published) != {claim.pk for claim in claims}:
        return False
    if any(_claim_terms(claim) != _claim_terms(published[claim.pk]) for claim in claims):
        return False
    return not open_suggestions(article, findings=findings)


# The gate ----------------------------------------------------------------------------------------


def open_suggestions(article, findings=None):
    """Sentences the integrity check takes for ungraded health claims that no reviewer dismissed."""
    findings = findings or article_findings(article)
    dismissed = set(SuggestionDismissal.objects.filter(article=article).values_list("sentence", flat=True))
    return [s for s in findings.check.suggestions if s.text not in dismissed]


def _claim_blockers(claims):
    for claim in claims:
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        words = f"“{claim.quote[:80]}{'…' if len(claim.quote) > 80 else ''}”"
        if claim.is_orphaned:
            yield Blocker(f"The claim {words} has lost its sentence: re-attach or delete it.", url)
        elif not claim.is_approved:
            yield Blocker(f"The claim {words} is {claim.get_review_state_display().lower()}, not approved.", url)


def signed_off_revision(article, digest):
    """The revision signed off for this exact draft, if there is one not yet published."""
    return (
        ArticleRevision.objects.filter(article=article, draft_digest=digest, signed_off_by__isnull=False)
        .order_by("-number")
        .first()
    )


def publication_blockers(article) -> list[Blocker]:
    """Everything that stops the draft from going live now, each with where to deal with it."""
    claims = draft_claims(article)
    findings = article_findings(article)
    blockers = list(_claim_blockers(claims))
    integrity_url = reverse("admin:articles_article_change", args=[article.pk]) + "#integrity"
    for suggestion in open_suggestions(article, findings=findings):
        blockers.append(
            Blocker(f"“{suggestion.text[:80]}” reads as a health claim: claim it or dismiss it.", integrity_url)
        )
    digest = draft_digest(article, claims)
    if signed_off_revision(article, digest) is None and not is_minor(article, claims, findings):
        blockers.append(
            Blocker(
                "No medical sign-off for this draft: a reviewer who neither wrote it nor last edited it signs it off.",
                reverse("admin:articles_article_change", args=[article.pk]) + "#sign-off",
            )
        )
    return blockers


def sign_off_blockers(article, reviewer, claims=None) -> list[str]:
    claims = draft_claims(article) if claims is None else claims
    reasons = []
    refusal = refusal_to_sign_off(article, reviewer, last_editor=draft_last_editor(article, claims))
    if refusal:
        reasons.append(refusal)
    reasons += [blocker.text for blocker in _claim_blockers(claims)]
    findings = article_findings(article, claims=[c for c in claims if not c.is_orphaned])
    for check in findings.check.overclaiming:
        reasons.append(
            f"“{check.claim.quote[:80]}” is worded more strongly than its grade allows, with no reason given."
        )
    return reasons


# Writes ------------------------------------------------------------------------------------------


def _take_revision(article, claims, *, user, **fields) -> ArticleRevision:
    number = (
        ArticleRevision.objects.filter(article=article).order_by("-number").values_list("number", flat=True).first()
        or 0
    ) + 1
    revision = ArticleRevision.objects.create(
        article=article,
        number=number,
        title=article.title,
        standfirst=article.standfirst,
        body=article.body,
        body_html=article.body_html,
        body_text=article.body_text,
        draft_digest=draft_digest(article, claims),
        last_editor=draft_last_editor(article, claims),
        created_by=user,
        **fields,
    )
    for claim in claims:
        published = PublishedClaim.objects.create(
            revision=revision,
            claim=claim,
            quote=claim.quote,
            start=claim.start,
            condition=claim.condition,
            evidence_status=claim.evidence_status,
            explanation=claim.explanation,
            approved_by=claim.reviewed_by,
            approved_at=claim.reviewed_at,
            override_reason=claim.override_reason or "",
        )
        published.sources.set(claim.sources.all())
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
    reasons = sign_off_blockers(article, reviewer, claims)
    if reasons:
        raise PermissionDenied(" ".join(reasons))
    return _take_revision(article, claims, user=reviewer, signed_off_by=reviewer, signed_off_at=timezone.now())


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
    blockers = publication_blockers(article)
    if blockers:
        raise PublicationRefused(blockers)
    claims = draft_claims(article)
    revision = signed_off_revision(article, draft_digest(article, claims))
    if revision is None or revision.published_at is not None:
        live = live_revision(article)
        revision = _take_revision(article, claims, user=user, is_minor=True, reviewed_in=live.medical_review)
    revision.change_note = change_note
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
            blockers = publication_blockers(article)
            if not blockers and revision.draft_digest != draft_digest(article):
                blockers = [Blocker("The draft changed after this revision was scheduled.")]
            if blockers:
                revision.scheduled_for = None
                revision.schedule_problem = " ".join(blocker.text for blocker in blockers)
                revision.save(update_fields=["scheduled_for", "schedule_problem"])
            else:
                _make_live(revision, user=revision.scheduled_by)
            handled.append((revision, blockers))
    return handled
