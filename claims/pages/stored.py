"""Stored article pages: the claim-annotated body, evidence notes, citations and whole page of each article.

Readers' requests read one ArticlePage row. Anything that changes what that row shows marks it
stale (raising its generation) inside the transaction that made the change, and the page is rebuilt
once that transaction commits. A reader who arrives before the rebuild, or after a rebuild that
never happened, finds the row stale and has it rebuilt on the spot, so no request is ever served
an out-of-date page.
"""

import datetime
import functools
import gzip
import hashlib
import logging
import re
import zlib
from pathlib import Path
from typing import NamedTuple

import brotli
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article, ArticleRevision
from people.bylines import person_for

from ..citations import references, sources_prefetch
from ..models import ArticlePage, Claim, PublishedClaim
from . import cache, purge
from .badges import annotate_article
from .jsonld import conditions_and_citations
from .record import PublicRecord, public_record

logger = logging.getLogger(__name__)

# A change to a shared word (an evidence status, a condition, a source) can touch many articles: up to
# this many are rebuilt as the change commits; more are left to a background task (claims.tasks
# `rebuild_stale_pages`), which rebuilds every stale page, REBUILD_BATCH at a time, and to readers.
REBUILD_AT_ONCE = 25
REBUILD_BATCH = 100


def evidence_notes_html(claims) -> str:
    """What follows the article's body: each claim's evidence note, the conditions, and the References.

    Each thing is said once: a grade's meaning in "What the grades mean" (only the grades used), a
    source's citation in the References, to which each graded claim's note links by number.
    """
    cited = references(claims)
    numbers = {source.pk: number for number, source in enumerate(cited, start=1)}
    grades = {}
    for claim in claims:
        if claim.public_grade:
            claim.reference_numbers = [numbers[source.pk] for source in claim.sources.all()]
            grades.setdefault(claim.evidence_status.pk, claim.evidence_status)
    # From strongest to weakest, as the legend of every grade lists them.
    ordered = sorted(grades.values(), key=lambda status: (status.rank, status.pk))
    return render_to_string("claims/_article_evidence.html", {"claims": claims, "references": cited, "grades": ordered})


def _draft_claims(article):
    claims = Claim.objects.filter(article=article).public().prefetch_related(sources_prefetch()).order_by("start", "pk")
    return list(claims)


def _published_claims(revision):
    claims = (
        PublishedClaim.objects.filter(revision=revision)
        .select_related("condition", "evidence_status", "approved_by")
        .prefetch_related(sources_prefetch())
        .order_by("start", "pk")
    )
    return list(claims)


def as_published(article, revision):
    """The article as readers see it: its text (title, standfirst, body) taken from `revision`, in memory only."""
    article.title, article.standfirst = revision.title, revision.standfirst
    article.body, article.body_html, article.body_text = revision.body, revision.body_html, revision.body_text
    article.live_revision = revision
    return article


