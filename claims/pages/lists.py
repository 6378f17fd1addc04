"""Stored list pages: the home page, the articles list's pages, topic pages, the conditions list and the
evidence maps, each page kept whole as text and in gzip and brotli copies made as it is built.

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

Each page is kept as text and, made once as it is built, gzip and brotli copies, with the digest of each
copy's bytes: a reader is sent the copy their Accept-Encoding asks for (none to a request carrying a session,
as no compressed page goes to a signed-in person: config.middleware `may_compress`), with Content-Encoding
and Vary: Accept-Encoding, and its entity tag names the stored digest (`articles.encodings.give_digest`)
instead of hashing the body. The query reads only the columns of that one copy.

A stale page is rendered by one reader at a time per address (`rendered_once`, the render lock): readers
arriving while it renders wait for it, up to RENDER_WAIT seconds, and are served the copy it stored; so a change
on a busy site costs one rendering of each page read, not one per reader arriving before the first finished.

The sitemap, the feed and each article's JSON export are stored the same way (`serve(..., content_type=...,
by_host=True)`): their bytes name the site's absolute addresses, so each is kept under the scheme and host it
was asked for as well as its path, and answered with its own content type; one rendered with another content
type is not stored. Only the site's own hosts are stored (`stored_host`): SITE_URL's, and each host name
ALLOWED_HOSTS spells out, without a port. A request for any other host a wildcard lets in is rendered for
that host and not stored, so a client making up host names cannot fill the table, and no host is answered
with another host's addresses.

A row no reader asked for at the current generation is pruned once it is PRUNE_AFTER old (`prune`, run by
the nightly stale-pages task): an address that no longer exists (a renamed article's JSON, a topic deleted,
a page number past the end) leaves no row behind for good.
"""

import datetime
import hashlib
import logging
import re
import time
import zlib
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from articles.encodings import give_digest, preferred_encoding

from ..models import ContentGeneration, ListPage, ListPageRendering
from .stored import GZIP_WINDOW, STORED_ENCODINGS, STORED_FORMS, _read_form, body_digest, compressed, layout_version

logger = logging.getLogger(__name__)

_PAGE = re.compile(r"page=([1-9][0-9]{0,5})")
_ROW = 1  # the content generation's one row (cache.content_changing)
# The column of each copy's digest, by content coding (None: uncompressed).
DIGESTS = {None: "digest", "gzip": "digest_gzip", "br": "digest_br"}
# How long a row not read at the current generation is kept (`prune`).
PRUNE_AFTER = datetime.timedelta(days=7)


def stored_host(request) -> bool:
    """Whether pages naming this request's host are stored: SITE_URL's host, or a host name ALLOWED_HOSTS
    spells out (not a wildcard, not a domain and its subdomains), asked for without a port."""
    host = request.get_host().lower()
    if host == urlsplit(settings.SITE_URL).netloc.lower():
        return True
    domain, port = split_domain_port(host)
    named = {name.lower().rstrip(".") for name in settings.ALLOWED_HOSTS if name != "*" and not name.startswith(".")}
    return not port and host == domain and domain.rstrip(".") in named


def address(request, by_host=False) -> str | None:
    """The address a list page is stored under, or None when the page is not stored: a query string that is
    not a plain page, or (`by_host`) a host that is not the site's own (`stored_host`).

    `by_host`: the page names absolute addresses, so it is stored under the scheme and host as well.
    """
    if by_host and not stored_host(request):
        return None
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


_SQL = {}


def _sql(column, digest):
    """The query of the content generation and one copy of the page stored at an address, with its digest."""
    # By both: on PostgreSQL the uncompressed page is read from the gzip column, with the uncompressed digest.
    if (column, digest) not in _SQL:
        quote = connection.ops.quote_name
        generation, page = quote(ContentGeneration._meta.db_table), quote(ListPage._meta.db_table)
        selected = f"p.{quote(column)}"
        if column == STORED_FORMS[None] and connection.vendor == "sqlite":
            selected = f"CAST({selected} AS BLOB)"  # the UTF-8 bytes as stored, never decoded and encoded again
        _SQL[column, digest] = (
            f"SELECT g.generation, {selected}, p.{quote(digest)}, p.generation, p.layout "
            f"FROM {generation} g LEFT JOIN {page} p ON p.address = %s WHERE g.id = %s"
        )
    return _SQL[column, digest]


