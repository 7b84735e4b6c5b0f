"""Search by title and number in the registers (DOC-1, DOC-2).

The result is always exactly Django's `icontains` over the fields, on every
database. On PostgreSQL two indexes answer it:

- a term of three characters or more: the pg_trgm GIN indexes over
  `UPPER(col::text)` (migration 0009), the very expression `icontains` writes;
- a term of one or two characters (会议, 通知, 〔2): no trigram exists, so the
  indexes of migration 0010 over `documents_grams(col, …)` — the set of the
  upper-cased characters and character pairs of each field — answer
  `documents_grams(…) @> ARRAY[UPPER(term)]`. That condition is added *beside*
  the `icontains` filter, never instead of it: it only narrows the candidates,
  and `icontains` still decides each row, so the rows are the same whether
  PostgreSQL uses the index or not.

SQLite (a bureau's small install) keeps the plain `icontains` scan.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value

# Terms up to this many characters go through the character-pair index; longer
# ones have trigrams.
SHORT_TERM = 2


class HasGram(Func):
    """`documents_grams(f1, f2, …) @> ARRAY[UPPER(term)]`, PostgreSQL only: the
    expression of the indexes of migration 0010 (field order matters)."""

    output_field = BooleanField()

    def __init__(self, term: str, *fields: str):
        super().__init__(*(F(f) for f in fields), Value(term))

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError("documents_grams exists only on PostgreSQL")

    def as_postgresql(self, compiler, connection, **extra_context):
        *fields, term = self.get_source_expressions()
        sqls, params = [], []
        for field in fields:
            sql, field_params = compiler.compile(field)
            sqls.append(f"{sql}::text")
            params.extend(field_params)
        term_sql, term_params = compiler.compile(term)
        params.extend(term_params)
        return (
            f"documents_grams({', '.join(sqls)}) @> ARRAY[UPPER({term_sql}::text)]",
            params,
        )


def search(queryset: QuerySet, q: str, fields: list[str]) -> QuerySet:
    """The rows whose `fields` contain `q`, ignoring case: exactly `icontains`."""
    if not q:
        return queryset
    queryset = queryset.filter(
        reduce(or_, (Q(**{f"{field}__icontains": q}) for field in fields))
    )
    if len(q) <= SHORT_TERM and connections[queryset.db].vendor == "postgresql":
        queryset = queryset.filter(HasGram(q, *fields))
    return queryset
