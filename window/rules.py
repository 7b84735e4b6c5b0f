"""The service window's rules as pure functions over plain values (no ORM):
what each first-inquiry outcome needs (SVC-1), the catalogue version in force and
the committed date (SVC-2), the one-time notification breach (SVC-2, DIS-2), and
who stands in at a window (SVC-4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence

from deadlines.rules import due_date, is_working

# SVC-1: what a logged outcome must carry, by outcome.
REQUIREMENTS: Mapping[str, frozenset[str]] = {
    "handled": frozenset(),
    "accepted": frozenset({"service"}),
    "notified": frozenset({"service", "missing"}),
    "handed_off": frozenset({"handed_to"}),
    "asked_leader": frozenset({"leader"}),
    "outside": frozenset({"note"}),
    "refused": frozenset({"note", "basis"}),
}
# The order in which a missing requirement is reported (the first one is the message).
REQUIREMENT_ORDER = ("service", "missing", "handed_to", "leader", "note", "basis")
DAY_TYPES = ("working", "calendar")


def unmet_requirements(outcome: str, given: Iterable[str]) -> list[str]:
    """SVC-1: the requirements of `outcome` not among `given`, in report order.
    An unknown outcome raises KeyError."""
    needed = REQUIREMENTS[outcome] - set(given)
    return [name for name in REQUIREMENT_ORDER if name in needed]


def committed_within_statutory(committed_days: int, statutory_days: int) -> bool:
    """SVC-2: the public commitment is never longer than the law allows."""
    return 0 <= committed_days <= statutory_days


def version_in_force(
    versions: Sequence[tuple[datetime.date, object]], on: datetime.date
):
    """SVC-2: of (effective_from, version) pairs, the version in force on `on`
    (the latest that has begun), or None before the first."""
    begun = [(start, v) for start, v in versions if start <= on]
    if not begun:
        return None
    return max(begun, key=lambda pair: pair[0])[1]


def committed_date(
    *,
    accepted_on: datetime.date,
    days: int,
    day_type: str,
    exceptions: Mapping[datetime.date, bool],
) -> datetime.date:
    """SVC-1, SVC-2: the date promised on the acceptance receipt — `days` counted
    after the day of acceptance by the deadline engine's rule, in working days
    (the bureau's calendar) or calendar days; 0 days is the same day."""
    if day_type not in DAY_TYPES:
        raise ValueError(f"unknown day type {day_type!r}")
    return due_date(
        start=accepted_on, length=days, day_type=day_type, exceptions=exceptions
    )


def period_length(
    *,
    start: datetime.date,
    due: datetime.date,
    day_type: str,
    exceptions: Mapping[datetime.date, bool],
) -> int:
    """SVC-1: the committed date as a period from the day of acceptance (not
    counted), in the deadline policy's day type, so that the deadline engine's
    clock falls due on the date printed on the receipt (the next working day when
    that date is not one). A date before the start is a period of 0."""
    if day_type not in DAY_TYPES:
        raise ValueError(f"unknown day type {day_type!r}")
    if day_type == "calendar":
        return max((due - start).days, 0)
    days = 0
    day = start + datetime.timedelta(days=1)
    while day <= due:
        if is_working(day, exceptions):
            days += 1
        day += datetime.timedelta(days=1)
    return days


def one_time_breach(
    *,
    asked_before: Iterable[str],
    required_before: Iterable[str],
    asked_now: Iterable[str],
) -> set[str]:
    """SVC-2 / DIS-2: the materials a later slip asks for that an earlier slip of
    the same matter did not, although the catalogue version the earlier slip was
    drawn from already required them. A material the catalogue added since is the
    catalogue's change, not the officer's breach."""
    return (set(asked_now) - set(asked_before)) & set(required_before)


def stand_ins(
    *, post_a: int, post_b: int, away: Mapping[int, str]
) -> dict[int, int] | None:
    """SVC-4: {stand-in: principal} at a window given who is away; None when
    neither post is present (the window is unstaffed, to be flagged)."""
    a_away, b_away = post_a in away, post_b in away
    if a_away and b_away:
        return None
    if a_away:
        return {post_b: post_a}
    if b_away:
        return {post_a: post_b}
    return {}


def both_away_days(
    days: Iterable[tuple[datetime.date, str]],
    *,
    requester_away: set[tuple[datetime.date, str]],
    other_away: set[tuple[datetime.date, str]],
) -> list[tuple[datetime.date, str]]:
    """SVC-4: the half days (date, "am"/"pm") on which a leave asked for would
    leave the window with neither post: the requester away by the leave asked and
    the other post away already."""
    return [d for d in days if d in requester_away and d in other_away]


def appointment_refusal(
    *,
    day: datetime.date,
    today: datetime.date,
    is_working_day: bool,
    booked: int,
    capacity: int,
    days_ahead: int,
) -> str | None:
    """SVC-3: why an appointment on `day` cannot be given, or None: not before
    tomorrow (what can be done today is done today), only on the calendar's
    working days, not beyond the booking horizon, and never beyond the half
    day's capacity (`booked` already taken of `capacity`)."""
    if day <= today:
        return "not_future"
    if (day - today).days > days_ahead:
        return "too_far"
    if not is_working_day:
        return "not_working_day"
    if booked >= capacity:
        return "full"
    return None


# SVC-5: what an upheld complaint becomes (discipline's kinds, DIS-1..3).
COMPLAINT_KINDS = (
    "discipline.first_inquiry",
    "discipline.one_time_notice",
    "discipline.efficiency.not_handled",
    "discipline.efficiency.missed_deadline",
    "discipline.efficiency.come_twice",
    "discipline.efficiency.rule_breach",
    "discipline.efficiency.idle",
)


def complaint_decision_problem(
    *, upheld: bool, kind: str, has_person: bool, finding: str
) -> str | None:
    """SVC-5: an upheld complaint names the person responsible and a violation
    kind of DIS-1..3; every decision states its finding."""
    if not finding.strip():
        return "finding"
    if upheld and not has_person:
        return "person"
    if upheld and kind not in COMPLAINT_KINDS:
        return "kind"
    return None