def encoding_for(request) -> str | None:
    """The stored copy a request is sent: "br", "gzip", or None for the page uncompressed."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    return preferred_encoding(request.headers.get("Accept-Encoding", ""), STORED_ENCODINGS)


def _response(content: bytes, content_type, encoding, digest):
    response = HttpResponse(content, content_type=content_type)
    if encoding:
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ["Accept-Encoding"])
    give_digest(response, digest)
    return response


def serve(request, render, content_type=None, by_host=False):
    """The response to a reader's request for a list page: stored, or `render()`ed and then stored.

    `render` is the view's own answer (a TemplateResponse or any HttpResponse); it is rendered here.
    `content_type`: the type the page is answered with (HTML when None); a rendering of another type is not
    stored. `by_host`: see address(). A page stored, or rendered and stored now, is sent in the copy the
    request's Accept-Encoding asks for (`encoding_for`).
    """
    key = address(request, by_host) if request.method in ("GET", "HEAD") else None
    if key is None:
        return render()
    encoding = encoding_for(request)

    def read():
        return _read(key, encoding)

    def respond(row):
        return _stored_response(row, content_type, encoding)

    row = read()
    if row is None:  # no content generation row (a test database that lost it): nothing can be trusted
        return render()
    if _is_fresh(row):
        return respond(row)

    def build(generation):
        response = render()
        if hasattr(response, "render"):
            response.render()
        typed = content_type is None or response.get("Content-Type") == content_type
        if response.status_code != 200 or response.streaming or not typed or response.has_header("Content-Encoding"):
            return response
        page = built(key, response.content, generation)
        if page is None:
            return response
        _store(page)
        copy = {None: page.page.encode(), "gzip": page.page_gzip, "br": page.page_br}[encoding]
        return _response(copy, content_type, encoding, getattr(page, DIGESTS[encoding]))

    return rendered_once(key, build, row, read, respond)


def _read(key, encoding):
    """(content generation, the stored copy for `encoding`, its digest, its generation, its layout) for the
    address, in one query."""
    column, _gunzip = _read_form(encoding)
    with connection.cursor() as cursor:
        cursor.execute(_sql(column, DIGESTS[encoding]), [key, _ROW])
        return cursor.fetchone()


def _is_fresh(row) -> bool:
    generation, content, digest, built_at, layout = row
    return bool(content) and bool(digest) and built_at == generation and layout == layout_version()


def _stored_response(row, content_type, encoding):
    """The response of a fresh stored copy (`_read`'s row)."""
    content, digest = row[1], row[2]
    if _read_form(encoding)[1]:
        content = zlib.decompress(content, GZIP_WINDOW)
    return _response(bytes(content), content_type, encoding, digest)


# The render lock ---------------------------------------------------------------------------------

# How long a reader waits for another process rendering the same address before rendering it itself, and how
# often it looks whether the page has been stored meanwhile.
RENDER_WAIT = 5.0
RENDER_POLL = 0.05


def rendered_once(key, build, row, read, respond):
    """The response for a stale stored list page, rendered by one process at a time per address.

    `build(generation)` renders the page and stores it under `generation`; `row` is what `read()` found (the
    row of `_read`), and `respond(row)` answers with a fresh row's stored copy. The first
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
                    row = read()
                    if row is not None and _is_fresh(row):
                        return respond(row)
                return build(row[0] if row is not None else None)
            finally:
                lock.release()
        if time.monotonic() >= deadline:
            logger.warning("A list page was rendered by another reader for over %s s; rendered again.", RENDER_WAIT)
            row = read()
            return build(row[0] if row is not None else None)
        time.sleep(RENDER_POLL)
        waited, row = True, read()
        if row is not None and _is_fresh(row):
            return respond(row)


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


def built(key, content: bytes, generation) -> ListPage | None:
    """The row of a page rendered at `generation`: its text, its compressed copies and their digests.

    None for a body that is not UTF-8 text, or that holds a NUL (which PostgreSQL keeps in no text): it is
    sent as rendered and not stored.
    """
    try:
        text = content.decode()
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    page_gzip, page_br = compressed(content)
    return ListPage(
        address=key,
        page=text,
        page_gzip=page_gzip,
        page_br=page_br,
        digest=body_digest(content),
        digest_gzip=body_digest(page_gzip),
        digest_br=body_digest(page_br),
        generation=generation,
        layout=layout_version(),
        built_at=timezone.now(),
    )


BUILT_FIELDS = [
    *STORED_FORMS.values(),
    *DIGESTS.values(),
    "generation",
    "layout",
    "built_at",
]


def _store(page):
    """Keep the page; on a database error, log it and keep nothing."""
    try:
        with transaction.atomic():
            # A build that raced a later one may write over it: its older generation is then found stale, never
            # served, and the next reader builds the page again.
            ListPage.objects.bulk_create(
                [page], update_conflicts=True, unique_fields=["address"], update_fields=BUILT_FIELDS
            )
    except DatabaseError:
        logger.warning("A stored list page could not be written; it is rendered again on its next reading.")


def prune(now=None) -> int:
    """Delete the stored pages not built at the current generation with today's layout and older than
    PRUNE_AFTER: the number deleted.

    A page still linked is built again by its next reader; one whose address no longer exists is never
    read again, and goes.
    """
    cutoff = (now or timezone.now()) - PRUNE_AFTER
    current = ContentGeneration.objects.filter(pk=_ROW).values_list("generation", flat=True).first()
    old = ListPage.objects.filter(built_at__lt=cutoff)
    if current is not None:
        old = old.exclude(generation=current, layout=layout_version())
    deleted, _ = old.delete()
    return deleted
