"""The leave chapter's rules as pure functions over plain values (no ORM)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from approvals.tiers import choose_tier, validate_tier_table

AM, PM = "am", "pm"
HALF = Decimal("0.5")


def session_key(day: datetime.date, half: str) -> tuple[datetime.date, int]:
    return (day, 0 if half == AM else 1)


def leave_days(
    working_days: list[datetime.date],
    start: datetime.date,
    start_half: str,
    end: datetime.date,
    end_half: str,
) -> Decimal:
    """Working days from (start, half) to (end, half), in half-day steps.

    `working_days` are the working days from start to end (weekends and holidays
    left out, make-up working days in): the calendar decides, not this rule.
    A leave starting in the afternoon leaves the first morning out; one ending at
    noon leaves the last afternoon out.
    """
    total = Decimal(0)
    for day in working_days:
        if not start <= day <= end:
            continue
        value = Decimal(1)
        if day == start and start_half == PM:
            value -= HALF
        if day == end and end_half == AM:
            value -= HALF
        total += value
    return total


def tier_for(tiers: list[dict], days: Decimal) -> dict:
    """The first tier whose `up_to` holds `days`; a length between two tiers falls
    in the stricter (next) tier: 1.5 days is handled as "2 days and more" (LV-1..6).
    The engine's chooser (approvals.tiers), with leave's reading (超過: a length
    equal to `up_to` stays in its tier)."""
    return choose_tier(tiers, days)


def retroactive_problem(
    start: datetime.date, today: datetime.date, window_days: int, consent: bool
) -> str | None:
    """LV-8: None when the request may be made; else "too_late" or "needs_consent".

    Leave is retroactive when it starts before the day it is asked for. It may be
    filed within `window_days` of its first day (以內: the 7th day is still in),
    with the leader's consent; after that it cannot.
    """
    if start >= today:
        return None
    if (today - start).days > window_days:
        return "too_late"
    if not consent:
        return "needs_consent"
    return None


def previous_session(day: datetime.date, half: str) -> tuple[datetime.date, str]:
    if half == PM:
        return day, AM
    return day - datetime.timedelta(days=1), PM


def validate_chains(value) -> None:
    """`leave.chains`: position → duration tiers (approvals.tiers)."""
    validate_tier_table(value)


def validate_annual_days(value) -> None:
    """`leave.annual_days_default`: a number of days between 0 and 366."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(_("The annual leave days are a number."))
    if not 0 <= value <= 366:
        raise ValueError(_("The annual leave days are from 0 to 366."))


def annual_problem(
    days: Decimal, entitlement: Decimal, taken: Decimal, requested: Decimal
) -> Decimal | None:
    """LV-11: None when `days` of annual leave fit; else the days still available.

    Available = entitlement − approved (days taken, after an early return) − pending.
    """
    available = entitlement - taken - requested
    if days > available:
        return max(available, Decimal(0))
    return None
