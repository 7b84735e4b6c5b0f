"""Races on PostgreSQL (DUTY-1): two colleagues agreeing at once to take the same
duty — one takes it, the other is refused in words; an urgent matter notified by
two workers at once reaches the leader once."""

import threading

import pytest
import time_machine
from django.db import connection, connections

from approvals.models import Notification
from duty import services
from duty.models import Assignment, LogEntry, Swap
from duty.tests.conftest import MONDAY, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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


def _together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except services.DutyError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_duty1_two_colleagues_agree_at_once_one_takes_the_duty(org, daily):
    one = services.swap_propose(
        by=org.a1.user, roster=daily, given_date=MONDAY, taker=org.inspector
    )
    two = services.swap_propose(
        by=org.a1.user, roster=daily, given_date=MONDAY, taker=org.head_b
    )
    outcomes = _together(
        lambda: services.swap_decide(by=org.inspector.user, swap=one, agree=True),
        lambda: services.swap_decide(by=org.head_b.user, swap=two, agree=True),
    )
    assert outcomes == ["ok", "refused"]
    monday = Assignment.objects.filter(day__roster=daily, day__date=MONDAY)
    assert monday.count() == 1
    assert monday.get().person in (org.inspector, org.head_b)
    assert Swap.objects.filter(status=Swap.Status.DONE).count() == 1


def test_duty1_urgent_matter_notified_by_two_workers_reaches_the_leader_once(
    org, daily
):
    day = daily.days.get(date=MONDAY)
    with time_machine.travel(at(MONDAY, 10), tick=False):
        entry = LogEntry.objects.create(
            day=day,
            kind="urgent",
            occurred_at=at(MONDAY, 9),
            content="辖区突发事件",
            recorded_by=org.a1,
            recorded_at=at(MONDAY, 9, 5),
        )
    outcomes = _together(
        lambda: services.log_notify_leader(entry=entry),
        lambda: services.log_notify_leader(entry=entry),
    )
    assert outcomes == ["ok", "ok"]
    assert Notification.objects.count() == 1
    entry.refresh_from_db()
    assert entry.notified_at is not None
