"""The services through the engines: requests, dispatch and its clash check,
bumping, lending, the trip sheet, misuse and fuel."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from approvals.models import ApprovalRequest, Notification
from approvals.services import approval_decide
from discipline.models import Violation
from meetings.absences import register_absence_provider, unregister_absence_provider
from numbering.models import Number
from numbering.selectors import number_of
from vehicles import selectors, services
from vehicles.models import Bump, FuelPurchase, Misuse, OdometerReading, Trip
from vehicles.selectors import suggestion_for
from vehicles.services import VehicleError
from vehicles.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in the source language."""
    with translation.override("en"):
        yield


# --- VEH-1: requests and dispatch ---------------------------------------------------


def test_veh1_a_request_holds_no_slot_only_a_dispatch_does(fleet, ask, dispatch):
    """Two overlapping requests for the same time are both accepted; dispatching
    the first takes the car; the second gets another car."""
    one, two = ask(fleet.a1), ask(fleet.b1, start=at(1, 10), end=at(1, 11))
    assert one.status == two.status == Trip.Status.REQUESTED
    assert one.vehicle is None and one.slot_ends_at is None
    dispatch(one)
    second = dispatch(two, car=fleet.car2, driver=fleet.driver2)
    assert second.status == Trip.Status.DISPATCHED


def test_veh1_a_clash_names_the_other_trip_and_changes_nothing(fleet, ask, dispatch):
    first = dispatch(ask(fleet.a1, destination="甲镇"))
    other = ask(fleet.b1, start=at(1, 11), end=at(1, 14))
    with pytest.raises(VehicleError) as caught:
        dispatch(other, driver=fleet.driver2)
    message = str(caught.value)
    assert "赣C·10001" in message and "甲镇" in message and "a1" in message
    assert number_of(first, services.SLIP_SERIES).text in message
    other.refresh_from_db()
    assert other.status == Trip.Status.REQUESTED and other.vehicle is None
    # The same driver on another car is a clash too.
    with pytest.raises(VehicleError, match="司机甲"):
        dispatch(other, car=fleet.car2)


def test_veh1_back_to_back_trips_do_not_clash(fleet, ask, dispatch):
    dispatch(ask(fleet.a1, start=at(1, 9), end=at(1, 12)))
    after = dispatch(ask(fleet.b1, start=at(1, 12), end=at(1, 15)))
    assert after.status == Trip.Status.DISPATCHED


def test_veh1_only_the_dispatcher_dispatches(fleet, ask):
    trip = ask(fleet.a1)
    for person in (fleet.a1, fleet.head_b, fleet.director, fleet.d1):
        with pytest.raises(VehicleError, match="VEH-1"):
            services.trip_dispatch(
                trip=trip, vehicle=fleet.car1, driver=fleet.driver1, by=person.user
            )
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REQUESTED


def test_veh1_the_slip_is_numbered_from_the_series_once(fleet, ask, dispatch):
    one = dispatch(ask(fleet.a1))
    two = dispatch(ask(fleet.b1), car=fleet.car2, driver=fleet.driver2)
    assert number_of(one, services.SLIP_SERIES).text == "测计生派车〔2026〕1号"
    assert number_of(two, services.SLIP_SERIES).text == "测计生派车〔2026〕2号"


def test_veh1_a_refused_dispatch_takes_no_number(fleet, ask, dispatch):
    dispatch(ask(fleet.a1))
    other = ask(fleet.b1)
    with pytest.raises(VehicleError):
        dispatch(other)
    assert number_of(other, services.SLIP_SERIES) is None
    third = dispatch(other, car=fleet.car2, driver=fleet.driver2)
    assert number_of(third, services.SLIP_SERIES).n == 2  # no gap


@pytest.mark.parametrize(
    "start, end, message",
    [
        (at(1, 12), at(1, 9), "after the start"),
        (at(-1, 9), at(-1, 12), "in advance"),
        (at(0, 6, 59), at(0, 9), "in advance"),  # 61 minutes before now (08:00)
        (at(1, 9), at(9, 9), "at most 7 days"),
    ],
)
def test_veh1_bad_time_ranges_are_refused_with_nothing_saved(
    fleet, ask, start, end, message
):
    with pytest.raises(VehicleError, match=message):
        ask(fleet.a1, start=start, end=end)
    assert not Trip.objects.exists()


