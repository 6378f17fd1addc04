"""What PubMed, Crossref and ClinicalTrials.gov said of a source, and how their look-up went.

A SourceRecord is the look-up's whole answer for one Source, kept as the services gave it; the
Source's own citation fields are what the site cites (typed by an editor, or copied from here by
claims.source_metadata). A LookupSlot is one service's rate limit, shared by every process through
the database (claims/lookups/limits.py).
"""

from django.db import models
from django.db.models import Q

from ..text import study_design
from .vocabulary import Source


class Outcome(models.TextChoices):
    QUEUED = "queued", "Look-up queued"
    LOOKED_UP = "looked_up", "Looked up"
    NOT_FOUND = "not_found", "Not found"
    FAILED = "failed", "Failed"
    OFF = "off", "Look-ups turned off"
    NEVER = "never", "Never looked up"


class Indexed(models.TextChoices):
    """Whether MeSH indexes a paper as about humans (or animals): unknown until PubMed has indexed it."""

    YES = study_design.YES, "Yes"
    NO = study_design.NO, "No"
    UNKNOWN = study_design.UNKNOWN, "Unknown (not indexed yet)"


# The notices a journal publishes about a paper: what a look-up reports (UpdateKind) and, under the same
# values and words, what the evidence watch records as having happened to a source (EventKind).
NOTICE_KINDS = [
    ("RETRACTION", ("retraction", "Retraction")),
    ("CORRECTION", ("correction", "Correction")),
    ("EXPRESSION_OF_CONCERN", ("expression_of_concern", "Expression of concern")),
]

UpdateKind = models.TextChoices(
    "UpdateKind", [*NOTICE_KINDS, ("WITHDRAWAL", ("withdrawal", "Withdrawal")), ("OTHER", ("other", "Other update"))]
)


class SourceRecord(models.Model):
    source = models.OneToOneField(Source, on_delete=models.CASCADE, primary_key=True, related_name="record")
    outcome = models.CharField("look-up outcome", max_length=12, choices=Outcome.choices, default=Outcome.NEVER)
    detail = models.CharField("look-up detail", max_length=500, blank=True, help_text="Why a look-up failed.")
    queued_at = models.DateTimeField(
        "look-up queued at", null=True, blank=True, help_text="When the last look-up was asked for."
    )
    looked_up_at = models.DateTimeField(null=True, blank=True)
    # The citation as the services gave it.
    title = models.CharField(max_length=1000, blank=True)
    authors = models.TextField(blank=True)
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # PubMed.
    publication_types = models.JSONField(default=list, blank=True)
    mesh_headings = models.JSONField(default=list, blank=True)
    humans = models.CharField(max_length=8, choices=Indexed.choices, default=Indexed.UNKNOWN)
    animals = models.CharField(max_length=8, choices=Indexed.choices, default=Indexed.UNKNOWN)
    # Crossref, and PubMed's comments and corrections: [{"kind", "date", "doi", "pmid", "source"}].
    crossref_type = models.CharField(max_length=40, blank=True)
    updates = models.JSONField(default=list, blank=True)
    # Crossref's relations, e.g. {"is-preprint-of": ["10.…"]}: the published version of a preprint.
    relations = models.JSONField(default=dict, blank=True)
    # ClinicalTrials.gov.
    trial_title = models.CharField(max_length=1000, blank=True)
    trial_status = models.CharField(max_length=40, blank=True)
    trial_phases = models.JSONField(default=list, blank=True)
    trial_study_type = models.CharField(max_length=40, blank=True)
    trial_allocation = models.CharField(max_length=40, blank=True)
    trial_observational_model = models.CharField(max_length=40, blank=True)
    trial_ages = models.JSONField(default=list, blank=True)
    enrolment = models.PositiveIntegerField(null=True, blank=True)
    results_posted = models.BooleanField(null=True, blank=True)
    trial_last_update = models.DateField(null=True, blank=True)

    ANSWER_FIELDS = (
        "title",
        "authors",
        "journal",
        "year",
        "publication_types",
        "mesh_headings",
        "humans",
        "animals",
        "crossref_type",
        "updates",
        "relations",
        "trial_title",
        "trial_status",
        "trial_phases",
        "trial_study_type",
        "trial_allocation",
        "trial_observational_model",
        "trial_ages",
        "enrolment",
        "results_posted",
        "trial_last_update",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(name="source_record_outcome_known", condition=Q(outcome__in=Outcome.values)),
            models.CheckConstraint(
                name="source_record_dated_when_tried",
                condition=Q(outcome__in=[Outcome.OFF, Outcome.NEVER, Outcome.QUEUED]) | Q(looked_up_at__isnull=False),
            ),
            models.CheckConstraint(
                name="source_record_queued_when_asked",
                condition=~Q(outcome=Outcome.QUEUED) | Q(queued_at__isnull=False),
            ),
            models.CheckConstraint(
                name="source_record_indexing_known",
                condition=Q(humans__in=Indexed.values, animals__in=Indexed.values),
            ),
            models.CheckConstraint(
                name="source_record_year_plausible",
                condition=Q(year__isnull=True) | Q(year__gte=1800, year__lte=2100),
            ),
        ]

    def __str__(self):
        return f"{self.source}: {self.get_outcome_display()}"

    @property
    def is_queued(self) -> bool:
        """A look-up was asked for and the worker has not answered it yet."""
        return self.queued_at is not None and (self.looked_up_at is None or self.looked_up_at < self.queued_at)

    def indexing(self) -> study_design.Indexing:
        """What the services said, as claims.text.study_design reads it."""
        return study_design.Indexing(
            publication_types=tuple(self.publication_types),
            mesh_headings=tuple(self.mesh_headings),
            humans=self.humans,
            animals=self.animals,
            crossref_type=self.crossref_type,
            trial_study_type=self.trial_study_type,
            trial_allocation=self.trial_allocation,
            trial_observational_model=self.trial_observational_model,
            trial_phases=tuple(self.trial_phases),
            trial_ages=tuple(self.trial_ages),
            enrolment=self.enrolment,
        )

    @property
    def derived_design(self) -> str:
        return study_design.derive(self.indexing())

    def updates_of(self, kind) -> list[dict]:
        """The notices of this kind that update this work (not those this work is itself a notice of)."""
        return [u for u in self.updates if u.get("kind") == kind and u.get("direction", "updated-by") == "updated-by"]

    @property
    def is_retracted(self) -> bool:
        """PubMed types it "Retracted Publication", or a retraction notice names it."""
        return "Retracted Publication" in self.publication_types or bool(self.updates_of(UpdateKind.RETRACTION))

    @property
    def has_expression_of_concern(self) -> bool:
        return bool(self.updates_of(UpdateKind.EXPRESSION_OF_CONCERN))


class LookupSlot(models.Model):
    """The earliest moment (seconds since the epoch) the next request to one service may leave."""

    service = models.CharField(max_length=20, primary_key=True)
    next_at = models.FloatField(default=0)

    def __str__(self):
        return f"{self.service}: next request at {self.next_at:.3f}"
