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

Other ways a revision goes live, each a copy of one already published:
- `claim_withdraw_urgently`: a reviewer pulls one live claim at once (its main source was retracted,
  say); readers see it under review, with the reviewer's notice, and its draft goes back to review.
  This is the only way a live page shows a claim under review.
- `article_republish`: an earlier revision is published again (a rollback), only when it had a
  medical review and no claim of it is under review or was pulled since.

`punctuation_changes` lists the approved claims whose words an edit touched only in punctuation or
case (they kept their approval) for the sign-off, and `article_change_log` gives readers' change log
as plain data: each published revision with its note, its grade changes and the claims it pulled.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from articles.models import Article, ArticleRevision
from articles.services import add_months

from . import pages
from .models import Claim, PublishedClaim, SuggestionDismissal
from .policy import refusal_to_republish, refusal_to_sign_off, refusal_to_withdraw_urgently
from .reports import article_findings
from .services import claim_withdraw_approval
from .text.punctuation import same_words


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
    pages.mark_stale([article.pk])
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


# Punctuation-only changes, for the sign-off ------------------------------------------------------


@dataclass(frozen=True)
class PunctuationChange:
    """An approved claim whose words changed only in punctuation, spacing, quote marks, dashes or case."""

    claim: Claim
    before: str  # the words readers see (the live revision's copy), or those its reviewer approved
    after: str  # the words of the draft


def punctuation_changes(article) -> list[PunctuationChange]:
    """The approved claims of the draft whose words differ from their approved words only in punctuation or case.

    Re-anchoring lets such a claim keep its approval (claims.reanchoring): the sign-off page lists
    them so that the signer sees every change of a claimed sentence. A claim is compared with its
    copy in the live revision; one not published yet, with the words its reviewer approved
    (`previous_quote`, kept by re-anchoring).
    """
    live = live_revision(article)
    published = dict(live.published_claims.values_list("claim_id", "quote")) if live else {}
    changes = []
    for claim in draft_claims(article):
        if not claim.is_approved:
            continue
        before = published.get(claim.pk) or ("" if claim.text_changed else claim.previous_quote)
        if before and before != claim.quote and same_words(before, claim.quote):
            changes.append(PunctuationChange(claim=claim, before=before, after=claim.quote))
    return changes


# Copies of published revisions: urgent withdrawal, rollback ---------------------------------------


def _next_number(article_id) -> int:
    last = ArticleRevision.objects.filter(article_id=article_id).order_by("-number").values_list("number", flat=True)
    return (last.first() or 0) + 1


def _copy_revision(source, *, user, under_review=None, **fields) -> ArticleRevision:
    """A new revision with the text and the claim copies of `source`; `under_review` maps copy pks to notices."""
    under_review, now = under_review or {}, timezone.now()
    copy = ArticleRevision.objects.create(
        article_id=source.article_id,
        number=_next_number(source.article_id),
        title=source.title,
        standfirst=source.standfirst,
        body=source.body,
        body_html=source.body_html,
        body_text=source.body_text,
        draft_digest=source.draft_digest,
        last_editor=source.last_editor,
        created_by=user,
        **fields,
    )
    for published in source.published_claims.prefetch_related("sources").order_by("pk"):
        sources = list(published.sources.all())
        if published.pk in under_review:
            published.under_review_since, published.under_review_notice = now, under_review[published.pk]
        published.pk, published.revision = None, copy
        published._state.adding, published._prefetched_objects_cache = True, {}  # a new row, no sources yet
        published.save()
        published.sources.set(sources)
    return copy


URGENT_NOTE = "A claim was withdrawn for review: {notice}"


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
        reviewed_in=live.medical_review,
        change_note=URGENT_NOTE.format(notice=notice)[:300],
    )
    _make_live(revision, user=reviewer)
    if target.claim_id is not None:
        _withdraw_draft(target.claim_id, reviewer=reviewer, notice=notice)
    return revision


