"""Numbers taken at the same moment on PostgreSQL: each thread in its own
transaction, the counter row's lock serialises them."""

import datetime
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from numbering.models import Counter, Number
from numbering.services import number_take
from numbering.tests.conftest import DOCS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def run_together(targets):
    """Start every callable at once, each in a thread of its own; return errors."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as exc:  # pragma: no cover - reported by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _take(owner, fail=False):
    def target():
        with transaction.atomic():
            number_take(series=DOCS, owner=owner, on=D)
            if fail:
                raise RuntimeError("rolled back on purpose")

    return target


def test_50_concurrent_allocations_give_1_to_50_without_gap_or_duplicate(
    bureau, series, owners
):
    """Fifty transactions at once, a new series-year (its counter row is created
    by the first, race-free): numbers 1..50, each once, one per record."""
    records = owners(50)
    errors = run_together([_take(owner) for owner in records])
    assert not errors
    given = list(
        Number.objects.filter(series=DOCS, year=2026).values_list("n", "object_id")
    )
    assert sorted(n for n, _ in given) == list(range(1, 51))
    assert sorted(o for _, o in given) == sorted(o.pk for o in records)
    assert Counter.objects.get(series=DOCS, year=2026).last == 50


def test_rolled_back_transactions_among_concurrent_ones_leave_no_gap(
    bureau, series, owners
):
    records = owners(20)
    targets = [_take(owner, fail=i % 4 == 0) for i, owner in enumerate(records)]
    errors = run_together(targets)
    assert len(errors) == 5 and all(isinstance(e, RuntimeError) for e in errors)
    ns = sorted(Number.objects.filter(series=DOCS).values_list("n", flat=True))
    assert ns == list(range(1, 16))
    assert Counter.objects.get(series=DOCS, year=2026).last == 15


def test_one_record_asked_for_by_many_at_once_gets_one_number(bureau, series, owners):
    """Ten transactions number the same record at once: one number, the counter at
    1 (the ones that waited give their increment back)."""
    (record,) = owners(1)
    errors = run_together([_take(record) for _ in range(10)])
    assert not errors
    assert list(Number.objects.values_list("n", flat=True)) == [1]
    assert Counter.objects.get(series=DOCS, year=2026).last == 1


def test_a_new_number_is_two_statements_on_postgresql(bureau, series, owners):
    """The counter's upsert, then one statement (the owner's live number, or the
    new row and its "+" history row): the same register and history as the general
    path, with the user who took it; asking again returns the same number."""
    (owner,) = owners(1)
    user = owners(1, prefix="clerk")[0]
    ContentType.objects.get_for_model(owner)  # cached per process, as in service
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        number = number_take(series=DOCS, owner=owner, by=user, on=D)
    assert len(queries) == 2
    assert (number.pk, number.n, number.text) == (
        Number.objects.get().pk,
        1,
        "示计生〔2026〕1号",
    )
    assert not number._state.adding
    (row,) = number.history.all()
    assert (row.history_type, row.history_user, row.text, row.taken_by) == (
        "+",
        user,
        "示计生〔2026〕1号",
        user,
    )
    with transaction.atomic():
        again = number_take(series=DOCS, owner=owner, on=D)
    assert again == number
    assert Counter.objects.get(series=DOCS).last == 1
    assert Number.history.count() == 1
