"""Races that only a real server shows (ATT-1): run with DATABASE_URL=postgres://…"""

import threading

import pytest
import time_machine
from django.db import connection, connections

from attendance import services
from attendance.models import SessionRecord
from attendance.tests.conftest import at

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
    errors = []

    def run(fn):
        try:
            barrier.wait(timeout=10)
            fn()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_att1_double_sign_in_race_leaves_one_record(org_tx, monday):
    """ATT-1: eight simultaneous clicks of one person leave exactly one record."""
    user = org_tx.a1.user

    def click():
        with time_machine.travel(at(monday, 8, 2), tick=False):
            services.record_sign_in(by=user)

    assert _race([click] * 8) == []
    assert SessionRecord.objects.filter(person=org_tx.a1).count() == 1


def test_att6_sign_in_racing_the_sheet_close_leaves_one_record(org_tx, monday):
    """ATT-6: a late click at the moment the sheet closes: still one row each."""

    def click():
        with time_machine.travel(at(monday, 8, 10, 30), tick=False):
            services.record_sign_in(by=org_tx.a1.user)

    def close():
        services.sheets_close(day=monday, now=at(monday, 8, 10, 30))

    assert _race([click, close, click]) == []
    assert SessionRecord.objects.filter(person=org_tx.a1).count() == 1
    assert SessionRecord.objects.filter(date=monday, part="am").count() == 12
    assert SessionRecord.objects.get(person=org_tx.a1).signed_in_at is not None
