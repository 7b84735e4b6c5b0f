"""Two stand-ins dispatching one car to two trips at the same moment (PostgreSQL):
the hook's check cannot see the other's uncommitted car, the partial unique
constraint can — one trip gets the car, the other is refused in words."""

import threading

import pytest
from django.db import connection, connections

from tests.toy_chapter.models import Trip
from tests.toy_chapter.services import TripError, trip_dispatch

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


def test_toy1_one_car_two_trips_at_once_one_wins(cars, ask):
    one, two = ask(cars.a1), ask(cars.a2)
    for trip in (one, two):
        trip_dispatch(trip=trip, by=cars.head_a.user, decision="approve")
    barrier = threading.Barrier(2)
    outcomes = []

    def run(trip):
        try:
            barrier.wait()
            trip_dispatch(
                trip=trip, by=cars.stand_in.user, decision="approve", car="赣C·1"
            )
            outcomes.append("ok")
        except TripError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Trip.objects.filter(car="赣C·1").count() == 1
    assert Trip.objects.filter(status=Trip.Status.DISPATCHED).count() == 1