def test_veh1_a_start_within_the_window_is_accepted(fleet, ask):
    """A car asked for 60 minutes late (07:00 at 08:00) is still accepted."""
    assert ask(fleet.a1, start=at(0, 7), end=at(0, 9)).pk


def test_veh1_driver_on_leave_expired_licence_and_too_few_seats_are_refused(
    fleet, ask, dispatch
):
    trip = ask(fleet.a1, passengers=5)
    with pytest.raises(VehicleError, match="4"):
        dispatch(trip)  # car1 has 4 seats
    trip = ask(fleet.a2)
    fleet.driver1.licence_expires = datetime.date(2026, 3, 2)
    fleet.driver1.save()
    with pytest.raises(VehicleError, match="licence"):
        dispatch(trip)
    fleet.driver1.licence_expires = datetime.date(2030, 1, 1)
    fleet.driver1.save()

    def on_leave(person_ids, day, part):
        if day == at(1, 9).date() and part == "am":
            return {fleet.d1.pk: "病假"} if fleet.d1.pk in person_ids else {}
        return {}

    register_absence_provider("test_leave", on_leave)
    try:
        with pytest.raises(VehicleError, match="病假"):
            dispatch(trip)
        # The suggestion leaves the driver on leave out.
        vehicle, driver = suggestion_for(trip)
        assert driver == fleet.driver2
    finally:
        unregister_absence_provider("test_leave")
    assert dispatch(trip).status == Trip.Status.DISPATCHED


def test_veh1_cancelled_and_early_returned_trips_release_their_slot(
    fleet, ask, dispatch, frozen
):
    first = dispatch(ask(fleet.a1, start=at(1, 9), end=at(1, 17)))
    services.trip_cancel(trip=first, by=fleet.dispatcher.user, reason="会议改期")
    second = dispatch(ask(fleet.a2, start=at(1, 9), end=at(1, 17)))
    frozen.move_to(at(1, 12))
    # Back at 11:00: 11:00–17:00 is free again.
    services.trip_depart(
        trip=second, by=fleet.d1.user, odometer=10000, check_before="正常", at=at(1, 9)
    )
    services.trip_return(
        trip=second,
        by=fleet.d1.user,
        odometer=10050,
        maintenance_after="清洗",
        at=at(1, 11),
    )
    third = dispatch(ask(fleet.b1, start=at(1, 11, 30), end=at(1, 16)))
    assert third.status == Trip.Status.DISPATCHED
    # The cancelled trip's requester was told why.
    assert Notification.objects.filter(
        recipient=fleet.a1, body__contains="会议改期"
    ).exists()


def test_veh1_the_requester_may_withdraw_before_departure(fleet, ask, dispatch):
    trip = dispatch(ask(fleet.a1))
    with pytest.raises(VehicleError):
        services.trip_withdraw(trip=trip, by=fleet.b1.user)
    trip = services.trip_withdraw(trip=trip, by=fleet.a1.user)
    assert trip.status == Trip.Status.WITHDRAWN
    assert dispatch(ask(fleet.b1)).status == Trip.Status.DISPATCHED  # slot free


# --- VEH-2: priority and bumping ----------------------------------------------------


def test_veh2_priority_follows_who_asks(fleet, ask):
    assert ask(fleet.dep_a).priority == 3
    assert ask(fleet.a1).priority == 2
    assert ask(fleet.u1).priority == 1


def test_veh2_a_bump_is_recorded_and_notifies_the_bumped_requester(
    fleet, ask, dispatch
):
    low = dispatch(ask(fleet.u1, destination="站里下乡"))
    high = ask(fleet.dep_a, destination="县政府")
    record = services.trip_bump(
        trip=low, for_trip=high, reason="局领导紧急公务", by=fleet.dispatcher.user
    )
    low.refresh_from_db()
    high.refresh_from_db()
    assert high.status == Trip.Status.DISPATCHED and high.vehicle == fleet.car1
    assert low.status == Trip.Status.REQUESTED and low.vehicle is None
    assert record.vehicle == fleet.car1 and record.reason == "局领导紧急公务"
    # Offered a free vehicle (car2 or car3), never the one taken.
    assert record.offered_vehicle is not None and record.offered_vehicle != fleet.car1
    note = Notification.objects.filter(recipient=fleet.u1).order_by("-pk").first()
    assert "赣C·10001" in note.title
    assert record.offered_vehicle.plate in note.body
    # The history names the transition's author.
    assert low.history.first().history_user == fleet.dispatcher.user


