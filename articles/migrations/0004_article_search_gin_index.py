"""A GIN index for article search on PostgreSQL; nothing on other databases.

The expression must stay identical to claims.search.ARTICLE_DOCUMENT_SQL, which filters with it,
or PostgreSQL will not use the index.
"""

from django.db import migrations

INDEX_NAME = "article_search_document_gin"

CREATE_SQL = (
    f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING GIN "
    "(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(standfirst, '') || ' ' || coalesce(body_text, '')))"
)
DROP_SQL = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_review_interval_change_note_history"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