def build(article_id) -> ArticlePage | None:
    """Build and store the page of one article from its live revision; None if the article is gone.

    The page shows the live revision's text and the claims published with it, never the draft. An
    article with no live revision (never published) gets a page of its draft, which only staff
    reach: readers' requests ask for a live revision, and publishing one marks the page stale.

    The built page is returned even when it cannot be stored (a database busy with another writer):
    the row then stays stale and the next reading tries again.
    """
    revision = (
        ArticleRevision.objects.select_related(
            "article__author__profile",
            "article__medical_reviewer",
            "signed_off_by__profile",
            "reviewed_in__signed_off_by__profile",
        )
        .filter(article_id=article_id, is_live=True)
        .first()
    )
    if revision is not None:
        article = revision.article
    else:
        article = Article.objects.select_related("author__profile", "medical_reviewer").filter(pk=article_id).first()
    if article is None:
        return None
    # The row exists before the claims are read, so that a change committed meanwhile raises its generation.
    generation = _stored(lambda: ArticlePage.objects.get_or_create(article_id=article_id)[0].generation)
    if revision is not None:
        article = as_published(article, revision)
        article.public_record = public_record(article, revision)
        claims = _published_claims(revision)
    else:
        article.public_record = PublicRecord(revision=None, first_published=None, author=person_for(article.author))
        claims = _draft_claims(article)
    body = annotate_article(article, claims)
    today = timezone.localdate()
    page = ArticlePage(
        article_id=article_id,
        body_html=body.html,
        notes_html=evidence_notes_html(body.claims),
        json_ld=conditions_and_citations(body.claims),
        claim_count=len(body.claims),
        layout=layout_version(),
        # Until the review falls due the page says nothing of it; from the next day it must say it is overdue.
        valid_until=article.next_review_due if article.next_review_due and article.next_review_due >= today else None,
        generation=generation or 0,
        built_generation=generation or 0,
        built_at=timezone.now(),
    )
    page.page = _whole_page(article, page)
    page.page_gzip, page.page_br = compressed(page.page.encode())
    for encoding, column in STORED_FORMS.items():
        content = getattr(page, column)
        setattr(page, STORED_DIGESTS[encoding], body_digest(content.encode() if isinstance(content, str) else content))
    if generation is not None:
        # Written only over an older build: a build that started earlier must not replace a newer one.
        older = Q(built_generation__lt=generation) | Q(built_generation=generation) & (
            ~Q(layout=page.layout)
            | Q(valid_until__lt=today)
            | Q(page="")
            | Q(page_gzip=b"")
            | Q(page_br=b"")
            | Q(page_digest="")
            | Q(page_gzip_digest="")
            | Q(page_br_digest="")
        )
        _stored(
            lambda: ArticlePage.objects.filter(older, article_id=article_id).update(
                **{field: getattr(page, field) for field in BUILT_FIELDS}, built_generation=generation
            )
        )
    return page


BUILT_FIELDS = [
    "body_html",
    "notes_html",
    "json_ld",
    "claim_count",
    "page",
    "page_gzip",
    "page_br",
    "page_digest",
    "page_gzip_digest",
    "page_br_digest",
    "layout",
    "valid_until",
    "built_at",
]


def _whole_page(article, page) -> str:
    """The reader's whole page, the same for every request: its JSON-LD names the site by settings.SITE_URL."""
    article.evidence_page = page
    html = render_to_string("articles/article_detail.html", {"article": article, "object": article})
    # PostgreSQL keeps no NUL in text, and an HTML parser reads one as U+FFFD anyway.
    return _without_indentation(html.replace("\x00", ""))


# Each stored page's compressed copies, made once as it is built: gzip for every browser, brotli a sixth smaller
# again. Brotli's quality 5 costs about 2 ms on a 100-claim page, as gzip's best does, where 11, its best, takes
# a second for another sixth off (bench/README.md); a reader finding a stale page waits for its build.
GZIP_LEVEL = 9
BROTLI_QUALITY = 5


def body_digest(content: bytes) -> str:
    """The digest of a response body that its entity tag names (claims.pages.http): 16 hex digits."""
    return hashlib.blake2b(content, digest_size=8).hexdigest()


def compressed(content: bytes) -> tuple[bytes, bytes]:
    """The gzip and brotli forms of a page, the same bytes for the same page (no time stamp)."""
    return gzip.compress(content, GZIP_LEVEL, mtime=0), brotli.compress(content, quality=BROTLI_QUALITY)


# Line indentation and blank lines from the templates: a tenth of a long page, and no reader sees them. Never
# inside <pre> (an article's code blocks), where they are part of the text.
# Blank lines are taken out only before a tag, so that text keeps the line breaks it was typed with.
_INDENTATION = re.compile(r"\n[ \t]+|\n\s+(?=<)")


def _without_indentation(html):
    if "<pre" in html:
        return html
    return _INDENTATION.sub("\n", html)


def is_current(page, today=None) -> bool:
    """Whether a stored page is right now: built after the last change, with today's templates, for today."""
    today = today or timezone.localdate()
    return (
        page.built_generation == page.generation
        and page.layout == layout_version()
        and (page.valid_until is None or today <= page.valid_until)
    )


# The code that writes a stored page: a deployment that changes it rebuilds every page on its next reading. config
# shapes public pages too: the sitemap's sections (sitemaps.py), the addresses (urls.py), the settings that pages
# read (settings.py) and the middleware between a view and its reader.
PAGE_CODE = ["articles", "claims", "config", "people"]


