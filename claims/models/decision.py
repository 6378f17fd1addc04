"""Review decisions: every submission, approval, request for changes, rejection and withdrawal, kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .claim import Claim


class ClaimDecision(models.Model):
    """One decision about a claim, kept for good: the claim's state follows the latest one."""

    class Decision(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Approval withdrawn"

    NEEDS_COMMENT = (Decision.CHANGES_REQUESTED, Decision.REJECTED)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_decisions", null=True, blank=True
    )
    comment = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True,
        help_text="Why a claim worded more strongly than its grade allows was approved as it is.",
    )
    snapshot = models.JSONField(default=dict, help_text="What was decided on: quote, condition, evidence, sources.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        indexes = [
            # The review queue: when each claim was last submitted.
            models.Index(fields=["claim", "decision", "created_at"], name="decision_latest_by_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                name="claim_decision_comment_when_required",
                condition=~Q(decision__in=["changes_requested", "rejected"]) | ~Q(comment=""),
                violation_error_message="Say why: a comment is required to request changes or reject.",
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()} by {self.actor or 'the system'} on {self.created_at:%d %b %Y}"