def test_veh2_equal_or_higher_priority_is_never_bumped(fleet, ask, dispatch):
    organ = dispatch(ask(fleet.a1))
    other = ask(fleet.b1)
    with pytest.raises(VehicleError, match="VEH-2"):
        services.trip_bump(
            trip=organ, for_trip=other, reason="x", by=fleet.dispatcher.user
        )
    unit = ask(fleet.u1)
    with pytest.raises(VehicleError, match="VEH-2"):
        services.trip_bump(
            trip=organ, for_trip=unit, reason="x", by=fleet.dispatcher.user
        )
    organ.refresh_from_db()
    assert organ.vehicle == fleet.car1 and not Bump.objects.exists()


def test_veh2_a_trip_on_the_road_is_not_bumped(fleet, ask, dispatch):
    low = dispatch(ask(fleet.u1, start=at(0, 8), end=at(0, 12)))
    services.trip_depart(
        trip=low, by=fleet.d1.user, odometer=10000, check_before="正常"
    )
    high = ask(fleet.dep_a, start=at(0, 9), end=at(0, 10))
    with pytest.raises(VehicleError):
        services.trip_bump(
            trip=low, for_trip=high, reason="x", by=fleet.dispatcher.user
        )


# --- VEH-3 --------------------------------------------------------------------------


def test_veh3_ordinary_countryside_work_is_refused_with_the_reimbursement_note(
    fleet, ask
):
    with pytest.raises(VehicleError, match="reimbursed|报销"):
        ask(fleet.a1, purpose="ordinary_countryside")
    assert not Trip.objects.exists()
    for purpose in ("countryside", "urgent", "confidential", "liaison", "cash"):
        assert ask(fleet.a1, purpose=purpose).status == Trip.Status.REQUESTED


# --- VEH-4: lending -----------------------------------------------------------------


def test_veh4_lending_waits_for_a_bureau_leader_before_dispatch(fleet, ask, dispatch):
    trip = ask(fleet.a1, purpose="lending", borrower="县卫生局")
    assert trip.status == Trip.Status.AWAITING_APPROVAL
    with pytest.raises(VehicleError, match="not waiting for dispatch"):
        dispatch(trip)
    approval = ApprovalRequest.objects.get(
        content_type=ContentType.objects.get_for_model(Trip), object_id=trip.pk
    )
    step = approval.current_step()
    assert step.approver == fleet.dep_a  # the deputy in charge of section A
    approval_decide(request=approval, by=fleet.dep_a.user, decision="approve")
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REQUESTED
    assert dispatch(trip).status == Trip.Status.DISPATCHED


def test_veh4_lending_needs_the_borrower_and_a_refusal_closes_it(fleet, ask):
    with pytest.raises(VehicleError, match="VEH-4"):
        ask(fleet.a1, purpose="lending")
    trip = ask(fleet.a1, purpose="lending", borrower="县卫生局")
    approval_decide(
        request=trip.current_approval,
        by=fleet.dep_a.user,
        decision="refuse",
        comment="不借",
    )
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REFUSED


# --- VEH-5, VEH-6: the trip sheet and the odometer ----------------------------------


def _drive(fleet, trip, out=10000, back=10080):
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


def test_veh6_the_driver_checks_before_and_maintains_after(
    fleet, ask, dispatch, frozen
):
    trip = dispatch(ask(fleet.a1))
    frozen.move_to(at(1, 13))
    with pytest.raises(VehicleError, match="VEH-6"):
        services.trip_depart(
            trip=trip, by=fleet.d1.user, odometer=10000, check_before=""
        )
    with pytest.raises(VehicleError, match="driver"):
        services.trip_depart(
            trip=trip, by=fleet.a1.user, odometer=10000, check_before="ok"
        )
    services.trip_depart(
        trip=trip, by=fleet.d1.user, odometer=10000, check_before="正常", at=at(1, 9)
    )
    with pytest.raises(VehicleError, match="VEH-6"):
        services.trip_return(
            trip=trip,
            by=fleet.d1.user,
            odometer=10080,
            maintenance_after="",
            at=at(1, 12),
        )
    done = services.trip_return(
        trip=trip,
        by=fleet.d1.user,
        odometer=10080,
        maintenance_after="清洗",
        other_cost="15.50",
        at=at(1, 12),
    )
    assert done.status == Trip.Status.DONE and done.distance_km == 80
    assert done.other_cost == Decimal("15.50")
    fleet.car1.refresh_from_db()
    assert fleet.car1.odometer_km == 10080


