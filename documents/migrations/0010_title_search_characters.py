"""Search by one or two characters on PostgreSQL (documents.search): a two-character
Chinese word (会议, 通知) has no trigram, so the trigram indexes of 0009 cannot
answer it. One GIN index per register over the upper-cased characters of the
searched fields, `string_to_array(UPPER(col::text), NULL) || …` (built-in functions
only, cheap to compute); documents.search asks it for the rows holding every
character of the term and `icontains` keeps those that hold the term itself.

An expression index, not a column kept up to date by the application: PostgreSQL
recomputes it on every INSERT and UPDATE, whatever writes the row (a service, a
`queryset.update()`, the bench's `INSERT … SELECT`), so it cannot drift.

PostgreSQL only, by RunPython like 0009: the migration state is the same on both
databases and SQLite never sees the indexes.
"""

from django.db import migrations

# The field order is the order documents.selectors passes to documents.search
# (the query's expression must be the index's, term for term).
INDEXES = [
    ("doc_out_chars", "documents_outgoingdocument", ["title", "doc_number"]),
    (
        "doc_in_chars",
        "documents_incomingdocument",
        ["title", "reg_number", "their_number"],
    ),
]


def characters(columns) -> str:
    return " || ".join(
        f"string_to_array(UPPER({column}::text), NULL)" for column in columns
    )


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (({characters(columns)}))"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0009_title_search_trigram")]

    operations = [migrations.RunPython(add, remove)]
