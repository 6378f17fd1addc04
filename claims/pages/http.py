"""HTTP caching of public pages: validators, conditional GETs and what a shared cache may keep.

Every public page (articles, lists, evidence maps, people, feed, sitemap, the JSON export) is built
from content whose every change raises the content generation (claims.pages.cache) in the change's
own transaction, and from the templates and code of `layout_version`. Its validators come from
those and the day (an article page says from the next day that its review is overdue):

- ETag: `"<version>.<digest>"`, the version a digest of the generation, the layout and the day, read
  before the page was built, and the digest that of the bytes sent (`body_digest`), so that a tag never
  names two different bodies; a view that stored the bytes with their digest gives it (`articles.encodings.give_digest`)
  and the body is not hashed again, any other body is hashed here; a response with a Content-Encoding
  (a pre-compressed page) has the encoding appended (`"….…-gzip"`, `"….…-br"`), each encoding being its
  own representation;
- Last-Modified: the generation's time (a microsecond clock), the start of the day or this process's
  start, whichever is latest; sent only once it is a second old, so that two changes in one second
  never share it.

A conditional GET (If-None-Match, else If-Modified-Since) is answered 304 before the view runs,
after the one query that reads the generation: a tag whose version is current names bytes built from
what is current, in whatever encoding the client holds them. A request that is not conditional reads
nothing more than its page does: its version is of the generation this process read last (0 before
the first), never newer than what the page is then built from. At worst the version is older than
the page, and the next revalidation answers 200 once more than needed; never a 304 for a page that
changed. A scheduled publication goes live through the gate (`publish_scheduled`), which marks the
page stale like any other publication and so raises the generation and sends purges.

Cache-Control lets a shared cache keep the page for CDN_S_MAXAGE seconds (never past the end of the day)
and serve it stale while it fetches the new one or while the site fails; browsers revalidate every time
(max-age=0). None of this applies to a request carrying a session (staff), to anything but GET and
HEAD, nor to a response that sets a cookie or used the CSRF token: those stay private.
"""

import datetime
import functools
import hashlib
import logging
import math
import re
import time

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from articles.encodings import digest_given

from . import cache
from .stored import body_digest, layout_version

logger = logging.getLogger(__name__)

# The addresses a shared cache may keep, by URL name.
PUBLIC_VIEWS = frozenset(
    {
        "articles:article-list",
        "articles:article-detail",
        "articles:tag-detail",
        "claims:condition-list",
        "claims:condition-detail",
        "claims:evidence-legend",
        "claims:article-json",
        "people:person-detail",
        "feed",
        "django.contrib.sitemaps.views.sitemap",
    }
)
ENCODINGS = ("gzip", "br", "zstd", "deflate")
PROCESS_STARTED = time.time()
# "<what the page was built from>.<the bytes sent>", and the encoding when there is one.
_TAG = re.compile(r'"([0-9a-f]{16})\.[0-9a-f]{16}(?:-(?:' + "|".join(ENCODINGS) + r'))?"')


@functools.lru_cache(maxsize=16)
def _of_the_day(generation, layout, today, zone):
    """(version, Last-Modified in whole seconds, the next midnight's time stamp) of what pages are built from today.

    The same for every request until the generation, the layout or the day changes: worked out once for them.
    """
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min), zone)
    version = hashlib.sha256(f"{generation}:{layout}:{today.isoformat()}".encode()).hexdigest()[:16]
    changed = max((generation or 0) / 1_000_000, midnight.timestamp(), PROCESS_STARTED)
    tomorrow = midnight + datetime.timedelta(days=1)
    return version, math.floor(changed), tomorrow.timestamp()


