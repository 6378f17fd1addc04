from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from simple_history.models import HistoricalRecords

from articles.models import Article
from articles.versioning import VersionedModel

from .text import identifiers, wording
from .text.anchoring import Anchor
from .text.integrity import wording_text

WORDING_FIELDS = ("wording_strength", "wording_negated", "wording_checked_with")


def validate_icd10(value):
    if not identifiers.is_icd10(value):
        raise ValidationError(
            "An ICD-10 code looks like J84.1 or M34: a letter, two characters, an optional dot and more."
        )


def validate_mesh(value):
    if not identifiers.is_mesh_descriptor(value):
        raise ValidationError("A MeSH descriptor ID is D followed by 6 or 9 digits, e.g. D054990.")


class Condition(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    icd10_code = models.CharField(
        "ICD-10 code",
        max_length=10,
        blank=True,
        validators=[validate_icd10],
        help_text="Optional WHO ICD-10 code, e.g. J84.1 for other interstitial lung diseases with fibrosis.",
    )
    mesh_id = models.CharField(
        "MeSH descriptor ID",
        max_length=10,
        blank=True,
        validators=[validate_mesh],
        help_text="Optional MeSH descriptor unique ID, e.g. D054990.",
    )
    synonyms = models.TextField(
        blank=True,
        help_text="Other names readers search for, one per line (e.g. scleroderma for systemic sclerosis).",
    )
    description = models.TextField(
        blank=True,
        max_length=1000,
        help_text="One or two plain-language sentences for readers: what this condition is.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.icd10_code = self.icd10_code.strip().upper()
        self.mesh_id = self.mesh_id.strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:condition-detail", kwargs={"slug": self.slug})

    @property
    def synonym_list(self):
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]


class WordingStrength(models.IntegerChoices):
    """How assertively a sentence is worded, weakest first: the values of claims.text.wording.Strength."""

    UNCERTAIN = 1, "Uncertain (“we do not know”, “it is unclear whether”)"
    POSSIBLE = 2, "Possible (“may”, “might”, “early studies suggest”)"
    PROBABLE = 3, "Probable (“probably”, “is likely to”)"
    DEFINITE = 4, "Definite (a plain statement: “reduces”, “is effective”)"


class EvidenceStatusQuerySet(models.QuerySet):
    def rated(self):
        return self.filter(is_rated=True)


class EvidenceStatus(models.Model):
    class Tone(models.TextChoices):
        STRONG = "strong", "Strong (settled)"
        MODERATE = "moderate", "Moderate (probable)"
        WEAK = "weak", "Weak (possible)"
        UNCERTAIN = "uncertain", "Uncertain or early"
        AGAINST = "against", "Against (not supported)"
        UNRATED = "unrated", "Not rated"

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    rank = models.PositiveSmallIntegerField(
        default=50,
        help_text="Order shown to readers: lower numbers are stronger evidence and come first.",
    )
    symbol = models.CharField(
        max_length=8,
        help_text="A short symbol shown beside the words on every badge, e.g. ●●● or ?.",
    )
    badge_text = models.CharField(
        max_length=60,
        help_text="The words on the reader's badge, e.g. “Limited evidence”.",
    )
    description = models.TextField(
        help_text="What this grade means, in plain words for readers.",
    )
    wording_guidance = models.TextField(
        blank=True,
        help_text="For editors: the wording a sentence with this grade should use (e.g. “may”, “probably”).",
    )
    tone = models.CharField(
        max_length=16,
        choices=Tone.choices,
        default=Tone.UNCERTAIN,
        help_text="Sets the badge style. The words and symbol always carry the meaning, never colour alone.",
    )
    is_rated = models.BooleanField(
        default=True,
        help_text="Untick for internal states such as “Not yet rated”: such claims cannot be approved.",
    )
    wording_strength = models.PositiveSmallIntegerField(
        "strongest wording allowed",
        choices=WordingStrength.choices,
        default=WordingStrength.POSSIBLE,
        help_text="How assertively a sentence with this grade may be worded. A claim worded more strongly "
        "is flagged as overclaiming, and approving it needs a reviewer's written reason.",
    )

    objects = EvidenceStatusQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "name"]
        verbose_name_plural = "evidence statuses"
        constraints = [
            models.CheckConstraint(
                name="evidence_status_wording_strength_on_scale",
                condition=Q(wording_strength__gte=1, wording_strength__lte=4),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """Its entry in the public evidence legend."""
        return f"{reverse('claims:evidence-legend')}#grade-{self.slug}"

    @property
    def denial_fits(self):
        """A grade that says the evidence is against: denying the effect outright is the right wording."""
        return self.tone == self.Tone.AGAINST


class Source(models.Model):
    class Kind(models.TextChoices):
        PMID = identifiers.PMID, "PubMed ID"
        DOI = identifiers.DOI, "DOI"
        NCT = identifiers.NCT, "ClinicalTrials.gov number"
        URL = identifiers.URL, "Web address"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    identifier = models.CharField(
        max_length=500,
        help_text="PubMed ID digits, a DOI (10.xxxx/…), an NCT number or a full https:// address.",
    )
    title = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "identifier"],
                name="source_unique_identifier",
                violation_error_message="This source exists already: pick it from the list instead.",
            ),
            models.CheckConstraint(
                name="source_year_plausible",
                condition=Q(year__isnull=True) | Q(year__gte=1800, year__lte=2100),
            ),
        ]

    def __str__(self):
        label = self.title or self.identifier
        return f"{label} ({self.year})" if self.year else label

    def clean(self):
        try:
            self.identifier = identifiers.normalise(self.kind, self.identifier)
        except identifiers.IdentifierError as error:
            raise ValidationError({"identifier": str(error)}) from error

    @property
    def url(self):
        return identifiers.resolver_url(self.kind, self.identifier)

    @property
    def citation_label(self):
        if self.kind == self.Kind.URL:
            return urlsplit(self.identifier).netloc.removeprefix("www.")
        prefix = {"pmid": "PMID ", "doi": "doi:"}.get(self.kind, "")
        return f"{prefix}{self.identifier}"


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

    def for_published_articles(self):
        return self.filter(article__in=Article.objects.published())

    def overclaiming(self):
        """Rated claims worded more strongly than their grade allows.

        A grade that says the evidence is against (“Not supported by evidence”) allows an outright
        denial: “it does not cure” is the right wording there, however firm.
        """
        return self.filter(
            evidence_status__is_rated=True, wording_strength__gt=F("evidence_status__wording_strength")
        ).exclude(wording_negated=True, evidence_status__tone=EvidenceStatus.Tone.AGAINST)

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


