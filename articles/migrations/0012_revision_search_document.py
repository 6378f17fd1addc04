"""Search ranks live revisions by a stored, weighted search document (PostgreSQL), indexed with GIN.

Ranking used to build each matching revision's weighted document (title A, standfirst B, body C)
from its text on every search: for a word most of 10,000 articles hold, that is parsing all their
text, some 20 seconds a request. The column `search_document` keeps that document, computed by the
database whenever the text is written (a stored generated column, so nothing in Django writes it),
and the GIN index over it, for live revisions only, both finds the matches and leaves the ranking
a read. It replaces the expression index of migration 0009, which no query uses any more.

Nothing happens on other databases: SQLite's search is claims.search's word-matching fallback.
claims.search.SEARCH_DOCUMENT names the column.
"""

from django.db import migrations

WEIGHTED = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'C')"
)
OLD_DOCUMENT = (
    "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(standfirst, '') || ' ' || coalesce(body_text, ''))"
)
OLD_INDEX = "revision_search_document_gin"
INDEX = "revision_search_stored_gin"


def add_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE articles_articlerevision ADD COLUMN IF NOT EXISTS search_document tsvector"
            f" GENERATED ALWAYS AS ({WEIGHTED}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_articlerevision USING GIN (search_document) WHERE is_live"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def drop_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON articles_articlerevision USING GIN ({OLD_DOCUMENT}) WHERE is_live"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute("ALTER TABLE articles_articlerevision DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_revision_origin"),
    ]

    operations = [
        migrations.RunPython(add_document, drop_document),
    ]
