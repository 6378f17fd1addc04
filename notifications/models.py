"""A notification for one person, and how each person wants to be told of each kind."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    CLAIM_SUBMITTED = "claim_submitted", "A claim was submitted for review"
    CHANGES_REQUESTED = "changes_requested", "Changes were requested to your claim"
    REJECTED = "rejected", "Your claim was rejected"
    APPROVED = "approved", "Your claim was approved"
    SIGNED_OFF = "signed_off", "Your article was signed off"
    COMMENT = "comment", "A comment on your claim or a thread you are in"
    EVIDENCE_ALERT = "evidence_alert", "An evidence alert on a claim you approved"
    REVIEW_DUE = "review_due", "A review of yours is due within 14 days or overdue"
    SCHEDULE_FAILED = "schedule_failed", "A scheduled publication failed its gate"
    ASSIGNED = "assigned", "A review was assigned to you"
    ASSIGNMENT_RELEASED = "assignment_released", "A review assigned to you was given to someone else"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "At once by e-mail"
    DIGEST = "digest", "Daily digest e-mail"
    OFF = "off", "Off"


# Told at once of what is addressed to them alone; the broadcasts and the daily reminders come in the digest.
DEFAULT_DELIVERY = dict.fromkeys(Kind, Delivery.IMMEDIATELY) | {
    Kind.CLAIM_SUBMITTED: Delivery.DIGEST,
    Kind.REVIEW_DUE: Delivery.DIGEST,
}


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="More detail, for the e-mail.")
    url = models.CharField(max_length=500, help_text="A path on this site; e-mails prefix SITE_URL.")
    # The event told of, e.g. "claim_submitted:decision:12": with the recipient it is unique, so telling
    # someone of the same event twice (a retry, two workers) records and sends it once.
    key = models.CharField(max_length=200)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATELY)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}: {self.get_delivery_display()}"
