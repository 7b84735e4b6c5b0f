"""Races on PostgreSQL: two people acting on one case at the same moment — one
decision, one extension, each escalation rung once."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, connections

from approvals.models import Notification
from bureau.policies import registry
from bureau.testing import small_org
from petitions import services
from petitions.models import Case, EscalationNotice, Extension
from petitions.tests.conftest import DAY0, at, decide, register, route

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def org(db):
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
        except services.PetitionError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=2)), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return sorted(outcomes)


def test_pet2_handler_and_section_head_decide_at_once_one_decision(pet):
    case = register(pet)
    route(pet, case)

    def by(person, decision):
        return lambda: services.case_decide(
            case=case, by=person.user, decision=decision, text="决定", on=DAY0
        )

    outcomes = _together(by(pet.org.b1, "accepted"), by(pet.org.head_b, "not_accepted"))
    assert outcomes == ["ok", "refused"]
    case.refresh_from_db()
    assert case.status in (Case.Status.ACCEPTED, Case.Status.NOT_ACCEPTED)
    assert case.history.filter(status__in=["accepted", "not_accepted"]).count() == 1


def test_pet2_two_extension_requests_at_once_one_extension(pet):
    case = register(pet)
    route(pet, case)
    decide(pet, case, on=DAY0)

    def ask(person):
        return lambda: services.extension_request(
            case=case,
            by=person.user,
            days=20,
            reason="复杂",
            on=DAY0 + datetime.timedelta(days=2),
        )

    assert _together(ask(pet.org.b1), ask(pet.org.head_b)) == ["ok", "refused"]
    assert Extension.objects.count() == 1


def test_pet5_two_escalation_runs_at_once_send_each_rung_once(pet):
    case = register(pet)
    route(pet, case)
    today = DAY0 + datetime.timedelta(days=20)

    def run():
        services.petitions_escalate(today=today, commit=True)

    _together(run, run)
    assert EscalationNotice.objects.count() == 2  # section head, deputy in charge
    # The handler was told of the routing; the ladder told each rung once.
    assert (
        Notification.objects.filter(
            recipient__in=[pet.org.head_b, pet.org.dep_b], title__contains=case.number
        ).count()
        == 2
    )
