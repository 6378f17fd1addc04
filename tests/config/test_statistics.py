"""SQLite's planner statistics are refreshed after migrate and after data is loaded."""

import pytest
from django.core.management import call_command
from django.db import connection

from config.statistics import refresh_statistics
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def statistics_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT tbl, idx FROM sqlite_stat1")
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL gathers its own statistics")
def test_refreshing_counts_the_rows_behind_the_claim_indexes(article):
    ClaimFactory(article=article)
    assert not any(tbl == "claims_claim" for tbl, _ in statistics_rows())  # migrated while empty

    assert refresh_statistics() is True

    indexes = {idx for tbl, idx in statistics_rows() if tbl == "claims_claim"}
    assert "claim_mapped_by_condition" in indexes


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL gathers its own statistics")
def test_loading_the_demo_leaves_statistics_behind():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert any(tbl == "articles_article" for tbl, _ in statistics_rows())
