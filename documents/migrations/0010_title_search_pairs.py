"""Search by one or two characters on PostgreSQL (documents.search): a two-character
Chinese word (会议, 通知) has no trigram, so the trigram indexes of 0009 cannot
answer it. `documents_grams(VARIADIC text[])` returns the distinct upper-cased
characters and character pairs of each part (never across two parts); a GIN index
over it per register answers `documents_grams(…) @> ARRAY[UPPER(term)]`.

An expression index, not a column kept up to date by the application: PostgreSQL
recomputes it on every INSERT and UPDATE, whatever writes the row (a service, a
`queryset.update()`, the bench's `INSERT … SELECT`), so it cannot drift.

PostgreSQL only, by RunPython like 0009: the migration state is the same on both
databases and SQLite never sees the function.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION documents_grams(VARIADIC parts text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(u, i, n)), '{}')
  FROM (SELECT upper(p) AS u FROM unnest(parts) AS p WHERE p IS NOT NULL) AS s,
       generate_series(1, 2) AS n,
       generate_series(1, char_length(u) - n + 1) AS i
$$
"""

# The field order is the order documents.selectors passes to documents.search.
INDEXES = [
    ("doc_out_grams", "documents_outgoingdocument", ["title", "doc_number"]),
    (
        "doc_in_grams",
        "documents_incomingdocument",
        ["title", "reg_number", "their_number"],
    ),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, table, columns in INDEXES:
        parts = ", ".join(f"{column}::text" for column in columns)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (documents_grams({parts}))"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS documents_grams(VARIADIC text[])")


class Migration(migrations.Migration):
    dependencies = [("documents", "0009_title_search_trigram")]

    operations = [migrations.RunPython(add, remove)]
