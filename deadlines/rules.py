"""The deadline engine's rules as pure functions over plain values (no ORM).

A due date is never a counter: it is computed again, every time, from the start,
the policy version's values, the record's logged pause and resume events and the
bureau's calendar. The engine stores the result on the deadline only as a cache
for set-based queries (the scan, the panels), and always writes it through
`due_date` here.

Counting follows the usual reading of a period "within N days of D" (期间开始的
当日不计入): the start day itself is not counted; the period ends on the N-th day
that counts after it. A day counts when it is a calendar day (day type
`calendar`) or a working day of the bureau's calendar (day type `working`), and
it does not fall inside a pause. A pause logged on day P and resumed on day R
stops the clock on P, P+1, …, R-1: a pause of three days moves a calendar-day
deadline by three days.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import gettext as _

from bureau.readable import term

CALENDAR = "calendar"
WORKING = "working"
DAY_TYPES = (CALENDAR, WORKING)

PAUSE = "pause"
RESUME = "resume"

GREEN, YELLOW, RED, PAUSED = "green", "yellow", "red", "paused"

MAX_LENGTH = 3660  # ten years of calendar days: beyond it a value is a typo
POLICY_KEYS = ("length", "day_type", "remind_days", "escalate_to")

ONE_DAY = datetime.timedelta(days=1)
Pause = tuple[datetime.date, "datetime.date | None"]


def is_working(day: datetime.date, exceptions: Mapping[datetime.date, bool]) -> bool:
    """The bureau's calendar: a stored day as stored, any other Monday to Friday."""
    stored = exceptions.get(day)
    return day.weekday() < 5 if stored is None else stored


def pauses_from_events(
    events: Iterable[tuple[str, datetime.date]],
) -> list[Pause]:
    """The pauses, as [paused on, resumed on) intervals, rebuilt from the logged
    events in their order (as Zammad rebuilds pending time from history). A pause
    while paused or a resume while running changes nothing. The last interval is
    open (resumed on None) while the clock is stopped."""
    pauses: list[list] = []
    for kind, day in events:
        if kind == PAUSE and (not pauses or pauses[-1][1] is not None):
            pauses.append([day, None])
        elif kind == RESUME and pauses and pauses[-1][1] is None:
            pauses[-1][1] = max(day, pauses[-1][0])
    return [(start, end) for start, end in pauses]


def _paused(day: datetime.date, pauses: Sequence[Pause]) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in pauses)


def due_date(
    *,
    start: datetime.date,
    length: int,
    day_type: str,
    pauses: Sequence[Pause] = (),
    exceptions: Mapping[datetime.date, bool] | None = None,
) -> datetime.date | None:
    """The last day of the period, or None while the clock is stopped (an open
    pause reached before the period ended).

    `exceptions` is the bureau's stored calendar ({date: is working day}); days not
    in it follow Monday to Friday.
    """
    if day_type not in DAY_TYPES:
        raise ValueError(f"unknown day type {day_type!r}")
    if length < 0:
        raise ValueError("a period cannot be negative")
    exceptions = exceptions or {}
    day, counted = start, 0
    # The loop ends: each day either counts or is skipped, and an open pause
    # returns; the calendar has at most ~30 stored rest days a year.
    limit = start + datetime.timedelta(days=length * 3 + 400) + _paused_span(pauses)
    while counted < length:
        day += ONE_DAY
        if _paused(day, pauses):
            if any(end is None and begun <= day for begun, end in pauses):
                return None
            continue
        if day_type == CALENDAR or is_working(day, exceptions):
            counted += 1
        if day > limit:  # a calendar that never works: a data error, not a hang
            raise ValueError("no end within the calendar")
    return day


def _paused_span(pauses: Sequence[Pause]) -> datetime.timedelta:
    closed = [(end - start) for start, end in pauses if end is not None]
    return sum(closed, datetime.timedelta())


def remind_on(
    *,
    due: datetime.date | None,
    remind_days: int,
    day_type: str,
    exceptions: Mapping[datetime.date, bool] | None = None,
) -> datetime.date | None:
    """The first day of the reminder window: `remind_days` days before the due
    date, counted in the deadline's own day type (0: on the due date)."""
    if due is None:
        return None
    exceptions = exceptions or {}
    day, counted = due, 0
    while counted < remind_days:
        day -= ONE_DAY
        if day_type == CALENDAR or is_working(day, exceptions):
            counted += 1
    return day


def light(
    *,
    today: datetime.date,
    due: datetime.date | None,
    remind_from: datetime.date | None,
) -> str:
    """Traffic light of an open deadline: green before the reminder window, yellow
    inside it (due within the window, the due day included), red when overdue;
    `paused` while the clock is stopped."""
    if due is None:
        return PAUSED
    if today > due:
        return RED
    if remind_from is not None and today >= remind_from:
        return YELLOW
    return GREEN


def outcome_when_done(*, done_on: datetime.date, due: datetime.date | None) -> str:
    """Met when done by the due date (or while paused), missed when later."""
    if due is None or done_on <= due:
        return "met"
    return "missed"


def validate_policy_value(value, *, relations: Iterable[str] | None = None) -> None:
    """A deadline policy: {"length": days ≥ 0, "day_type": "calendar"|"working",
    "remind_days": ≥ 0, "escalate_to": a relation key or ""}. Raises ValueError
    with a message for the administrator."""
    if not isinstance(value, dict):
        raise ValueError(_("A deadline policy is a set of named values."))
    missing = [key for key in POLICY_KEYS if key not in value]
    if missing:
        raise ValueError(
            _("The deadline policy lacks: %(keys)s.")
            % {"keys": "、".join(term(key) for key in missing)}
        )
    unknown = sorted(set(value) - set(POLICY_KEYS))
    if unknown:
        raise ValueError(_("The deadline policy has entries a deadline does not have."))
    for key, top in (("length", MAX_LENGTH), ("remind_days", MAX_LENGTH)):
        number = value[key]
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not (0 <= number <= top)
        ):
            raise ValueError(
                _("“%(field)s” must be a whole number of days from 0 to %(top)s.")
                % {"field": term(key), "top": top}
            )
    if value["day_type"] not in DAY_TYPES:
        raise ValueError(_("The days are counted as calendar days or working days."))
    escalate_to = value["escalate_to"]
    if not isinstance(escalate_to, str) or (
        escalate_to and relations is not None and escalate_to not in set(relations)
    ):
        raise ValueError(
            _("Whom it escalates to is a known post of the bureau (or nobody).")
        )
