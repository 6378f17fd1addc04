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

The sitemap, the feed and each article's JSON export are stored the same way (`serve(..., content_type=...,
by_host=True)`): their bytes name the site's absolute addresses, so each is kept under the scheme and host it
was asked for as well as its path, and answered with its own content type; one rendered with another content
type is not stored.
"""

import logging
import re

from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone

from ..models import ContentGeneration, ListPage
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
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [key, _ROW])
        row = cursor.fetchone()
    if row is None:  # no content generation row (a test database that lost it): nothing can be trusted
        return render()
    generation, html, built_at, layout = row
    if html is not None and built_at == generation and layout == layout_version():
        return HttpResponse(bytes(html), content_type=content_type)
    response = render()
    if hasattr(response, "render"):
        response.render()
    typed = content_type is None or response.get("Content-Type") == content_type
    if response.status_code == 200 and not response.streaming and typed:
        _store(key, response.content, generation)
    return response


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
