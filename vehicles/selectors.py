"""Who may see what in the vehicles chapter, and the reads its pages need (the
board, the suggestion, the 公示 list). Every list, admin page, export and the
attachments' download go through these selectors."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from approvals.selectors import subjects_reached
from bureau.access import has_role, person_of
from bureau.models import Person, Position, Role
from bureau.policies import policy_in_force
from bureau.policies import registry as policy_registry
from bureau.scoping import Scope
from meetings.absences import absences_on
from vehicles import charts, rules
from vehicles.models import (
    Accident,
    Bump,
    Driver,
    FuelPurchase,
    Inspection,
    Misuse,
    OdometerReading,
    Repair,
    TrafficFine,
    Trip,
    Vehicle,
)
from vehicles.policies import LICENCE, REQUESTS
from vehicles.roles import DISPATCHER

# Requests of the people in one's charge (a section head their section's, a unit
# head their unit's, a deputy those in their charge); the director and the
# administrator see everyone, and so does the dispatcher (VEH-1).
SCOPE = Scope(also={DISPATCHER})


def is_dispatcher(user) -> bool:
    """The comprehensive section's dispatcher (VEH-1): a duty the administrator
    grants (the demo gives it to the comprehensive section's head)."""
    return has_role(user, DISPATCHER)


def driver_of(user) -> Driver | None:
    person = person_of(user)
    if person is None:
        return None
    if not hasattr(user, "_vehicle_driver"):
        user._vehicle_driver = Driver.objects.filter(person=person).first()
    return user._vehicle_driver


def sees_fleet(user) -> bool:
    return SCOPE.sees_everyone(user)


def vehicles_visible_to(user) -> QuerySet:
    """The dispatcher, the director and the administrator: every vehicle; a unit
    head: their unit's; a driver: the vehicles assigned to them; others none."""
    qs = Vehicle.objects.select_related("unit", "driver__person")
    if SCOPE.sees_everyone(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    condition = Q(driver__person=person)
    if person.position == Position.UNIT_HEAD:
        condition |= Q(unit_id=person.unit_id)
    return qs.filter(condition)


def trips_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """- the dispatcher, the director, the administrator: all;
    - a person: their own requests, the trips they drive, the requests of the
      people in their charge, the trips of their unit's vehicles (a unit head),
      and the lending requests whose approval reached them (VEH-4)."""
    if SCOPE.sees_everyone(user):
        return Trip.objects.all()
    person = person_of(user)
    if person is None:
        return Trip.objects.none()
    condition = (
        Q(requester=person)
        | Q(driver__person=person)
        | SCOPE.q(user, prefix="requester__", on=on)
        | Q(pk__in=subjects_reached(user, Trip, on=on, exclude_own=True))
    )
    if person.position == Position.UNIT_HEAD:
        condition |= Q(vehicle__unit_id=person.unit_id)
    return Trip.objects.filter(condition)


def with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "requester", "requester__unit", "vehicle", "driver__person"
    )


def misuses_visible_to(user) -> QuerySet:
    if SCOPE.sees_everyone(user):
        return Misuse.objects.all()
    person = person_of(user)
    if person is None:
        return Misuse.objects.none()
    return Misuse.objects.filter(driver__person=person)


def bumps_visible_to(user) -> QuerySet:
    return Bump.objects.filter(trip__in=trips_visible_to(user))


def readings_visible_to(user) -> QuerySet:
    return OdometerReading.objects.filter(vehicle__in=vehicles_visible_to(user))


def drivers_visible_to(user) -> QuerySet:
    qs = Driver.objects.select_related("person")
    if SCOPE.sees_everyone(user):
        return qs
    person = person_of(user)
    if person is None:
        return qs.none()
    condition = Q(person=person)
    if person.position == Position.UNIT_HEAD:
        condition |= Q(person__unit_id=person.unit_id)
    return qs.filter(condition)


# --- the dispatcher's board --------------------------------------------------------


def _parts_of(starts_at, ends_at):
    """The (day, "am"/"pm") half days a range touches, in the bureau's time."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    day = start.date()
    while day <= end.date():
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=start.tzinfo)
        midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=start.tzinfo)
        if rules.overlaps(start, end, midnight, noon):
            yield day, "am"
        if rules.overlaps(start, end, noon, noon + datetime.timedelta(hours=12)):
            yield day, "pm"
        day += datetime.timedelta(days=1)


def away_during(person_ids, starts_at, ends_at) -> dict[int, str]:
    """{person id: reason} of the people on leave at any half day of the range
    (meetings.absences: leave registers its provider there)."""
    found: dict[int, str] = {}
    ids = list(person_ids)
    for day, part in _parts_of(starts_at, ends_at):
        for pid, reason in absences_on(ids, day, part).items():
            found.setdefault(pid, reason)
    return found


def longest_slot() -> datetime.timedelta:
    """The longest range a trip can hold: the largest `max_days` of every version
    of the VEH-1 requests policy, past and future (a trip is refused longer than
    the version in force on its start), and a day's margin."""
    days = [v.value["max_days"] for v in policy_registry.versions(REQUESTS)]
    days.append(policy_registry.get(REQUESTS).default["max_days"])
    return datetime.timedelta(days=max(days) + 1)


def booked_between(starts_at, ends_at) -> QuerySet:
    """The trips holding a slot that overlaps the range. The start is bounded on
    both sides (no slot is longer than longest_slot()), so the (vehicle, starts_at),
    (driver, starts_at) and (status, starts_at) indexes read only the days around
    the range, not every earlier trip: five years of trips cost what a week does."""
    return Trip.objects.filter(
        status__in=Trip.HOLDS_SLOT,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - longest_slot(),
        slot_ends_at__gt=starts_at,
    )


def suggestion_for(trip: Trip) -> tuple[Vehicle | None, Driver | None]:
    return suggestions_for([trip])[trip.pk]


def suggestions_for(
    trips, leave: dict | None = None
) -> dict[int, tuple[Vehicle | None, Driver | None]]:
    """For each trip, a free vehicle with the seats and a free driver not on leave
    (rules.suggest). The same number of queries for one trip or fifty: the fleet,
    the drivers, the bookings over all the trips' span, and leave per half day
    (`leave`: {(day, part): {person id: reason}} already read, e.g. by the board,
    for every active driver)."""
    trips = list(trips)
    if not trips:
        return {}
    vehicles = list(Vehicle.objects.filter(active=True).order_by("seats", "plate"))
    last_day = max(timezone.localdate(t.ends_at) for t in trips)
    drivers = list(
        Driver.objects.filter(active=True, licence_expires__gte=last_day)
        .select_related("person")
        .order_by("person__name")
    )
    span_start = min(t.starts_at for t in trips)
    span_end = max(t.ends_at for t in trips)
    booked = list(
        booked_between(span_start, span_end).values_list(
            "pk", "vehicle_id", "driver_id", "starts_at", "slot_ends_at"
        )
    )
    person_ids = [d.person_id for d in drivers]
    leave_cache: dict = dict(leave or {})
    by_v = {v.pk: v for v in vehicles}
    by_d = {d.pk: d for d in drivers}
    found = {}
    for trip in trips:
        busy_v, busy_d = set(), set()
        for pk, vehicle_id, driver_id, start, end in booked:
            if pk != trip.pk and rules.overlaps(
                start, end, trip.starts_at, trip.ends_at
            ):
                busy_v.add(vehicle_id)
                busy_d.add(driver_id)
        away_people: set[int] = set()
        for half in _parts_of(trip.starts_at, trip.ends_at):
            if half not in leave_cache:
                leave_cache[half] = absences_on(person_ids, *half)
            away_people |= set(leave_cache[half])
        vehicle_id, driver_id = rules.suggest(
            [rules.Candidate(v.pk, v.seats, v.driver_id) for v in vehicles],
            [d.pk for d in drivers],
            passengers=trip.passengers,
            busy_vehicles=busy_v,
            busy_drivers=busy_d,
            away={d.pk for d in drivers if d.person_id in away_people},
        )
        found[trip.pk] = (by_v.get(vehicle_id), by_d.get(driver_id))
    return found


def board(first: datetime.date, days: int) -> dict:
    """The board of `days` days from `first`: per vehicle and per driver, each
    day's dispatched trips; who is on leave each half day; the requests waiting.
    A constant number of queries (one per provider and half day for leave)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=tz)
    end = start + datetime.timedelta(days=days)
    dates = [first + datetime.timedelta(days=i) for i in range(days)]
    vehicles = list(
        Vehicle.objects.filter(active=True).select_related("unit", "driver__person")
    )
    drivers = list(Driver.objects.filter(active=True).select_related("person"))
    # Each trip's two badges (the vehicles' table shows where it goes, the
    # drivers' which car) are written once, from plain values: a busy week is
    # about 2,000 trips, and model instances with their related rows, then two
    # template loops over them, were most of the board's time.
    trips = (
        booked_between(start, end)
        .order_by("starts_at")
        .values_list(
            "pk",
            "status",
            "starts_at",
            "slot_ends_at",
            "destination",
            "vehicle_id",
            "driver_id",
            "vehicle__plate",
        )
    )
    by_vehicle = defaultdict(lambda: defaultdict(list))
    by_driver = defaultdict(lambda: defaultdict(list))
    link = reverse("vehicles:trip", args=[0])[:-2]
    # The board's days a trip overlaps (start < the day's end and end > its
    # start: half-open, as rules.overlaps), by date arithmetic on its local
    # times instead of a test per day; local times converted directly.
    in_range = set(dates)
    one_day = datetime.timedelta(days=1)
    just_before = datetime.timedelta(microseconds=1)
    for (
        pk,
        status,
        starts_at,
        ends_at,
        destination,
        vehicle_id,
        driver_id,
        plate,
    ) in trips:
        url = f"{link}{pk}/"
        local_start, local_end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        when = f"{local_start:%H:%M}–{local_end:%H:%M}"
        kind = "info" if status == Trip.Status.DONE else "ok"
        on_vehicle = (
            f'<a href="{url}" class="badge {kind}">{when} {escape(destination)}</a> '
        )
        on_driver = (
            f'<a href="{url}" class="badge ok">{when} {escape(plate or "")}</a> '
        )
        day = local_start.date()
        last = (local_end - just_before).date()
        while day <= last:
            if day in in_range:
                by_vehicle[vehicle_id][day].append(on_vehicle)
                by_driver[driver_id][day].append(on_driver)
            day += one_day

    def cell(badges) -> str:
        return mark_safe("".join(badges))  # noqa: S308 - texts escaped above

    ids = [d.person_id for d in drivers]
    away = {
        (day, part): absences_on(ids, day, part)
        for day in dates
        for part in ("am", "pm")
    }
    return {
        "dates": dates,
        "leave": away,
        "vehicles": [
            {"vehicle": v, "days": [cell(by_vehicle[v.pk][day]) for day in dates]}
            for v in vehicles
        ],
        "drivers": [
            {
                "driver": d,
                "days": [
                    {
                        "trips": cell(by_driver[d.pk][day]),
                        "away": away[(day, "am")].get(d.person_id)
                        or away[(day, "pm")].get(d.person_id),
                    }
                    for day in dates
                ],
            }
            for d in drivers
        ],
    }


def waiting_requests() -> QuerySet:
    """Requests waiting for dispatch, highest priority and soonest first."""
    return with_related(Trip.objects.filter(status=Trip.Status.REQUESTED)).order_by(
        "-priority", "starts_at"
    )


def awaiting_approval() -> QuerySet:
    return with_related(
        Trip.objects.filter(status=Trip.Status.AWAITING_APPROVAL)
    ).order_by("starts_at")


# --- VEH-5: the 公示 list -------------------------------------------------------------


def public_list(user, first: datetime.date, following: datetime.date) -> list[dict]:
    """The month's finished trips (time, purpose, place, mileage, fuel, cost), as
    the bureau posts them (公示). Two queries."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=tz)
    end = datetime.datetime.combine(following, datetime.time(0), tzinfo=tz)
    trips = list(
        with_related(
            trips_visible_to(user).filter(
                status=Trip.Status.DONE, departed_at__gte=start, departed_at__lt=end
            )
        ).order_by("departed_at", "pk")
    )
    fuel = fuel_by_trip([t.pk for t in trips])
    rows = []
    for trip in trips:
        litres, amount = fuel.get(trip.pk, (None, None))
        rows.append(
            {
                "trip": trip,
                "km": trip.distance_km,
                "litres": litres,
                "fuel_amount": amount,
                "cost": (amount or 0) + trip.other_cost,
            }
        )
    return rows


def fuel_by_trip(trip_ids) -> dict:
    """{trip id: (litres, amount)} of the fuel bought on each trip (one query)."""
    if not trip_ids:
        return {}
    rows = (
        FuelPurchase.objects.filter(trip_id__in=trip_ids)
        .values("trip_id")
        .annotate(litres=Sum("litres"), amount=Sum("amount"))
    )
    return {r["trip_id"]: (r["litres"], r["amount"]) for r in rows}


def people_for_misuse() -> QuerySet:
    return Person.objects.filter(vehicle_driver__isnull=False)


def fuel_visible_to(user) -> QuerySet:
    return FuelPurchase.objects.filter(vehicle__in=vehicles_visible_to(user))


# --- VEH-7..9: repairs, accidents, fines --------------------------------------------


def repairs_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """The dispatcher, the director, the administrator: all; a unit head: their
    unit's vehicles'; a driver: their vehicles' and what they reported; the
    leaders whose approval a repair reached (VEH-8)."""
    if SCOPE.sees_everyone(user):
        return Repair.objects.all()
    person = person_of(user)
    if person is None:
        return Repair.objects.none()
    condition = (
        Q(reported_by=person)
        | Q(vehicle__driver__person=person)
        | Q(pk__in=subjects_reached(user, Repair, on=on, exclude_own=True))
    )
    if person.position == Position.UNIT_HEAD:
        condition |= Q(vehicle__unit_id=person.unit_id)
    if has_role(user, Role.FINANCE_OFFICER):
        # The bill reaches finance once the parts are inspected (VEH-8).
        condition |= Q(status__in=[Repair.Status.BILLED, Repair.Status.SETTLED])
    return Repair.objects.filter(condition)


def may_attach_to_repair(user, repair) -> bool:
    """The parts' photo and the invoice are added by the dispatcher."""
    return is_dispatcher(user)


def accidents_visible_to(user) -> QuerySet:
    if SCOPE.sees_everyone(user):
        return Accident.objects.all()
    person = person_of(user)
    if person is None:
        return Accident.objects.none()
    condition = Q(driver__person=person) | Q(reported_by=user)
    if person.position == Position.UNIT_HEAD:
        condition |= Q(vehicle__unit_id=person.unit_id)
    return Accident.objects.filter(condition)


def fines_visible_to(user) -> QuerySet:
    if SCOPE.sees_everyone(user):
        return TrafficFine.objects.all()
    person = person_of(user)
    if person is None:
        return TrafficFine.objects.none()
    condition = Q(driver__person=person)
    if person.position == Position.UNIT_HEAD:
        condition |= Q(vehicle__unit_id=person.unit_id)
    return TrafficFine.objects.filter(condition)


# --- VEH-10: consumption; per-vehicle cost ------------------------------------------

# How far back a month's first chain may start (a full fill before the month).
CHAIN_LOOKBACK_DAYS = 92
# The fuel chart shows the report's month and the five before it.
CHART_MONTHS = 6


def _month_bounds(first: datetime.date, following: datetime.date):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(first, datetime.time(0), tzinfo=tz),
        datetime.datetime.combine(following, datetime.time(0), tzinfo=tz),
    )