def test_veh5_the_odometer_never_goes_backwards(fleet, ask, dispatch, frozen):
    trip = dispatch(ask(fleet.a1))
    with pytest.raises(VehicleError, match="future"):
        services.trip_depart(
            trip=trip, by=fleet.d1.user, odometer=10000, check_before="ok", at=at(1, 9)
        )
    frozen.move_to(at(1, 13))
    with pytest.raises(VehicleError, match="10000"):
        services.trip_depart(
            trip=trip, by=fleet.d1.user, odometer=9999, check_before="ok"
        )
    services.trip_depart(
        trip=trip, by=fleet.d1.user, odometer=10000, check_before="ok", at=at(1, 9)
    )
    with pytest.raises(VehicleError, match="forward"):
        services.trip_return(
            trip=trip,
            by=fleet.d1.user,
            odometer=9990,
            maintenance_after="ok",
            at=at(1, 12),
        )
    trip.refresh_from_db()
    assert trip.status == Trip.Status.OUT


def test_veh5_a_back_dated_entry_is_checked_against_its_neighbours(
    fleet, ask, dispatch, frozen
):
    """A fuel purchase logged afterwards for a moment inside the trip must lie
    between the departure and the return readings."""
    trip = dispatch(ask(fleet.a1))
    frozen.move_to(at(1, 13))
    _drive(fleet, trip, 10000, 10080)
    kwargs = dict(
        vehicle=fleet.car1,
        by=fleet.d1.user,
        bought_at=at(1, 10),
        litres="30",
        price="7.50",
        station=fleet.station,
    )
    with pytest.raises(VehicleError, match="later reading"):
        services.fuel_record(odometer=10100, **kwargs)
    with pytest.raises(VehicleError, match="forward"):
        services.fuel_record(odometer=9990, **kwargs)
    assert not FuelPurchase.objects.exists()
    services.fuel_record(odometer=10040, **kwargs)
    kms = list(
        OdometerReading.objects.filter(vehicle=fleet.car1).values_list("km", flat=True)
    )
    assert kms == [10000, 10000, 10040, 10080]


def test_veh5_misuse_is_recorded_against_the_driver_through_discipline(fleet):
    misuse = services.misuse_record(
        vehicle=fleet.car1,
        driver=fleet.driver1,
        kind="private",
        occurred_on=datetime.date(2026, 2, 28),
        evidence="周六私用，行车记录 120 km",
        km=120,
        by=fleet.dispatcher.user,
    )
    violation = Violation.objects.get(person=fleet.d1)
    assert violation.kind == "vehicles.private_trip"
    assert violation.status == "upheld"
    assert violation.source_id == misuse.pk
    # The ladder gave the first outcome (criticism).
    assert violation.outcomes.exists()
    for kind in ("no_dispatch", "loan"):
        services.misuse_record(
            vehicle=fleet.car1,
            driver=fleet.driver1,
            kind=kind,
            occurred_on=datetime.date(2026, 3, 1),
            evidence="记录",
            by=fleet.dispatcher.user,
        )
    assert set(Violation.objects.values_list("kind", flat=True)) == {
        "vehicles.private_trip",
        "vehicles.trip_without_dispatch",
        "vehicles.unauthorised_loan",
    }


def test_veh5_misuse_refusals_write_nothing(fleet):
    base = dict(
        vehicle=fleet.car1,
        driver=fleet.driver1,
        kind="private",
        occurred_on=datetime.date(2026, 2, 28),
        evidence="证据",
    )
    with pytest.raises(VehicleError):
        services.misuse_record(by=fleet.a1.user, **base)
    with pytest.raises(VehicleError):
        services.misuse_record(by=fleet.dispatcher.user, **{**base, "evidence": " "})
    with pytest.raises(VehicleError):
        services.misuse_record(
            by=fleet.dispatcher.user,
            **{**base, "occurred_on": datetime.date(2026, 3, 9)},
        )
    assert not Misuse.objects.exists() and not Violation.objects.exists()


# --- VEH-10: fuel -------------------------------------------------------------------


def test_veh10_every_purchase_logged_with_a_decimal_amount(fleet, frozen):
    frozen.move_to(at(0, 11))
    purchase = services.fuel_record(
        vehicle=fleet.car1,
        by=fleet.d1.user,
        bought_at=at(0, 10),
        litres="45.67",
        price="7.89",
        station=fleet.station,
        odometer=10010,
        card_no="9001",
    )
    assert purchase.amount == Decimal("360.34")


