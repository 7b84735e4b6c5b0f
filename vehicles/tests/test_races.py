"""Two dispatchers booking one car for overlapping times at the same moment
(PostgreSQL): one booking, one clear clash naming the other trip — and the
exclusion constraints themselves hold when the service's check is bypassed."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from vehicles.models import Trip
from vehicles.services import VehicleError, trip_dispatch
from vehicles.tests.conftest import at

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


def test_veh1_two_dispatchers_at_once_one_booking_one_clear_clash(fleet, ask):
    from bureau.models import Position
    from bureau.testing import make_person
    from vehicles.roles import DISPATCHER

    second = make_person(
        "dispatcher2",
        unit=fleet.organ,
        section=fleet.section_a,
        position=Position.SECTION_STAFF,
        duties=[DISPATCHER],
    )
    one = ask(fleet.a1, start=at(1, 9), end=at(1, 12), destination="甲镇")
    two = ask(fleet.b1, start=at(1, 11), end=at(1, 14), destination="乙镇")
    barrier = threading.Barrier(2)
    outcomes = []

    def run(trip, user, driver):
        try:
            barrier.wait()
            trip_dispatch(trip=trip, vehicle=fleet.car1, driver=driver, by=user)
            outcomes.append(("ok", trip.pk))
        except VehicleError as exc:
            outcomes.append(("clash", str(exc)))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(one, fleet.dispatcher.user, fleet.driver1)),
        threading.Thread(target=run, args=(two, second.user, fleet.driver2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in outcomes) == ["clash", "ok"]
    winner = Trip.objects.get(status=Trip.Status.DISPATCHED)
    (message,) = [text for kind, text in outcomes if kind == "clash"]
    assert "赣C·10001" in message and winner.destination in message
    assert Trip.objects.filter(vehicle=fleet.car1).count() == 1


def test_veh1_the_exclusion_constraints_refuse_a_double_booking_written_directly(
    fleet, ask, dispatch
):
    """Behind the service: an overlapping slot for the same vehicle, or the same
    driver, is refused by the database; a cancelled trip holds none."""
    first = dispatch(ask(fleet.a1, start=at(1, 9), end=at(1, 12)))
    other = ask(fleet.b1, start=at(1, 11), end=at(1, 14))
    for vehicle, driver in ((fleet.car1, fleet.driver2), (fleet.car2, fleet.driver1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Trip.objects.filter(pk=other.pk).update(
                status="dispatched",
                vehicle=vehicle,
                driver=driver,
                slot_ends_at=other.ends_at,
            )
    Trip.objects.filter(pk=first.pk).update(status="cancelled")
    Trip.objects.filter(pk=other.pk).update(
        status="dispatched",
        vehicle=fleet.car1,
        driver=fleet.driver1,
        slot_ends_at=other.ends_at,
    )
    # A return at 11:00 shortens the slot: 11:00 onwards is free again.
    Trip.objects.filter(pk=first.pk).update(status="done", slot_ends_at=at(1, 11))
    assert Trip.objects.filter(status__in=Trip.HOLDS_SLOT).count() == 2
