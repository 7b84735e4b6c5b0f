"""Races on PostgreSQL (SVC-1, SVC-3): two officers booking the last place of a
half day, and two accepting one matter, at the same moment — one wins, the other
is refused in words, nothing is counted twice."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, connections

from window import services
from window.models import Appointment, Capacity, Receipt
from window.tests.conftest import NOW, materials

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THURSDAY = datetime.date(2026, 11, 12)


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def org(db):
    from bureau.policies import registry
    from bureau.testing import small_org

    registry.load_defaults()
    return small_org()


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except services.WindowError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def _accepted(org, visitor):
    with time_machine.travel(NOW, tick=False):
        return services.contact_log(
            window=org.window,
            visitor=visitor,
            summary="办证",
            outcome="accepted",
            service=org.service,
            by=org.u1.user,
        ).matter


def test_svc3_two_officers_book_the_last_place_one_wins(win):
    Capacity.objects.create(window=win.window, service=win.service, per_half_day=1)
    one, two = _accepted(win, "甲"), _accepted(win, "乙")
    outcomes = _race(
        lambda: services.appointment_book(
            matter=one, day=THURSDAY, part="am", by=win.u1.user, today=NOW.date()
        ),
        lambda: services.appointment_book(
            matter=two, day=THURSDAY, part="am", by=win.u2.user, today=NOW.date()
        ),
    )
    assert outcomes == ["ok", "refused"]
    assert Appointment.objects.filter(day=THURSDAY, part="am").count() == 1


def test_svc1_two_officers_accept_one_matter_one_receipt(win):
    with time_machine.travel(NOW, tick=False):
        matter = services.contact_log(
            window=win.window,
            visitor="丙",
            summary="办证",
            outcome="notified",
            service=win.service,
            missing=materials(win.old_version, "结婚证"),
            by=win.u1.user,
        ).matter
    outcomes = _race(
        *[
            (
                lambda who=who: services.contact_log(
                    window=win.window,
                    visitor="丙",
                    summary="补齐材料",
                    outcome="accepted",
                    matter=matter,
                    by=who.user,
                    at=NOW,
                )
            )
            for who in (win.u1, win.u2)
        ]
    )
    assert outcomes == ["ok", "refused"]
    assert Receipt.objects.filter(matter=matter).count() == 1