def _standing_override_reason():
    """While a claim stays approved, the override reason its latest approval gave; "" otherwise."""
    approvals = ClaimDecision.objects.filter(claim=OuterRef("pk"), decision=ClaimDecision.Decision.APPROVED)
    latest = Subquery(approvals.order_by("-created_at", "-pk").values("override_reason")[:1])
    approved = When(review_state=Claim.ReviewState.APPROVED, then=Coalesce(latest, Value("")))
    return Case(approved, default=Value(""), output_field=models.TextField())


class Claim(VersionedModel):
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
    next_review_due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # How assertively the quote is worded, as the wording checker reads it (see claims/text/wording.py).
    wording_strength = models.PositiveSmallIntegerField(
        choices=WordingStrength.choices, default=WordingStrength.DEFINITE, editable=False
    )
    wording_negated = models.BooleanField(default=False, editable=False)
    wording_checked_with = models.CharField(
        max_length=16, blank=True, editable=False, help_text="The version of the cue lists the wording was rated with."
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["prefix", "suffix", "wording_checked_with"])

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
        rating = wording.rate(wording_text(self.quote, self.prefix, self.suffix))
        self.wording_strength, self.wording_negated = int(rating.strength), rating.negated
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
        so that no grade reaches readers before a reviewer has stood behind it.
        """
        return self.evidence_status if self.is_approved else None

    @property
    def is_review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    @property
    def is_overclaiming(self):
        status = self.evidence_status
        if not status.is_rated or self.wording_strength <= status.wording_strength:
            return False
        return not (self.wording_negated and status.denial_fits)


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
        verbose_name = "claim awaiting review"
        verbose_name_plural = "review queue"


class ArticlePage(models.Model):
    """The claim-annotated part of an article's public page, stored so that a request reads one row.

    Built by claims.pages whenever the article, one of its claims, a review decision or the
    vocabulary they show changes. Every change raises `generation`; a build records the generation
    it started from, so the row is fresh only while `built_generation` equals `generation`, and a
    build that raced a later change never passes for fresh.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="evidence_page")
    body_html = models.TextField(blank=True, help_text="The body with each claimed sentence wrapped and badged.")
    notes_html = models.TextField(blank=True, help_text="The evidence notes and condition links under the body.")
    json_ld = models.TextField(
        default="{}",
        help_text="The conditions and citations of the JSON-LD: a JSON object, escaped for a script element.",
    )
    claim_count = models.PositiveIntegerField(default=0)
    # The bytes served, UTF-8: a request joins them around the host it asked for and sends them as they are.
    page_head = models.BinaryField(default=b"", help_text="The reader's whole page up to the host its JSON-LD names.")
    page_rest = models.BinaryField(default=b"", help_text="The reader's whole page after that host.")
    layout = models.CharField(
        max_length=64, blank=True, help_text="The templates and static files the whole page was built with."
    )
    valid_until = models.DateField(
        null=True, blank=True, help_text="The last day the whole page is right: the next day its review is overdue."
    )
    generation = models.PositiveBigIntegerField(default=1)
    built_generation = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "stored article page"
        constraints = [
            models.CheckConstraint(
                name="article_page_built_not_ahead",
                condition=Q(built_generation__lte=F("generation")),
            ),
        ]

    def __str__(self):
        return f"Stored page of article {self.article_id}"

    @property
    def is_fresh(self):
        return self.built_generation == self.generation

    # Built by claims.pages from the sanitised body and templates that escape every inserted value.
    @property
    def body(self):
        return mark_safe(self.body_html)

    @property
    def notes(self):
        return mark_safe(self.notes_html)


class ContentGeneration(models.Model):
    """One row whose number rises, in the same transaction, with every change readers could see.

    Fragments of public pages kept in the shared cache are keyed by it (claims.cache), so a fragment
    computed before a change is never found after that change commits, even when the cache server
    missed the change.
    """

    generation = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(name="content_generation_single_row", condition=Q(id=1))]

    def __str__(self):
        return f"Content generation {self.generation}"
