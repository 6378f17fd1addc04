"""Assignments: a claim, or an article draft's medical review, given to one reviewer with a due date.

The database holds what must never be stored whatever the code does: an assignment names exactly one
thing to review (`assignment_one_target`), a target has at most one open assignment
(`assignment_one_open_per_claim`, `assignment_one_open_per_article`), and an assignment ends once,
done or released (`assignment_ends_once`). Who may be assigned what is in claims/policy.py
(`refusal_to_assign`); the writes are in claims/assignments.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article

from .claim import Claim

OPEN = Q(done_at__isnull=True, released_at__isnull=True)


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(OPEN)

    def of(self, target):
        """The assignments of a claim or of an article's draft review."""
        return self.filter(claim=target) if isinstance(target, Claim) else self.filter(article=target)


class Assignment(models.Model):
    """One reviewer asked to review one claim, or to sign off one article's draft, by a date."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments")
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_assignments",
        help_text="An article's draft, for its medical sign-off.",
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    due_on = models.DateField("due")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments_given"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True, help_text="When the review was decided or signed off.")
    released_at = models.DateTimeField(null=True, blank=True, help_text="When it ended without a review.")
    release_reason = models.CharField(max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="assignment_one_target",
                condition=Q(claim__isnull=False, article__isnull=True) | Q(claim__isnull=True, article__isnull=False),
                violation_error_message="An assignment is for one claim or one article, never both or neither.",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(claim__isnull=False) & OPEN,
                name="assignment_one_open_per_claim",
                violation_error_message="This claim is already assigned.",
            ),
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(article__isnull=False) & OPEN,
                name="assignment_one_open_per_article",
                violation_error_message="This article's review is already assigned.",
            ),
            models.CheckConstraint(
                name="assignment_ends_once",
                condition=Q(done_at__isnull=True) | Q(released_at__isnull=True),
                violation_error_message="An assignment ends once: done or released, not both.",
            ),
        ]

    def __str__(self):
        return f"{self.target} to {self.reviewer_name}, due {self.due_on:%-d %b %Y}"

    @property
    def target(self):
        return self.claim if self.claim_id else self.article

    @property
    def is_open(self):
        return self.done_at is None and self.released_at is None

    @property
    def reviewer_name(self):
        return self.reviewer.get_full_name() or self.reviewer.get_username()

    def days_overdue(self, today=None) -> int:
        """How many days past its due date an open assignment is (0 when not overdue or ended)."""
        if not self.is_open:
            return 0
        return max(0, ((today or timezone.localdate()) - self.due_on).days)