def _months_before(first: datetime.date, n: int) -> datetime.date:
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def consumption_report(
    first: datetime.date, following: datetime.date, percent
) -> list[dict]:
    """VEH-10, every vehicle's month: the full-to-full segments closing in the month
    (rules.consumption_segments), their L/100 km against the vehicle's baseline,
    flagged when more than `percent` over it; the fuel bought in the month; and the
    chart of every segment closing in the month and the CHART_MONTHS - 1 before it.
    Two queries whatever the fleet; the fills are read as tuples (no model
    instances) on the (bought_at) range of the vehicle-and-date index."""
    start, end = _month_bounds(first, following)
    chart_start, _ = _month_bounds(_months_before(first, CHART_MONTHS - 1), first)
    vehicles = list(Vehicle.objects.select_related("unit").order_by("plate"))
    fills = defaultdict(list)
    rows = (
        FuelPurchase.objects.filter(
            bought_at__lt=end,
            bought_at__gte=chart_start - datetime.timedelta(days=CHAIN_LOOKBACK_DAYS),
        )
        .order_by("vehicle_id", "odometer", "bought_at")
        .values_list(
            "vehicle_id",
            "odometer",
            "litres",
            "full",
            "missed_before",
            "bought_at",
            "amount",
        )
    )
    for vehicle_id, *rest in rows:
        fills[vehicle_id].append(rest)
    hundred = Decimal(100) + Decimal(str(percent))
    report = []
    for vehicle in vehicles:
        mine = fills.get(vehicle.pk, [])
        segments = rules.consumption_segments(
            [
                rules.Fill(km, litres, full, missed)
                for km, litres, full, missed, *_ in mine
            ]
        )
        closing = [s for s in segments if mine[s.end_index][4] >= start]
        km = sum(s.km for s in closing)
        litres = sum((s.litres for s in closing), Decimal("0"))
        per_100 = (litres * 100 / km).quantize(rules.CENT) if km > 0 else None
        in_month = [p for p in mine if p[4] >= start]
        baseline = vehicle.baseline_l_per_100km
        limit = (baseline * hundred / 100).quantize(rules.CENT)
        report.append(
            {
                "vehicle": vehicle,
                "km": km,
                "litres": litres,
                "per_100km": per_100,
                "baseline": baseline,
                "over": rules.over_baseline(per_100, baseline, Decimal(str(percent))),
                "bought_litres": sum((p[1] for p in in_month), Decimal("0")),
                "bought_amount": sum((p[5] for p in in_month), Decimal("0")),
                "broken": any(p[3] for p in in_month),
                "chart": charts.consumption_chart(
                    [
                        (timezone.localtime(mine[s.end_index][4]), s.per_100km)
                        for s in sorted(segments, key=lambda s: mine[s.end_index][4])
                        if s.per_100km is not None
                        and chart_start <= mine[s.end_index][4] < end
                    ],
                    start=chart_start,
                    end=end,
                    month_start=start,
                    baseline=baseline,
                    limit=limit,
                ),
            }
        )
    return report