class Validators:
    """What a public page was built from, as an entity tag and a modification time."""

    def __init__(self, generation, layout, now):
        zone = timezone.get_current_timezone()
        self.version, seconds, tomorrow = _of_the_day(generation, layout, timezone.localdate(now, zone), zone)
        moment = now.timestamp()
        self.last_modified = seconds if moment - seconds >= 1 else None
        self.fresh_seconds = max(0, min(settings.CDN_S_MAXAGE, int(tomorrow - moment)))

    def etag(self, body: bytes | None, encoding="", digest=None):
        """The strong entity tag of these bytes: the version they were built from, their digest, their encoding.

        `digest` is the bytes' digest when it is known already (a stored page's, made as it was built): the
        body is then not read.
        """
        digest = digest or body_digest(body)
        encoding = encoding.strip().lower()
        suffix = f"-{encoding}" if encoding in ENCODINGS else ""
        return f'"{self.version}.{digest}{suffix}"'

    def matching(self, if_none_match):
        """The entity tag of the client's list that was built from what is current, or None.

        Its digest names the bytes the client holds, which were built from that version: any encoding
        of them is still current.
        """
        for tag in parse_etags(if_none_match):
            strong = tag.removeprefix("W/")  # a cache that re-encoded the page weakens its tag
            found = _TAG.fullmatch(strong)
            if found and found[1] == self.version:
                return strong
        return None

    def not_modified(self, request):
        """A 304 for a conditional request the page still satisfies, else None."""
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tag = None if if_none_match.strip() == "*" else self.matching(if_none_match)
            if tag is None:
                return None
            response = HttpResponseNotModified()
            response["ETag"] = tag
        else:
            since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
            if since is None or self.last_modified is None or self.last_modified > since:
                return None
            response = HttpResponseNotModified()
        self.describe(response, request.path)
        return response

    def describe(self, response, path):
        """Put the validators and the cache rules on a response to a reader."""
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=self.fresh_seconds,
            stale_while_revalidate=settings.CDN_STALE_SECONDS,
            stale_if_error=settings.CDN_STALE_IF_ERROR_SECONDS,
        )
        patch_vary_headers(response, ["Accept-Encoding"])
        if settings.PURGE_BACKEND == "fastly":
            # Fastly purges by surrogate key: the path, shared by the query-string variants (a list's pages).
            response["Surrogate-Key"] = path


# The content generation this process read last (see the module's docstring).
_last_read = 0


def current_validators(now=None) -> Validators:
    """The validators of every public page right now: one query."""
    global _last_read
    generation = _last_read = cache.current_generation() or 0
    return Validators(generation, layout_version(), now or timezone.now())


def validators_read_last(now=None) -> Validators:
    """Validators no newer than any page built from now on, without a query."""
    return Validators(_last_read, layout_version(), now or timezone.now())


def _conditional(request):
    return "If-None-Match" in request.headers or "If-Modified-Since" in request.headers


def for_readers(request) -> bool:
    """Whether this request may be answered from, and its answer kept by, a shared cache."""
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and match is not None
        and match.view_name in PUBLIC_VIEWS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _shareable(request, response) -> bool:
    """Whether a response is the same for every reader: no cookie set, no CSRF token, not made private."""
    control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in control for word in ("private", "no-store", "no-cache"))
    )


class PublicCacheMiddleware:
    """Validators, 304s and Cache-Control for public pages read by readers; nothing for anyone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        validators = getattr(request, "public_validators", None)
        if validators is None or response.status_code == 304:
            return response
        if not _shareable(request, response):
            patch_cache_control(response, private=True)
            return response
        if not response.streaming:
            encoding, digest = response.get("Content-Encoding", ""), digest_given(response)
            response["ETag"] = validators.etag(None if digest else response.content, encoding, digest)
        validators.describe(response, request.path)
        return response

    def process_view(self, request, view, args, kwargs):
        if not for_readers(request):
            return None
        if not _conditional(request):
            request.public_validators = validators_read_last()
            return None
        try:
            validators = current_validators()
        except DatabaseError:
            # A lost connection: the view meets it too, and config.middleware runs it again. No validators then.
            logger.warning("The content generation could not be read; the page is served without validators.")
            return None
        request.public_validators = validators
        return validators.not_modified(request)
