"""The chapter's pages and admin by URL: who may open what, scope (404 for
another's record), bad input, confirmation before a heavy action, exports, and
the same number of queries at 2 and at many rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discipline.models import Violation
from vehicles import services
from vehicles.models import Bump, Misuse, Trip
from vehicles.tests.conftest import at

pytestmark = pytest.mark.django_db


def _done(fleet, trip, frozen, out=10000, back=10080):
    frozen.move_to(at(1, 13))
    services.trip_depart(
        trip=trip, by=fleet.d1.user, odometer=out, check_before="正常", at=at(1, 9)
    )
    return services.trip_return(
        trip=trip,
        by=fleet.d1.user,
        odometer=back,
        maintenance_after="清洗",
        at=at(1, 12),
    )


def test_veh_pages_by_url_for_each_role(fleet, ask, dispatch, client_for):
    """Everyone with a person asks and sees their own; the board, misuse and
    dispatch are the dispatcher's (403 for others); fuel is the drivers' and the
    dispatcher's."""
    mine = reverse("vehicles:mine")
    board = reverse("vehicles:board")
    misuse = reverse("vehicles:misuse")
    fuel = reverse("vehicles:fuel")
    public = reverse("vehicles:public")
    for person in (fleet.a1, fleet.u1, fleet.d1, fleet.director, fleet.dispatcher):
        assert client_for(person).get(mine).status_code == 200
        assert client_for(person).get(public).status_code == 200
        assert client_for(person).get(reverse("vehicles:new")).status_code == 200
    assert client_for(fleet.dispatcher).get(board).status_code == 200
    assert client_for(fleet.dispatcher).get(misuse).status_code == 200
    for person in (fleet.a1, fleet.head_b, fleet.director, fleet.d1, fleet.unit_head):
        assert client_for(person).get(board).status_code == 403
        assert client_for(person).get(misuse).status_code == 403
    for person in (fleet.d1, fleet.dispatcher):
        assert client_for(person).get(fuel).status_code == 200
    for person in (fleet.a1, fleet.director):
        assert client_for(person).get(fuel).status_code == 403


def test_veh_scope_hides_another_persons_trip(fleet, ask, dispatch, client_for):
    """The requester, their section head, the driver, the dispatcher and the
    director see a trip; another section's staff and head get 404."""
    trip = dispatch(ask(fleet.a1, destination="甲镇"))
    url = reverse("vehicles:trip", args=[trip.pk])
    slip = reverse("vehicles:slip", args=[trip.pk])
    for person in (fleet.a1, fleet.head_a, fleet.d1, fleet.dispatcher, fleet.director):
        assert client_for(person).get(url).status_code == 200, person
        assert client_for(person).get(slip).status_code == 200, person
    for person in (fleet.b1, fleet.head_b, fleet.u1, fleet.d2, fleet.unit_head):
        assert client_for(person).get(url).status_code == 404, person
        assert client_for(person).get(slip).status_code == 404, person
    # A unit head sees the trips of their unit's vehicles.
    unit_trip = dispatch(ask(fleet.b1), car=fleet.car3, driver=fleet.driver2)
    page = client_for(fleet.unit_head).get(
        reverse("vehicles:trip", args=[unit_trip.pk])
    )
    assert page.status_code == 200


