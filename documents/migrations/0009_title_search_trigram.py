"""Search by title in the registers (the issue's full-text search by title): on
PostgreSQL, trigram GIN indexes over the upper-cased text, the very expression of
Django's `icontains` (UPPER(col::text) LIKE UPPER('%q%')), so the registers' search
stays one `icontains` filter on every database and PostgreSQL answers it from the
index. Trigram, not `to_tsvector`: PostgreSQL has no Chinese parser (a title such as
关于做好年度统计工作的通知 would be one "word"), and pg_trgm reads CJK characters
as word characters under the database's UTF-8 ctype. SQLite keeps a plain scan.

Added with RunPython (the shape of leave/0006's PostgreSQL-only constraint): the
indexes are not part of the migration state, so `makemigrations --check` stays
clean on both databases and SQLite never sees them.
"""

from django.db import migrations

INDEXES = [
    ("doc_out_title_trgm", "documents_outgoingdocument", "title"),
    ("doc_out_number_trgm", "documents_outgoingdocument", "doc_number"),
    ("doc_in_title_trgm", "documents_incomingdocument", "title"),
    ("doc_in_reg_trgm", "documents_incomingdocument", "reg_number"),
    ("doc_in_their_trgm", "documents_incomingdocument", "their_number"),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0008_verbose_names_in_chinese")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
