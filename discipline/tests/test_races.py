"""Concurrent recording on PostgreSQL: the person's row lock serialises judging."""

import datetime
import threading

import pytest
from django.db import connection

from discipline.models import Outcome, Violation


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dis3_concurrent_violations_are_counted_once_each(org):
    """DIS-3/DIS-4: two findings recorded at the same moment become the 1st and the
    2nd (admonition, then a warning), never two 1sts."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from discipline.services import violation_record

    barrier = threading.Barrier(2)
    errors = []

    def worker(day):
        try:
            barrier.wait()
            violation_record(
                person=org.a1,
                occurred_on=datetime.date(2026, 3, day),
                kind="discipline.efficiency.idle",
                evidence="race",
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(d,)) for d in (2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    steps = sorted(Violation.objects.values_list("ladder_step", flat=True))
    assert steps == [1, 2]
    kinds = sorted(
        Outcome.objects.filter(status="in_force").values_list("kind", flat=True)
    )
    assert kinds == ["admonition", "efficiency_warning", "grade_cap"]
