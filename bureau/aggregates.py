"""Integer aggregates read as the database returns them.

Django passes every value of an aggregate whose output is an integer through
`int(value)` (`Expression.convert_value`), a Python call per value, and a query
with any converter is read through a per-row converter pass. PostgreSQL (psycopg)
and SQLite return COUNT, and MAX or MIN of an integer column, as Python ints
already: these two skip that conversion. On the grouped reads of the heavy pages —
a row per person at 10,000 staff, ten counts a row — it was a tenth of the page
(issue 17). Use them only where the value is an integer in the database as well:
a COUNT, or the MAX/MIN of an integer column (not a SUM: PostgreSQL sums integers
as numeric). `bureau/tests/test_aggregates.py` holds both backends to it.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property


class Count(models.Count):
    @cached_property
    def convert_value(self):
        return self._convert_value_noop


class Max(models.Max):
    @cached_property
    def convert_value(self):
        return self._convert_value_noop
