"""Assignments: who reviews a claim, or signs off an article's draft, and by when.

An editor assigns a review to a reviewer from the claim's or the article's page; a reviewer takes one
("Take this") from the review queue or the claim's page, due `settings.ASSIGNMENT_DAYS` days later.
Nobody is assigned what they could not decide on (claims.policy.refusal_to_assign). A decision on the
claim (claims.services.claim_decide) or the draft's sign-off (claims.publishing.article_sign_off)
marks the assignment done; an assignee who becomes the claim's last changer, or the draft's last
editor, can no longer decide on it, and the assignment is released with a message saying so.
The assignee is told of an assignment someone else made, and the earlier assignee of a reassignment
(claims.notices.review_assigned, assignment_released); nobody is told of taking a review themselves.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article

from . import notices
from .models import Assignment, Claim
from .policy import may_assign, refusal_to_assign
from .selectors import open_assignment


def default_due(today=None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.ASSIGNMENT_DAYS)


def _locked(target):
    """The claim or article row, locked: two assignments of one target are made one after the other."""
    model = Claim if isinstance(target, Claim) else Article
    return model.objects.select_for_update().get(pk=target.pk)


def last_editor_of(target):
    """Who last changed the claim, or the article's draft (its text or one of its claims)."""
    if isinstance(target, Claim):
        return target.last_changed_by
    from .publishing.gate import draft_last_editor  # publishing marks assignments done: imported when asked

    return draft_last_editor(target)


@transaction.atomic
def assign(*, target, reviewer, due_on, by, replace=False) -> Assignment:
    """Assign `target` (a Claim, or an Article's draft review) to `reviewer`, due on `due_on`, by `by`.

    Refused (ValidationError, PermissionDenied) with the sentence to show: `by` neither edits nor reviews,
    the reviewer could not decide on it, the due date is past, or it is assigned to someone else already
    and `replace` is not given (an editor's reassignment gives it: the earlier one is released).
    """
    if not may_assign(by):
        raise PermissionDenied("Only editors and medical reviewers can assign reviews.")
    if reviewer is None:
        raise ValidationError("Choose the reviewer to assign.")
    if due_on is None:
        raise ValidationError("Give the date the review is due.")
    if due_on < timezone.localdate():
        raise ValidationError(
            f"The due date {date_format(due_on, 'j M Y')} is in the past: choose today or a later date."
        )
    target = _locked(target)
    refusal = refusal_to_assign(
        target, reviewer, last_editor=None if isinstance(target, Claim) else last_editor_of(target), by=by
    )
    if refusal:
        raise ValidationError(refusal)
    current = open_assignment(target)
    if current is not None:
        if current.reviewer_id == reviewer.pk:
            current.due_on, current.assigned_by, current.assigned_at = due_on, by, timezone.now()
            current.save(update_fields=["due_on", "assigned_by", "assigned_at"])
            notices.review_assigned(current)
            return current
        if not replace:
            raise ValidationError(
                f"Already assigned to {current.reviewer_name}, due {date_format(current.due_on, 'j M Y')}: "
                "an editor can reassign it."
            )
        by_name = by.get_full_name() or by.get_username()
        release(current, f"Reassigned to {reviewer.get_full_name() or reviewer.get_username()} by {by_name}.")
        notices.assignment_released(current, by=by, successor=reviewer)
    made = Assignment.objects.create(
        claim=target if isinstance(target, Claim) else None,
        article=target if isinstance(target, Article) else None,
        reviewer=reviewer,
        due_on=due_on,
        assigned_by=by,
    )
    notices.review_assigned(made)
    return made


def take(*, target, reviewer) -> Assignment:
    """A reviewer takes the review themselves, due in the default number of days."""
    return assign(target=target, reviewer=reviewer, due_on=default_due(), by=reviewer)


def release(assignment: Assignment, reason: str) -> None:
    assignment.released_at, assignment.release_reason = timezone.now(), reason[:200]
    assignment.save(update_fields=["released_at", "release_reason"])


def mark_done(target) -> int:
    """The review of `target` was decided (or the draft signed off): its open assignment is done."""
    return Assignment.objects.open().of(target).update(done_at=timezone.now())


