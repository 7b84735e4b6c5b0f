"""The documents chapter's rules as pure functions over plain values (no ORM).

DOC-1: who signs a draft is the chain of its level (policy data); the drafter is
never the only signer; a bureau document is numbered once, after proofreading, by
the comprehensive section, and filed only with its number; a section-level
document is filed by its section; a draft for the county is filed by the
comprehensive section once the county's signatory has decided.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from approvals.chains import validate_chain
from deadlines.rules import is_working

LEVELS = ("bureau", "section", "county")

# status -> the statuses a service may move it to (the engine moves checking).
TRANSITIONS = {
    "draft": {"checking"},
    "checking": {"signed", "returned", "draft"},
    "returned": {"checking"},
    "signed": {"proofread"},
    "proofread": {"numbered", "filed"},
    "numbered": {"filed"},
    "filed": set(),
}


def _level_label(level: str) -> str:
    return {
        "bureau": _("Bureau documents"),
        "section": _("Section documents"),
        "county": _("Documents for the county"),
    }.get(level, level)


def validate_outgoing_chains(value) -> None:
    """The policy `documents.outgoing_chains`: a chain for each level."""
    if not isinstance(value, dict) or set(value) != set(LEVELS):
        raise ValueError(
            _(
                "Give a chain for each level of document: the bureau's, a section's "
                "and the county's."
            )
        )
    for level in LEVELS:
        try:
            validate_chain(value[level])
        except ValueError as exc:
            raise ValueError(
                _("%(where)s: %(problem)s")
                % {"where": _level_label(level), "problem": exc}
            ) from None


def may_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def only_signer_is_drafter(drafter_id: int, deciders: Iterable[int | None]) -> bool:
    """DOC-1: a draft needs someone other than its drafter to check or sign it. The
    chain resolved for the drafter (deciding steps' approvers, None for a county
    step) signs it off alone or not at all: refused."""
    others = [d for d in deciders if d is None or d != drafter_id]
    return not others


def needs_number(level: str) -> bool:
    """Only documents in the bureau's name take the bureau's number."""
    return level == "bureau"


def filed_by_comprehensive_section(level: str) -> bool:
    """The comprehensive section files the bureau's documents and the county's;
    a section files its own section-level documents."""
    return level in ("bureau", "county")


def ready_to_file(level: str, status: str, has_number: bool) -> bool:
    """Filing needs a proofread document; a bureau document needs its number."""
    if needs_number(level):
        return status == "numbered" and has_number
    return status == "proofread"


# --- incoming documents (DOC-2) ------------------------------------------------------


def incoming_status(*, open_hops: int, done_hops: int) -> str:
    """Where an incoming document stands from its hops: with people while any hop
    is open; handled once every hop is done (and at least one was)."""
    if open_hops:
        return "in_progress"
    if done_hops:
        return "handled"
    return "registered"


def closing_problem(*, status: str, return_required: bool, outcome: str) -> str | None:
    """Why the document cannot leave the register this way (None: it can). It
    leaves only handled, and only filed or returned; returned when the sender
    wants it back, filed otherwise."""
    if outcome not in ("filed", "returned"):
        return "outcome"
    if status != "handled":
        return "not_handled"
    if return_required and outcome != "returned":
        return "must_return"
    if not return_required and outcome == "returned":
        return "not_to_return"
    return None


# --- supervision (DOC-5) -------------------------------------------------------------


def due_before_assigned(assigned_on: datetime.date, due_on: datetime.date) -> bool:
    return due_on < assigned_on


def period_length(
    start: datetime.date,
    due: datetime.date,
    day_type: str,
    exceptions: Mapping[datetime.date, bool],
) -> int:
    """The period from `start` (not counted) to `due`, in the deadline policy's day
    type, so that the deadline engine's clock falls due on `due` (the next working
    day when `due` is not one)."""
    if day_type == "calendar":
        return max((due - start).days, 0)
    days = 0
    day = start + datetime.timedelta(days=1)
    while day <= due:
        if is_working(day, exceptions):
            days += 1
        day += datetime.timedelta(days=1)
    return days


def report_due_on(month: datetime.date, due_day: int) -> datetime.date:
    """A month's summary and plan are due on `due_day` of the next month."""
    first_next = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next.replace(day=due_day)


def validate_monthly_report_policy(value) -> None:
    if not isinstance(value, dict) or set(value) != {"due_day"}:
        raise ValueError(_("Give the due day of the monthly report."))
    day = value["due_day"]
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
        raise ValueError(_("The due day is a day of the month from 1 to 28."))


# --- archives (DOC-3) ----------------------------------------------------------------


def retention_years(policy: dict, *, kind: str, type_code: str = "") -> int:
    """Years an archived document is kept (0: permanently), from the policy."""
    if kind == "incoming":
        return policy["incoming"]
    return policy["by_type"].get(type_code, policy["default"])


def validate_retention_policy(value) -> None:
    if not isinstance(value, dict) or set(value) != {"default", "by_type", "incoming"}:
        raise ValueError(
            _(
                "Give the years kept by default, by type of document and for "
                "incoming documents."
            )
        )

    def years(x):
        return not isinstance(x, bool) and isinstance(x, int) and 0 <= x <= 100

    if not years(value["default"]) or not years(value["incoming"]):
        raise ValueError(_("The years kept are a number from 0 (permanently) to 100."))
    if not isinstance(value["by_type"], dict) or not all(
        isinstance(k, str) and years(v) for k, v in value["by_type"].items()
    ):
        raise ValueError(
            _("Each type of document is kept a number of years from 0 to 100.")
        )


def may_archive_year(year: int, today: datetime.date) -> bool:
    """Each year's material is filed early in the next year: a past year only."""
    return year < today.year


def loan_due_before_start(lent_on: datetime.date, due_on: datetime.date) -> bool:
    return due_on < lent_on


# --- the print room (DOC-4) ----------------------------------------------------------


def parse_copy_numbers(text: str) -> list[int] | None:
    """ "1-3,5" → [1, 2, 3, 5]; None when it is not a list of numbers and ranges
    (each from 1, ranges ascending, no number twice)."""
    numbers: list[int] = []
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        low, _sep, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            return None
        a, b = int(low), int(high or low)
        if a < 1 or b < a or b - a > 10_000:
            return None
        numbers.extend(range(a, b + 1))
    if not numbers or len(set(numbers)) != len(numbers):
        return None
    return numbers


def print_job_problem(*, reason: str, copies: int, secret: bool, copy_numbers: str):
    """Why a print job is refused (None: it is logged). No private printing: a work
    reason is required; a secret document's copies are numbered, one number each."""
    if not (reason or "").strip():
        return "reason"
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        return "copies"
    if secret:
        numbers = parse_copy_numbers(copy_numbers)
        if numbers is None or len(numbers) != copies:
            return "copy_numbers"
    return None
