"""The shared cache of public-page fragments, against the machine's real Redis server."""

import os

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import cache
from claims.services import claim_approve
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


class Counter:
    """A fragment that says how many times it has been computed."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"computed": self.calls}


def test_a_fragment_is_computed_once_and_then_read_from_redis(redis_cache):
    compute = Counter()

    assert cache.cached("counts", ("home", 1), compute) == {"computed": 1}
    assert cache.cached("counts", ("home", 1), compute) == {"computed": 1}
    assert cache.cached("counts", ("home", 2), compute) == {"computed": 2}  # other parts, other fragment
    assert compute.calls == 2
    assert isinstance(redis_cache.get(cache.GENERATION_KEY), int)


def test_a_committed_approval_retires_every_cached_fragment(
    redis_cache, article, reviewer, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(article=article)
    compute = Counter()
    cache.cached("counts", (), compute)

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=claim, reviewer=reviewer)

    assert cache.cached("counts", (), compute) == {"computed": 2}
    assert compute.calls == 2


def test_a_change_rolled_back_leaves_cached_fragments_in_place(
    redis_cache, article, reviewer, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(article=article)
    compute = Counter()
    cache.cached("counts", (), compute)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        claim_approve(claim=claim, reviewer=reviewer)
        raise RuntimeError("the editor's request failed")

    assert callbacks == []
    assert cache.cached("counts", (), compute) == {"computed": 1}


def test_a_lost_generation_key_still_retires_old_fragments(redis_cache):
    compute = Counter()
    cache.cached("counts", (), compute)
    redis_cache.delete(cache.GENERATION_KEY)  # evicted by Redis under memory pressure

    cache.content_changed()

    assert cache.cached("counts", (), compute) == {"computed": 2}


def test_without_a_shared_cache_nothing_is_kept(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    compute = Counter()

    cache.cached("counts", (), compute)
    cache.cached("counts", (), compute)

    assert not cache.enabled()
    assert compute.calls == 2


def test_an_unreachable_redis_computes_every_fragment_and_raises_nothing(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    compute = Counter()

    assert cache.cached("counts", (), compute) == {"computed": 1}
    assert cache.cached("counts", (), compute) == {"computed": 2}
    cache.content_changed()


def test_the_condition_list_counts_a_new_approval_on_the_next_request_with_redis(
    redis_cache, client, article, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ClaimFactory(article=article, sentence=1)
        claim_approve(claim=first, reviewer=reviewer)
        second = ClaimFactory(article=article, sentence=2, condition=first.condition)
    with CaptureQueriesContext(connection) as computed:
        assert "1 claim<" in client.get("/conditions/").text
    with CaptureQueriesContext(connection) as from_cache:
        assert "1 claim<" in client.get("/conditions/").text
    assert len(from_cache) == len(computed) - 1  # the counts came from Redis

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=second, reviewer=second_reviewer)

    assert "2 claims<" in client.get("/conditions/").text
