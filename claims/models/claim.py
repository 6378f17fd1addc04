"""A claim: an article's sentence (or part of one) about a condition, graded and reviewed.

Claim's database constraints hold what must never be stored whatever the code does: a reviewer is
never the claim's author (`claim_reviewer_is_not_author`), an approved claim has its reviewer and
time, and no two claims about one condition share a place. Who may do what is in claims/policy.py;
every write that records a decision is in claims/services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.models import Article
from articles.versioning import VersionedModel

from ..text import causal_wording, wording
from ..text.anchoring import Anchor
from ..text.integrity import wording_text
from ..text.relationship import read_relationship
from ..text.study_design import UNKNOWN
from .vocabulary import CitedSources, Condition, EvidenceStatus, Source, WordingStrength

WORDING_FIELDS = (
    "wording_strength",
    "wording_negated",
    "wording_relation",
    "wording_promotional",
    "wording_checked_with",
)
OBSERVATIONAL = sorted(causal_wording.OBSERVATIONAL)


def _observational_only():
    """True when the claim cites a source of observational design and no source of another known design."""
    links = Claim.sources.through.objects.filter(claim=OuterRef("pk"))
    return Q(Exists(links.filter(source__design__in=OBSERVATIONAL))) & ~Q(
        Exists(links.exclude(source__design__in=[*OBSERVATIONAL, UNKNOWN]))
    )


def observational_words(first: str, count: int) -> str:
    """ "PMID 1 (cohort or case-control study) and 2 more" from the first observational source ("label|design")."""
    if not first:
        return ""
    label, _, design = first.partition("|")
    named = causal_wording.observational_reason([(label, design)]).removeprefix("its sources are observational: ")
    more = (count or 1) - 1
    return named + (f" and {more} more" if more > 0 else "")


class ClaimQuerySet(models.QuerySet):
    def anchored(self):
        return self.filter(is_orphaned=False)

    def approved(self):
        return self.filter(review_state=Claim.ReviewState.APPROVED)

    def pending(self):
        return self.filter(review_state=Claim.ReviewState.PENDING)

    def public(self):
        """Claims a reader sees on a page: every anchored one, the unapproved as under review.

        A rejected claim whose sentence is still in the text is shown as under review too: the editor
        marked the sentence as a health claim and no reviewer approved it, so it must never read as
        settled fact. Rewording or removing the sentence is what takes the badge away.
        """
        return self.anchored().select_related("condition", "evidence_status", "reviewed_by")

    def overclaiming(self):
        """Rated claims worded more strongly than their grade allows.

        A grade that says the evidence is against (“Not supported by evidence”) allows an outright
        denial: “it does not cure” is the right wording there, however firm.
        """
        return self.filter(_overclaiming())

    def promotional(self):
        """Claims whose sentence sells the result ("promising", "revolutionary": the cues marked `promotional` in
        wording.toml), from the stored reading, and that do not overclaim (overclaiming's advice names those
        words already), as claims/text/integrity.py `ClaimCheck.promotional` finds them. Advice only."""
        return self.filter(wording_promotional=True).exclude(_overclaiming())

    def with_override_reason(self):
        """Claims annotated with `override_reason`: the reason their standing approval gave, or ""."""
        return self.annotate(override_reason=_standing_override_reason())

    def overclaiming_open(self):
        """Overclaiming claims that no reviewer approved as they are, with a written reason."""
        return self.overclaiming().alias(reason=_standing_override_reason()).filter(reason="")

    def approved_despite_overclaiming(self):
        return self.overclaiming().alias(reason=_standing_override_reason()).exclude(reason="")

    def unsourced(self):
        return self.exclude(Exists(Claim.sources.through.objects.filter(claim=OuterRef("pk"))))

    def with_causal_sources(self):
        """Claims annotated with `sources_observational` (every source of known design is observational), and the
        first observational source as "label|design" with how many there are, to name them (`observational_named`)."""
        links = Claim.sources.through.objects.filter(claim=OuterRef("pk"), source__design__in=OBSERVATIONAL)
        label = Case(
            When(source__kind=Source.Kind.PMID, then=Concat(Value("PMID "), "source__identifier")),
            When(source__kind=Source.Kind.DOI, then=Concat(Value("DOI "), "source__identifier")),
            default="source__identifier",
            output_field=models.TextField(),
        )
        first = links.order_by("source_id").annotate(
            text=Concat(label, Value("|"), "source__design", output_field=models.TextField())
        )
        counted = links.order_by().values("claim").annotate(n=Count("pk")).values("n")
        return self.annotate(
            sources_observational=ExpressionWrapper(_observational_only(), BooleanField()),
            observational_first=Coalesce(
                Subquery(first.values("text")[:1]), Value(""), output_field=models.TextField()
            ),
            observational_count=Coalesce(Subquery(counted), 0),
        )

    def causal_for_association(self):
        """Rated claims whose sentence claims a cause (hedged or not; neither doubted nor denied) while their
        grade does not support causal wording or their sources are all observational (claims/text/causal_wording.py)."""
        return self.filter(
            evidence_status__is_rated=True,
            wording_relation=Claim.Relation.CAUSE,
            wording_strength__gt=WordingStrength.UNCERTAIN,
            wording_negated=False,
        ).filter(Q(evidence_status__supports_causal_wording=False) | _observational_only())

    def causal_for_association_open(self):
        """Causal wording for an association that no reviewer approved as it is, with a written reason."""
        return self.causal_for_association().alias(reason=_standing_override_reason()).filter(reason="")

    def approved_despite_causal_wording(self):
        return self.causal_for_association().alias(reason=_standing_override_reason()).exclude(reason="")


def _overclaiming():
    """Rated, worded more strongly than the grade allows, and not a denial that a grade saying "against" fits."""
    stronger = Q(evidence_status__is_rated=True, wording_strength__gt=F("evidence_status__wording_strength"))
    return stronger & ~Q(wording_negated=True, evidence_status__tone=EvidenceStatus.Tone.AGAINST)


def _standing_override_reason():
    """While a claim stays approved, the override reason its latest approval gave; "" otherwise."""
    from .decision import ClaimDecision  # decision.py imports this module for ClaimDecision.claim

    approvals = ClaimDecision.objects.filter(claim=OuterRef("pk"), decision=ClaimDecision.Decision.APPROVED)
    latest = Subquery(approvals.order_by("-created_at", "-pk").values("override_reason")[:1])
    approved = When(review_state=Claim.ReviewState.APPROVED, then=Coalesce(latest, Value("")))
    return Case(approved, default=Value(""), output_field=models.TextField())


class Claim(CitedSources, VersionedModel):
    class Relation(models.TextChoices):
        """The relationship the sentence claims, as claims/text/relationship.py reads it."""

        NONE = "none", "No relationship"
        ASSOCIATION = "association", "An association"
        CAUSE = "cause", "A cause"

    class ReviewState(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    quote = models.TextField(help_text="The exact words of the sentence (or part of it) this claim is about.")
    prefix = models.CharField(max_length=64, blank=True, help_text="Text just before the quote.")
    suffix = models.CharField(max_length=64, blank=True, help_text="Text just after the quote.")
    start = models.PositiveIntegerField(help_text="Where the quote starts in the article's plain text.")
    is_orphaned = models.BooleanField(
        "lost its sentence",
        default=False,
        db_index=True,
        help_text="Set when an edit removed the quoted words: hidden from readers until re-attached.",
    )
    text_changed = models.BooleanField(
        "words changed",
        default=False,
        help_text="Set when an edit changed the quoted words and the claim followed the most similar sentence: "
        "a reviewer must check it again.",
    )
    previous_quote = models.TextField(
        blank=True,
        help_text="The words that were last approved, kept while the claim waits for a reviewer after they changed.",
    )
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="claims")
    evidence_status = models.ForeignKey(
        EvidenceStatus,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="How strong the evidence for this sentence is. The sentence's wording should match it.",
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="claims")
    explanation = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Shown to readers: one or two plain sentences on why the evidence has this grade.",
    )
    reviewer_note = models.TextField(
        blank=True,
        help_text="For the medical reviewer only; never shown to readers.",
    )
    review_state = models.CharField(
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
        editable=False,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims_created")
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims_changed"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Since when it waits for a reviewer: set by what sends it to the reviewers (its submission, or an approval
    # withdrawn), in the transaction that records that decision and dated as it is, and cleared by the decision
    # that takes it out (claims/services.py). The review queue reads its claims in this order
    # (claim_review_queue) rather than finding each one's latest submission among the decisions.
    queued_at = models.DateTimeField("waiting for review since", null=True, blank=True, editable=False)
    next_review_due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # How assertively the quote is worded, as the wording checker reads it (see claims/text/wording.py).
    wording_strength = models.PositiveSmallIntegerField(
        choices=WordingStrength.choices, default=WordingStrength.DEFINITE, editable=False
    )
    wording_negated = models.BooleanField(default=False, editable=False)
    # The relationship the sentence claims (claims/text/relationship.py), stored beside its strength so that
    # lists and the report find causal wording for an association without reading the text again.
    wording_relation = models.CharField(
        max_length=12, choices=Relation.choices, blank=True, editable=False, help_text="The relationship it claims."
    )
    # Whether it sells the result ("promising", "revolutionary"), stored so that lists and the report find
    # promotional wording without reading the text again; None until rated with the cues that mark it.
    wording_promotional = models.BooleanField(
        null=True, editable=False, help_text="Whether its wording sells the result (promotional or hype words)."
    )
    wording_checked_with = models.CharField(
        max_length=16, blank=True, editable=False, help_text="The version of the cue lists the wording was rated with."
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["prefix", "suffix", "wording_checked_with", "queued_at"])

    class Meta:
        ordering = ["article", "start", "condition__name"]
        permissions = [("review_claim", "Can review claims")]
        indexes = [
            # Evidence maps and the condition list: approved claims of a condition, counted by grade.
            models.Index(
                fields=["review_state", "condition", "evidence_status", "is_orphaned", "article", "reviewed_at"],
                name="claim_mapped_by_condition",
            ),
            models.Index(fields=["next_review_due"], name="claim_review_due"),
            # The review queue, waiting longest first: its first page is read in this order, without sorting, and
            # its claims are counted from the index alone (who wrote and last changed each, which the queue leaves
            # out for them, and its article, whose archiving leaves it out for everyone).
            models.Index(
                fields=["queued_at", "id", "created_by", "last_changed_by", "article"],
                condition=Q(review_state="pending", is_orphaned=False),
                name="claim_review_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(name="claim_quote_not_empty", condition=~Q(quote="")),
            models.CheckConstraint(name="claim_version_positive", condition=Q(version__gte=1)),
            models.CheckConstraint(
                name="claim_wording_strength_on_scale",
                condition=Q(wording_strength__gte=1, wording_strength__lte=4),
            ),
            models.UniqueConstraint(
                fields=["article", "condition", "start"],
                condition=Q(is_orphaned=False),
                name="claim_one_per_condition_per_place",
                violation_error_message="This sentence already has a claim about that condition.",
            ),
            models.CheckConstraint(
                name="claim_approved_has_reviewer",
                condition=~Q(review_state="approved") | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                violation_error_message="An approved claim needs its reviewer and the time of review.",
            ),
            models.CheckConstraint(
                name="claim_queued_only_while_pending",
                condition=Q(queued_at__isnull=True) | Q(review_state="pending"),
                violation_error_message="Only a claim waiting for review has a time it entered the queue.",
            ),
            models.CheckConstraint(
                name="claim_reviewer_is_not_author",
                condition=~Q(review_state="approved")
                | (~Q(reviewed_by=F("created_by")) & ~Q(reviewed_by=F("last_changed_by"))),
                violation_error_message="Nobody may approve a claim they wrote or last changed.",
            ),
        ]

    def save(self, *args, **kwargs):
        self.rate_wording()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "quote" in update_fields:
            kwargs["update_fields"] = {*update_fields, *WORDING_FIELDS}
        super().save(*args, **kwargs)

    def rate_wording(self):
        """Rate how assertively the quote is worded, read with the rest of its sentence."""
        text = wording_text(self.quote, self.prefix, self.suffix)
        rating = wording.rate(text)
        self.wording_strength, self.wording_negated = int(rating.strength), rating.negated
        self.wording_relation = read_relationship(text).relationship.value
        self.wording_promotional = bool(rating.promotional)
        self.wording_checked_with = wording.cues_version()
        return rating

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else self.quote[:59] + "…"
        return f"{quote} ({self.condition.name})" if self.condition_id else quote

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#claim-{self.pk}"

    def get_admin_url(self):
        return reverse("admin:claims_claim_change", args=[self.pk])

    @property
    def end(self):
        return self.start + len(self.quote)

    @property
    def public_id(self):
        """The id of the claim's anchor on a page (claims.PublishedClaim.public_id for a published copy)."""
        return self.pk

    @property
    def anchor(self):
        return Anchor(quote=self.quote, prefix=self.prefix, suffix=self.suffix, start=self.start)

    def set_anchor(self, anchor):
        self.quote, self.prefix, self.suffix, self.start = anchor.quote, anchor.prefix, anchor.suffix, anchor.start

    @property
    def is_approved(self):
        return self.review_state == self.ReviewState.APPROVED

    @property
    def public_grade(self):
        """The evidence status readers may see: the grade once a reviewer approved it, else None ("Under review").

        Every public rendering of a claim (badges, evidence notes, JSON-LD, the JSON export) asks this,
        so that no grade reaches readers before a reviewer has stood behind it, nor one whose every source
        was retracted (read beside its sources by claims.citations.citing_sources, as the draft preview does).
        """
        return self.evidence_status if self.is_approved and not self.grade_withheld else None

    @property
    def is_review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    @property
    def is_overclaiming(self):
        status = self.evidence_status
        if not status.is_rated or self.wording_strength <= status.wording_strength:
            return False
        return not (self.wording_negated and status.denial_fits)

    @property
    def is_promotional(self) -> bool:
        """Promotional wording from the stored reading, in a claim that does not overclaim (`promotional()`)."""
        return bool(self.wording_promotional) and not self.is_overclaiming

    @property
    def causal_wording(self) -> causal_wording.CausalFinding | None:
        """Causal wording for an association, from the stored reading; its sources are read when not annotated."""
        status = self.evidence_status
        if not status.is_rated or not causal_wording.claims_cause(
            self.wording_relation or Claim.Relation.NONE, self.wording_strength, self.wording_negated
        ):
            return None
        if not status.supports_causal_wording:
            reason, about = causal_wording.unsupported_reason(supports_causal=False, grade_name=status.name)
            return causal_wording.CausalFinding(reason=reason, about=about)
        observational = getattr(self, "sources_observational", None)
        if observational is None:
            designs = [("", design) for design in self.sources.values_list("design", flat=True)]
            observational = bool(causal_wording.observational_reason(designs))
        if not observational:
            return None
        return causal_wording.CausalFinding(reason="its sources are all observational", about="observational sources")

    @property
    def observational_named(self) -> str:
        """The observational sources named from `with_causal_sources`: "PMID 1 (cohort or case-control study) and
        2 more"; "" when not annotated or none."""
        return observational_words(getattr(self, "observational_first", ""), getattr(self, "observational_count", 1))

    @property
    def needs_override_reason(self) -> bool:
        """Approving it as it is takes a reviewer's written reason: it overclaims, or claims an unsupported cause."""
        return self.is_overclaiming or self.causal_wording is not None


class OrphanedClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(is_orphaned=True)


class OrphanedClaim(Claim):
    """Claims whose words an edit removed: kept, hidden from readers, waiting for an editor."""

    objects = OrphanedClaimManager()

    class Meta:
        proxy = True
        verbose_name = "orphaned claim"
        verbose_name_plural = "orphaned claims"


class ReviewQueueManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_queryset(self):
        # An archived article is off the site: its claims wait until it is restored.
        return (
            super()
            .get_queryset()
            .filter(review_state=Claim.ReviewState.PENDING, is_orphaned=False, article__archived_at__isnull=True)
        )


class ReviewQueueClaim(Claim):
    """Claims submitted for review and waiting for a reviewer's decision."""

    objects = ReviewQueueManager()

    class Meta:
        proxy = True
        verbose_name = "claim waiting for review"
        verbose_name_plural = "claims waiting for review"