@functools.cache
def layout_version() -> str:
    """A fingerprint of the templates, static files and code a page is built with; a deployment changes it."""
    # The site's address is in every page's JSON-LD: a new one rebuilds them all. The sitemap's file size decides
    # whether /sitemap.xml is the sitemap or its index.
    digest = hashlib.sha256(f"{settings.STATIC_URL} {settings.SITE_URL} {settings.SITEMAP_LIMIT}".encode())
    folders = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    files = [(folder, path) for folder in folders for path in folder.rglob("*.html")]
    for name in PAGE_CODE:
        folder = Path(settings.BASE_DIR) / name
        files += [(folder, path) for path in folder.rglob("*.py") if "migrations" not in path.parts]
    for folder, path in sorted(files):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    read_manifest = getattr(staticfiles_storage, "read_manifest", None)
    if read_manifest is not None:
        digest.update((read_manifest() or "").encode())
    return digest.hexdigest()[:32]


# The column holding each form of the page a reader may be sent, by content coding (None: uncompressed).
STORED_FORMS = {None: "page", "gzip": "page_gzip", "br": "page_br"}
# The column holding the digest of each form's bytes (`body_digest`), made as the page is built.
STORED_DIGESTS = {None: "page_digest", "gzip": "page_gzip_digest", "br": "page_br_digest"}
# The codings stored, in the order the site prefers them when a browser accepts both equally.
STORED_ENCODINGS = ("br", "gzip")


def _read_form(encoding):
    """The column a reader's page is read from, and whether it is gunzipped here.

    PostgreSQL hands over a long text slowly (a 200 KB page takes longer than a whole /healthz request),
    its gzip copy a tenth of the size quickly: gunzipping that here costs less (bench/README.md). SQLite
    hands the text over as the bytes it holds when asked for a BLOB, with nothing to decode.
    """
    if encoding is None and connection.vendor == "postgresql":
        return STORED_FORMS["gzip"], True
    return STORED_FORMS[encoding], False


@functools.cache
def _stored_page_sql(column, digest_column) -> str:
    """The query of a reader's page: the article, the one form of its page this reader is sent and its digest."""
    quote = connection.ops.quote_name
    article, page = quote(Article._meta.db_table), quote(ArticlePage._meta.db_table)
    revision = quote(ArticleRevision._meta.db_table)
    selected = f"p.{quote(column)}"
    if column == STORED_FORMS[None] and connection.vendor == "sqlite":
        selected = f"CAST({selected} AS BLOB)"  # the UTF-8 bytes as stored, never decoded and encoded again
    return (
        f"SELECT a.id, {selected}, p.{quote(digest_column)}, p.generation, p.built_generation, p.layout, p.valid_until "
        f"FROM {article} a LEFT JOIN {page} p ON p.article_id = a.id "
        f"WHERE a.slug = %s AND a.archived_at IS NULL "
        f"AND EXISTS (SELECT 1 FROM {revision} r WHERE r.article_id = a.id AND r.is_live = %s)"
    )


def _page_cursor():
    """A cursor for a reader's page: on PostgreSQL, one whose statements are prepared once per connection.

    The page's query is the same on every request: PostgreSQL parsing and planning it (its join and live-revision
    check) took longer than running it, about 1 ms of a 4 ms request (bench/README.md). Its statement is prepared
    on each connection's first reading and then only executed, its results sent in binary (the compressed copy as
    its bytes, not hex). psycopg forgets and deallocates its prepared statements on a rollback, and prepares
    again a statement that fails. Elsewhere, with prepared statements turned off (settings.DATABASE_PREPARED_READS),
    or while queries are logged (DEBUG, a test counting them: psycopg keeps no text of a prepared statement's
    execution for the log), Django's usual cursor.
    """
    if (
        connection.vendor != "postgresql"
        or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None
        or connection.queries_logged
    ):
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        return connection.make_cursor(_prepared_cursor_class()(connection.connection))


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        """Binds parameters on the server and has each statement prepared, results in binary."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=True)

    return PreparedCursor


class StoredPage(NamedTuple):
    """A reader's page as sent: its bytes in the coding asked for, and their digest (`body_digest`), made at build."""

    content: bytes
    digest: str


