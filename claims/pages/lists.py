"""Stored list pages: the home page, the articles list's pages, topic pages, the conditions list and the
evidence maps, each page kept whole as the bytes served.

A reader's request reads, in one query, the content generation and the page stored for its address.
The page is served when it was built at that generation with today's templates and code; otherwise
the view renders it, and it is stored under the generation read before the rendering started. Every
change readers could see raises the content generation in its own transaction (cache.content_changing,
called wherever an article page is marked stale, and by the receivers in claims/signals.py for what
no article page shows), so once a change commits no reader is served a list page built before it: the
first reader after it renders the page again, and the readers after that get it stored.

Only the plain addresses are stored: the path, or the path and ?page=N for a later page. A request
with any other query string (page=last, a tracking parameter) is rendered and not stored, so nobody
can fill the table with addresses no link leads to; a page that does not answer 200 is not stored
either.

A stale page is rendered by one reader at a time per address (`rendered_once`, the render lock): readers
arriving while it renders wait for it, up to RENDER_WAIT seconds, and are served the copy it stored; so a change
on a busy site costs one rendering of each page read, not one per reader arriving before the first finished.

The sitemap, the feed and each article's JSON export are stored the same way (`serve(..., content_type=...,
by_host=True)`): their bytes name the site's absolute addresses, so each is kept under the scheme and host it
was asked for as well as its path, and answered with its own content type; one rendered with another content
type is not stored.
"""

import datetime
import hashlib
import logging
import re
import time

from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone

from ..models import ContentGeneration, ListPage, ListPageRendering
from .stored import layout_version

logger = logging.getLogger(__name__)

_PAGE = re.compile(r"page=([1-9][0-9]{0,5})")
_ROW = 1  # the content generation's one row (cache.content_changing)
_SQL = None


def address(request, by_host=False) -> str | None:
    """The address a list page is stored under, or None when the request's query string is not a plain page.

    `by_host`: the page names absolute addresses, so it is stored under the scheme and host as well.
    """
    query = request.META.get("QUERY_STRING", "")
    path = f"{request.scheme}://{request.get_host()}{request.path}" if by_host else request.path
    if len(path) > 240:  # longer than any slug makes; the column holds 255 characters
        return None
    if not query:
        return path
    found = _PAGE.fullmatch(query)
    if found is None:
        return None
    number = int(found[1])
    return path if number == 1 else f"{path}?page={number}"


def _sql():
    global _SQL
    if _SQL is None:
        quote = connection.ops.quote_name
        generation, page = quote(ContentGeneration._meta.db_table), quote(ListPage._meta.db_table)
        _SQL = (
            f"SELECT g.generation, p.html, p.generation, p.layout "
            f"FROM {generation} g LEFT JOIN {page} p ON p.address = %s WHERE g.id = %s"
        )
    return _SQL


def serve(request, render, content_type=None, by_host=False):
    """The response to a reader's request for a list page: stored, or `render()`ed and then stored.

    `render` is the view's own answer (a TemplateResponse or any HttpResponse); it is rendered here.
    `content_type`: the type the page is answered with (HTML when None); a rendering of another type is not
    stored. `by_host`: see address().
    """
    key = address(request, by_host) if request.method in ("GET", "HEAD") else None
    if key is None:
        return render()
    row = _read(key)
    if row is None:  # no content generation row (a test database that lost it): nothing can be trusted
        return render()
    if _is_fresh(row):
        return HttpResponse(bytes(row[1]), content_type=content_type)

    def build(generation):
        response = render()
        if hasattr(response, "render"):
            response.render()
        typed = content_type is None or response.get("Content-Type") == content_type
        if response.status_code == 200 and not response.streaming and typed:
            _store(key, response.content, generation)
        return response

    return rendered_once(key, build, row, content_type)


