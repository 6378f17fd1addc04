"""Two processes writing one SQLite file (the server and the task worker) queue instead of failing."""

import contextlib
import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="about SQLite's settings"
)


def connection_to(path, alias):
    """A connection to the file `path` with the site's SQLite options."""
    options = settings.DATABASES["default"]["OPTIONS"]
    database = {**settings.DATABASES["default"], "NAME": str(path), "OPTIONS": {**options, "timeout": 5}}
    return DatabaseWrapper(database, alias=alias)


def test_two_writers_that_read_first_both_succeed_one_after_the_other(tmp_path, django_db_blocker):
    path = tmp_path / "site.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE counter (n INTEGER)")
    setup.execute("INSERT INTO counter VALUES (0)")
    setup.commit()
    setup.close()
    # Without IMMEDIATE both would read, meet here, and the second to write would fail at once with
    # "database is locked"; with it the second waits to begin until the first commits.
    both_read = threading.Barrier(2, timeout=2)
    failures = []

    def read_then_write(alias):
        wrapper = connection_to(path, alias)
        connections[alias] = wrapper
        try:
            with transaction.atomic(using=alias), wrapper.cursor() as cursor:
                # As a save does: a transaction that reads, then writes what it read.
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                # Broken when the other writer waits for this one's lock: it reads once this one commits.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait()
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:  # noqa: BLE001 - each failure is what the test reports
            failures.append(error)
        finally:
            wrapper.close()

    threads = [threading.Thread(target=read_then_write, args=(f"writer{n}",)) for n in range(2)]
    with django_db_blocker.unblock():  # connections of this test's own, to its own file
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert failures == []
    check = sqlite3.connect(path)
    assert check.execute("SELECT n FROM counter").fetchone() == (2,)
    assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    check.close()
