"""The shared cache of public-page fragments: against the machine's Redis, and against a private Redis
server of the test's own that is paused, killed and started again while changes are saved."""

import logging
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.db import transaction

from claims.pages import cache
from claims.services import claim_approve
from config.settings import cache_from_url
from tests.factories import ClaimFactory, published

pytestmark = pytest.mark.django_db

# The list pages are stored whole (claims.pages.lists), except at an address other than a plain page, which is
# rendered on every request: through the fragments kept in Redis, which these tests are about.
RENDERED = "?utm_source=feed"


# However a test ends, a paused server is woken after this long, so that no test can hang on it.
LONGEST_PAUSE_SECONDS = 20


@pytest.fixture(autouse=True)
def redis_answering(monkeypatch):
    """Each test starts with the process believing Redis answers, as a new worker does."""
    monkeypatch.setattr(cache, "_outage", cache.Outage())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a free loopback port, with nothing saved to disk."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.waker = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
            + ["--daemonize", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("the private redis-server did not start")

    def pause(self):
        """SIGSTOP: connections are still accepted by the kernel, but nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)
        self.waker = threading.Timer(LONGEST_PAUSE_SECONDS, self.resume)
        self.waker.start()

    def resume(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def kill(self):
        self.resume()
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.waker is not None:
            self.waker.cancel()
        if self.process is not None and self.process.poll() is None:
            self.kill()


@pytest.fixture
def private_redis(settings, tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    settings.CACHES = {"default": cache_from_url(server.url)}
    yield server
    server.stop()


class Counter:
    """A fragment that says how many times it has been computed."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"computed": self.calls}


def test_a_fragment_is_computed_once_and_then_read_from_redis(redis_cache):
    compute = Counter()
    ClaimFactory()  # a change: the content generation exists

    assert cache.cached("counts", ("home", 1), compute) == {"computed": 1}
    assert cache.cached("counts", ("home", 1), compute) == {"computed": 1}
    assert cache.cached("counts", ("home", 2), compute) == {"computed": 2}  # other parts, other fragment
    assert compute.calls == 2


def test_a_committed_publication_retires_every_cached_fragment(
    redis_cache, article, reviewer, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(article=article)
    compute = Counter()
    cache.cached("counts", (), compute)

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=claim, reviewer=reviewer)
        published(article)

    assert cache.cached("counts", (), compute) == {"computed": 2}
    assert compute.calls == 2


def test_a_change_raises_the_content_generation_inside_its_own_transaction(article, reviewer):
    claim = ClaimFactory(article=article)
    before = cache.current_generation()

    with pytest.raises(RuntimeError), transaction.atomic():
        claim_approve(claim=claim, reviewer=reviewer)
        published(article)
        # Before the commit, and with no callback run: the rise commits with the change or not at all.
        assert cache.current_generation() > before
        raise RuntimeError("the reviewer's request failed")

    assert cache.current_generation() == before


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
        published(article)
        raise RuntimeError("the editor's request failed")

    assert callbacks == []
    assert cache.cached("counts", (), compute) == {"computed": 1}


def test_a_lost_generation_row_comes_back_higher_than_any_number_used_before(article, reviewer):
    ClaimFactory(article=article)
    before = cache.current_generation()
    cache.ContentGeneration.objects.all().delete()  # as a flushed test database loses it

    ClaimFactory(article=article, sentence=2)

    assert cache.current_generation() > before


def test_without_a_shared_cache_nothing_is_kept(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    compute = Counter()

    cache.cached("counts", (), compute)
    cache.cached("counts", (), compute)

    assert not cache.enabled()
    assert compute.calls == 2


def test_an_unreachable_redis_computes_every_fragment_and_raises_nothing(settings, monkeypatch):
    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:9/0")}
    monkeypatch.setattr(cache, "RETRY_SECONDS", 0)  # every call tries Redis again
    ClaimFactory()
    compute = Counter()

    assert cache.cached("counts", (), compute) == {"computed": 1}
    assert cache.cached("counts", (), compute) == {"computed": 2}


def test_the_condition_list_counts_a_newly_published_approval_on_the_next_request_with_redis(
    redis_cache, client, article, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ClaimFactory(article=article, sentence=1)
        claim_approve(claim=first, reviewer=reviewer)
        second = ClaimFactory(article=article, sentence=2, condition=first.condition)
    assert "1 claim<" in client.get("/conditions/" + RENDERED).text
    assert "1 claim<" in client.get("/conditions/" + RENDERED).text

    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=second, reviewer=second_reviewer)
    # Approved in the draft: readers see it under review.
    assert "1 claim<" in client.get("/conditions/" + RENDERED).text

    with django_capture_on_commit_callbacks(execute=True):
        published(article)

    assert "2 claims<" in client.get("/conditions/" + RENDERED).text


@pytest.fixture
def one_approved_one_pending(article, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = ClaimFactory(article=article, sentence=1)
        claim_approve(claim=first, reviewer=reviewer)
        second = ClaimFactory(article=article, sentence=2, condition=first.condition)
    return first, second


def counts_shown(client, condition):
    """The count of the condition's claims that the conditions list and its evidence map show."""
    pages = [client.get("/conditions/" + RENDERED), client.get(condition.get_absolute_url() + RENDERED)]
    assert [page.status_code for page in pages] == [200, 200]
    return [next((shown for shown in ("1 claim<", "2 claims<") if shown in page.text), "?") for page in pages]


def test_an_approval_saved_while_redis_is_paused_is_counted_once_redis_answers_again(
    private_redis, client, second_reviewer, one_approved_one_pending, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(cache, "RETRY_SECONDS", 0.2)
    first, second = one_approved_one_pending
    assert counts_shown(client, first.condition) == ["1 claim<", "1 claim<"]  # computed and kept in Redis

    private_redis.pause()
    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=second, reviewer=second_reviewer)
        published(second.article)
    assert counts_shown(client, first.condition) == ["2 claims<", "2 claims<"]  # computed without Redis
    private_redis.resume()
    time.sleep(0.2)  # the next read asks Redis, which still holds the counts of before the approval

    assert counts_shown(client, first.condition) == ["2 claims<", "2 claims<"]
    assert not cache._outage.failing


def test_redis_killed_and_started_again_never_fails_a_read_and_never_serves_old_counts(
    private_redis, client, second_reviewer, one_approved_one_pending, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(cache, "RETRY_SECONDS", 0.2)
    first, second = one_approved_one_pending
    assert counts_shown(client, first.condition) == ["1 claim<", "1 claim<"]

    private_redis.kill()
    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=second, reviewer=second_reviewer)
        published(second.article)
    assert counts_shown(client, first.condition) == ["2 claims<", "2 claims<"]
    private_redis.start()  # empty, as a restarted Redis with nothing saved
    time.sleep(0.2)

    assert counts_shown(client, first.condition) == ["2 claims<", "2 claims<"]
    compute = Counter()
    cache.cached("counts", (), compute)
    assert cache.cached("counts", (), compute) == {"computed": 1}  # Redis is in use again


def test_a_paused_redis_costs_one_read_a_timeout_and_the_next_reads_nothing(
    private_redis, client, one_approved_one_pending, monkeypatch
):
    compute = Counter()
    cache.cached("counts", (), compute)
    redis_cache, asked = caches["default"], []
    real_get = redis_cache.get
    monkeypatch.setattr(redis_cache, "get", lambda *args, **kwargs: asked.append(args) or real_get(*args, **kwargs))
    private_redis.pause()

    started = time.monotonic()
    cache.cached("counts", (), compute)
    first_reads = time.monotonic() - started
    asked_first = len(asked)
    for _ in range(5):
        cache.cached("counts", (), compute)

    assert asked_first == 1 and first_reads < 3  # one timeout of the client's (half a second), not a hang
    assert len(asked) == asked_first  # Redis left alone while the outage lasts


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    private_redis, client, one_approved_one_pending, caplog, monkeypatch
):
    first, _ = one_approved_one_pending
    monkeypatch.setattr(cache, "RETRY_SECONDS", 0)  # every read tries Redis: still one warning an outage
    caplog.set_level(logging.WARNING, logger="claims.pages.cache")

    compute = Counter()
    private_redis.kill()
    for _ in range(4):
        cache.cached("counts", (), compute)
    private_redis.start()
    cache.cached("counts", (), compute)
    private_redis.kill()
    for _ in range(4):
        cache.cached("counts", (), compute)

    assert [record.getMessage().split(" (")[0] for record in caplog.records] == [
        "The shared cache cannot be reached",
        "The shared cache answers again.",
        "The shared cache cannot be reached",
    ]
