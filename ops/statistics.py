"""Table statistics for SQLite's query planner.

PostgreSQL gathers its own (autovacuum). SQLite plans queries well at a hundred thousand claims
only once ANALYZE has counted the rows behind each index: without that it may walk a wide index
where a narrow one would answer at once. Statistics are refreshed after every migrate and after
demo or bench data is loaded; ANALYZE reads at most ANALYSIS_LIMIT rows of each index, so it
takes milliseconds whatever the size of the database.
"""

from django.db import connections

ANALYSIS_LIMIT = 1000


def refresh_statistics(using="default") -> bool:
    """Count rows for SQLite's planner; does nothing (and says so) on other databases."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True


def refresh_after_migrate(sender, using="default", **kwargs):
    refresh_statistics(using)
