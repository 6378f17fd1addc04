"""The vocabulary claims are made with: conditions, evidence statuses (grades) and sources."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ..text import identifiers, study_design


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
    expected_designs = models.JSONField(
        "designs it expects",
        default=list,
        blank=True,
        help_text="The study designs a claim with this grade should cite. None ticked: any design will do. "
        "A claim citing none of them is flagged as “grade outruns its sources”.",
    )
    expected_count = models.PositiveSmallIntegerField(
        "how many of them",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="How many cited sources of an expected design this grade needs (e.g. 2 for “several”).",
    )
    supports_causal_wording = models.BooleanField(
        default=False,
        help_text="Whether the evidence this grade stands for can support saying that one thing causes another, "
        "hedged as the grade requires (“may reduce”). When it cannot, a claim worded as a cause is flagged "
        "“causal wording for an association” and needs association wording or a reviewer's reason.",
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
    def expectation(self) -> study_design.Expectation:
        """The designs this grade expects, as claims.text.source_findings reads them."""
        return study_design.Expectation(
            grade_name=self.name,
            designs=tuple(d for d in self.expected_designs if d in study_design.DESIGNS),
            count=self.expected_count or 1,
            rated=self.is_rated,
        )

    @property
    def denial_fits(self):
        """A grade that says the evidence is against: denying the effect outright is the right wording."""
        return self.tone == self.Tone.AGAINST


class CitedSources:
    """What readers are told of a claim's sources (a Claim's or a PublishedClaim's), read as its sources were:
    through claims.citations.citing_sources, as a prefetch, with what became of each beside it."""

    @property
    def rests_on_retracted_sources(self) -> bool:
        """It cites sources and every one was retracted: the grade has nothing left to stand on."""
        sources = self.sources.all()
        return bool(sources) and all(source.retraction_date for source in sources)

    @property
    def reviewed_since_retraction(self) -> bool:
        """A reviewer approved it after the last retraction of one of its sources was recorded."""
        found = [source.retraction_found_at for source in self.sources.all() if source.retraction_found_at]
        return bool(found) and self.reviewed_at is not None and self.reviewed_at > max(found)

    @property
    def grade_withheld(self) -> bool:
        """Every source it cites was retracted and no reviewer has graded it since: readers see it under review.

        A reviewer keeping the claim (an evidence alert resolved "kept") does not change this: its grade shows
        again once a revision goes live in which it was approved again (regraded) or cites a source not retracted.
        """
        read = getattr(self, "withheld_for_retractions", None)  # as a list's query reads it (claims.search)
        if read is not None:
            return read
        return self.rests_on_retracted_sources and not self.reviewed_since_retraction

    @property
    def retracted_on(self):
        """The last retraction of its sources, when every one is retracted (else None)."""
        if not self.rests_on_retracted_sources:
            return None
        return max(source.retraction_date for source in self.sources.all())

    @property
    def warned_sources(self) -> list:
        """Its sources readers are warned of: retracted, under an expression of concern, or a trial stopped early."""
        return [source for source in self.sources.all() if source.reader_warning]

    @property
    def source_warning(self) -> str:
        """The warning its badge carries, in words ("source retracted"), or "" when none of its sources has one."""
        read = getattr(self, "source_warning_read", None)  # as a list's query reads it (claims.search)
        if read is not None:
            return read
        warnings = {source.reader_warning for source in self.warned_sources}
        for words in ("source retracted", "source under concern", "trial stopped early"):
            if words in warnings:
                return words
        return ""


class Source(models.Model):
    """A study or page cited as evidence, with its citation and study design.

    The citation (title, authors, journal, year) is typed by an editor or filled in by the look-up
    (claims/lookups/), whose whole answer is kept in `record` (SourceRecord). A field an editor typed
    is named in `hand_set`, and a later look-up never overwrites it; the admin shows what the look-up
    said beside it. The same goes for the study design and `design_by_hand`.
    """

    class Kind(models.TextChoices):
        PMID = identifiers.PMID, "PubMed ID"
        DOI = identifiers.DOI, "DOI"
        NCT = identifiers.NCT, "ClinicalTrials.gov number"
        URL = identifiers.URL, "Web address"

    Design = models.TextChoices("Design", [(key.upper(), (key, label)) for key, label in study_design.DESIGNS.items()])
    # The citation's fields, which an editor may type and a look-up may fill in.
    CITATION_FIELDS = ("title", "authors", "journal", "year")
    LOOKED_UP_KINDS = (Kind.PMID, Kind.DOI, Kind.NCT)

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
    authors = models.TextField(
        blank=True, max_length=2000, help_text="As cited: family names and initials, e.g. “Raghu G, Collard HR”."
    )
    journal = models.CharField("journal or container", max_length=300, blank=True)
    hand_set = models.JSONField(
        "typed by hand",
        default=list,
        blank=True,
        help_text="The citation fields an editor typed; a look-up never overwrites them.",
    )
    design = models.CharField(
        "study design",
        max_length=24,
        choices=Design.choices,
        default=study_design.UNKNOWN,
        help_text="Derived from the look-up unless set by hand.",
    )
    design_by_hand = models.BooleanField(
        "design set by hand",
        default=False,
        help_text="Ticked, the look-up never changes the design; untick to let it derive the design again.",
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
            models.CheckConstraint(name="source_design_known", condition=Q(design__in=list(study_design.DESIGNS))),
        ]

    def __str__(self):
        label = self.title or self.identifier_label
        return f"{label} ({self.year})" if self.year else label

    @property
    def identifier_label(self) -> str:
        """The identifier named for editors: "PMID 12345678", "DOI 10.1000/xyz", "NCT01234567", or the address."""
        prefix = {self.Kind.PMID: "PMID ", self.Kind.DOI: "DOI "}.get(self.kind, "")
        return f"{prefix}{self.identifier}"

    def clean(self):
        try:
            self.identifier = identifiers.normalise(self.kind, self.identifier)
        except identifiers.IdentifierError as error:
            raise ValidationError({"identifier": str(error)}) from error

    @property
    def is_looked_up(self):
        """Whether this kind of source is looked up at all: a web address never is."""
        return self.kind in self.LOOKED_UP_KINDS

    @property
    def design_words(self):
        """The design in plain words for readers, e.g. "Randomised trial in 320 adults"."""
        record = getattr(self, "record", None)
        return study_design.plain_words(self.design, record.indexing() if record else None)

    @property
    def url(self):
        return identifiers.resolver_url(self.kind, self.identifier)

    # Where each kind of identifier is found, for readers' links.
    SERVICE_NAMES = {Kind.PMID: "PubMed", Kind.DOI: "DOI", Kind.NCT: "ClinicalTrials.gov"}

    @property
    def authors_cited(self) -> str:
        """The authors as readers' citations give them: the first three, then "et al."."""
        names = [name.strip() for name in self.authors.replace(";", ",").split(",") if name.strip()]
        return ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")

    @property
    def links(self) -> list[tuple[str, str]]:
        """(name of the service, address) where readers find the source: PubMed, the DOI or ClinicalTrials.gov."""
        return [(self.SERVICE_NAMES.get(self.kind, self.citation_label), self.url)]

    @property
    def retraction_date(self):
        """The date the source was retracted, read beside it (`claims.citations.citing_sources`), or None."""
        return getattr(self, "retracted_on", None)

    @property
    def retraction_found_at(self):
        """When the evidence watch recorded its retraction (the last, if several), read beside it, or None."""
        return getattr(self, "retraction_found_at_", None)

    @property
    def concern_date(self):
        """The date of the first expression of concern about it, read beside it like `retraction_date`, or None."""
        return getattr(self, "concern_on", None)

    @property
    def trial_stopped(self) -> str:
        """How a cited trial stopped early ("terminated", "withdrawn", "suspended"), read beside it, or ""."""
        status = (getattr(self, "stopped_status", None) or "").removeprefix("ClinicalTrials.gov: ")
        return status or ("stopped" if self.trial_status_updated else "")

    @property
    def trial_status_updated(self):
        """When the stopped trial's record was last updated (not the day it stopped, which the registry never gives)."""
        return getattr(self, "stopped_on", None)

    @property
    def reader_warning(self) -> str:
        """The warning readers see on a badge and a citation because of this source, in words, or ""."""
        if self.retraction_date:
            return "source retracted"
        if self.concern_date:
            return "source under concern"
        if self.trial_stopped:
            return "trial stopped early"
        return ""

    @property
    def reader_notice(self) -> str:
        """What became of this source, in one sentence for readers' evidence notes, or ""."""
        named = f"“{self.title or self.citation_label}”"
        if self.retraction_date:
            return f"{named} was retracted on {self.retraction_date:%-d %B %Y}."
        if self.concern_date:
            return f"{named} was given an expression of concern on {self.concern_date:%-d %B %Y}."
        if self.trial_stopped:
            updated = f", last updated on {self.trial_status_updated:%-d %B %Y}" if self.trial_status_updated else ""
            return f"The trial {named} stopped early (status {self.trial_stopped}{updated})."
        return ""

    @property
    def citation_label(self):
        if self.kind == self.Kind.URL:
            return urlsplit(self.identifier).netloc.removeprefix("www.")
        prefix = {"pmid": "PMID ", "doi": "doi:"}.get(self.kind, "")
        return f"{prefix}{self.identifier}"