def _withdraw_draft(claim_pk, *, reviewer, notice):
    draft = Claim.objects.select_for_update().get(pk=claim_pk)
    if not draft.is_approved:
        return
    draft.review_state = Claim.ReviewState.PENDING
    draft._history_user, draft._change_reason = reviewer, "Withdrawn for review from the live page"
    draft.save(update_fields=["review_state", "updated_at"])
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
            blockers.append(Blocker(f"In {name.lower()}, readers saw “{copy.quote[:80]}” under review."))
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
                    f"“{copy.quote[:80]}” was withdrawn for review after {name.lower()}: "
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
    copy = _copy_revision(revision, user=user, reviewed_in=revision.medical_review, change_note=change_note[:300])
    return _make_live(copy, user=user)


# The change log readers see ---------------------------------------------------------------------


def _day(moment) -> str:
    return format_date(timezone.localtime(moment), "j F Y")


@dataclass(frozen=True)
class GradeChange:
    """A claim published in two revisions in a row with another grade in the later one."""

    claim_id: int
    quote: str
    before: str  # the grades' names
    after: str
    direction: str  # "downgraded" (the later grade is weaker: a higher rank), "upgraded" or "changed"
    on: datetime.datetime

    @property
    def text(self) -> str:
        return f"This claim's evidence was {self.direction} from {self.before} to {self.after} on {_day(self.on)}"


@dataclass(frozen=True)
class PulledClaim:
    """A claim the revision showed under review where the revision before showed it graded."""

    claim_id: int | None
    quote: str
    notice: str
    since: datetime.datetime

    @property
    def text(self) -> str:
        return f"This claim was withdrawn for review on {_day(self.since)}: {self.notice}"


@dataclass(frozen=True)
class ChangeEntry:
    """One published revision in the change log."""

    number: int
    published_at: datetime.datetime
    change_note: str
    is_minor: bool
    grade_changes: tuple[GradeChange, ...] = ()
    pulled: tuple[PulledClaim, ...] = ()

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.published_at)


def _direction(before, after) -> str:
    # EvidenceStatus.rank: lower numbers are stronger evidence.
    if after.rank > before.rank:
        return "downgraded"
    return "upgraded" if after.rank < before.rank else "changed"


def _changes(revision, previous):
    before = {copy.claim_id: copy for copy in previous.published_claims.all() if copy.claim_id} if previous else {}
    grades, pulled = [], []
    for copy in revision.published_claims.all():
        old = before.get(copy.claim_id) if copy.claim_id else None
        if copy.under_review_since and not (old and old.under_review_since):
            pulled.append(PulledClaim(copy.claim_id, copy.quote, copy.under_review_notice, copy.under_review_since))
        if old is not None and old.evidence_status_id != copy.evidence_status_id:
            old_grade, new_grade = old.evidence_status, copy.evidence_status
            grades.append(
                GradeChange(
                    copy.claim_id,
                    copy.quote,
                    old_grade.name,
                    new_grade.name,
                    _direction(old_grade, new_grade),
                    revision.published_at,
                )
            )
    return tuple(grades), tuple(pulled)


def article_change_log(article) -> list[ChangeEntry]:
    """Each published revision of the article, newest first, with its note and what changed for readers.

    Grade changes compare the claim copies of each revision with those of the revision published
    before it, by claim; the claims it pulled are those it shows under review that the one before
    showed graded (or did not show).
    """
    revisions = list(
        ArticleRevision.objects.filter(article=article, published_at__isnull=False)
        .order_by("published_at", "number")
        .prefetch_related("published_claims__evidence_status")
    )
    entries, previous = [], None
    for revision in revisions:
        grades, pulled = _changes(revision, previous)
        entries.append(
            ChangeEntry(revision.number, revision.published_at, revision.change_note, revision.is_minor, grades, pulled)
        )
        previous = revision
    return entries[::-1]