def stored_public_page(slug, encoding=None) -> StoredPage | None:
    """The whole stored page of a published article, in `encoding` (None, "gzip" or "br"), or None.

    One query when the page is current, reading only one form of the page (`_read_form`): its text, or
    its gzip or brotli bytes, and the digest of the bytes sent, made when the page was built. A page
    that is stale, built with other templates, past the day its review falls due, or never built, is
    built first. None when the article has no live revision or is archived: the article view then
    answers (a 404 for readers).
    """
    column, gunzip = _read_form(encoding)
    digest_column = STORED_DIGESTS[encoding]
    with _page_cursor() as cursor:
        cursor.execute(_stored_page_sql(column, digest_column), [slug, True])
        row = cursor.fetchone()
    if row is None:
        return None
    article_id, content, digest, generation, built_generation, layout, valid_until = row
    page = ArticlePage(
        generation=generation,
        built_generation=built_generation,
        layout=layout,
        valid_until=_as_date(valid_until),
    )
    if not content or not digest or not is_current(page):
        # Stale: rebuilt now, so that this reader and the next get the page as it stands.
        page = build(article_id)
        if page is None:
            return None
        content, digest = getattr(page, column), getattr(page, digest_column)
    if isinstance(content, str):
        content = content.encode()
    elif gunzip:
        content = zlib.decompress(content, GZIP_WINDOW)
    return StoredPage(bytes(content), digest)


# zlib's window size that reads the gzip format (header and trailer).
GZIP_WINDOW = 16 + zlib.MAX_WBITS


def _as_date(value):
    """A date column read by a raw query: a date already, or its ISO text on SQLite."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _stored(write):
    """Run a write of a stored page; on a database error, log it and return None instead of failing."""
    try:
        with transaction.atomic():
            return write()
    except DatabaseError:
        logger.warning("A stored article page could not be written; it is rebuilt on its next reading.", exc_info=True)
        return None


def draft_page(article) -> ArticlePage:
    """The page of the article's draft (its own text and claims) for staff's preview: built, never stored."""
    body = annotate_article(article, _draft_claims(article))
    return ArticlePage(
        article_id=article.pk,
        body_html=body.html,
        notes_html=evidence_notes_html(body.claims),
        json_ld=conditions_and_citations(body.claims),
        claim_count=len(body.claims),
    )


def page_for(article) -> ArticlePage | None:
    """The article's stored page, rebuilt first if a change has made it stale (or it was never built).

    For staff's draft preview (`article.draft_preview`, set by the article view) the draft's page, never stored.
    """
    if getattr(article, "draft_preview", False):
        return draft_page(article)
    try:
        page = article.evidence_page
    except ArticlePage.DoesNotExist:
        page = None
    if page is not None and is_current(page):
        return page
    page = build(article.pk)
    article.evidence_page = page
    return page


def _pending():
    """Article ids waiting for a rebuild on this connection's next commit."""
    if not hasattr(connection, "article_pages_pending"):
        connection.article_pages_pending = set()
    return connection.article_pages_pending


def _after_commit():
    """Rebuild the pages changed by the transaction that just committed.

    Every change in a transaction schedules this; the first run does the work and the others find nothing.
    """
    pending = _pending()
    if not getattr(connection, "article_pages_changed", False):
        return
    connection.article_pages_changed = False
    ids = sorted(pending)
    pending.clear()
    for article_id in ids:
        build(article_id)


def _schedule(ids=(), *, many=False):
    # In the change's own transaction: cached fragments of older content are unreachable as it commits.
    cache.content_changing()
    purge.pages_changed(ids, everything=many)
    _pending().update(ids)
    connection.article_pages_changed = True
    transaction.on_commit(_after_commit, robust=True)


def mark_stale(article_ids) -> None:
    """Record that the pages of these articles changed; they are rebuilt when the change commits."""
    ids = {pk for pk in article_ids if pk is not None}
    if not ids:
        return
    ArticlePage.objects.filter(article_id__in=ids).update(generation=F("generation") + 1)
    _schedule(ids)


def mark_stale_later(article_ids, *, public=True) -> None:
    """Record that the pages of these articles changed; a background task rebuilds them once the change commits.

    For a change whose page is long to build (an edit of an article with hundreds of claims): the request
    that made it does not wait for the build. Until the task runs, the page's next reading rebuilds it, so
    no reader is served it stale. `public=False` for pages that only staff reach (a draft never published),
    which no cached fragment of the public pages shows: the content generation stays as it is.
    """
    ids = sorted({pk for pk in article_ids if pk is not None})
    if not ids:
        return
    ArticlePage.objects.filter(article_id__in=ids).update(generation=F("generation") + 1)
    if public:
        cache.content_changing()
        purge.pages_changed(ids)
    _enqueue_rebuild(ids)


