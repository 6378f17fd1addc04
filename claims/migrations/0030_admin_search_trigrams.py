"""On PostgreSQL, trigram indexes for the admin's search of claims and sources, which matches words anywhere in a
field (`icontains`): `UPPER(column::text) LIKE UPPER('%word%')`, the expression Django writes, indexed with
pg_trgm's `gin_trgm_ops`. Built without locking writes (CONCURRENTLY, outside a transaction). Nothing on SQLite,
whose search reads the rows as before."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

# (table, column, index name): the columns the claim, queue, orphan and source lists search.
SEARCHED = [
    ("claims_claim", "quote", "claim_quote_trgm"),
    ("claims_claim", "explanation", "claim_explanation_trgm"),
    ("claims_source", "identifier", "source_identifier_trgm"),
    ("claims_source", "title", "source_title_trgm"),
    ("claims_source", "authors", "source_authors_trgm"),
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
        ("claims", "0029_claim_queued_at"),
    ]

    operations = [
        CreateExtension("pg_trgm"),  # only on PostgreSQL (Django's operation does nothing elsewhere)
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
