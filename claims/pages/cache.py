"""Costly fragments of public pages, kept in the shared cache when CACHE_URL names a Redis server.

Every change readers could see raises the content generation, a row in the database, inside the
transaction that makes the change (claims.pages.stored calls content_changing() wherever it marks
stored pages stale). A fragment is cached under the generation read before it was computed, so once a
change commits no app server can find a fragment computed before it. The database, not the cache
server, says what is current: a change saved while Redis is paused, down or restarting cannot leave
old counts behind it.

Without a shared cache nothing is kept: a per-process memory cache could not hear another
process's changes. The site gives the same answers either way. When Redis fails (refused, or slower
than the timeouts config.settings gives its client), fragments are computed as if there were no
cache, the process leaves Redis alone for RETRY_SECONDS before trying it again, and one warning is
logged per outage rather than one per request.
"""

import hashlib
import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db.models import F, Value
from django.db.models.functions import Greatest

from ..models import ContentGeneration

logger = logging.getLogger(__name__)

# A fragment is also dropped after this long, whatever happens to the generation: an article whose
# publication time was set ahead comes out at that time, and no change announces it.
FRAGMENT_SECONDS = 5 * 60
# After a failure, how long this process computes every fragment without asking Redis.
RETRY_SECONDS = 5
_ROW = 1
_MISSING = object()


def enabled() -> bool:
    return isinstance(caches["default"], RedisCache)


def content_changing() -> None:
    """Raise the content generation: called inside the transaction of a change readers can see.

    The new number comes from the clock when that is higher, so that a database restored from a
    backup never reuses a number under which the cache may still hold fragments of later content.
    """
    now = time.time_ns() // 1000
    rise = Greatest(F("generation") + 1, Value(now))
    row = ContentGeneration.objects.filter(pk=_ROW)
    if not row.update(generation=rise):  # the migration writes the row; a test database may have lost it
        ContentGeneration.objects.bulk_create([ContentGeneration(pk=_ROW, generation=now)], ignore_conflicts=True)
        row.update(generation=rise)


def current_generation() -> int | None:
    return ContentGeneration.objects.filter(pk=_ROW).values_list("generation", flat=True).first()


def fragment_key(name, parts, generation):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"evidence:{generation}:{name}:{digest}"


class Outage:
    """Whether Redis is failing, as this process last found it.

    Each outage is logged once, when it starts, and once more when Redis answers again. While it
    lasts, Redis is tried again only every RETRY_SECONDS, so a paused server costs one request in
    that time a timeout rather than every request.
    """

    def __init__(self):
        self.failing = False
        self.retry_at = 0.0

    def call(self, action, default=None):
        """action(), or default when it fails or Redis is being left alone."""
        if self.failing and time.monotonic() < self.retry_at:
            return default
        try:
            result = action()
        except Exception as error:  # any failure of the cache server: the page is computed without it
            if not self.failing:
                logger.warning(
                    "The shared cache cannot be reached (%s: %s); pages are computed without it until it answers.",
                    type(error).__name__,
                    error,
                )
            self.failing, self.retry_at = True, time.monotonic() + RETRY_SECONDS
            return default
        if self.failing:
            logger.warning("The shared cache answers again.")
            self.failing = False
        return result


_outage = Outage()


def cached(name, parts, compute):
    """compute(), or the value it gave for the same name and parts since the last change."""
    if not enabled():
        return compute()
    # Read before computing: a change that commits meanwhile can leave newer counts under an older
    # number (which no later reader asks for), never older counts under a newer one.
    generation = current_generation()
    if generation is None:
        return compute()
    cache = caches["default"]
    key = fragment_key(name, parts, generation)
    value = _outage.call(lambda: cache.get(key, _MISSING), _MISSING)
    if value is _MISSING:
        value = compute()
        _outage.call(lambda: cache.set(key, value, FRAGMENT_SECONDS))
    return value
