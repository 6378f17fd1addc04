"""What readers are shown of an article's claims: the copies published with a revision.

The Claim rows are the draft: editors and reviewers work on them. When a revision of an article is
published (articles.ArticleRevision), each of its claims is copied here as it stood, with the grade,
condition, explanation and sources that were approved, so that nothing an editor or reviewer does
afterwards reaches readers until a new revision goes through the publication gate. A published claim
shows its grade only while it is approved; one pulled urgently shows "Under review" with its notice.
What became of its sources reaches readers at once, as it is recorded: a claim whose every source is
retracted shows no grade until a revision goes live in which a reviewer approved it again since, or in
which it cites a source not retracted (a reviewer keeping it after an evidence alert leaves it so);
one citing a retracted, concerning or stopped-trial source keeps its grade with a warning on its
badge (`source_warning`).

A reviewer may also say that a sentence the integrity check takes for a health claim makes none:
SuggestionDismissal keeps that, with the reason, for the sentence's exact words.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models import ArticleRevision

from .claim import Claim
from .evidence_watch import SourceEvent
from .vocabulary import CitedSources, Condition, EvidenceStatus, Source


def grade_withheld() -> Q:
    """Published claims citing sources that were every one retracted, approved by no reviewer since the last
    retraction was recorded: readers see them under review (`CitedSources.grade_withheld`)."""
    retraction = SourceEvent.objects.filter(kind=SourceEvent.Kind.RETRACTION)
    retracted = retraction.filter(source=models.OuterRef("source_id"))
    links = PublishedClaim.sources.through.objects.filter(publishedclaim=models.OuterRef("pk"))
    cites_retracted = models.Exists(links.filter(models.Exists(retracted)))
    cites_other = models.Exists(links.exclude(models.Exists(retracted)))
    its_sources = PublishedClaim.sources.through.objects.filter(publishedclaim=models.OuterRef(models.OuterRef("pk")))
    last_found = retraction.filter(source_id__in=its_sources.values("source_id")).order_by("-recorded_at")
    regraded = Q(approved_at__gt=models.Subquery(last_found.values("recorded_at")[:1]))
    return Q(cites_retracted) & ~Q(cites_other) & ~regraded


def source_warning() -> models.Case:
    """The words of the warning on a published claim's chip ("source retracted"), read in a list's own query:
    the same words, in the same order of precedence, as `CitedSources.source_warning` reads from its sources."""
    links = PublishedClaim.sources.through.objects.filter(publishedclaim=models.OuterRef("pk"))

    def cites(kind):
        events = SourceEvent.objects.filter(kind=kind, source=models.OuterRef("source_id"))
        return models.Exists(links.filter(models.Exists(events)))

    Kind = SourceEvent.Kind
    return models.Case(
        models.When(cites(Kind.RETRACTION), then=models.Value("source retracted")),
        models.When(cites(Kind.EXPRESSION_OF_CONCERN), then=models.Value("source under concern")),
        models.When(cites(Kind.TRIAL_STOPPED), then=models.Value("trial stopped early")),
        default=models.Value(""),
        output_field=models.CharField(),
    )


class PublishedClaimQuerySet(models.QuerySet):
    def with_source_warning(self):
        """Each with the warning its chip carries (`source_warning`), read in the same query."""
        return self.annotate(source_warning_read=source_warning())

    def graded(self):
        """Those whose grade readers see: not under review, not resting on retracted sources alone."""
        return self.filter(under_review_since__isnull=True).exclude(grade_withheld())


class PublishedClaim(CitedSources, models.Model):
    revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="published_claims")
    claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        help_text="The draft claim this was copied from (empty once that claim is deleted).",
    )
    quote = models.TextField()
    start = models.PositiveIntegerField(help_text="Where the quote starts in the revision's plain text.")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="+")
    evidence_status = models.ForeignKey(EvidenceStatus, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    under_review_since = models.DateTimeField(null=True, blank=True)
    under_review_notice = models.TextField(
        blank=True, help_text="Why readers see this claim under review (shown to them), e.g. a retracted source."
    )
    mapped = models.BooleanField(
        default=False,
        help_text="Shown on its condition's evidence map now (claims.selectors.mapped_claims): kept by "
        "claims.map_counts and counted in ConditionEvidenceCount.",
    )
    article_published_at = models.DateTimeField(
        null=True, blank=True, help_text="Its article's first publication, while mapped: the order of the map."
    )

    objects = PublishedClaimQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "start", "pk"]
        indexes = [
            # A condition's map, one grade at a time (claims.selectors.condition_map_claims), and its dates.
            models.Index(
                fields=["condition", "evidence_status", "-article_published_at", "start", "id"],
                condition=Q(mapped=True),
                name="published_claim_map",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "claim"], condition=Q(claim__isnull=False), name="published_claim_once_a_revision"
            ),
            models.CheckConstraint(
                name="published_claim_approved_or_under_review",
                condition=Q(approved_by__isnull=False, approved_at__isnull=False) | Q(under_review_since__isnull=False),
                violation_error_message="A published claim was approved, or readers see it under review.",
            ),
        ]

    def __str__(self):
        return f"{self.quote[:60]} (revision {self.revision.number})"

    def get_absolute_url(self):
        """The claim on its article's page."""
        return f"{self.revision.article.get_absolute_url()}#claim-{self.public_id}"

    @property
    def public_grade(self):
        """The grade readers see: none while it is under review, or while every source it cites is retracted
        and no reviewer has graded it since (`grade_withheld`).

        The sources' retractions are read beside them (claims.citations.citing_sources, as a prefetch).
        """
        if self.under_review_since or self.grade_withheld:
            return None
        return self.evidence_status

    @property
    def is_withdrawn(self) -> bool:
        """A reviewer approved it, then pulled it from readers (claim_withdraw_urgently)."""
        return bool(self.under_review_since and self.approved_at)

    # What the public page's badges and evidence notes read, named as on a draft Claim.

    @property
    def public_id(self):
        """The id of the claim's anchor on the page: its draft claim's, so that links to it outlive revisions."""
        return self.claim_id or f"p{self.pk}"

    @property
    def end(self):
        return self.start + len(self.quote)

    is_orphaned = False
    next_review_due = None

    @property
    def reviewed_by(self):
        return self.approved_by

    @property
    def reviewed_at(self):
        return self.approved_at


class ConditionEvidenceCount(models.Model):
    """How many claims of one condition its evidence map shows with one grade: the mapped published claims
    (`PublishedClaim.mapped`), counted as they change (claims.map_counts) so that no page counts them by reading them.
    """

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="+")
    evidence_status = models.ForeignKey(EvidenceStatus, on_delete=models.CASCADE, related_name="+")
    claims = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["condition", "evidence_status"], name="condition_evidence_count_once"),
            models.CheckConstraint(name="condition_evidence_count_not_negative", condition=Q(claims__gte=0)),
        ]

    def __str__(self):
        return f"{self.condition_id}/{self.evidence_status_id}: {self.claims}"


class SuggestionDismissal(models.Model):
    """A reviewer's word that a sentence the integrity check suggested makes no health claim.

    Kept for the sentence's exact words: once they change, the sentence is suggested again.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="dismissed_suggestions")
    sentence = models.TextField(help_text="The sentence's words when it was dismissed.")
    reason = models.CharField(max_length=300)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "-dismissed_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "sentence"], name="suggestion_dismissed_once"),
            models.CheckConstraint(name="suggestion_dismissal_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"No health claim: {self.sentence[:60]}"
