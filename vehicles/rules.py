"""The chapter's rules as pure functions over plain values and policy values (no
ORM): tested at their boundaries in microseconds (tests/test_rules.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# --- VEH-1: when a car may be asked for ---------------------------------------------


def time_problem(
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    now: datetime.datetime,
    past_window_minutes: int,
    max_days: int,
) -> str | None:
    """Why a requested time range is refused, or None:
    - "order": the end is not after the start;
    - "past": the start lies before now by more than the policy's window (a car
      is asked for in advance; a few minutes late is tolerated);
    - "long": longer than the policy's days."""
    if ends_at <= starts_at:
        return "order"
    if starts_at < now - datetime.timedelta(minutes=past_window_minutes):
        return "past"
    if ends_at - starts_at > datetime.timedelta(days=max_days):
        return "long"
    return None


# --- VEH-3: what a car is assigned for ----------------------------------------------


def purpose_refused(purpose: str, refused: Iterable[str]) -> bool:
    """VEH-3: ordinary countryside work gets no dedicated car (travel costs are
    reimbursed instead); the refused purposes are the policy's list."""
    return purpose in set(refused)


# --- VEH-2: priority and bumping ----------------------------------------------------


def priority_of(*, is_leader: bool, in_organ: bool, levels: dict) -> int:
    """VEH-2: bureau leaders' work first, then the bureau organ's, then the units'.
    The numbers are the policy's (higher goes first)."""
    if is_leader:
        return int(levels["leaders"])
    if in_organ:
        return int(levels["organ"])
    return int(levels["units"])


def may_bump(*, bumped_priority: int, for_priority: int, departed: bool) -> bool:
    """VEH-2: only a trip of strictly lower priority that has not left yet gives
    way; equal priority keeps its car (first dispatched, first served)."""
    return not departed and bumped_priority < for_priority


# --- VEH-1: no double booking -------------------------------------------------------


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Half-open ranges [start, end): a trip ending at 12:00 and one starting at
    12:00 do not overlap."""
    return a_start < b_end and b_start < a_end


def slot_end(ends_at: datetime.datetime, returned_at: datetime.datetime | None):
    """The end of the slot a trip holds: the end asked for, or an earlier return
    (the rest of the range is released)."""
    if returned_at is not None and returned_at < ends_at:
        return returned_at
    return ends_at


@dataclass(frozen=True)
class Candidate:
    id: int
    seats: int = 0
    driver_id: int | None = None  # a vehicle's assigned driver


def suggest(
    vehicles: Sequence[Candidate],
    drivers: Sequence[int],
    *,
    passengers: int,
    busy_vehicles: set[int],
    busy_drivers: set[int],
    away: set[int],
) -> tuple[int | None, int | None]:
    """A free vehicle with the seats, and a free driver who is not away: the
    vehicle's own driver first (VEH-6), else the first free driver. Vehicles are
    tried in the order given (the smallest that fits first)."""
    free_drivers = [d for d in drivers if d not in busy_drivers and d not in away]
    fitting = [
        v for v in vehicles if v.id not in busy_vehicles and v.seats >= passengers
    ]
    for vehicle in fitting:
        if vehicle.driver_id in free_drivers:
            return vehicle.id, vehicle.driver_id
    if fitting:
        return fitting[0].id, (free_drivers[0] if free_drivers else None)
    return None, (free_drivers[0] if free_drivers else None)


# --- VEH-6: the licence -------------------------------------------------------------


def licence_state(expires: datetime.date, on: datetime.date, warn_days: int) -> str:
    """ "expired" from the day after the expiry date, "expiring" within the
    policy's days before it (the expiry day included), "valid" otherwise."""
    if on > expires:
        return "expired"
    if (expires - on).days <= warn_days:
        return "expiring"
    return "valid"


# --- VEH-5, VEH-10: the odometer's one timeline -------------------------------------


def odometer_problem(km: int, before: int | None, after: int | None) -> str | None:
    """A reading on the timeline between its neighbours: "backwards" when lower
    than the reading before it, "ahead" when higher than the reading after it (a
    back-dated entry), None when it fits. Equal readings fit (a car that did not
    move)."""
    if before is not None and km < before:
        return "backwards"
    if after is not None and km > after:
        return "ahead"
    return None


# --- VEH-10: fuel -------------------------------------------------------------------

CENT = Decimal("0.01")


def fuel_amount(litres: Decimal, price: Decimal) -> Decimal:
    """Amount = litres × price, in yuan to the cent (half up), in Decimal."""
    return (litres * price).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Fill:
    odometer: int
    litres: Decimal
    full: bool
    missed_before: bool = False  # a fill since the previous one was not logged


@dataclass(frozen=True)
class Segment:
    start_km: int
    end_km: int
    litres: Decimal
    end_index: int  # the index of the full fill closing the segment

    @property
    def km(self) -> int:
        return self.end_km - self.start_km

    @property
    def per_100km(self) -> Decimal | None:
        if self.km <= 0:
            return None
        return (self.litres * 100 / self.km).quantize(CENT, rounding=ROUND_HALF_UP)


def consumption_segments(fills: Sequence[Fill]) -> list[Segment]:
    """VEH-10, full fill to full fill: from one full fill to the next, the litres
    of every fill after the first (partial fills carried forward) over the
    distance. A fill marked as following a missed (unlogged) fill breaks the chain:
    the segment it falls in is dropped rather than giving a wrong figure, and a new
    chain starts at the next full fill. Fills are in odometer order."""
    segments: list[Segment] = []
    start: int | None = None
    litres = Decimal("0")
    for index, fill in enumerate(fills):
        if fill.missed_before:
            start = fill.odometer if fill.full else None
            litres = Decimal("0")
            continue
        if start is None:
            if fill.full:
                start, litres = fill.odometer, Decimal("0")
            continue
        litres += fill.litres
        if fill.full:
            segments.append(Segment(start, fill.odometer, litres, index))
            start, litres = fill.odometer, Decimal("0")
    return segments


def over_baseline(
    per_100km: Decimal | None, baseline: Decimal, percent: Decimal
) -> bool:
    """VEH-10: flagged when the use is more than (超過) the baseline by the policy's
    percentage; exactly that much is not flagged."""
    if per_100km is None:
        return False
    return per_100km > baseline * (1 + Decimal(percent) / 100)
