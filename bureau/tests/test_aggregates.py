"""bureau.aggregates: COUNT and the MAX of an integer column, read as the database
returns them — the same values and types as Django's own aggregates, on this
backend (the suite runs on SQLite and on PostgreSQL), and no converter pass."""

import pytest
from django.db import connection
from django.db.models import Count, Max, Q

from bureau.aggregates import Count as IntCount
from bureau.aggregates import Max as IntMax
from bureau.models import Person, Unit
from bureau.testing import PersonFactory

pytestmark = pytest.mark.django_db


def test_int_aggregates_read_as_djangos_own_with_no_converter(org):
    extra = Unit.objects.create(
        organisation=org.unit.organisation,
        name="无人单位",
        code="empty-unit",
        kind=Unit.Kind.SUBORDINATE,
        order=99,
    )
    PersonFactory(unit=org.unit, is_active=False)
    grouped = Unit.objects.order_by("pk").values_list("pk")
    mine = grouped.annotate(
        n=IntCount("people"),
        active=IntCount("people", filter=Q(people__is_active=True)),
        top=IntMax("people__id"),
        none_active=IntMax("people__id", filter=Q(people__is_active=False)),
    )
    django = grouped.annotate(
        n=Count("people"),
        active=Count("people", filter=Q(people__is_active=True)),
        top=Max("people__id"),
        none_active=Max("people__id", filter=Q(people__is_active=False)),
    )
    rows, expected = list(mine), list(django)
    assert rows == expected
    assert [tuple(map(type, row)) for row in rows] == [
        tuple(map(type, row)) for row in expected
    ]
    by_unit = {row[0]: row for row in rows}
    assert by_unit[extra.pk][1:] == (0, 0, None, None)  # no people: 0 and NULL
    assert by_unit[org.unit.pk][1] == Person.objects.filter(unit=org.unit).count()
    assert by_unit[org.unit.pk][4] is not None
    # Django reads the query without a converter pass; its own aggregates need one.
    assert not _converters(mine)
    assert _converters(django)


def _converters(queryset) -> dict:
    compiler = queryset.query.get_compiler(connection=connection)
    compiler.setup_query()
    return compiler.get_converters([expression for expression, *_ in compiler.select])
