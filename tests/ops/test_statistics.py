"""SQLite's planner statistics are refreshed after migrate and after data is loaded; PostgreSQL keeps its own."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from ops.statistics import refresh_statistics
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def statistics_tables():
    """The tables SQLite holds statistics for."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT tbl, idx FROM sqlite_stat1")
        return set(cursor.fetchall())


def test_refreshing_counts_the_rows_behind_the_claim_indexes_on_sqlite_only(article):
    ClaimFactory(article=article)
    if connection.vendor != "sqlite":
        assert refresh_statistics() is False  # autovacuum gathers PostgreSQL's own
        return
    assert ("claims_claim", "claim_mapped_by_condition") not in statistics_tables()  # migrated while empty

    assert refresh_statistics() is True

    assert ("claims_claim", "claim_mapped_by_condition") in statistics_tables()


def test_loading_the_demo_leaves_statistics_behind(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "claims.management.commands.load_demo.refresh_statistics", lambda: calls.append(True) or refresh_statistics()
    )

    call_command("load_demo", stdout=io.StringIO())

    assert calls == [True]
    if connection.vendor == "sqlite":
        assert any(table == "articles_article" for table, _ in statistics_tables())
