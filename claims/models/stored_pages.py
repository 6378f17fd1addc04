"""What readers are served, stored: each article's claim-annotated page and the content generation."""

from django.db import models
from django.db.models import F, Q
from django.utils.safestring import mark_safe

from articles.models import Article


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
    # What readers are sent, the same for every request: the page as text (SQLite reads it as the bytes stored;
    # PostgreSQL is sent its gzip copy, gunzipped in process: claims.pages.stored._read_form), and compressed.
    page = models.TextField(blank=True, help_text="The reader's whole page, as sent uncompressed.")
    page_gzip = models.BinaryField(default=b"", help_text="The reader's whole page, gzip-compressed.")
    page_br = models.BinaryField(default=b"", help_text="The reader's whole page, brotli-compressed.")
    # The digest of each form's bytes, made as the page is built, for its ETag (claims.pages.http): a reader's
    # request reads the one it is sent beside the page, and nothing hashes the page per request.
    page_digest = models.CharField(max_length=16, blank=True, help_text="The digest of the uncompressed page.")
    page_gzip_digest = models.CharField(max_length=16, blank=True, help_text="The digest of the gzip copy.")
    page_br_digest = models.CharField(max_length=16, blank=True, help_text="The digest of the brotli copy.")
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

    @property
    def has_references(self):
        """Whether the notes end with a References section (templates/claims/_references.html)."""
        return 'id="references"' in self.notes_html


class ContentGeneration(models.Model):
    """One row whose number rises, in the same transaction, with every change readers could see.

    Fragments of public pages kept in the shared cache are keyed by it (claims.pages.cache), so a
    fragment computed before a change is never found after that change commits, even when the cache
    server missed the change.
    """

    generation = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(name="content_generation_single_row", condition=Q(id=1))]

    def __str__(self):
        return f"Content generation {self.generation}"


class ListPage(models.Model):
    """One page of a public list (the home page, a topic, the conditions, a condition's evidence map), or the
    sitemap, the feed or an article's JSON export, stored whole as the text served and compressed, so that a
    reader's request reads one row.

    Built by claims.pages.lists at the content generation read before its rendering started: it is served
    only while that is still the content generation, which every change readers could see raises in its
    own transaction, so no reader gets a page older than the last committed change. Each form of the page
    keeps the digest of its bytes, made as it is built, so that a request's entity tag hashes nothing.
    """

    address = models.CharField(
        max_length=255, unique=True, help_text="The page's path, with ?page=N from the second page on."
    )
    page = models.TextField(default="", help_text="The whole page as served uncompressed.")
    page_gzip = models.BinaryField(default=b"", help_text="The whole page, gzip-compressed.")
    page_br = models.BinaryField(default=b"", help_text="The whole page, brotli-compressed.")
    digest = models.CharField(max_length=16, default="", help_text="The digest of the page's UTF-8 bytes.")
    digest_gzip = models.CharField(max_length=16, default="", help_text="The digest of its gzip bytes.")
    digest_br = models.CharField(max_length=16, default="", help_text="The digest of its brotli bytes.")
    generation = models.PositiveBigIntegerField(help_text="The content generation the page was built at.")
    layout = models.CharField(max_length=64, help_text="The templates and static files it was built with.")
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = "stored list page"

    def __str__(self):
        return f"Stored list page {self.address}"


class ListPageRendering(models.Model):
    """A stored list page being rendered, where the database has no advisory locks (SQLite): the render lock of
    claims.pages.lists, held by whoever wrote the row, for at most `RENDER_WAIT` seconds after `started_at`."""

    address = models.CharField(max_length=255, unique=True)
    started_at = models.DateTimeField()

    class Meta:
        verbose_name = "list page being rendered"

    def __str__(self):
        return f"Rendering {self.address} since {self.started_at}"
