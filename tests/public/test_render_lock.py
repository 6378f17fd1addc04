"""The render lock of the stored list pages (claims.pages.lists.rendered_once): readers who find the same page
stale at the same moment render it once between them, and a lock holder that is stuck or gone holds nobody up
for longer than RENDER_WAIT.

Threads with their own database connections stand for app server processes: on PostgreSQL the lock is an
advisory lock of the holder's session, on SQLite a lease row.
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.models import ListPage
from claims.pages import lists
from claims.views import ConditionListView
from tests.factories import ArticleFactory
from tests.helpers import at_once, graded_claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RENDER_SECONDS = 0.5  # how long one rendering of the conditions list takes here, so that readers overlap


@pytest.fixture
def renders(monkeypatch, reviewer):
    """The conditions list, with one mapped claim, made slow; returns the list of its renderings (their threads)."""
    graded_claim(reviewer, article=ArticleFactory())
    made = []
    original = ConditionListView.get_queryset

    def slow(view):
        made.append(threading.get_ident())
        time.sleep(RENDER_SECONDS)
        return original(view)

    monkeypatch.setattr(ConditionListView, "get_queryset", slow)
    return made


def read(url):
    response = Client().get(url)
    return response.status_code, response.content


def lock_for(key):
    return lists._AdvisoryLock(key) if connection.vendor == "postgresql" else lists._LeaseLock(key)


def test_readers_arriving_together_at_a_stale_page_render_it_once(renders):
    url = reverse("claims:condition-list")

    outcomes = at_once(*[lambda: read(url)] * 4)

    assert len(renders) == 1  # without the lock, each of the four renders it
    pages = {result for result, _started, _finished in outcomes}
    assert len(pages) == 1 and next(iter(pages))[0] == 200
    assert ListPage.objects.get(address=url).page.encode() == next(iter(pages))[1]


def test_a_reader_waits_for_a_stuck_holder_no_longer_than_render_wait_then_renders_itself(renders, monkeypatch):
    monkeypatch.setattr(lists, "RENDER_WAIT", 1.0)
    url = reverse("claims:condition-list")
    held, done = threading.Event(), threading.Event()

    def stuck_holder():
        lock = lock_for(url)
        try:
            assert lock.acquire()
            held.set()
            done.wait(timeout=30)
            lock.release()
        finally:
            connection.close()

    holder = threading.Thread(target=stuck_holder)
    holder.start()
    assert held.wait(timeout=10)
    try:
        started = time.monotonic()
        status, _content = read(url)
        waited = time.monotonic() - started
    finally:
        done.set()
        holder.join(timeout=30)

    assert status == 200 and len(renders) == 1
    assert lists.RENDER_WAIT <= waited < lists.RENDER_WAIT + RENDER_SECONDS + 5


def test_a_holder_that_dies_lets_the_next_reader_render(renders, monkeypatch):
    monkeypatch.setattr(lists, "RENDER_WAIT", 2.0)
    url = reverse("claims:condition-list")

    def dying_holder():
        assert lock_for(url).acquire()
        connection.close()  # gone without releasing: its process died

    holder = threading.Thread(target=dying_holder)
    holder.start()
    holder.join(timeout=10)
    started = time.monotonic()
    status, _content = read(url)
    waited = time.monotonic() - started

    assert status == 200 and len(renders) == 1
    if connection.vendor == "postgresql":
        # The database drops a session's advisory locks with it: no wait at all.
        assert waited < lists.RENDER_WAIT
    else:
        # SQLite: the lease left behind runs out after RENDER_WAIT, and the reader takes it over.
        assert lists.RENDER_WAIT <= waited < lists.RENDER_WAIT + RENDER_SECONDS + 5
