"""A reader's request whose database connection is lost is run once more on a new connection.

On PostgreSQL the app's own server process is ended with pg_terminate_backend from another
connection, as a database restart or failover ends it. On every database a driver's "connection
already closed" is simulated by raising InterfaceError from the query itself.
"""

import contextlib

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.urls import path

from tests import helpers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ends a PostgreSQL server process; SQLite has none"
)


@pytest.fixture(autouse=True)
def usable_connection_afterwards(transactional_db):
    yield
    # A test that failed may leave the connection broken; emptying the database afterwards needs a live one.
    if connection.connection is not None and not connection.is_usable():
        connection.close()


@pytest.fixture
def approved_claim(article, reviewer):
    return helpers.approved_claim(reviewer, article=article)


class Failures:
    """An execute wrapper that breaks the connection before the queries it is told to."""

    def __init__(self, break_connection, queries=(0,)):
        self.break_connection = break_connection
        self.queries = set(queries)
        self.seen = self.broken = 0

    def __call__(self, execute, sql, params, many, context):
        index, self.seen = self.seen, self.seen + 1
        if index in self.queries:
            self.broken += 1
            self.break_connection(context["connection"])
        return execute(sql, params, many, context)


def queries_of(client, url):
    """How many queries a request for `url` makes, once its page is stored (a list page's first reading stores it)."""
    assert client.get(url).status_code == 200
    with connection.execute_wrapper(counting := Failures(lambda c: None, queries=())):
        assert client.get(url).status_code == 200
    return counting.seen


def closed_by_driver(db_connection):
    raise InterfaceError("connection already closed")


def terminated_by_the_server(db_connection):
    """End this connection's server process from another connection, as a restarting database does."""
    pid = db_connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@contextlib.contextmanager
def failing(break_connection, queries=(0,)):
    """Break the connection before the given queries (counted from 0) of what runs inside."""
    failures = Failures(break_connection, queries)
    with connection.execute_wrapper(failures):
        yield failures


def test_a_reader_whose_connection_the_driver_reports_closed_gets_the_page(client, approved_claim):
    with failing(closed_by_driver):
        response = client.get("/conditions/")

    assert response.status_code == 200
    assert "1 claim<" in response.text


def test_a_connection_lost_while_the_template_reads_the_database_is_retried(client, approved_claim):
    # The evidence map's claims are read while its template renders, after the view has returned: at an
    # address that is rendered on every request (a plain one is stored whole, and read in one query).
    url = approved_claim.condition.get_absolute_url() + "?utm_source=feed"
    with failing(closed_by_driver, queries=[queries_of(client, url) - 2]) as failures:
        response = client.get(url)

    assert failures.broken == 1
    assert response.status_code == 200
    assert approved_claim.quote in response.text


@needs_postgresql
def test_a_reader_whose_server_process_was_ended_gets_the_page(client, approved_claim):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ended = cursor.fetchone()[0]
    terminated_by_the_server(connection)

    response = client.get(approved_claim.condition.get_absolute_url())

    assert response.status_code == 200
    assert approved_claim.quote in response.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != ended


@needs_postgresql
@pytest.mark.parametrize("page", ["/conditions/", "article"])
def test_a_server_process_ended_before_the_last_query_of_a_request_is_retried(client, approved_claim, page):
    url = approved_claim.article.get_absolute_url() if page == "article" else page
    with failing(terminated_by_the_server, queries=[queries_of(client, url) - 1]) as failures:
        response = client.get(url)

    assert failures.broken == 1
    assert response.status_code == 200


@needs_postgresql
def test_a_connection_lost_twice_answers_503_and_says_when_to_try_again(client, approved_claim):
    with failing(terminated_by_the_server, queries=range(100)):
        response = client.get("/conditions/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "try again" in response.text


def test_a_connection_reported_closed_twice_answers_503(client, approved_claim):
    with failing(closed_by_driver, queries=range(100)):
        response = client.get("/conditions/")

    assert response.status_code == 503


# A page of the test's own that accepts any method, counting how often its view runs.
calls = []


def any_method(request):
    calls.append(request.method)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("done")


urlpatterns = [path("any-method/", any_method)]


@pytest.fixture
def any_method_page(settings):
    settings.ROOT_URLCONF = __name__
    calls.clear()
    return "/any-method/"


def test_a_get_is_run_twice_at_most(client, any_method_page):
    with failing(closed_by_driver, queries=[0]):
        assert client.get(any_method_page).status_code == 200
    assert calls == ["GET", "GET"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_may_write_is_never_run_again(client, any_method_page, method):
    with failing(closed_by_driver), pytest.raises(InterfaceError):
        getattr(client, method)(any_method_page)

    assert len(calls) == 1


def test_an_error_that_leaves_the_connection_usable_is_not_retried(client, any_method_page):
    def locked(db_connection):
        raise OperationalError("database is locked")

    with failing(locked), pytest.raises(OperationalError):
        client.get(any_method_page)

    assert calls == ["GET"]


def test_the_admin_is_never_run_again(client, editor):
    client.force_login(editor)
    with failing(closed_by_driver), pytest.raises(InterfaceError):
        client.get("/admin/claims/claim/")


def test_a_view_run_in_a_transaction_is_not_run_again(client, any_method_page, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)

    # The view's own query fails: on SQLite the transaction's BEGIN goes through the wrapper first.
    with failing(closed_by_driver, queries=[1 if connection.vendor == "sqlite" else 0]), pytest.raises(InterfaceError):
        client.get(any_method_page)

    assert calls == ["GET"]