@pytest.mark.parametrize(
    "litres, price",
    [("-5", "7.5"), ("0", "7.5"), ("abc", "7.5"), ("30", "0"), ("NaN", "1")],
)
def test_veh10_bad_litres_or_price_are_refused(fleet, litres, price):
    with pytest.raises(VehicleError):
        services.fuel_record(
            vehicle=fleet.car1,
            by=fleet.d1.user,
            bought_at=at(0, 7),
            litres=litres,
            price=price,
            station=fleet.station,
            odometer=10010,
        )
    assert not FuelPurchase.objects.exists()


def test_veh10_only_the_vehicles_driver_or_the_dispatcher_logs_fuel(fleet):
    with pytest.raises(VehicleError):
        services.fuel_record(
            vehicle=fleet.car1,
            by=fleet.d2.user,  # drives car3, not car1
            bought_at=at(0, 7),
            litres="30",
            price="7",
            station=fleet.station,
            odometer=10010,
        )


# --- the fleet ---------------------------------------------------------------------


def test_veh1_a_plate_already_present_is_refused(fleet):
    from vehicles.models import Vehicle

    with pytest.raises(VehicleError):
        services.vehicle_save(
            vehicle=Vehicle(
                plate="赣C·10001",
                model_name="x",
                seats=4,
                unit=fleet.organ,
                baseline_l_per_100km=Decimal("8"),
            ),
            by=fleet.admin,
        )
    assert Vehicle.objects.count() == 3


def test_veh2_a_bumped_trip_s_slip_is_voided_and_its_next_dispatch_takes_a_new_number(
    fleet, ask, dispatch
):
    """The bumped trip's 派车单 number is voided in the register with the reason
    (numbering's voiding, no numbering permission asked of the dispatcher); the
    winner takes its own number; dispatched again, the bumped trip takes a new one."""
    low = dispatch(ask(fleet.u1, destination="站里下乡"))
    first = number_of(low, services.SLIP_SERIES)
    high = ask(fleet.dep_a, destination="县政府")
    services.trip_bump(
        trip=low, for_trip=high, reason="局领导紧急公务", by=fleet.dispatcher.user
    )
    first.refresh_from_db()
    assert first.voided and "局领导紧急公务" in first.reason
    assert first.voided_by == fleet.dispatcher.user
    assert number_of(low, services.SLIP_SERIES) is None
    won = number_of(high, services.SLIP_SERIES)
    assert won is not None and won.n == first.n + 1
    low.refresh_from_db()
    services.trip_dispatch(
        trip=low, vehicle=fleet.car2, driver=fleet.driver2, by=fleet.dispatcher.user
    )
    again = number_of(low, services.SLIP_SERIES)
    assert again is not None and again.n == won.n + 1 and again.pk != first.pk
    assert Number.objects.filter(object_id=low.pk, voided=True).count() == 1


def test_veh1_a_cancelled_dispatched_trip_s_slip_is_voided(fleet, ask, dispatch):
    trip = dispatch(ask(fleet.a1))
    number = number_of(trip, services.SLIP_SERIES)
    services.trip_cancel(trip=trip, by=fleet.dispatcher.user, reason="任务取消")
    number.refresh_from_db()
    assert number.voided and "任务取消" in number.reason


def test_veh2_a_refused_bump_voids_nothing(fleet, ask, dispatch):
    organ = dispatch(ask(fleet.a1))
    with pytest.raises(VehicleError, match="VEH-2"):
        services.trip_bump(
            trip=organ, for_trip=ask(fleet.u1), reason="x", by=fleet.dispatcher.user
        )
    assert not number_of(organ, services.SLIP_SERIES).voided


def test_veh1_a_trip_as_long_as_the_policy_allows_still_clashes(fleet, ask, dispatch):
    """The clash check reads only the days around the range (no slot is longer
    than the longest max_days of the VEH-1 policy): a trip of exactly max_days
    (7) still blocks its car on its last evening."""
    dispatch(ask(fleet.a1, start=at(0, 9), end=at(7, 9)))
    late = ask(fleet.b1, start=at(6, 20), end=at(6, 22))
    with pytest.raises(VehicleError, match="赣C·10001"):
        dispatch(late)
    assert selectors.longest_slot() == datetime.timedelta(days=8)
