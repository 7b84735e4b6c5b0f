"""The vehicles chapter's fixtures: the small organisation plus a dispatcher (the
comprehensive section's head, as in the demo), two drivers, a station and a shop,
and three vehicles (two of the bureau organ, one of the unit)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from bureau.workdays import TZ

MONDAY = datetime.date(2026, 3, 2)  # an ordinary working week
NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=TZ)


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of the test week in the bureau's time."""
    day = MONDAY + datetime.timedelta(days=day_offset)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fleet(org, frozen):
    return build_fleet(org)


def build_fleet(org):
    """The fleet on the small organisation (also used by the browser test, which
    runs on the real clock)."""
    from bureau.models import Position, Role
    from bureau.testing import make_person
    from vehicles.models import Driver, Shop, Vehicle
    from vehicles.roles import DISPATCHER
    from vehicles.services import driver_save, shop_save, vehicle_save

    # The dispatcher: the comprehensive section's head holds the duty.
    org.head_a.user.groups.add(*_groups([DISPATCHER]))
    org.head_a.save()
    org.dispatcher = org.head_a
    org.d1 = make_person(
        "drv1",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DRIVER],
        name="司机甲",
    )
    org.d2 = make_person(
        "drv2",
        unit=org.unit,
        position=Position.UNIT_STAFF,
        duties=[Role.DRIVER],
        name="司机乙",
    )
    admin = org.admin
    org.driver1 = driver_save(
        driver=Driver(
            person=org.d1,
            licence_no="36010001",
            licence_expires=datetime.date(2030, 1, 1),
        ),
        by=admin,
    )
    org.driver2 = driver_save(
        driver=Driver(
            person=org.d2,
            licence_no="36010002",
            licence_expires=datetime.date(2030, 1, 1),
        ),
        by=admin,
    )
    org.station = shop_save(shop=Shop(name="城东加油站", kind=Shop.Kind.FUEL), by=admin)
    org.shop = shop_save(shop=Shop(name="县汽修厂", kind=Shop.Kind.REPAIR), by=admin)
    org.car1 = vehicle_save(
        vehicle=Vehicle(
            plate="赣C·10001",
            model_name="桑塔纳",
            seats=4,
            unit=org.organ,
            driver=org.driver1,
            repair_shop=org.shop,
            fuel_station=org.station,
            baseline_l_per_100km=Decimal("8.00"),
            odometer_km=10000,
        ),
        by=admin,
    )
    org.car2 = vehicle_save(
        vehicle=Vehicle(
            plate="赣C·10002",
            model_name="金杯",
            seats=7,
            unit=org.organ,
            baseline_l_per_100km=Decimal("11.00"),
            odometer_km=50000,
        ),
        by=admin,
    )
    org.car3 = vehicle_save(
        vehicle=Vehicle(
            plate="赣C·20001",
            model_name="捷达",
            seats=4,
            unit=org.unit,
            driver=org.driver2,
            repair_shop=org.shop,
            fuel_station=org.station,
            baseline_l_per_100km=Decimal("7.50"),
            odometer_km=30000,
        ),
        by=admin,
    )
    return org


def _groups(names):
    from django.contrib.auth.models import Group

    return [Group.objects.get_or_create(name=n)[0] for n in names]


@pytest.fixture
def ask(frozen):
    """ask(person, start=at(1, 9), end=at(1, 12), **kw) -> Trip via the service."""
    from vehicles.services import trip_request

    def _ask(person, start=None, end=None, **kwargs):
        return trip_request(
            by=person.user,
            purpose=kwargs.pop("purpose", "urgent"),
            destination=kwargs.pop("destination", "城关镇计生办"),
            passengers=kwargs.pop("passengers", 2),
            starts_at=start or at(1, 9),
            ends_at=end or at(1, 12),
            **kwargs,
        )

    return _ask


@pytest.fixture
def dispatch(fleet):
    """dispatch(trip, car=None, driver=None) -> the dispatched trip."""
    from vehicles.services import trip_dispatch

    def _dispatch(trip, car=None, driver=None):
        return trip_dispatch(
            trip=trip,
            vehicle=car or fleet.car1,
            driver=driver or fleet.driver1,
            by=fleet.dispatcher.user,
        )

    return _dispatch
