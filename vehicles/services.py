"""Every change of state in the vehicles chapter: the fleet, requests, dispatch
with its clash check (VEH-1), bumping (VEH-2), lending through the approval engine
(VEH-4), the trip sheet and the odometer's timeline (VEH-5, VEH-6), misuse recorded
against the driver (VEH-5), fuel purchases (VEH-10).

The same functions serve the staff pages, the admin and the tests.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.notify import notify_person
from approvals.selectors import current_approval_of
from approvals.services import ApprovalError, approval_submit, approval_withdraw
from attachments.services import AttachmentError, attachment_add
from bureau.access import has_role, person_of
from bureau.models import Person, Position, Role, Section, Unit
from bureau.params import EVIDENCE_TEXT, SHORT_TEXT, clean_text, validate_date_in_bounds
from bureau.policies import policy_in_force
from deadlines.services import deadline_meet_for, deadline_open
from discipline.services import violation_record
from numbering.selectors import number_of
from numbering.services import NumberingError, number_take, number_void_for_owner
from vehicles import rules, selectors
from vehicles.models import (
    Accident,
    Bump,
    Driver,
    FuelPurchase,
    Inspection,
    Misuse,
    OdometerReading,
    Repair,
    Shop,
    TrafficFine,
    Trip,
    Vehicle,
)
from vehicles.policies import (
    LENDING_CHAIN,
    LICENCE,
    PRIORITY,
    PURPOSES,
    REPAIR_CHAIN,
    REQUESTS,
)
from vehicles.violations import INSPECTION as INSPECTION_KIND
from vehicles.violations import KIND_OF_MISUSE

KIND = "vehicles_lending"  # ApprovalRequest.kind of a VEH-4 lending request
SLIP_SERIES = "vehicles.dispatch"
SLIP_TEMPLATE = "{code}派车〔{year}〕{n}号"
NO_VEHICLE_OVERLAP = "vehicles_no_vehicle_double_booking"
NO_DRIVER_OVERLAP = "vehicles_no_driver_double_booking"


class VehicleError(Exception):
    """A move the rules do not allow; the message is for the user."""


def _history_user(obj, by):
    if getattr(by, "pk", None):
        obj._history_user = by
    return obj


def _texts(*pairs) -> None:
    try:
        for text, limit in pairs:
            clean_text(text or "", max_length=limit)
    except ValidationError as exc:
        raise VehicleError(exc.messages[0]) from None


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _require_dispatcher(by) -> None:
    if not selectors.is_dispatcher(by):
        raise VehicleError(
            _("Only the comprehensive section's dispatcher dispatches cars (VEH-1).")
        )


def _lock(model, pk) -> None:
    """Lock a row in a statement of its own, so that the checks that follow read
    what another transaction committed while this one waited (READ COMMITTED); on
    SQLite the transaction (BEGIN IMMEDIATE) holds the write lock already."""
    model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True).get()


def _notify(person, *, title, body, trip) -> None:
    if person is None:
        return
    notify_person(
        person,
        title=title,
        body=body,
        url=reverse("vehicles:trip", args=[trip.pk]),
    )


# --- the fleet ------------------------------------------------------------------------


def vehicle_save(
    *, vehicle: Vehicle, by, since: datetime.datetime | None = None
) -> Vehicle:
    """Add or change a vehicle (the admin's form calls this). A new vehicle's
    odometer starts its timeline (at `since`, default now); afterwards only trips,
    fuel and repairs move it."""
    created = vehicle.pk is None
    try:
        vehicle.full_clean()
    except ValidationError as exc:
        raise VehicleError("; ".join(exc.messages)) from None
    with transaction.atomic():
        _history_user(vehicle, by)
        vehicle.save()
        if created:
            reading = OdometerReading(
                vehicle=vehicle,
                at=since or timezone.now(),
                km=vehicle.odometer_km,
                source=OdometerReading.Source.INITIAL,
                recorded_by=by if getattr(by, "pk", None) else None,
            )
            _history_user(reading, by)
            reading.save()
    return vehicle


def driver_save(*, driver: Driver, by) -> Driver:
    try:
        driver.full_clean()
    except ValidationError as exc:
        raise VehicleError("; ".join(exc.messages)) from None
    _history_user(driver, by)
    driver.save()
    return driver


def shop_save(*, shop: Shop, by) -> Shop:
    try:
        shop.full_clean()
    except ValidationError as exc:
        raise VehicleError("; ".join(exc.messages)) from None
    _history_user(shop, by)
    shop.save()
    return shop


# --- requests (VEH-1..4) ----------------------------------------------------------------


def _time_check(starts_at, ends_at, now) -> None:
    for moment in (starts_at, ends_at):
        try:
            validate_date_in_bounds(timezone.localdate(moment))
        except ValidationError as exc:
            raise VehicleError(exc.messages[0]) from None
    policy = policy_in_force(REQUESTS, timezone.localdate(starts_at)).value
    problem = rules.time_problem(
        starts_at,
        ends_at,
        now=now,
        past_window_minutes=policy["past_window_minutes"],
        max_days=policy["max_days"],
    )
    if problem == "order":
        raise VehicleError(_("The end must be after the start."))
    if problem == "past":
        raise VehicleError(
            _(
                "A car is asked for in advance (VEH-1): the start lies in the past "
                "by more than %(minutes)s minutes."
            )
            % {"minutes": policy["past_window_minutes"]}
        )
    if problem == "long":
        raise VehicleError(
            _("A trip lasts at most %(days)s days; ask for the rest separately.")
            % {"days": policy["max_days"]}
        )


REIMBURSEMENT_NOTE = gettext_lazy(
    "Ordinary countryside work gets no dedicated car (VEH-3): its travel costs are "
    "reimbursed instead — take public transport and keep the tickets for finance."
)


def trip_request(
    *,
    by,
    purpose: str,
    destination: str,
    passengers: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    passenger_names: str = "",
    borrower: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Trip:
    """Ask the comprehensive section for a car (VEH-1). Ordinary countryside work is
    refused with the reimbursement note (VEH-3); lending to another organisation
    goes to a bureau leader first (VEH-4); the priority follows who asks (VEH-2).
    A request holds no slot: only a dispatched trip does."""
    person = person_of(by)
    if person is None:
        raise VehicleError(_("This login is not linked to a person."))
    now = now or timezone.now()
    if purpose not in Trip.Purpose.values:
        raise VehicleError(_("Choose the purpose of the trip."))
    day = timezone.localdate(starts_at)
    purposes = policy_in_force(PURPOSES, day)
    if rules.purpose_refused(purpose, purposes.value["refused"]):
        raise VehicleError(str(REIMBURSEMENT_NOTE))
    _texts(
        (destination, 100),
        (passenger_names, SHORT_TEXT),
        (borrower, 100),
        (note, SHORT_TEXT),
    )
    if not (destination or "").strip():
        raise VehicleError(_("Name the destination."))
    lending = purpose == Trip.Purpose.LENDING
    if lending and not borrower.strip():
        raise VehicleError(_("Name the organisation the car is lent to (VEH-4)."))
    if not isinstance(passengers, int) or not 1 <= passengers <= 60:
        raise VehicleError(_("The number of passengers must be from 1 to 60."))
    _time_check(starts_at, ends_at, now)
    levels = policy_in_force(PRIORITY, day).value
    priority = rules.priority_of(
        is_leader=person.position in (Position.DIRECTOR, Position.DEPUTY),
        in_organ=person.unit.kind == Unit.Kind.ORGAN,
        levels=levels,
    )
    try:
        with transaction.atomic():
            trip = Trip(
                requester=person,
                purpose=purpose,
                destination=destination.strip(),
                passengers=passengers,
                passenger_names=passenger_names.strip(),
                borrower=borrower.strip() if lending else "",
                note=note.strip(),
                starts_at=starts_at,
                ends_at=ends_at,
                priority=priority,
                status=(
                    Trip.Status.AWAITING_APPROVAL if lending else Trip.Status.REQUESTED
                ),
                rule="VEH-3",
                policy_id=purposes.id,
            )
            _history_user(trip, by)
            trip.save()
            if lending:
                chain = policy_in_force(LENDING_CHAIN, day)
                approval_submit(
                    subject=trip,
                    requester=person,
                    chain=chain.value,
                    by=by,
                    kind=KIND,
                    summary=_("%(name)s: lend a car to %(borrower)s on %(date)s")
                    % {"name": person.name, "borrower": trip.borrower, "date": day},
                    chain_policy_id=chain.id,
                    on=day,
                )
    except ApprovalError as exc:
        raise VehicleError(str(exc)) from exc
    trip.refresh_from_db()
    return trip


def trip_on_outcome(approval, outcome: str) -> None:
    """The engine's outcome hook for a lending request (VEH-4), inside its
    transaction: approved → it waits for dispatch; refused or withdrawn → closed."""
    Trip.mirror_approval_outcome(approval, outcome)


def trip_withdraw(*, trip: Trip, by) -> Trip:
    """The requester takes the request back before the car leaves; a dispatched
    trip releases its vehicle and driver."""
    person = person_of(by)
    if person is None or person.pk != trip.requester_id:
        raise VehicleError(_("Only the person who asked may withdraw the request."))
    if trip.status == Trip.Status.AWAITING_APPROVAL:
        approval = current_approval_of(trip)
        try:
            approval_withdraw(request=approval, by=by)
        except ApprovalError as exc:
            raise VehicleError(str(exc)) from exc
        trip.refresh_from_db()
        return trip
    with transaction.atomic():
        locked = Trip.objects.select_for_update().get(pk=trip.pk)
        if locked.status not in (Trip.Status.REQUESTED, Trip.Status.DISPATCHED):
            raise VehicleError(_("This trip can no longer be withdrawn."))
        if locked.status == Trip.Status.DISPATCHED:
            _void_slip(locked, _("Request withdrawn by the person who asked."), by)
        locked.status = Trip.Status.WITHDRAWN
        _history_user(locked, by)
        locked.save(update_fields=["status"])
    return locked


def trip_cancel(*, trip: Trip, by, reason: str) -> Trip:
    """The dispatcher cancels a request or a dispatched trip that has not left;
    its slot is released and the requester told why."""
    _require_dispatcher(by)
    _texts((reason, SHORT_TEXT))
    if not (reason or "").strip():
        raise VehicleError(_("Give the reason for cancelling."))
    with transaction.atomic():
        locked = Trip.objects.select_for_update().get(pk=trip.pk)
        if locked.status not in (Trip.Status.REQUESTED, Trip.Status.DISPATCHED):
            raise VehicleError(_("Only a trip that has not left can be cancelled."))
        if locked.status == Trip.Status.DISPATCHED:
            _void_slip(
                locked,
                _("Trip cancelled: %(reason)s") % {"reason": reason.strip()},
                by,
            )
        locked.status = Trip.Status.CANCELLED
        locked.cancel_reason = reason.strip()
        _history_user(locked, by)
        locked.save(update_fields=["status", "cancel_reason"])
        _notify(
            locked.requester,
            title=_("Car trip cancelled: %(place)s") % {"place": locked.destination},
            body=locked.cancel_reason,
            trip=locked,
        )
    return locked


def clash_message(trip: Trip, other: Trip, *, vehicle, driver) -> str:
    number = number_of(other, SLIP_SERIES)
    what = (
        _("Vehicle %(plate)s") % {"plate": vehicle.plate}
        if other.vehicle_id == vehicle.pk
        else _("Driver %(name)s") % {"name": driver.person.name}
    )
    return _(
        "%(what)s is already dispatched from %(start)s to %(end)s for "
        "%(name)s's trip to %(place)s (slip %(number)s)."
    ) % {
        "what": what,
        "start": _local(other.starts_at),
        "end": _local(other.slot_ends_at),
        "name": other.requester.name,
        "place": other.destination,
        "number": number.text if number else "—",
    }


def _clashing(trip: Trip, vehicle, driver) -> Trip | None:
    return (
        selectors.booked_between(trip.starts_at, trip.ends_at)
        .filter(Q(vehicle=vehicle) | Q(driver=driver))
        .exclude(pk=trip.pk)
        .select_related("requester")
        .order_by("starts_at")
        .first()
    )


def _assign(trip: Trip, vehicle: Vehicle, driver: Driver, *, by, now) -> None:
    """Check and give `trip` (locked) the vehicle and the driver, under their row
    locks; number its slip. Raises VehicleError naming the clash."""
    # Locked and read in one statement each (FOR UPDATE returns the row as the
    # transaction that held it committed it); the checks below are statements of
    # their own, so they read what was committed while this one waited.
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    driver = (
        Driver.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=driver.pk)
    )
    if not vehicle.active:
        raise VehicleError(_("%(plate)s is not in service.") % {"plate": vehicle.plate})
    if vehicle.seats < trip.passengers:
        raise VehicleError(
            _("%(plate)s has %(seats)s seats; the trip needs %(n)s.")
            % {"plate": vehicle.plate, "seats": vehicle.seats, "n": trip.passengers}
        )
    if not driver.active:
        raise VehicleError(_("%(name)s does not drive now.") % {"name": driver})
    end_day = timezone.localdate(trip.ends_at)
    warn = policy_in_force(LICENCE, end_day).value["days"]
    if rules.licence_state(driver.licence_expires, end_day, warn) == "expired":
        raise VehicleError(
            _("%(name)s's licence expired on %(date)s.")
            % {"name": driver, "date": driver.licence_expires}
        )
    away = selectors.away_during([driver.person_id], trip.starts_at, trip.ends_at)
    if driver.person_id in away:
        raise VehicleError(
            _("%(name)s is on leave (%(reason)s) during the trip.")
            % {"name": driver, "reason": away[driver.person_id]}
        )
    other = _clashing(trip, vehicle, driver)
    if other is not None:
        raise VehicleError(clash_message(trip, other, vehicle=vehicle, driver=driver))
    trip.vehicle = vehicle
    trip.driver = driver
    trip.status = Trip.Status.DISPATCHED
    trip.slot_ends_at = trip.ends_at
    trip.dispatched_at = now
    trip.dispatched_by = by
    _history_user(trip, by)
    trip.save(
        update_fields=[
            "vehicle",
            "driver",
            "status",
            "slot_ends_at",
            "dispatched_at",
            "dispatched_by",
        ]
    )
    try:
        number_take(
            series=SLIP_SERIES,
            owner=trip,
            by=by,
            on=timezone.localdate(trip.starts_at),
        )
    except NumberingError as exc:
        raise VehicleError(str(exc)) from None


def _void_slip(trip: Trip, reason: str, by) -> None:
    """The slip of a trip that no longer holds its car is voided in the register
    with the reason (numbering's voiding); a later dispatch takes a new number."""
    try:
        number_void_for_owner(owner=trip, series=SLIP_SERIES, reason=reason, by=by)
    except NumberingError as exc:
        raise VehicleError(str(exc)) from None


def _is_overlap(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None) or str(exc)
    return NO_VEHICLE_OVERLAP in name or NO_DRIVER_OVERLAP in name


def trip_dispatch(
    *, trip: Trip, vehicle: Vehicle, driver: Driver, by, now=None
) -> Trip:
    """The comprehensive section dispatches a waiting request (VEH-1): the vehicle
    and the driver are free for the whole range (checked under their row locks;
    on PostgreSQL the exclusion constraints are the last line), the driver is not
    on leave and their licence is valid; the slip takes its number."""
    _require_dispatcher(by)
    now = now or timezone.now()
    problem = None
    try:
        with transaction.atomic():
            locked = (
                Trip.objects.select_for_update()
                .select_related("requester")
                .get(pk=trip.pk)
            )
            if locked.status != Trip.Status.REQUESTED:
                raise VehicleError(_("This request is not waiting for dispatch."))
            _assign(locked, vehicle, driver, by=by, now=now)
            _notify(
                locked.requester,
                title=_("Car dispatched: %(plate)s, driver %(driver)s")
                % {"plate": locked.vehicle.plate, "driver": locked.driver},
                body=_("Your trip to %(place)s from %(start)s.")
                % {"place": locked.destination, "start": _local(locked.starts_at)},
                trip=locked,
            )
            _notify(
                locked.driver.person,
                title=_("You drive %(plate)s to %(place)s from %(start)s")
                % {
                    "plate": locked.vehicle.plate,
                    "place": locked.destination,
                    "start": _local(locked.starts_at),
                },
                body="",
                trip=locked,
            )
    except IntegrityError as exc:
        # PostgreSQL's exclusion constraint, behind the check under the locks.
        if not _is_overlap(exc):
            raise
        problem = True
    if problem:
        trip.refresh_from_db()
        other = _clashing(trip, vehicle, driver)
        if other is None:
            raise VehicleError(_("The vehicle or the driver was just dispatched."))
        raise VehicleError(clash_message(trip, other, vehicle=vehicle, driver=driver))
    locked.refresh_from_db()
    return locked


def trip_bump(*, trip: Trip, for_trip: Trip, reason: str, by, now=None) -> Bump:
    """VEH-2: a dispatched trip of lower priority gives its vehicle and driver to a
    waiting trip of higher priority. Recorded (Bump, history), the bumped trip
    waits for dispatch again, its requester is told and offered a free vehicle."""
    _require_dispatcher(by)
    _texts((reason, SHORT_TEXT))
    if not (reason or "").strip():
        raise VehicleError(_("Give the reason for taking the car (VEH-2)."))
    now = now or timezone.now()
    with transaction.atomic():
        first, second = sorted([trip.pk, for_trip.pk])
        _lock(Trip, first)
        _lock(Trip, second)
        bumped = Trip.objects.select_related(
            "requester", "vehicle", "driver__person"
        ).get(pk=trip.pk)
        winner = Trip.objects.select_related("requester").get(pk=for_trip.pk)
        if bumped.status != Trip.Status.DISPATCHED:
            raise VehicleError(_("Only a dispatched trip that has not left gives way."))
        if winner.status != Trip.Status.REQUESTED:
            raise VehicleError(_("The other trip is not waiting for dispatch."))
        if not rules.may_bump(
            bumped_priority=bumped.priority,
            for_priority=winner.priority,
            departed=bumped.departed_at is not None,
        ):
            raise VehicleError(
                _(
                    "Only a trip of lower priority gives way (VEH-2: bureau leaders' "
                    "and the bureau organ's work come first)."
                )
            )
        vehicle, driver = bumped.vehicle, bumped.driver
        _void_slip(
            bumped,
            _("Car given to a trip of higher priority: %(reason)s")
            % {"reason": reason.strip()},
            by,
        )
        bumped.status = Trip.Status.REQUESTED
        bumped.vehicle = None
        bumped.driver = None
        bumped.slot_ends_at = None
        bumped.dispatched_at = None
        bumped.dispatched_by = None
        _history_user(bumped, by)
        bumped.save(
            update_fields=[
                "status",
                "vehicle",
                "driver",
                "slot_ends_at",
                "dispatched_at",
                "dispatched_by",
            ]
        )
        _assign(winner, vehicle, driver, by=by, now=now)
        offered, _driver = selectors.suggestion_for(bumped)
        record = Bump(
            trip=bumped,
            for_trip=winner,
            vehicle=vehicle,
            driver=driver,
            offered_vehicle=offered,
            reason=reason.strip(),
            bumped_at=now,
            bumped_by=by,
        )
        _history_user(record, by)
        record.save()
        if offered is not None:
            offer = _(
                "%(plate)s is free for your time: the comprehensive section will "
                "dispatch it to you."
            ) % {"plate": offered.plate}
        else:
            offer = _(
                "No other vehicle is free for your time now: the comprehensive "
                "section will contact you."
            )
        _notify(
            bumped.requester,
            title=_("Your car %(plate)s was given to a trip of higher priority")
            % {"plate": vehicle.plate},
            body=f"{record.reason}\n{offer}",
            trip=bumped,
        )
    return record


# --- the trip sheet and the odometer (VEH-5, VEH-6) ------------------------------------


def _reading(*, vehicle_id, at, km, source, source_id=None, by) -> OdometerReading:
    """One point on the vehicle's timeline, checked against the readings before
    and after it (a back-dated entry too), under the vehicle's lock."""
    _lock(Vehicle, vehicle_id)
    readings = OdometerReading.objects.filter(vehicle_id=vehicle_id)
    before = readings.filter(at__lte=at).order_by("-at", "-km").first()
    after = readings.filter(at__gt=at).order_by("at", "km").first()
    problem = rules.odometer_problem(
        km, before.km if before else None, after.km if after else None
    )
    if problem == "backwards":
        raise VehicleError(
            _(
                "The odometer only goes forward: %(km)s km was read at %(when)s, "
                "before this entry."
            )
            % {"km": before.km, "when": _local(before.at)}
        )
    if problem == "ahead":
        raise VehicleError(
            _(
                "A later reading is lower (%(km)s km at %(when)s): check the date "
                "and the reading."
            )
            % {"km": after.km, "when": _local(after.at)}
        )
    reading = OdometerReading(
        vehicle_id=vehicle_id,
        at=at,
        km=km,
        source=source,
        source_id=source_id,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    _history_user(reading, by)
    reading.save()
    vehicle = Vehicle.objects.get(pk=vehicle_id)
    if km > vehicle.odometer_km:
        vehicle.odometer_km = km
        _history_user(vehicle, by)
        vehicle.save(update_fields=["odometer_km"])
    return reading


def _may_drive(trip: Trip, by) -> None:
    person = person_of(by)
    mine = person is not None and trip.driver_id and trip.driver.person_id == person.pk
    if not (mine or selectors.is_dispatcher(by)):
        raise VehicleError(_("Only the trip's driver fills in the trip sheet."))


def _km(value) -> int:
    try:
        km = int(value)
    except (TypeError, ValueError):
        raise VehicleError(_("The odometer is a whole number of kilometres.")) from None
    if not 0 <= km <= 9_999_999:
        raise VehicleError(_("The odometer is a whole number of kilometres."))
    return km


def _not_future(at) -> None:
    if at > timezone.now() + datetime.timedelta(minutes=5):
        raise VehicleError(
            _("The trip sheet records what happened: not a future time.")
        )


def trip_depart(*, trip: Trip, by, odometer, check_before: str, at=None) -> Trip:
    """The driver leaves: the odometer and the check before the trip (VEH-6)."""
    at = at or timezone.now()
    _not_future(at)
    km = _km(odometer)
    _texts((check_before, SHORT_TEXT))
    if not (check_before or "").strip():
        raise VehicleError(_("Record the check before the trip (VEH-6)."))
    with transaction.atomic():
        locked = (
            Trip.objects.select_for_update(of=("self",))
            .select_related("driver")
            .get(pk=trip.pk)
        )
        _may_drive(locked, by)
        if locked.status != Trip.Status.DISPATCHED:
            raise VehicleError(_("Only a dispatched trip departs."))
        _reading(
            vehicle_id=locked.vehicle_id,
            at=at,
            km=km,
            source=OdometerReading.Source.DEPARTURE,
            source_id=locked.pk,
            by=by,
        )
        locked.status = Trip.Status.OUT
        locked.departed_at = at
        locked.odometer_out = km
        locked.check_before = check_before.strip()
        _history_user(locked, by)
        locked.save(
            update_fields=["status", "departed_at", "odometer_out", "check_before"]
        )
    return locked


def _money(value, label) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, ValueError):
        raise VehicleError(
            _("%(what)s must be an amount in yuan.") % {"what": label}
        ) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("9999999"):
        raise VehicleError(_("%(what)s must be an amount in yuan.") % {"what": label})
    return amount.quantize(Decimal("0.01"))


def trip_return(
    *,
    trip: Trip,
    by,
    odometer,
    maintenance_after: str,
    other_cost=Decimal("0"),
    at=None,
) -> Trip:
    """The driver is back: the odometer (never below the departure's), the
    maintenance after the trip (VEH-6), tolls and parking. An early return
    releases the rest of the slot."""
    at = at or timezone.now()
    _not_future(at)
    km = _km(odometer)
    cost = _money(other_cost, _("Tolls and parking"))
    _texts((maintenance_after, SHORT_TEXT))
    if not (maintenance_after or "").strip():
        raise VehicleError(_("Record the maintenance after the trip (VEH-6)."))
    with transaction.atomic():
        locked = (
            Trip.objects.select_for_update(of=("self",))
            .select_related("driver")
            .get(pk=trip.pk)
        )
        _may_drive(locked, by)
        if locked.status != Trip.Status.OUT:
            raise VehicleError(_("Only a trip on the road returns."))
        if at <= locked.departed_at:
            raise VehicleError(_("The return must be after the departure."))
        _reading(
            vehicle_id=locked.vehicle_id,
            at=at,
            km=km,
            source=OdometerReading.Source.RETURN,
            source_id=locked.pk,
            by=by,
        )
        locked.status = Trip.Status.DONE
        locked.returned_at = at
        locked.odometer_in = km
        locked.maintenance_after = maintenance_after.strip()
        locked.other_cost = cost
        locked.slot_ends_at = max(locked.starts_at, rules.slot_end(locked.ends_at, at))
        _history_user(locked, by)
        locked.save(
            update_fields=[
                "status",
                "returned_at",
                "odometer_in",
                "maintenance_after",
                "other_cost",
                "slot_ends_at",
            ]
        )
    return locked


def misuse_record(
    *,
    vehicle: Vehicle,
    driver: Driver,
    kind: str,
    occurred_on: datetime.date,
    evidence: str,
    km: int | None = None,
    by,
) -> Misuse:
    """VEH-5: a trip with no dispatch, a private trip or a loan nobody approved,
    found afterwards: recorded by the dispatcher with its evidence, and the
    driver's violation (discipline; its ladder gives the outcome) in the same
    transaction."""
    _require_dispatcher(by)
    if kind not in Misuse.Kind.values:
        raise VehicleError(_("Choose what was found."))
    _texts((evidence, EVIDENCE_TEXT))
    if not (evidence or "").strip():
        raise VehicleError(_("Give the evidence (the log, a witness, a photo)."))
    try:
        validate_date_in_bounds(occurred_on)
    except ValidationError as exc:
        raise VehicleError(exc.messages[0]) from None
    if occurred_on > timezone.localdate():
        raise VehicleError(_("What was found cannot be in the future."))
    with transaction.atomic():
        misuse = Misuse(
            kind=kind,
            vehicle=vehicle,
            driver=driver,
            occurred_on=occurred_on,
            km=km,
            evidence=evidence.strip(),
            recorded_at=timezone.now(),
            recorded_by=by,
        )
        _history_user(misuse, by)
        misuse.save()
        violation_record(
            person=driver.person,
            occurred_on=occurred_on,
            kind=KIND_OF_MISUSE[kind],
            source=misuse,
            evidence=misuse.evidence,
            by=by,
        )
    return misuse


# --- fuel (VEH-10) --------------------------------------------------------------------


def fuel_record(
    *,
    vehicle: Vehicle,
    by,
    bought_at: datetime.datetime,
    litres,
    price,
    station: Shop,
    odometer,
    full: bool = True,
    missed_before: bool = False,
    card_no: str = "",
    trip: Trip | None = None,
) -> FuelPurchase:
    """Log a fuel purchase: amount = litres × price (Decimal, to the cent); the
    odometer goes on the vehicle's timeline."""
    person = person_of(by)
    driver = selectors.driver_of(by)
    own = driver is not None and vehicle.driver_id == driver.pk
    on_trip = trip is not None and driver is not None and trip.driver_id == driver.pk
    if not (own or on_trip or selectors.is_dispatcher(by)) or person is None:
        raise VehicleError(_("Only the vehicle's driver or the dispatcher logs fuel."))
    try:
        litres = Decimal(str(litres))
        price = Decimal(str(price))
    except (InvalidOperation, ValueError):
        raise VehicleError(_("Litres and price must be numbers.")) from None
    if not (litres.is_finite() and Decimal("0") < litres <= Decimal("9999")):
        raise VehicleError(_("The litres must be more than 0."))
    if not (price.is_finite() and Decimal("0") < price <= Decimal("999")):
        raise VehicleError(_("The price per litre must be more than 0."))
    litres = litres.quantize(Decimal("0.01"))
    price = price.quantize(Decimal("0.01"))
    km = _km(odometer)
    _texts((card_no, 30))
    if station.kind != Shop.Kind.FUEL:
        raise VehicleError(_("Choose a fuel station."))
    try:
        validate_date_in_bounds(timezone.localdate(bought_at))
    except ValidationError as exc:
        raise VehicleError(exc.messages[0]) from None
    if bought_at > timezone.now() + datetime.timedelta(minutes=5):
        raise VehicleError(_("A purchase cannot be in the future."))
    with transaction.atomic():
        purchase = FuelPurchase(
            vehicle=vehicle,
            trip=trip,
            bought_at=bought_at,
            litres=litres,
            price=price,
            amount=rules.fuel_amount(litres, price),
            station=station,
            card_no=card_no.strip(),
            odometer=km,
            full=full,
            missed_before=missed_before,
            recorded_by=by,
        )
        _history_user(purchase, by)
        purchase.save()
        _reading(
            vehicle_id=vehicle.pk,
            at=bought_at,
            km=km,
            source=OdometerReading.Source.FUEL,
            source_id=purchase.pk,
            by=by,
        )
    return purchase


# --- VEH-7: accidents and fines -------------------------------------------------------


def _notify_people(people, *, title, body, url) -> None:
    seen = set()
    for person in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        notify_person(person, title=title, body=body, url=url)


def _comprehensive_section():
    return (
        Section.objects.filter(is_comprehensive=True)
        .select_related("head", "deputy_in_charge")
        .order_by("order")
        .first()
    )


def accident_report(
    *,
    vehicle: Vehicle,
    driver: Driver,
    occurred_at: datetime.datetime,
    place: str,
    description: str,
    injuries: bool = False,
    by,
) -> Accident:
    """VEH-7: an accident is reported at once; the comprehensive section's head
    and its deputy in charge (and a unit vehicle's unit head) are told."""
    _texts((place, 100), (description, EVIDENCE_TEXT))
    if not place.strip() or not description.strip():
        raise VehicleError(_("Say where it happened and what happened."))
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise VehicleError(_("An accident is reported after it happened."))
    try:
        validate_date_in_bounds(timezone.localdate(occurred_at))
    except ValidationError as exc:
        raise VehicleError(exc.messages[0]) from None
    person = person_of(by)
    if not (
        selectors.is_dispatcher(by)
        or (person is not None and driver.person_id == person.pk)
    ):
        raise VehicleError(_("The driver or the dispatcher reports an accident."))
    with transaction.atomic():
        accident = Accident(
            vehicle=vehicle,
            driver=driver,
            occurred_at=occurred_at,
            place=place.strip(),
            description=description.strip(),
            injuries=injuries,
            reported_by=by,
            reported_at=timezone.now(),
        )
        _history_user(accident, by)
        accident.save()
        section = _comprehensive_section()
        told = [section.head, section.deputy_in_charge] if section else []
        if vehicle.unit.kind != Unit.Kind.ORGAN:
            told.append(vehicle.unit.head)
        _notify_people(
            told,
            title=_("Accident: %(plate)s at %(place)s")
            % {"plate": vehicle.plate, "place": accident.place},
            body=_("%(when)s, driver %(driver)s%(injured)s.\n%(what)s")
            % {
                "when": _local(occurred_at),
                "driver": driver,
                "injured": _(", people injured") if injuries else "",
                "what": accident.description,
            },
            url=reverse("vehicles:accidents"),
        )
    return accident


def fine_record(
    *,
    vehicle: Vehicle,
    driver: Driver,
    occurred_on: datetime.date,
    offence: str,
    amount,
    points: int = 0,
    driver_at_fault: bool = True,
    by,
) -> TrafficFine:
    """VEH-7: a traffic fine; when the driver is at fault it is the driver's to
    pay (and they are told), otherwise the bureau's."""
    _require_dispatcher(by)
    _texts((offence, SHORT_TEXT))
    if not offence.strip():
        raise VehicleError(_("Name the offence."))
    money = _money(amount, _("The fine"))
    if not isinstance(points, int) or not 0 <= points <= 12:
        raise VehicleError(_("Penalty points are from 0 to 12."))
    try:
        validate_date_in_bounds(occurred_on)
    except ValidationError as exc:
        raise VehicleError(exc.messages[0]) from None
    if occurred_on > timezone.localdate():
        raise VehicleError(_("A fine cannot be in the future."))
    with transaction.atomic():
        fine = TrafficFine(
            vehicle=vehicle,
            driver=driver,
            occurred_on=occurred_on,
            offence=offence.strip(),
            amount=money,
            points=points,
            driver_at_fault=driver_at_fault,
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        _history_user(fine, by)
        fine.save()
        if driver_at_fault:
            _notify_people(
                [driver.person],
                title=_("Traffic fine of %(amount)s yuan is yours to pay")
                % {"amount": money},
                body=f"{vehicle.plate} {occurred_on} {fine.offence}",
                url=reverse("vehicles:accidents"),
            )
    return fine


# --- VEH-8, VEH-9: faults and repairs ----------------------------------------------------

REPAIR_KIND = "vehicles_repair"  # ApprovalRequest.kind
BILL_DEADLINE = "vehicles.repair_bill"


def _repair_url(repair) -> str:
    return reverse("vehicles:repair", args=[repair.pk])


def _locked_repair(repair) -> Repair:
    return (
        Repair.objects.select_for_update(of=("self",))
        .select_related("vehicle__unit", "vehicle__driver__person", "reported_by")
        .get(pk=repair.pk)
    )


def repair_report(
    *,
    vehicle: Vehicle,
    fault: str,
    by,
    on_road: bool = False,
    road_reason: str = "",
    witness: str = "",
    road_shop: str = "",
    odometer=None,
    repaired_at: datetime.datetime | None = None,
) -> Repair:
    """VEH-8: a fault goes to the comprehensive section (and the unit's head for a
    unit's vehicle). VEH-9: a repair already made on the road is recorded with
    its reason and a witness (it could not wait for approval)."""
    person = person_of(by)
    driver = selectors.driver_of(by)
    if person is None or not (
        selectors.is_dispatcher(by) or (driver and vehicle.driver_id == driver.pk)
    ):
        raise VehicleError(_("The vehicle's driver or the dispatcher reports a fault."))
    _texts(
        (fault, SHORT_TEXT),
        (road_reason, SHORT_TEXT),
        (witness, 100),
        (road_shop, 100),
    )
    if not fault.strip():
        raise VehicleError(_("Describe the fault."))
    now = timezone.now()
    if on_road:
        if not road_reason.strip() or not witness.strip():
            raise VehicleError(
                _("A repair on the road needs its reason and a witness (VEH-9).")
            )
        if not road_shop.strip():
            raise VehicleError(_("Name the shop that repaired it on the road."))
        repaired_at = repaired_at or now
        if repaired_at > now + datetime.timedelta(minutes=5):
            raise VehicleError(_("A repair on the road is recorded after it was done."))
        km = _km(odometer)
    with transaction.atomic():
        repair = Repair(
            vehicle=vehicle,
            reported_by=person,
            reported_at=now,
            fault=fault.strip(),
            on_road=on_road,
            road_reason=road_reason.strip(),
            witness=witness.strip(),
            road_shop=road_shop.strip(),
            status=Repair.Status.REPAIRED if on_road else Repair.Status.REPORTED,
            repaired_at=repaired_at if on_road else None,
            odometer=km if on_road else None,
            driver_present=vehicle.driver if on_road else None,
        )
        _history_user(repair, by)
        repair.save()
        if on_road:
            _reading(
                vehicle_id=vehicle.pk,
                at=repaired_at,
                km=km,
                source=OdometerReading.Source.REPAIR,
                source_id=repair.pk,
                by=by,
            )
        told = list(
            Person.objects.active().filter(user__groups__name=selectors.DISPATCHER)
        )
        if vehicle.unit.kind != Unit.Kind.ORGAN:
            told.append(vehicle.unit.head)
        _notify_people(
            [p for p in told if p is None or p.pk != person.pk],
            title=_("Fault reported: %(plate)s") % {"plate": vehicle.plate},
            body=repair.fault,
            url=_repair_url(repair),
        )
    return repair


def repair_verify(*, repair: Repair, cause: str, estimate, shop: Shop, by) -> Repair:
    """VEH-8: the comprehensive section verifies the cause and names the
    designated shop and the estimate; the repair goes to the unit's leader for
    approval (the approval engine, chain by policy)."""
    _require_dispatcher(by)
    _texts((cause, SHORT_TEXT))
    if not cause.strip():
        raise VehicleError(_("State the verified cause."))
    money = _money(estimate, _("The estimate"))
    if shop.kind != Shop.Kind.REPAIR or not shop.active:
        raise VehicleError(_("Repairs are done at a designated repair shop (VEH-8)."))
    try:
        with transaction.atomic():
            locked = _locked_repair(repair)
            if locked.status not in (Repair.Status.REPORTED, Repair.Status.REFUSED):
                raise VehicleError(_("This fault is not waiting for verification."))
            locked.cause = cause.strip()
            locked.estimate = money
            locked.shop = shop
            locked.verified_by = by
            day = timezone.localdate()
            chains = policy_in_force(REPAIR_CHAIN, day)
            key = "organ" if locked.vehicle.unit.kind == Unit.Kind.ORGAN else "unit"
            locked.policy_id = chains.id
            locked.status = Repair.Status.AWAITING_APPROVAL
            _history_user(locked, by)
            locked.save()
            requester = (
                locked.vehicle.driver.person
                if locked.vehicle.driver_id
                else locked.reported_by
            )
            approval_submit(
                subject=locked,
                requester=requester,
                chain=chains.value[key],
                by=by,
                kind=REPAIR_KIND,
                summary=_("Repair of %(plate)s: %(cause)s, about %(amount)s yuan")
                % {
                    "plate": locked.vehicle.plate,
                    "cause": locked.cause,
                    "amount": money,
                },
                chain_policy_id=chains.id,
                on=day,
            )
    except ApprovalError as exc:
        raise VehicleError(str(exc)) from exc
    locked.refresh_from_db()
    return locked


def repair_on_outcome(approval, outcome: str) -> None:
    Repair.mirror_approval_outcome(approval, outcome)


def repair_done(
    *, repair: Repair, by, odometer, repaired_at: datetime.datetime | None = None
) -> Repair:
    """VEH-8: the repair is done at the designated shop under the driver's eye —
    only once approved ("repair first, ask later" is refused)."""
    person = person_of(by)
    now = timezone.now()
    repaired_at = repaired_at or now
    if repaired_at > now + datetime.timedelta(minutes=5):
        raise VehicleError(_("A repair is recorded after it was done."))
    km = _km(odometer)
    with transaction.atomic():
        locked = _locked_repair(repair)
        vehicle = locked.vehicle
        driver = vehicle.driver
        if not (
            selectors.is_dispatcher(by)
            or (person is not None and driver and driver.person_id == person.pk)
        ):
            raise VehicleError(_("The vehicle's driver or the dispatcher records it."))
        if locked.status != Repair.Status.APPROVED:
            raise VehicleError(
                _(
                    "A repair is approved by the unit's leader before it is done "
                    "(VEH-8): “repair first, ask later” is not accepted."
                )
            )
        _reading(
            vehicle_id=vehicle.pk,
            at=repaired_at,
            km=km,
            source=OdometerReading.Source.REPAIR,
            source_id=locked.pk,
            by=by,
        )
        locked.status = Repair.Status.REPAIRED
        locked.repaired_at = repaired_at
        locked.odometer = km
        locked.driver_present = driver
        _history_user(locked, by)
        locked.save()
    return locked


def repair_inspect_parts(*, repair: Repair, note: str, photo, by) -> Repair:
    """VEH-8: the replaced parts are inspected (who, when, a note and a photo)
    before the bill can go to finance."""
    _require_dispatcher(by)
    _texts((note, SHORT_TEXT))
    if not note.strip():
        raise VehicleError(_("Say which parts were replaced and what was seen."))
    if not photo:
        raise VehicleError(_("Attach a photo of the replaced parts."))
    with transaction.atomic():
        locked = _locked_repair(repair)
        if locked.status != Repair.Status.REPAIRED:
            raise VehicleError(_("Only a repaired vehicle's parts are inspected."))
        try:
            attachment_add(by=by, obj=locked, file=photo, purpose="parts_photo")
        except AttachmentError as exc:
            raise VehicleError(str(exc)) from None
        locked.parts_note = note.strip()
        locked.parts_inspected_by = by
        locked.parts_inspected_at = timezone.now()
        locked.status = Repair.Status.INSPECTED
        _history_user(locked, by)
        locked.save()
    return locked


def repair_bill(*, repair: Repair, amount, by) -> Repair:
    """VEH-8, VEH-9: the bill goes to finance once the parts were inspected, and
    is to be settled within a month (the deadline engine's clock)."""
    _require_dispatcher(by)
    money = _money(amount, _("The bill"))
    person = person_of(by)
    with transaction.atomic():
        locked = _locked_repair(repair)
        if locked.status != Repair.Status.INSPECTED:
            raise VehicleError(
                _(
                    "The replaced parts are inspected before the bill goes to finance (VEH-8)."
                )
            )
        today = timezone.localdate()
        locked.bill_amount = money
        locked.billed_on = today
        locked.handled_by = person
        locked.status = Repair.Status.BILLED
        _history_user(locked, by)
        locked.save()
        deadline_open(kind=BILL_DEADLINE, record=locked, start=today, by=by)
    return locked


def repair_settle(*, repair: Repair, by, on: datetime.date | None = None) -> Repair:
    """VEH-9: finance settles the bill; the month's clock is met (or missed)."""
    if not (selectors.is_dispatcher(by) or has_role(by, Role.FINANCE_OFFICER)):
        raise VehicleError(_("Finance or the dispatcher records the settlement."))
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked_repair(repair)
        if locked.status != Repair.Status.BILLED:
            raise VehicleError(_("This bill is not with finance."))
        if on < locked.billed_on or on > timezone.localdate():
            raise VehicleError(
                _("The settlement date lies between the bill and today.")
            )
        locked.settled_on = on
        locked.status = Repair.Status.SETTLED
        _history_user(locked, by)
        locked.save()
        deadline_meet_for(locked, BILL_DEADLINE, by=by, on=on)
    return locked


# --- VEH-11: inspections ---------------------------------------------------------------


def inspection_record(
    *,
    vehicle: Vehicle,
    inspected_on: datetime.date,
    findings: str,
    by,
    condition: bool = False,
    parking: bool = False,
    trips: bool = False,
    repairs: bool = False,
    fuel: bool = False,
    measure: str = "none",
    driver: Driver | None = None,
    amount=None,
) -> Inspection:
    """VEH-11: the comprehensive section's periodic inspection (condition,
    parking, trips, repairs, fuel). A warning, a self-examination or an economic
    measure is recorded and the driver told; a disciplinary measure is the
    driver's violation, through discipline, in the same transaction."""
    _require_dispatcher(by)
    _texts((findings, EVIDENCE_TEXT))
    if not findings.strip():
        raise VehicleError(_("Write down the findings."))
    if not any([condition, parking, trips, repairs, fuel]):
        raise VehicleError(_("Tick what was inspected."))
    if measure not in Inspection.Measure.values:
        raise VehicleError(_("Choose the measure."))
    try:
        validate_date_in_bounds(inspected_on)
    except ValidationError as exc:
        raise VehicleError(exc.messages[0]) from None
    if inspected_on > timezone.localdate():
        raise VehicleError(_("An inspection is recorded after it took place."))
    if measure != Inspection.Measure.NONE and driver is None:
        raise VehicleError(_("Name the driver the measure concerns."))
    money = None
    if measure == Inspection.Measure.ECONOMIC:
        money = _money(amount, _("The economic measure"))
        if money <= 0:
            raise VehicleError(_("An economic measure names its amount."))
    with transaction.atomic():
        inspection = Inspection(
            vehicle=vehicle,
            inspected_on=inspected_on,
            condition=condition,
            parking=parking,
            trips=trips,
            repairs=repairs,
            fuel=fuel,
            findings=findings.strip(),
            measure=measure,
            driver=driver if measure != Inspection.Measure.NONE else None,
            amount=money,
            recorded_by=by,
        )
        _history_user(inspection, by)
        inspection.save()
        if measure == Inspection.Measure.DISCIPLINARY:
            violation_record(
                person=driver.person,
                occurred_on=inspected_on,
                kind=INSPECTION_KIND,
                source=inspection,
                evidence=inspection.findings,
                by=by,
            )
        if inspection.driver is not None:
            _notify_people(
                [driver.person],
                title=_("Vehicle inspection of %(plate)s: %(measure)s")
                % {"plate": vehicle.plate, "measure": inspection.get_measure_display()},
                body=inspection.findings,
                url=reverse("vehicles:inspections"),
            )
    return inspection
