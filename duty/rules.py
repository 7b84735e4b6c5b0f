"""DUTY-1 as pure functions over plain values (dates, ids, policy values): the
arrival window, when the home page reminds, the rotation and the flags a roster
is checked for when it is saved. No ORM here: tested in microseconds."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bureau.readable import term

KINDS = ("daily", "holiday", "event")

IN_WINDOW, EARLY, LATE = "in_window", "early", "late"


# --- arriving 10-15 minutes early ------------------------------------------------


def arrival_window(
    start: datetime.datetime, *, earliest_minutes: int, latest_minutes: int
) -> tuple[datetime.datetime, datetime.datetime]:
    """From when to when the person on duty arrives: `earliest_minutes` to
    `latest_minutes` before the day's start (15 and 10 by default), both included."""
    return (
        start - datetime.timedelta(minutes=earliest_minutes),
        start - datetime.timedelta(minutes=latest_minutes),
    )


def judge_arrival(
    arrived: datetime.datetime,
    start: datetime.datetime,
    *,
    earliest_minutes: int,
    latest_minutes: int,
) -> str:
    """ "in_window" from exactly 15 to exactly 10 minutes before the start; "early"
    before that (more than asked, noted); "late" after it, even when still before
    the start (the office is to be open and tidy 10 minutes before)."""
    opens, closes = arrival_window(
        start, earliest_minutes=earliest_minutes, latest_minutes=latest_minutes
    )
    if arrived < opens:
        return EARLY
    if arrived > closes:
        return LATE
    return IN_WINDOW


def reminder_shows(
    now: datetime.datetime, duty_date: datetime.date, *, show_until: datetime.time
) -> bool:
    """The home page reminds the person on duty all the day before, and on the day
    itself until `show_until` (noon by default): `now` is local time."""
    today = now.date()
    if today == duty_date - datetime.timedelta(days=1):
        return True
    return today == duty_date and now.time() < show_until


def parse_time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


# --- the rotation ----------------------------------------------------------------


def rotation(
    dates: Sequence[datetime.date], people: Sequence[int], *, per_day: int
) -> dict[datetime.date, list[int]]:
    """The people in their order, `per_day` a day, round and round over `dates`.
    Nobody twice on one day (with fewer people than `per_day`, fewer a day)."""
    plan: dict[datetime.date, list[int]] = {}
    if not people:
        return {day: [] for day in dates}
    take = min(per_day, len(people))
    position = 0
    for day in dates:
        plan[day] = [people[(position + i) % len(people)] for i in range(take)]
        position = (position + take) % len(people)
    return plan


def leader_rotation(
    dates: Sequence[datetime.date], leaders: Sequence[int]
) -> dict[datetime.date, int | None]:
    """The leaders on duty in their order, one a day."""
    if not leaders:
        return {day: None for day in dates}
    return {day: leaders[i % len(leaders)] for i, day in enumerate(dates)}


def roster_dates(
    start: datetime.date,
    end: datetime.date,
    *,
    skip_rest_days: bool,
    working: Iterable[datetime.date],
) -> list[datetime.date]:
    """The days a generated roster covers: every day from start to end, or only
    the working days (`working`, from the bureau's calendar) when the policy
    skips rest days."""
    if not skip_rest_days:
        return [
            start + datetime.timedelta(days=i) for i in range((end - start).days + 1)
        ]
    chosen = set(working)
    return [
        start + datetime.timedelta(days=i)
        for i in range((end - start).days + 1)
        if start + datetime.timedelta(days=i) in chosen
    ]


# --- the flags when a roster is saved -----------------------------------------------

NOBODY, ON_LEAVE, NO_LEADER, LEADER_ON_LEAVE = (
    "nobody",
    "on_leave",
    "no_leader",
    "leader_on_leave",
)


@dataclass(frozen=True)
class Flag:
    date: datetime.date
    code: str
    error: bool  # an error cannot be confirmed away; a warning can
    person_id: int | None = None
    reason: str = ""


def roster_flags(
    days: dict[datetime.date, Sequence[int]],
    leaders: dict[datetime.date, int | None],
    absences: dict[datetime.date, dict[int, str]],
    *,
    nobody_is_error: bool,
    leader_required: bool,
) -> list[Flag]:
    """What a saved roster is flagged for, day by day:
    - a day with nobody on duty (an error where the policy says so: holiday and
      event rosters; else a warning);
    - a person on duty who is away on leave that day (a warning, confirmed by the
      arranger — the leave may end before the duty starts);
    - on a roster with a leader on duty: a day without one (an error), a leader on
      leave that day (a warning)."""
    flags: list[Flag] = []
    for day in sorted(days):
        people = days[day]
        away = absences.get(day, {})
        if not people:
            flags.append(Flag(day, NOBODY, nobody_is_error))
        for person_id in people:
            if person_id in away:
                flags.append(Flag(day, ON_LEAVE, False, person_id, away[person_id]))
        if leader_required:
            leader = leaders.get(day)
            if leader is None:
                flags.append(Flag(day, NO_LEADER, True))
            elif leader in away:
                flags.append(Flag(day, LEADER_ON_LEAVE, False, leader, away[leader]))
    return flags


# --- policy validators ----------------------------------------------------------------


def validate_arrival(value) -> None:
    try:
        earliest = value["earliest_minutes"]
        latest = value["latest_minutes"]
        parse_time(value["show_until"])
    except (KeyError, TypeError, ValueError):
        raise ValidationError(
            _(
                "Give the earliest and the latest minutes of arrival and the time "
                "the board shows until (HH:MM)."
            )
        ) from None
    if not all(
        isinstance(v, int) and not isinstance(v, bool) for v in (earliest, latest)
    ):
        raise ValidationError(_("The minutes are whole numbers."))
    if not 0 <= latest <= earliest <= 120:
        raise ValidationError(
            _("The window runs from the earlier to the later minute, within 2 hours.")
        )


def validate_rotation(value) -> None:
    try:
        for key in ("skip_rest_days", "nobody_is_error", "leader_required"):
            if set(value[key]) != set(KINDS) or not all(
                isinstance(v, bool) for v in value[key].values()
            ):
                raise ValidationError(
                    _(
                        "“%(field)s”: yes or no for daily duty, holiday duty and "
                        "event duty."
                    )
                    % {"field": term(key)}
                )
        if set(value["per_day"]) != set(KINDS):
            raise ValidationError(
                _(
                    "Give the people per day for daily duty, holiday duty and event "
                    "duty."
                )
            )
        numbers = [*value["per_day"].values(), value["max_per_day"], value["max_days"]]
    except (KeyError, TypeError, AttributeError):
        raise ValidationError(
            _(
                "Give the rest days skipped, the people per day, the most people a "
                "day, the most days per person, whether nobody on duty is an error "
                "and whether a leader is required."
            )
        ) from None
    if not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers
    ):
        raise ValidationError(_("The numbers are whole and positive."))
    if max(value["per_day"].values()) > value["max_per_day"]:
        raise ValidationError(
            _("The people per day are at most the most people a day.")
        )