def test_veh1_staff_asks_and_a_refusal_keeps_what_was_typed(fleet, client_for):
    client = client_for(fleet.a1)
    data = {
        "purpose": "ordinary_countryside",
        "destination": "某某村",
        "passengers": "1",
        "starts_at": "2026-03-03T09:00",
        "ends_at": "2026-03-03T12:00",
    }
    response = client.post(reverse("vehicles:new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "某某村" in page and "VEH-3" in page
    assert not Trip.objects.exists()
    response = client.post(reverse("vehicles:new"), {**data, "purpose": "urgent"})
    assert response.status_code == 302
    trip = Trip.objects.get()
    assert trip.requester == fleet.a1 and trip.status == Trip.Status.REQUESTED


def test_veh1_the_dispatcher_dispatches_from_the_board(fleet, ask, client_for):
    trip = ask(fleet.a1)
    client = client_for(fleet.dispatcher)
    page = client.get(reverse("vehicles:board")).content.decode()
    assert f'data-dispatch="{trip.pk}"' in page
    response = client.post(
        reverse("vehicles:dispatch", args=[trip.pk]),
        {"vehicle": fleet.car1.pk, "driver": fleet.driver1.pk, "from_board": "1"},
    )
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.status == Trip.Status.DISPATCHED
    # Someone else posting the same form: 403, nothing changed.
    other = ask(fleet.b1)
    response = client_for(fleet.a1).post(
        reverse("vehicles:dispatch", args=[other.pk]),
        {"vehicle": fleet.car2.pk, "driver": fleet.driver2.pk},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == Trip.Status.REQUESTED


def test_veh2_a_bump_asks_for_confirmation_first(fleet, ask, dispatch, client_for):
    low = dispatch(ask(fleet.u1))
    high = ask(fleet.dep_a)
    client = client_for(fleet.dispatcher)
    url = reverse("vehicles:bump", args=[high.pk])
    response = client.post(url, {"bumped": low.pk, "reason": "局长急用"})
    assert response.status_code == 200
    assert "confirm-bump" in response.content.decode()
    assert not Bump.objects.exists()
    response = client.post(
        url, {"bumped": low.pk, "reason": "局长急用", "confirm": "1"}
    )
    assert response.status_code == 302
    assert Bump.objects.get().reason == "局长急用"


def test_veh5_misuse_asks_for_confirmation_then_records(fleet, client_for):
    client = client_for(fleet.dispatcher)
    data = {
        "kind": "no_dispatch",
        "vehicle": fleet.car1.pk,
        "driver": fleet.driver1.pk,
        "occurred_on": "2026-02-27",
        "evidence": "行车记录仪",
    }
    response = client.post(reverse("vehicles:misuse"), data)
    assert response.status_code == 200 and "confirm-misuse" in response.content.decode()
    assert not Misuse.objects.exists()
    response = client.post(reverse("vehicles:misuse"), {**data, "confirm": "1"})
    assert response.status_code == 302
    assert Violation.objects.get().person == fleet.d1


def test_veh5_the_driver_closes_the_trip_and_the_public_list_shows_it(
    fleet, ask, dispatch, client_for, frozen
):
    trip = dispatch(ask(fleet.a1, destination="城关镇"))
    frozen.move_to(at(1, 13))
    driver = client_for(fleet.d1)
    response = driver.post(
        reverse("vehicles:depart", args=[trip.pk]),
        {"odometer": "10000", "check_before": "正常"},
    )
    assert response.status_code == 302
    # Someone not driving: refused, nothing changed.
    client_for(fleet.a1).post(
        reverse("vehicles:return", args=[trip.pk]),
        {"odometer": "10080", "maintenance_after": "清洗"},
    )
    trip.refresh_from_db()
    assert trip.status == Trip.Status.OUT
    frozen.move_to(at(1, 15))
    client_for(fleet.d1).post(
        reverse("vehicles:return", args=[trip.pk]),
        {"odometer": "10080", "maintenance_after": "清洗", "other_cost": "10"},
    )
    trip.refresh_from_db()
    assert trip.status == Trip.Status.DONE and trip.distance_km == 80
    page = client_for(fleet.dispatcher).get(
        reverse("vehicles:public"), {"month": "2026-03"}
    )
    assert "城关镇" in page.content.decode()
    # Another section's staff do not see a1's trip in their list.
    page = client_for(fleet.b1).get(reverse("vehicles:public"), {"month": "2026-03"})
    assert "城关镇" not in page.content.decode()


def test_veh5_the_public_list_exports_keep_text_text(
    fleet, ask, dispatch, client_for, frozen
):
    trip = dispatch(ask(fleet.a1, destination="=HYPERLINK(1)"))
    _done(fleet, trip, frozen)
    client = client_for(fleet.dispatcher)
    url = reverse("vehicles:public_export")
    body = client.get(url, {"month": "2026-03", "format": "csv"}).content
    assert b"'=HYPERLINK(1)" in body and "测计生派车".encode() in body
    response = client.get(url, {"month": "2026-03", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(url, {"month": "2026-13"}).status_code == 400
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_veh_bad_parameters_are_the_400_page(fleet, client_for):
    client = client_for(fleet.dispatcher)
    for query in ({"date": "2026-02-30"}, {"span": "year"}, {"date": "9999-01-01"}):
        assert client.get(reverse("vehicles:board"), query).status_code == 400
    assert client.get(reverse("vehicles:public"), {"month": "abc"}).status_code == 400


def test_veh_board_costs_the_same_at_2_and_20_trips(fleet, ask, dispatch, client_for):
    """The week board: no query per trip, vehicle, driver or waiting request."""
    client = client_for(fleet.dispatcher)
    url = reverse("vehicles:board")

    def cost(n):
        made = Trip.objects.count()
        for i in range(made, n):
            day = 1 + i // 6
            hour = 8 + (i % 6) * 2
            trip = ask(fleet.a1, start=at(day % 5, hour), end=at(day % 5, hour + 1))
            if i % 2:
                dispatch(trip, car=fleet.car2 if i % 4 == 1 else fleet.car1)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert cost(2) == cost(20)


def test_veh_lists_cost_the_same_at_2_and_12_trips(
    fleet, ask, dispatch, client_for, frozen
):
    client = client_for(fleet.a1)

    def cost(url, n):
        for i in range(Trip.objects.count(), n):
            ask(fleet.a1, start=at(2, 8 + i), end=at(2, 9 + i))
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    mine = reverse("vehicles:mine")
    assert cost(mine, 2) == cost(mine, 12)


def test_veh_admin_by_role_and_scope(fleet, ask, dispatch, client_for):
    """The dispatcher keeps the fleet (add and change); leaders read; staff have no
    admin; a unit head sees their unit's vehicles only; trips are read-only."""
    trip = dispatch(ask(fleet.a1))
    vehicles = reverse("admin:vehicles_vehicle_changelist")
    assert client_for(fleet.dispatcher).get(vehicles).status_code == 200
    assert (
        client_for(fleet.dispatcher)
        .get(reverse("admin:vehicles_vehicle_add"))
        .status_code
        == 200
    )
    assert (
        client_for(fleet.director)
        .get(reverse("admin:vehicles_vehicle_add"))
        .status_code
        == 403
    )
    page = client_for(fleet.unit_head).get(vehicles).content.decode()
    assert "赣C·20001" in page and "赣C·10001" not in page
    assert (
        client_for(fleet.unit_head)
        .get(reverse("admin:vehicles_vehicle_change", args=[fleet.car1.pk]))
        .status_code
        == 404
    )
    assert client_for(fleet.a1).get(vehicles).status_code == 302  # no admin: login
    trip_url = reverse("admin:vehicles_trip_change", args=[trip.pk])
    assert client_for(fleet.dispatcher).get(trip_url).status_code == 200
    assert client_for(fleet.head_b).get(trip_url).status_code == 404
    history = reverse("admin:vehicles_trip_history", args=[trip.pk])
    assert client_for(fleet.head_b).get(history).status_code == 404
    assert client_for(fleet.dispatcher).post(trip_url, {}).status_code == 403


def test_veh1_the_dispatcher_adds_a_vehicle_in_the_admin_with_its_first_reading(
    fleet, client_for
):
    from vehicles.models import OdometerReading, Vehicle

    response = client_for(fleet.dispatcher).post(
        reverse("admin:vehicles_vehicle_add"),
        {
            "plate": "赣C·30001",
            "model_name": "帕萨特",
            "seats": "4",
            "fuel_type": "petrol",
            "unit": fleet.organ.pk,
            "baseline_l_per_100km": "9.00",
            "odometer_km": "1234",
            "active": "on",
        },
    )
    assert response.status_code == 302
    vehicle = Vehicle.objects.get(plate="赣C·30001")
    assert OdometerReading.objects.get(vehicle=vehicle).km == 1234
    # The same plate again: the form says so, nothing added.
    response = client_for(fleet.dispatcher).post(
        reverse("admin:vehicles_vehicle_add"),
        {
            "plate": "赣C·30001",
            "model_name": "x",
            "seats": "4",
            "fuel_type": "petrol",
            "unit": fleet.organ.pk,
            "baseline_l_per_100km": "9.00",
            "odometer_km": "0",
        },
    )
    assert response.status_code == 200
    assert Vehicle.objects.filter(plate="赣C·30001").count() == 1


def test_veh_panels_for_the_dispatcher_and_the_driver(fleet, ask, dispatch, client_for):
    dispatch(ask(fleet.a1, destination="甲镇"))
    ask(fleet.b1)
    home = client_for(fleet.dispatcher).get(reverse("home")).content.decode()
    assert 'id="vehicles-dispatch"' in home
    home = client_for(fleet.d1).get(reverse("home")).content.decode()
    assert 'id="vehicles-driver"' in home and "甲镇" in home
    home = client_for(fleet.a1).get(reverse("home")).content.decode()
    assert 'id="vehicles-dispatch"' not in home and 'id="vehicles-driver"' not in home


def test_veh_withdraw_is_the_requesters(fleet, ask, client_for):
    trip = ask(fleet.a1)
    url = reverse("vehicles:withdraw", args=[trip.pk])
    assert client_for(fleet.b1).post(url).status_code == 404
    assert client_for(fleet.head_a).post(url).status_code == 302  # refused in words
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REQUESTED
    client_for(fleet.a1).post(url)
    trip.refresh_from_db()
    assert trip.status == Trip.Status.WITHDRAWN


def test_veh_days_outside_bounds_never_reach_a_query(fleet, client_for):
    client = client_for(fleet.a1)
    response = client.post(
        reverse("vehicles:new"),
        {
            "purpose": "urgent",
            "destination": "x",
            "passengers": "1",
            "starts_at": "0001-01-01T00:00",
            "ends_at": "9999-12-31T23:59",
        },
    )
    assert response.status_code == 400
    assert not Trip.objects.exists()
    assert datetime.date.today()  # the page answered


def test_veh6_licences_are_warned_30_days_before_on_the_desk(fleet, client_for):
    """Frozen on 2026-03-02: a licence ending 2026-04-01 (30 days) is warned; one
    ending 2026-04-02 is not yet."""
    fleet.driver1.licence_expires = datetime.date(2026, 4, 1)
    fleet.driver1.save()
    fleet.driver2.licence_expires = datetime.date(2026, 4, 2)
    fleet.driver2.save()
    home = client_for(fleet.dispatcher).get(reverse("home")).content.decode()
    board = client_for(fleet.dispatcher).get(reverse("vehicles:board")).content.decode()
    for page in (home, board):
        assert "司机甲 · 2026-04-01" in page
        assert "司机乙 · 2026-04-02" not in page
