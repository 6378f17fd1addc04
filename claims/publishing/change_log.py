"""The change log readers see, as plain data: each published revision, its note and its grade changes."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateformat import format as format_date

from articles.models import ArticleRevision

from ..models import PublishedClaim

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
        # Pulled urgently: a notice says why. A claim published under review without one (an article
        # recorded as it stood, `record_live_revision`) was never shown graded, so nothing was pulled.
        if copy.under_review_since and copy.under_review_notice and not (old and old.under_review_since):
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
    before it, by claim; the claims it pulled are those it shows under review with a reviewer's
    notice (`claim_withdraw_urgently`) that the one before showed graded (or did not show).
    """
    copies = PublishedClaim.objects.select_related("evidence_status").only(
        "revision_id",
        "claim_id",
        "quote",
        "under_review_since",
        "under_review_notice",
        "evidence_status__name",
        "evidence_status__rank",
    )
    # Two queries whatever the history's length: the revisions (without their text) and every copy of a claim.
    revisions = list(
        ArticleRevision.objects.filter(article=article, published_at__isnull=False)
        .order_by("published_at", "number")
        .only("article_id", "number", "published_at", "change_note", "is_minor")
        .prefetch_related(Prefetch("published_claims", queryset=copies))
    )
    entries, previous = [], None
    for revision in revisions:
        grades, pulled = _changes(revision, previous)
        entries.append(
            ChangeEntry(revision.number, revision.published_at, revision.change_note, revision.is_minor, grades, pulled)
        )
        previous = revision
    return entries[::-1]