def _read(key):
    """(content generation, stored page, its generation, its layout) for the address, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [key, _ROW])
        return cursor.fetchone()


def _is_fresh(row) -> bool:
    generation, html, built_at, layout = row
    return html is not None and built_at == generation and layout == layout_version()


# The render lock ---------------------------------------------------------------------------------

# How long a reader waits for another process rendering the same address before rendering it itself, and how
# often it looks whether the page has been stored meanwhile.
RENDER_WAIT = 5.0
RENDER_POLL = 0.05


def rendered_once(key, build, row, content_type=None):
    """The response for a stale stored list page, rendered by one process at a time per address.

    `build(generation)` renders the page and stores it under `generation`; `row` is what `_read` found. The first
    reader takes the address's
    render lock and builds the page; a reader who finds the lock taken waits, looking every RENDER_POLL seconds
    whether the page has been stored at the current content generation, and is served that copy. A reader still
    waiting after RENDER_WAIT seconds renders the page itself (the holder is stuck or gone), as does one who gets
    the lock and still finds no current copy (the holder failed, or a change committed meanwhile): nobody is ever
    served a page older than the last change, and nobody waits longer than RENDER_WAIT for a lock.

    The lock: on PostgreSQL a session advisory lock keyed by the address, released by the database when its
    connection ends (a holder that dies lets the next reader in); elsewhere (SQLite, one writer) a
    ListPageRendering row, a lease taken over once RENDER_WAIT has passed since it was written.
    """
    lock = _AdvisoryLock(key) if connection.vendor == "postgresql" else _LeaseLock(key)
    deadline, waited = time.monotonic() + RENDER_WAIT, False
    while True:
        if lock.acquire():
            try:
                if waited:  # read again once held: the holder before may have stored it
                    row = _read(key)
                    if row is not None and _is_fresh(row):
                        return HttpResponse(bytes(row[1]), content_type=content_type)
                return build(row[0] if row is not None else None)
            finally:
                lock.release()
        if time.monotonic() >= deadline:
            logger.warning("A list page was rendered by another reader for over %s s; rendered again.", RENDER_WAIT)
            row = _read(key)
            return build(row[0] if row is not None else None)
        time.sleep(RENDER_POLL)
        waited, row = True, _read(key)
        if row is not None and _is_fresh(row):
            return HttpResponse(bytes(row[1]), content_type=content_type)


class _AdvisoryLock:
    """PostgreSQL's session advisory lock on the address (two 32-bit keys: this lock's kind, the address's hash)."""

    KIND = 0x4C495354  # "LIST"

    def __init__(self, key):
        self.key = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big", signed=True)

    def acquire(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [self.KIND, self.key])
            return cursor.fetchone()[0]

    def release(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [self.KIND, self.key])
        except DatabaseError:  # the connection went: the lock went with it
            logger.warning("A list page's render lock could not be released; the database drops it with the session.")


class _LeaseLock:
    """A ListPageRendering row for the address, written by whoever renders; taken over once RENDER_WAIT old."""

    def __init__(self, key):
        self.key, self.started_at = key, None

    def acquire(self) -> bool:
        now = timezone.now()
        stale = now - datetime.timedelta(seconds=RENDER_WAIT)
        table = connection.ops.quote_name(ListPageRendering._meta.db_table)
        # One statement: written when there is no row, taken over when the row is a lease run out, else nothing.
        sql = (
            f"INSERT INTO {table} (address, started_at) VALUES (%s, %s) ON CONFLICT (address) "
            f"DO UPDATE SET started_at = excluded.started_at WHERE {table}.started_at < %s"
        )
        field = ListPageRendering._meta.get_field("started_at")
        params = [self.key, *(field.get_db_prep_value(value, connection) for value in (now, stale))]
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                taken = cursor.rowcount == 1
        except DatabaseError:  # busy or locked: wait as for any holder
            return False
        if taken:
            self.started_at = now
        return taken

    def release(self):
        try:
            ListPageRendering.objects.filter(address=self.key, started_at=self.started_at).delete()
        except DatabaseError:
            logger.warning("A list page's render lease could not be released; it runs out after %s s.", RENDER_WAIT)


def _store(key, html, generation):
    """Keep the page built at `generation`; on a database error, log it and keep nothing."""
    page = ListPage(address=key, html=html, generation=generation, layout=layout_version(), built_at=timezone.now())
    try:
        with transaction.atomic():
            # A build that raced a later one may write over it: its older generation is then found stale, never
            # served, and the next reader builds the page again.
            ListPage.objects.bulk_create(
                [page],
                update_conflicts=True,
                unique_fields=["address"],
                update_fields=["html", "generation", "layout", "built_at"],
            )
    except DatabaseError:
        logger.warning("A stored list page could not be written; it is rendered again on its next reading.")
