"""Costly fragments of public pages, kept in the shared cache when CACHE_URL names a Redis server.

Every change that readers could see (the changes that mark stored article pages stale) raises one
content generation once it commits. Fragments are cached under the generation they were computed
at, so a change makes every older fragment unreachable at once, on every app server.

Without a shared cache nothing is kept: a per-process memory cache could not hear another
process's changes. The site gives the same answers either way, and when Redis cannot be reached
each fragment is computed as if there were no cache.
"""

import hashlib
import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

GENERATION_KEY = "evidence:generation"
# A fragment is also dropped after this long, whatever happens to the generation: an article whose
# publication time was set ahead comes out at that time, and no change announces it.
FRAGMENT_SECONDS = 5 * 60
_MISSING = object()


def enabled() -> bool:
    return isinstance(caches["default"], RedisCache)


def _fresh_generation():
    # From the clock, not 1: a generation key Redis evicted must not come back as a number used before.
    return time.time_ns() // 1000


def _generation():
    return caches["default"].get_or_set(GENERATION_KEY, _fresh_generation, timeout=None)


def content_changed() -> None:
    """Make every cached fragment stale: called once a change readers can see has committed."""
    if not enabled():
        return
    cache = caches["default"]
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, or evicted
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception:
        logger.warning("The cache generation could not be raised; cached fragments expire on their own.", exc_info=True)


def fragment_key(name, parts, generation):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"evidence:{generation}:{name}:{digest}"


def cached(name, parts, compute):
    """compute(), or the value it gave for the same name and parts since the last change."""
    if not enabled():
        return compute()
    cache = caches["default"]
    try:
        key = fragment_key(name, parts, _generation())
        value = cache.get(key, _MISSING)
    except Exception:
        logger.warning("The cache could not be read; the fragment %s is computed.", name, exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        try:
            cache.set(key, value, FRAGMENT_SECONDS)
        except Exception:
            logger.warning("The cache could not be written.", exc_info=True)
    return value
