"""What the evidence watch found out about cited sources, and the alerts it raised on the claims citing them.

- SourceEvent: one change to a source the watch (or its first look-up) found: a retraction, a correction,
  an expression of concern, a trial stopped or its results posted, with its date; or its citation details
  (title, journal, year) changed by a re-check, which raises no alert. One per source, kind and
  date: looking the source up again never records it twice.
- EvidenceAlert: a retraction, an expression of concern or a stopped trial, raised on one claim citing the
  source, for a reviewer to resolve: keep the claim (with a reason), change its grade, or withdraw the live
  claim urgently. One per claim and event. A resolved alert keeps who resolved it, when and how.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .claim import Claim
from .source_record import NOTICE_KINDS
from .vocabulary import Source

EventKind = models.TextChoices(
    "EventKind",
    [
        *NOTICE_KINDS,
        ("TRIAL_STOPPED", ("trial_stopped", "Trial stopped")),
        ("RESULTS_POSTED", ("results_posted", "Results posted")),
        # A re-check found another title, journal or year than the one it had copied before: no alert.
        ("CITATION_CHANGED", ("citation_changed", "Citation details changed")),
    ],
)


class SourceEvent(models.Model):
    Kind = EventKind

    # The kinds that raise an alert on every claim citing the source.
    ALERTING = (Kind.RETRACTION, Kind.EXPRESSION_OF_CONCERN, Kind.TRIAL_STOPPED)
    NOTICES = (Kind.RETRACTION, Kind.CORRECTION, Kind.EXPRESSION_OF_CONCERN)

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    date = models.DateField(help_text="When it happened, as the service dates it (or the day it was found).")
    detail = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "date"], name="source_event_once"),
            models.CheckConstraint(name="source_event_kind_known", condition=Q(kind__in=EventKind.values)),
        ]

    def __str__(self):
        return f"{self.source}: {self.headline()}"

    @property
    def dated_by_registry_update(self) -> bool:
        """A trial's event is dated by the last update of its registry record, not by when it happened."""
        return self.kind in (self.Kind.TRIAL_STOPPED, self.Kind.RESULTS_POSTED)

    def headline(self, date_format="%-d %B %Y") -> str:
        """ "Retraction on 2 July 2014", "Trial stopped (status last updated on 4 May 2023)"."""
        if self.dated_by_registry_update:
            return f"{self.get_kind_display()} ({self.dated(date_format)})"
        return f"{self.get_kind_display()} {self.dated(date_format)}"

    def dated(self, date_format="%-d %B %Y") -> str:
        """ "on 2 July 2014", or for a trial "status last updated on 4 May 2023": no more than is known."""
        day = self.date.strftime(date_format)
        return f"status last updated on {day}" if self.dated_by_registry_update else f"on {day}"


class EvidenceAlert(models.Model):
    class Resolution(models.TextChoices):
        OPEN = "", "Open"
        KEPT = "kept", "Kept, with a reason"
        REGRADE = "regrade", "Grade to change"
        WITHDRAWN = "withdrawn", "Withdrawn urgently"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence_alerts")
    event = models.ForeignKey(SourceEvent, on_delete=models.CASCADE, related_name="alerts")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True, default="")
    reason = models.TextField(blank=True, help_text="Why the claim is kept as it is, or the notice readers see.")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "event"], name="evidence_alert_once"),
            models.CheckConstraint(
                name="evidence_alert_resolved_by_someone",
                condition=Q(resolution="", resolved_by__isnull=True, resolved_at__isnull=True)
                | (~Q(resolution="") & Q(resolved_by__isnull=False, resolved_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="evidence_alert_kept_with_reason", condition=~Q(resolution="kept") | ~Q(reason="")
            ),
        ]

    def __str__(self):
        return f"{self.event} — claim {self.claim_id}"

    @property
    def is_open(self) -> bool:
        return self.resolution == self.Resolution.OPEN
