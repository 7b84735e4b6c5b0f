"""Two scans at the same moment (PostgreSQL): each reminder is sent once; two
openings of one deadline at once leave one deadline (PET-5)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from approvals.models import Notification
from deadlines.models import Deadline, DeadlineNotice
from deadlines.services import deadline_open, deadlines_scan
from deadlines.tests.conftest import MONDAY, TOY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def org_tx():
    from bureau.policies import registry
    from bureau.testing import small_org

    registry.load_defaults()
    return small_org()


def _race(targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def run(fn):
        try:
            barrier.wait(timeout=10)
            results.append(fn())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_pet5_two_scans_at_once_send_each_reminder_once(org_tx, toy_kind):
    """Two workers scan the same morning: one reminder per deadline, one
    notification per person, however the inserts interleave."""
    for person in (org_tx.a1, org_tx.a2, org_tx.b1):
        deadline_open(kind=TOY, record=person, start=MONDAY)
    day = datetime.date(2026, 3, 14)
    results = _race([lambda: deadlines_scan(today=day, commit=True)] * 2)
    assert sorted(len(r.reminders) for r in results) in ([0, 3], [1, 2])
    assert sum(len(r.reminders) for r in results) == 3
    assert DeadlineNotice.objects.count() == 3
    assert Notification.objects.count() == 3


def test_two_openings_at_once_leave_one_deadline(org_tx, toy_kind):
    results = _race(
        [lambda: deadline_open(kind=TOY, record=org_tx.a1, start=MONDAY)] * 2
    )
    assert results[0].pk == results[1].pk
    assert Deadline.objects.count() == 1
