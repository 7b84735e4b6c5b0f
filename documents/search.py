"""Search by title and number in the registers (DOC-1, DOC-2).

The result is always exactly Django's `icontains` over the fields, on every
database. On PostgreSQL two kinds of index answer it:

- a term of three characters or more: the pg_trgm GIN indexes over
  `UPPER(col::text)` (migration 0009), the very expression `icontains` writes;
- a term of one or two characters (会, 会议, 〔2): no trigram exists, so the GIN
  indexes of migration 0010 over the upper-cased characters of the fields
  (`string_to_array(UPPER(col::text), NULL) || …`) give the rows that hold every
  character of the term. That condition is added *beside* the `icontains` filter,
  never instead of it: it only narrows the candidates (a row containing the term
  contains each of its characters), and `icontains` still decides each row, so
  the rows are the same whether PostgreSQL uses the index or not.

SQLite (a bureau's small install) keeps the plain `icontains` scan.
"""

from __future__ import annotations

import json
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value

# Terms up to this many characters go through the character index; longer ones
# have trigrams.
SHORT_TERM = 2


class HasCharacters(Func):
    """`string_to_array(UPPER(f1::text), NULL) || … @> string_to_array(UPPER(term),
    NULL)`, PostgreSQL only: the expression of the indexes of migration 0010 (the
    fields in the index's order)."""

    output_field = BooleanField()

    def __init__(self, term: str, *fields: str):
        super().__init__(*(F(f) for f in fields), Value(term))

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError("the character indexes exist only on PostgreSQL")

    def as_postgresql(self, compiler, connection, **extra_context):
        *fields, term = self.get_source_expressions()
        sqls, params = [], []
        for field in fields:
            sql, field_params = compiler.compile(field)
            sqls.append(f"string_to_array(UPPER({sql}::text), NULL)")
            params.extend(field_params)
        term_sql, term_params = compiler.compile(term)
        params.extend(term_params)
        return (
            f"({' || '.join(sqls)}) @> string_to_array(UPPER({term_sql}::text), NULL)",
            params,
        )


def search(queryset: QuerySet, q: str, fields: list[str]) -> QuerySet:
    """The rows whose `fields` contain `q`, ignoring case: exactly `icontains`."""
    if not q:
        return queryset
    queryset = queryset.filter(
        reduce(or_, (Q(**{f"{field}__icontains": q}) for field in fields))
    )
    if (
        len(q) <= SHORT_TERM
        and connections[queryset.db].vendor == "postgresql"
        and _selective(queryset.model, q, fields, queryset.db)
    ):
        queryset = queryset.filter(HasCharacters(q, *fields))
    return queryset


# Above this share of the table the character condition is left out: a term
# in most titles (的, 关于) is found faster by reading the table once than by
# building every row's characters (1.2 s against 0.4 s at 500,000 documents).
SELECTIVE_SHARE = 0.05


def _selective(model, q: str, fields: list[str], using: str) -> bool:
    """Whether PostgreSQL expects the term's characters in few enough rows for
    the character index to pay: its own estimate (EXPLAIN, no execution, from
    the statistics ANALYZE keeps of the index's expression), against the
    table's size."""
    condition = model.objects.using(using).filter(HasCharacters(q, *fields))
    sql, params = condition.values("pk").query.sql_with_params()
    with connections[using].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):  # pragma: no cover - a driver returning text
            plan = json.loads(plan)
        estimate = plan[0]["Plan"]["Plan Rows"]
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        total = max(cursor.fetchone()[0], 1)
    return estimate / total < SELECTIVE_SHARE
