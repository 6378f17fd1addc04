"""Clean-ups that hold for every page, before any view reads the request, a second try for readers
whose database connection was lost, and compression of public pages where it is safe."""

import contextlib
import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils.cache import cc_delim_re, patch_vary_headers

from articles.encodings import preferred_encoding

logger = logging.getLogger(__name__)

# What a reader's browser or a crawler is told to wait after a 503 before trying again.
RETRY_AFTER_SECONDS = 5


def _without_nul(text):
    return text.replace("\x00", "")


class StripNullCharactersMiddleware:
    """Drop NUL characters from the query string's names and values.

    No form or link of the site makes one and nobody can type one, but a hand-made ``?q=%00``
    would reach a query (an admin search or list filter) and fail there: PostgreSQL refuses
    text holding NUL. Dropping it answers such a request as if the NUL had not been sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(_without_nul(key), [_without_nul(value) for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class RetryLostConnectionMiddleware:
    """Run a reader's request once more, on a new database connection, when its connection was lost.

    A database that restarts, fails over or ends the app's sessions drops the connections of the
    requests in flight. For a GET or HEAD of a public page that is safe to repeat: the view is run
    again once, on a fresh connection. A second lost connection answers 503 with Retry-After rather
    than 500. Anything else is left alone: other methods (which may have written), the admin, a
    request inside a transaction (ATOMIC_REQUESTS, or a test's), and database errors that leave the
    connection usable (a statement timeout, SQLite's "database is locked").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (_may_repeat(request) and _connection_lost(exception)):
            return None
        logger.warning("The database connection was lost during %s %s; trying once more.", request.method, request.path)
        _close_connections()
        match = request.resolver_match
        try:
            return _rendered(match.func(request, *match.args, **match.kwargs))
        except (OperationalError, InterfaceError) as error:
            if not _connection_lost(error):
                raise
            logger.error(
                "The database connection was lost again during %s %s.", request.method, request.path, exc_info=True
            )
            _close_connections()
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response


def _may_repeat(request):
    """A read of a public page, outside any transaction: running its view twice changes nothing."""
    match = request.resolver_match
    if request.method not in ("GET", "HEAD") or match is None or "admin" in match.namespaces:
        return False
    # A view run in a transaction (ATOMIC_REQUESTS) must not be run again outside one.
    return not any(
        conn.in_atomic_block or conn.settings_dict.get("ATOMIC_REQUESTS")
        for conn in connections.all(initialized_only=True)
    )


def _connection_lost(error):
    """Whether a database error means a connection is gone, rather than a query that failed on a live one."""
    if isinstance(error, InterfaceError):  # the driver's word for a connection already closed
        return True
    if not isinstance(error, OperationalError):
        return False
    # Django drops a connection itself when rolling back on it fails.
    return any(conn.connection is None or not conn.is_usable() for conn in connections.all(initialized_only=True))


def _close_connections():
    for conn in connections.all(initialized_only=True):
        # Closing a broken connection may fail too: the next query opens a new one all the same.
        with contextlib.suppress(DatabaseError):
            conn.close()


def _rendered(response):
    """The response rendered now, so that a lost connection while rendering its template is caught here too."""
    if hasattr(response, "render") and callable(response.render):
        response.render()
    return response


# What is worth compressing: text. Images and fonts are compressed already; static files are WhiteNoise's.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/ld+json",
)


def may_compress(request, response) -> bool:
    """Whether a response is a public page that compression cannot leak a secret from (BREACH).

    BREACH reads a secret out of a compressed page's size when the page also reflects what the
    attacker sends. So only an anonymous reader's GET is compressed (no session cookie: a signed-in
    page names its user and carries their CSRF token), and never a response that used the CSRF token
    (a form), sets a cookie, or is private to its reader. Public pages then hold nothing secret.
    """
    content_type = response.get("Content-Type", "").lower()
    return (
        request.method == "GET"
        and response.status_code == 200
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.META.get("CSRF_COOKIE_USED")
        and not response.cookies
        and not {"private", "no-store"} & set(cc_delim_re.split(response.get("Cache-Control", "").lower()))
        and content_type.startswith(COMPRESSIBLE_TYPES)
    )


class CompressPublicPagesMiddleware(GZipMiddleware):
    """Gzip public pages (lists, the feed, the sitemap, the JSON export) for browsers that accept it.

    Only what `may_compress` allows; article pages come compressed already, from their stored copies
    (articles.views). Unlike Django's GZipMiddleware alone, a browser refusing gzip with "gzip;q=0" is
    answered uncompressed.
    """

    def process_response(self, request, response):
        if response.has_header("Content-Encoding") or not may_compress(request, response):
            return response
        accepted = preferred_encoding(request.headers.get("Accept-Encoding", ""), ("gzip",))
        if accepted is None:
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)
