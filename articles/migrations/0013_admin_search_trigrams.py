"""On PostgreSQL, trigram indexes for the admin's search of articles (title, standfirst, body, matched anywhere
with `icontains`: `UPPER(column::text) LIKE UPPER('%word%')`, the expression Django writes), and the title
the claim lists' search looks articles up by. Built without locking writes (CONCURRENTLY, outside a
transaction). Nothing on SQLite."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

SEARCHED = [
    ("articles_article", "title", "article_title_trgm"),
    ("articles_article", "standfirst", "article_standfirst_trgm"),
    ("articles_article", "body", "article_body_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, name in SEARCHED:
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in SEARCHED:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0012_revision_search_document"),
    ]

    operations = [
        CreateExtension("pg_trgm"),  # only on PostgreSQL (Django's operation does nothing elsewhere)
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
