"""What an article page tells readers of the article's history: its dates and its list of changes.

Everything here comes from the live revision and the revisions published before it, never from the
draft: a field an editor can change on the article row (its change note, say) shows nowhere until a
revision carrying it is published. The one date taken from the article row is its first
publication (`Article.published_at`, set once by the first revision to go live).

- "Written by NAME": the article's author, as their profile names them (people.bylines).
- "Medically reviewed by NAME, CREDENTIALS on DATE": the live revision's medical review
  (`medical_review`): its own sign-off, or for a minor revision the sign-off it keeps; the name and
  credentials are the signer's profile's, linking to their page.
- "Published DATE": the first publication; "Last updated DATE": the live revision's publication,
  when later than the first.
- "Changes to this article": each published revision, newest first, with its change note, the
  evidence grades that went up or down with it and the claims it pulled urgently
  (`claims.publishing.article_change_log`).

`build` (stored.py) computes the record once, with the live revision it read, into the stored
page; pages staff reach without a stored page (a draft preview, an article readers cannot see)
compute it as they are rendered.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from articles.models import ArticleRevision
from people.bylines import Person, person_for

if TYPE_CHECKING:
    from ..publishing.change_log import ChangeEntry

# A long history shows its latest changes in the list and the earlier ones folded away under them.
CHANGES_SHOWN = 10


@dataclass(frozen=True)
class PublicRecord:
    """An article's dates and changes as readers are told them: from its live revision (None if never published)."""

    revision: ArticleRevision | None
    first_published: datetime.datetime | None
    reviewed_on: datetime.date | None = None
    changes: tuple["ChangeEntry", ...] = ()
    author: Person | None = None
    reviewer: Person | None = None

    @property
    def reviewer_name(self) -> str:
        return self.reviewer.name if self.reviewer is not None else ""

    @property
    def is_medically_reviewed(self) -> bool:
        return self.reviewed_on is not None

    @property
    def last_updated(self) -> datetime.datetime | None:
        """When the live revision was published, if that was after the first publication."""
        published = self.revision.published_at if self.revision is not None else None
        if published is None or self.first_published is None or published <= self.first_published:
            return None
        return published

    @property
    def date_modified(self) -> datetime.datetime | None:
        """The live revision's publication: the day readers' text last changed."""
        return self.revision.published_at if self.revision is not None else None

    @property
    def recent_changes(self) -> tuple["ChangeEntry", ...]:
        return self.changes[:CHANGES_SHOWN]

    @property
    def earlier_changes(self) -> tuple["ChangeEntry", ...]:
        return self.changes[CHANGES_SHOWN:]

    @property
    def first_entry(self) -> "ChangeEntry | None":
        """The oldest published revision: the article's first publication."""
        return self.changes[-1] if self.changes else None


def live_revision_of(article_id) -> ArticleRevision | None:
    """The article's live revision, with who signed off its medical review and their profile, in one query."""
    return (
        ArticleRevision.objects.select_related("signed_off_by__profile", "reviewed_in__signed_off_by__profile")
        .filter(article_id=article_id, is_live=True)
        .first()
    )


def public_record(article, revision=None) -> PublicRecord:
    """The record readers see of `article`, from `revision` (its live revision; read when not given)."""
    # claims.publishing imports the pages (to mark them stale): its change log is read when needed.
    from ..publishing.change_log import article_change_log

    if revision is None:
        revision = live_revision_of(article.pk)
    author = person_for(article.author) if article.author_id else None
    if revision is None:
        return PublicRecord(revision=None, first_published=None, author=author)
    review = revision.medical_review
    return PublicRecord(
        revision=revision,
        first_published=article.published_at or revision.published_at,
        reviewed_on=timezone.localdate(review.signed_off_at) if review is not None else None,
        changes=tuple(article_change_log(article)),
        author=author,
        reviewer=person_for(review.signed_off_by) if review is not None else None,
    )


def record_for(article) -> PublicRecord:
    """The article's record, kept on the object: `build` sets it, other renderings read it once."""
    record = getattr(article, "public_record", None)
    if record is None:
        record = public_record(article, getattr(article, "live_revision", None))
        article.public_record = record
    return record