CENT = Decimal("0.01")


def costs(first: datetime.date, following: datetime.date) -> list[dict]:
    """Per vehicle over a period: fuel bought, repair bills handed to finance,
    other (tolls and parking of its trips, fines the bureau pays). Four queries."""
    start, end = _month_bounds(first, following)
    fuel = dict(
        FuelPurchase.objects.filter(bought_at__gte=start, bought_at__lt=end)
        .values("vehicle_id")
        .annotate(total=Sum("amount"))
        .values_list("vehicle_id", "total")
    )
    repairs = dict(
        Repair.objects.filter(billed_on__gte=first, billed_on__lt=following)
        .values("vehicle_id")
        .annotate(total=Sum("bill_amount"))
        .values_list("vehicle_id", "total")
    )
    tolls = dict(
        Trip.objects.filter(
            status=Trip.Status.DONE, departed_at__gte=start, departed_at__lt=end
        )
        .values("vehicle_id")
        .annotate(total=Sum("other_cost"))
        .values_list("vehicle_id", "total")
    )
    fines = dict(
        TrafficFine.objects.filter(
            driver_at_fault=False, occurred_on__gte=first, occurred_on__lt=following
        )
        .values("vehicle_id")
        .annotate(total=Sum("amount"))
        .values_list("vehicle_id", "total")
    )
    zero = Decimal("0")
    rows = []
    for vehicle in Vehicle.objects.select_related("unit").order_by("plate"):
        other = (tolls.get(vehicle.pk) or zero) + (fines.get(vehicle.pk) or zero)
        row = {
            "vehicle": vehicle,
            "fuel": fuel.get(vehicle.pk) or zero,
            "repairs": repairs.get(vehicle.pk) or zero,
            "other": other,
        }
        row["total"] = row["fuel"] + row["repairs"] + row["other"]
        # Yuan with 2 places whatever the database's sum returns (SQLite drops them).
        for key in ("fuel", "repairs", "other", "total"):
            row[key] = row[key].quantize(CENT)
        rows.append(row)
    return rows


def inspections_visible_to(user) -> QuerySet:
    """VEH-11: the dispatcher and the leaders who see everyone: all; a driver the
    inspections that concern them; a unit head their unit's vehicles'."""
    if SCOPE.sees_everyone(user):
        return Inspection.objects.all()
    person = person_of(user)
    if person is None:
        return Inspection.objects.none()
    condition = Q(driver__person=person)
    if person.position == Position.UNIT_HEAD:
        condition |= Q(vehicle__unit_id=person.unit_id)
    return Inspection.objects.filter(condition)


def licences_to_warn(today: datetime.date) -> list[tuple[Driver, str]]:
    """VEH-6: active drivers whose licence expires within the policy's days, or has
    expired: [(driver, "expiring" | "expired")], one query."""
    days = policy_in_force(LICENCE, today).value["days"]
    drivers = (
        Driver.objects.filter(
            active=True, licence_expires__lte=today + datetime.timedelta(days=days)
        )
        .select_related("person")
        .order_by("licence_expires")
    )
    return [(d, rules.licence_state(d.licence_expires, today, days)) for d in drivers]
