import datetime
import os

import httpx
import pytest
import respx
from django.core.cache import caches
from django.utils import timezone

from claims.pages import cache as fragments
from config.settings import cache_from_url
from tests.factories import ArticleFactory, EditorFactory, ReviewerFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="reviewer")


@pytest.fixture
def second_reviewer(db):
    return ReviewerFactory(username="reviewer2")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def article(editor):
    return ArticleFactory(author=editor)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def root_client(client, superuser):
    client.force_login(superuser)
    return client


def machine_redis_url():
    """The machine's Redis, database 15; under pytest-xdist each worker its own (gw0 15, gw1 14, down to 3).

    Every test empties the database it uses, so two workers must never share one. Databases 0 to 2
    are left alone: 0 is the task queue's default, 1 the RQ test's (tests/claims/test_tasks_rq.py).
    """
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    return f"redis://127.0.0.1:6379/{15 - worker % 13}"


REDIS_URL = os.environ.get("TEST_REDIS_URL", machine_redis_url())


@pytest.fixture
def redis_cache(settings, monkeypatch):
    """The shared cache of public-page fragments in the machine's Redis, emptied before and after the test."""
    monkeypatch.setattr(fragments, "_outage", fragments.Outage())  # answering, as a new worker believes
    settings.CACHES = {"default": cache_from_url(REDIS_URL)}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def clock(monkeypatch):
    """`clock(days, seconds=0)` sets the time that long from the test's start (negative: in the past) and returns it."""
    start = timezone.now()

    def set_to(days, seconds=0):
        moment = start + datetime.timedelta(days=days, seconds=seconds)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_to


@pytest.fixture
def services(settings):
    """Source look-ups on, no waiting between requests, and every request to PubMed, Crossref or
    ClinicalTrials.gov answered by a route the test adds (respx) or refused: nothing reaches the network."""
    settings.SOURCE_LOOKUPS = True
    settings.LOOKUP_CONTACT_EMAIL = "editors@example.org"
    settings.LOOKUP_TOOL_NAME = "evidence-cms-tests"
    settings.LOOKUP_RATES = {"pubmed": 1000.0, "crossref": 1000.0, "clinicaltrials": 1000.0}
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        # A DOI's look-up asks PubMed for its PMID too: unless a test says otherwise
        # (services.routes["esearch"].mock(...)), PubMed files it under none.
        mock.get(f"{settings.LOOKUP_PUBMED_URL}/esearch.fcgi", name="esearch").mock(
            return_value=httpx.Response(200, json={"esearchresult": {"count": "0", "idlist": []}})
        )
        yield mock