def mark_draft_stale(article_ids) -> None:
    """Record that the drafts of these articles changed (their claims): only a page showing its draft is stale.

    Readers' page of an article with a live revision shows that revision and the claims published with it
    (claims.publishing copies them), never the draft's, so a change to a draft claim leaves it as it was. The
    page of an article never published shows its draft to staff: it is marked stale in the same UPDATE,
    and rebuilt by a background task once the change commits, or by its next reading.
    """
    ids = sorted({pk for pk in article_ids if pk is not None})
    if not ids:
        return
    live = ArticleRevision.objects.filter(article_id=OuterRef("article_id"), is_live=True)
    marked = ArticlePage.objects.filter(article_id__in=ids).exclude(Exists(live)).update(generation=F("generation") + 1)
    if marked:
        _enqueue_rebuild(ids)


def _enqueue_rebuild(ids):
    from ops.background import enqueue_on_commit

    from ..tasks import rebuild_article_pages

    enqueue_on_commit(rebuild_article_pages, ids)


def rebuild_if_stale(article_ids) -> list[int]:
    """Build the pages of these articles that are stale or missing; the ids of those built, in order."""
    ids = list(_stale_articles().filter(pk__in=list(article_ids)).values_list("pk", flat=True))
    for article_id in ids:
        build(article_id)
    return ids


def mark_stale_where(claims) -> None:
    """Mark stale the pages of every article with a claim in `claims` (a queryset)."""
    mark_stale_articles(claims.order_by().values_list("article_id", flat=True).distinct())


def mark_stale_showing(drafts, copies) -> None:
    """Mark stale the pages of every article with a draft claim in `drafts` or a published claim in `copies`.

    Both are querysets (of Claim and of PublishedClaim): a shared word (a condition, a source, an
    evidence grade) can show on a page through the live revision's copies alone, the draft having
    moved on, and the other way round.
    """
    drafts = drafts.order_by().values("article_id")
    copies = copies.order_by().values("revision__article_id")
    showing = Article.objects.filter(Q(pk__in=drafts) | Q(pk__in=copies)).order_by("pk")
    mark_stale_articles(showing.values_list("pk", flat=True))


def mark_stale_articles(article_ids) -> None:
    """Mark stale the pages of the articles whose ids a queryset gives.

    Up to REBUILD_AT_ONCE of them are rebuilt as the change commits. More would hold up the editor's
    request, so once it commits a background task is enqueued that rebuilds every stale page in
    batches; until a worker gets to a page, its next reader has it rebuilt.
    """
    ArticlePage.objects.filter(article_id__in=article_ids).update(generation=F("generation") + 1)
    ids = list(article_ids[: REBUILD_AT_ONCE + 1])
    if len(ids) <= REBUILD_AT_ONCE:
        _schedule(ids)
        return
    _schedule(many=True)
    from ops.background import enqueue_on_commit

    from ..tasks import rebuild_stale_pages

    enqueue_on_commit(rebuild_stale_pages)


def _stale_articles():
    """Articles whose page is stale or missing, by primary key."""
    fresh = ArticlePage.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()),
        built_generation=F("generation"),
        layout=layout_version(),
    ).values("article_id")
    return Article.objects.exclude(pk__in=fresh).order_by("pk")


def rebuild_stale(*, after=0, limit=REBUILD_BATCH) -> list[int]:
    """Build the pages of up to `limit` articles with a stale or missing page, beyond primary key `after`.

    Returns the ids of the articles built, in order; fewer than `limit` means none is left beyond them.
    """
    ids = list(_stale_articles().filter(pk__gt=after).values_list("pk", flat=True)[:limit])
    for article_id in ids:
        build(article_id)
    return ids


def rebuild_all(*, stale_only=True) -> int:
    """Build every article's page (or only the stale and missing ones); returns how many were built."""
    articles = Article.objects.order_by("pk")
    if not stale_only:
        ArticlePage.objects.update(generation=F("generation") + 1)
    else:
        articles = _stale_articles()
    built = 0
    for article_id in articles.values_list("pk", flat=True).iterator():
        build(article_id)
        built += 1
    return built
