"""The articles app's models: Article (the draft editors work on) and ArticleRevision (what readers see).

Article: title, standfirst, Markdown body (rendered and sanitised on save into body_html, with the
plain body_text claims are anchored in), topics, status, author, medical reviewer and review dates,
archiving. Versioned (articles/versioning.py) and its history kept by simple-history.
ArticleRevision: a frozen copy of an article's text taken at sign-off, scheduling or publication; one
per article is live. The rules live elsewhere: saving the text in articles/services.py, who may do
what in articles/policy.py (and claims/policy.py), the publication gate in claims/publishing/.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from .aggregates import Joined
from .rendering import render_markdown
from .text import read_html
from .versioning import VersionedModel

PUBLISHED_THROUGH_REVISIONS = (
    "An article is published by publishing a revision of it from its publish page, once the gate lets it "
    "through; its status follows."
)


# Fields a copy of an article remembers as it read them, so that a save need not read the row again.
STORED_FIELDS = ("slug", "status", "change_note")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers see: those with a live revision (what they are shown), not archived."""
        live = ArticleRevision.objects.filter(article=OuterRef("pk"), is_live=True)
        return self.filter(Exists(live), archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def current(self):
        """Articles that are not archived, whatever their status."""
        return self.filter(archived_at__isnull=True)

    def never_published(self):
        """Articles readers have no revision of (none ever went live, or none is live now)."""
        return self.exclude(Exists(ArticleRevision.objects.filter(article=OuterRef("pk"), is_live=True)))

    def written_by(self, user):
        return self.filter(author=user)

    def reviewed_by(self, user):
        """Articles whose medical reviewer, on record, is `user`."""
        return self.filter(medical_reviewer=user)

    def with_scheduled_revision(self):
        """Articles with a revision scheduled to go live and not yet published."""
        return self.filter(Exists(ArticleRevision.objects.scheduled().filter(article=OuterRef("pk"))))

    def review_due_within(self, days, today=None):
        """Articles whose next medical review is overdue or falls within `days` days."""
        today = today or timezone.localdate()
        return self.filter(next_review_due__lte=today + datetime.timedelta(days=days))

    def visible_to(self, user):
        """Published articles for everyone; every article for signed-in staff (previews)."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


TAG_SEPARATOR = "\x1f"  # no topic's name holds it (articles.tagging splits names on commas and keeps them printable)


class ArticleTags(TaggableManager):
    """The article's topics; an article read with its topics' names (`with_tag_names`) gives them to its form
    without a query of their own. Stored in migrations as taggit's own field: nothing of the table changes."""

    def value_from_object(self, obj):
        names = getattr(obj, "tag_names", None)
        if names is not None:
            return [Tag(name=name) for name in sorted(filter(None, names.split(TAG_SEPARATOR)))]
        return super().value_from_object(obj)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "taggit.managers.TaggableManager", args, kwargs


def with_tag_names(articles):
    """Articles read with their topics' names (`tag_names`, joined by TAG_SEPARATOR; "" for none)."""
    tagged = (
        TaggedItem.objects.filter(
            object_id=OuterRef("pk"), content_type__app_label="articles", content_type__model="article"
        )
        .order_by()
        .values("object_id")
        .annotate(names=Joined("tag__name", TAG_SEPARATOR))
        .values("names")
    )
    return articles.annotate(
        tag_names=Coalesce(
            Subquery(tagged, output_field=models.TextField()), Value("", output_field=models.TextField())
        )
    )


class Article(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The end of the article's web address. Lower-case words joined by hyphens.",
    )
    standfirst = models.TextField(
        blank=True,
        max_length=600,
        help_text="One or two plain sentences under the title, also shown in article lists.",
    )
    body = MarkdownxField(
        help_text="Markdown. Headings start at ## (the title is the page's main heading).",
    )
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(
        editable=False,
        default="",
        help_text="The body as readers see it, without markup: claims are anchored in this text.",
    )
    tags = ArticleTags(blank=True, help_text="Comma-separated topics, e.g. lung disease, stem cells.")
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Set by publication: “Published” once a revision has gone live. Readers see the live "
        "revision, not this draft; archiving takes the article off the public site.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set automatically when the article is first published.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="articles_written",
    )
    medical_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles_reviewed",
        help_text="The clinician who last reviewed the whole article. Cannot be its author.",
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="Date of the last medical review.")
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When the article must be medically reviewed again (usually 12 months on).",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How often the article must be medically reviewed again, in months.",
    )
    change_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="A note on this draft, for the editors. Readers are not shown it: the change note readers "
        "see is the one written when the draft is published.",
    )
    change_noted_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Set when the article is archived: hidden from readers, kept with its claims and history.",
    )
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="articles_archived",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["body_html", "body_text"])

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            # Published lists (home, topics, feed, sitemap) filter and sort from the index alone,
            # never reading the long body columns stored before these in each row.
            models.Index(fields=["status", "archived_at", "published_at", "created_at"], name="article_published_list"),
            # Lists ordered by the model's order (newest first), e.g. the admin's claims by article.
            models.Index(fields=["-published_at", "-created_at"], name="article_newest_first"),
            models.Index(fields=["next_review_due"], name="article_review_due"),
        ]
        permissions = [
            ("review_article", "Can mark articles as medically reviewed"),
            ("archive_article", "Can archive and restore articles"),
        ]
        constraints = [
            models.CheckConstraint(name="article_version_positive", condition=Q(version__gte=1)),
            models.CheckConstraint(
                name="article_archiver_has_date",
                condition=Q(archived_by__isnull=True) | Q(archived_at__isnull=False),
                violation_error_message="An article archived by someone needs the time it was archived.",
            ),
            models.CheckConstraint(
                name="article_published_has_date",
                condition=~Q(status="published") | Q(published_at__isnull=False),
            ),
            models.CheckConstraint(
                name="article_review_due_after_review",
                condition=Q(next_review_due__isnull=True)
                | Q(last_reviewed__isnull=True)
                | Q(next_review_due__gt=F("last_reviewed")),
                violation_error_message="The next review must be due after the last review.",
            ),
            models.CheckConstraint(
                name="article_reviewer_is_not_author",
                condition=Q(medical_reviewer__isnull=True) | ~Q(medical_reviewer=F("author")),
                violation_error_message="An article's medical reviewer cannot be its author.",
            ),
            models.CheckConstraint(
                name="article_reviewed_has_reviewer_and_date",
                condition=Q(medical_reviewer__isnull=True, last_reviewed__isnull=True)
                | Q(medical_reviewer__isnull=False, last_reviewed__isnull=False),
                violation_error_message="A medical review needs both the reviewer and the date.",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # As stored when read: a save compares with these rather than reading the row again.
        article._loaded = {name: getattr(article, name) for name in STORED_FIELDS if name in field_names}
        return article

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_stored()

    def _remember_stored(self, fields=None):
        for name in STORED_FIELDS:
            if name in self.__dict__ and (fields is None or name in fields):
                self._loaded = {**getattr(self, "_loaded", {}), name: getattr(self, name)}

    def loaded(self, name, default=None):
        """The field's value as read from the database by this copy (`default` for a new or deferred one)."""
        return getattr(self, "_loaded", {}).get(name, default)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        # A save that writes no body (publication, archiving, a medical review) neither renders nor reads it.
        text_saved = update_fields is None or "body" in update_fields
        if text_saved:
            # Rendered and read once per save; the reading is kept for whoever anchors claims in it next.
            self.body_html = render_markdown(self.body)
            document = read_html(self.body_html)
            self.body_text = document.text
            self._body_read = (self.body_html, document)
        self._stamp_publication()
        if update_fields is None or "change_note" in update_fields:
            self._stamp_change_note()
        if update_fields is not None:
            derived = {"body_html", "body_text", "published_at"} if text_saved else {"published_at"}
            if "change_note" in update_fields:
                derived.add("change_noted_at")
            kwargs["update_fields"] = {*update_fields, *derived}
        # What readers' page of a published article shows of the row itself, rather than of its live revision.
        self.saved_slug_change = self.loaded("slug") != self.slug
        super().save(*args, **kwargs)
        self._remember_stored(kwargs.get("update_fields"))

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    def clean(self):
        """The status follows publication: "published" only once a revision of the article has gone live.

        Publishing a revision (claims.publishing, through its gate) sets it without this check; a status
        set by hand to "published" for an article readers have never had a revision of is refused.
        """
        if self.status == self.Status.PUBLISHED and not self._was_published() and not self._has_live_revision():
            raise ValidationError({"status": ["This article cannot be published yet.", PUBLISHED_THROUGH_REVISIONS]})
        self._stamp_publication()

    def _has_live_revision(self):
        return self.pk is not None and ArticleRevision.objects.filter(article_id=self.pk, is_live=True).exists()

    def _was_published(self):
        if self.pk is None:
            return False
        if "status" in getattr(self, "_loaded", {}):
            return self.loaded("status") == self.Status.PUBLISHED
        return Article.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()

    def validate_unique(self, exclude=None):
        # A slug this row was read with is its own: the unique index vouches for it without a query.
        if self.pk is not None and self.slug and self.slug == self.loaded("slug"):
            exclude = {*(exclude or ()), "slug"}
        super().validate_unique(exclude=exclude)

    def _stamp_publication(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def _stamp_change_note(self):
        """Date the public change note when it is written or reworded; clear the date with the note."""
        if not self.change_note:
            self.change_noted_at = None
            return
        stored = None
        if "change_note" in getattr(self, "_loaded", {}):
            stored = self.loaded("change_note")
        elif not self._state.adding:
            stored = Article.objects.filter(pk=self.pk).values_list("change_note", flat=True).first()
        if self.change_note != stored or self.change_noted_at is None:
            self.change_noted_at = timezone.now()

    def read_body(self):
        """The body's plain text, units and tokens (articles.text.Document), read once per copy and body: the
        reading of the last save, or of the last call, while the body is still what it read."""
        kept = getattr(self, "_body_read", None)
        if kept is not None and kept[0] == self.body_html:
            return kept[1]
        document = read_html(self.body_html)
        self._body_read = (self.body_html, document)
        return document

    def sentences(self):
        return self.read_body().sentences()

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def is_medically_reviewed(self):
        return self.medical_reviewer_id is not None and self.last_reviewed is not None

    @property
    def is_review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()


class ArticleRevisionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_live=True)

    def public(self):
        """What readers are shown: the live revision of each article that is not archived.

        Every public page but the article's own (lists, feed, sitemap, search, the JSON export)
        reads these, never the draft. One per published article (Article.objects.published()).
        """
        return self.filter(is_live=True, article__archived_at__isnull=True)

    def scheduled(self):
        return self.filter(scheduled_for__isnull=False, published_at__isnull=True)


class ArticleRevision(models.Model):
    """A frozen copy of an article's text, taken when it is signed off, scheduled or published.

    The article row and its claims are the draft editors work on; readers only ever see the live
    revision (at most one per article) and the claims published with it (claims.PublishedClaim).
    A sign-off belongs to one revision, taken from the draft as the reviewer saw it: `draft_digest`
    names the draft (its text and every claim's version), so a draft changed since is not the one
    signed off. A minor revision (no claimed sentence changed, no new health claim) is published
    without a sign-off of its own and keeps the medical review of the revision it follows
    (`reviewed_in`).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for an article's first revision, then 2, 3...")
    title = models.CharField(max_length=200)
    standfirst = models.TextField(blank=True)
    body = models.TextField()
    body_html = models.TextField(default="")
    body_text = models.TextField(default="")
    draft_digest = models.CharField(
        max_length=64, help_text="The draft this revision was taken from: its text and every claim's version."
    )
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last changed the draft's text or claims before this revision was taken.",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    reviewed_in = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a minor revision: the signed-off revision whose medical review it keeps.",
    )

    class Origin(models.TextChoices):
        DRAFT = "draft", "Taken from the draft"
        WITHDRAWAL = "withdrawal", "Urgent withdrawal of a claim"
        REPUBLICATION = "republication", "An earlier revision published again"

    origin = models.CharField(
        max_length=16,
        choices=Origin.choices,
        default=Origin.DRAFT,
        help_text="How the revision came about: from the draft, or as a copy of a live or earlier revision.",
    )
    is_minor = models.BooleanField(default=False)
    change_note = models.CharField(max_length=300, blank=True, help_text="Shown to readers under “Changes”.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    schedule_problem = models.TextField(
        blank=True, help_text="Why the scheduled publication did not go ahead, when it did not."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_live = models.BooleanField(default=False)

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(is_live=True),
                name="revision_one_live_per_article",
                violation_error_message="An article has one live revision at most.",
            ),
            models.CheckConstraint(
                name="revision_live_is_published",
                condition=Q(is_live=False) | Q(published_at__isnull=False),
                violation_error_message="A live revision has been published.",
            ),
            models.CheckConstraint(
                name="revision_sign_off_has_reviewer_and_time",
                condition=Q(signed_off_by__isnull=True, signed_off_at__isnull=True)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                violation_error_message="A sign-off needs both the reviewer and the time.",
            ),
            models.CheckConstraint(
                name="revision_signer_is_not_last_editor",
                condition=Q(signed_off_by__isnull=True)
                | Q(last_editor__isnull=True)
                | ~Q(signed_off_by=F("last_editor")),
                violation_error_message="Nobody signs off a revision they last edited.",
            ),
            models.CheckConstraint(
                name="revision_signed_or_keeps_a_review",
                condition=Q(signed_off_by__isnull=True) | Q(reviewed_in__isnull=True),
                violation_error_message="A signed-off revision is its own medical review.",
            ),
        ]
        indexes = [
            # The live revisions newest first: the sitemap dates each condition's map by the newest one with a
            # claim on it, walking them in this order until one has (claims.sitemaps).
            models.Index(fields=["-published_at"], condition=Q(is_live=True), name="revision_live_newest"),
        ]

    def __str__(self):
        return f"{self.article} (revision {self.number})"

    @property
    def medical_review(self):
        """The revision whose sign-off is the medical review readers see: this one, or the one it keeps."""
        return self if self.signed_off_by_id else self.reviewed_in