def release_if_changed_by(target, user) -> str | None:
    """Release the open assignment of `target` when `user`, its assignee, just changed it; the message to show."""
    if user is None:
        return None
    current = Assignment.objects.open().of(target).filter(reviewer=user).first()
    if current is None:
        return None
    what = "claim" if isinstance(target, Claim) else "article's draft"
    release(current, f"The assignee changed the {what}.")
    return (
        f"You were assigned to review this {what}; you are now its last editor, so another reviewer must "
        "review it: your assignment was released."
    )


DRAFT_RELEASED = "You edited this draft, so its review assigned to you was released: another reviewer must review it."


def release_after_text_saved(*, article, user) -> dict:
    """Run by articles.services after each save of an article's text, after the claims were re-anchored:
    an assignee who edited the draft, or reworded a claim they were assigned, is released from it. Returns
    under "assignments_released" the sentences the article's page shows them, one per assignment released."""
    if user is None:
        return {}
    read = getattr(article, "open_assignments_read", None)
    if read is not None and read.user_id == user.pk:
        # Read with the claims the save re-anchored (claims.reanchoring): released without reading them again.
        ids = [read.draft] if read.draft else []
        ids += [pk for claim, pk in read.claims.items() if read.last_changed_by.get(claim) == user.pk]
        if not ids:
            return {}
        mine = Assignment.objects.filter(pk__in=ids)
    else:
        # The draft's and its claims' open assignments to the editor, in one read.
        mine = Assignment.objects.open().filter(
            Q(article=article) | Q(claim__article=article, claim__last_changed_by=user), reviewer=user
        )
    released = []
    # The draft's first, then the claims' in the order of their pks.
    for assignment in mine.select_related("claim").order_by(F("claim_id").asc(nulls_first=True)):
        claim = assignment.claim
        if claim is None:
            release(assignment, "The assignee changed the article's draft.")
            released.append(DRAFT_RELEASED)
            continue
        release(assignment, "The assignee changed the claim.")
        quote = claim.quote if len(claim.quote) <= 80 else claim.quote[:79].rstrip() + "…"
        released.append(
            f"You reworded the claim “{quote}”, so its review assigned to you was released: "
            "another reviewer must review it."
        )
    return {"assignments_released": released} if released else {}


@dataclass(frozen=True)
class Shown:
    """An open assignment as a list or a page shows it, read beside its claim (`with_open_assignment`)."""

    reviewer_id: int
    reviewer_name: str
    due_on: datetime.date
    is_open: bool = True

    def days_overdue(self, today=None) -> int:
        return max(0, ((today or timezone.localdate()) - self.due_on).days)


def with_open_assignment(claims):
    """Claims annotated with their open assignment's reviewer and due date, read in the same query."""
    return claims.annotate(**open_assignment_annotations("claim"))


def open_assignment_annotations(target: str) -> dict:
    """The annotations, on claims (`target` "claim") or articles ("article"), that `shown` reads."""
    current = Assignment.objects.open().filter(**{target: OuterRef("pk")})
    named = current.annotate(
        name=Case(
            When(Q(reviewer__first_name="") & Q(reviewer__last_name=""), then=F("reviewer__username")),
            default=Concat("reviewer__first_name", Value(" "), "reviewer__last_name"),
            output_field=models.CharField(),
        )
    )
    return {
        "assigned_to_id": Subquery(current.values("reviewer_id")[:1]),
        "assigned_to_name": Subquery(named.values("name")[:1]),
        "assigned_due": Subquery(current.values("due_on")[:1]),
    }


def shown(target) -> "Shown | Assignment | None":
    """The open assignment of a claim or article annotated by open_assignment_annotations, else read from
    the database."""
    if getattr(target, "assigned_due", None) is not None:
        return Shown(target.assigned_to_id, target.assigned_to_name.strip(), target.assigned_due)
    if hasattr(target, "assigned_due"):
        return None
    return open_assignment(target)


def overdue_words(assignment: Assignment, today=None) -> str:
    """ "⚠ overdue by 3 days", "due today", or "" for an assignment not yet due."""
    days = assignment.days_overdue(today)
    if days:
        return f"⚠ overdue by {days} day{'s' if days != 1 else ''}"
    if assignment.is_open and assignment.due_on == (today or timezone.localdate()):
        return "due today"
    return ""


def words(assignment: Assignment, today=None) -> str:
    """ "Assigned to Dr Jo Tester, due 14 Dec 2026" (with its overdue words when past due)."""
    said = f"Assigned to {assignment.reviewer_name}, due {date_format(assignment.due_on, 'j M Y')}"
    late = overdue_words(assignment, today)
    return f"{said} ({late})" if late else said
