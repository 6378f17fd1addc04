"""Search reads live revisions: a GIN index on their text for PostgreSQL, in place of the articles' own.

Nothing happens on other databases. The expression must stay identical to
claims.search.REVISION_DOCUMENT_SQL, which filters with it, or PostgreSQL will not use the index;
it covers live revisions only, the only ones search reads.
"""

from django.db import migrations

DOCUMENT = (
    "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(standfirst, '') || ' ' || coalesce(body_text, ''))"
)

REVISION_INDEX = "revision_search_document_gin"
ARTICLE_INDEX = "article_search_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {REVISION_INDEX} ON articles_articlerevision USING GIN ({DOCUMENT}) WHERE is_live"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {ARTICLE_INDEX}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {ARTICLE_INDEX} ON articles_article USING GIN ({DOCUMENT})")
        schema_editor.execute(f"DROP INDEX IF EXISTS {REVISION_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_revisions"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
