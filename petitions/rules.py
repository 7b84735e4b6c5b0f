"""The petition rules as pure functions over plain values and policy values (no
ORM): tested at their boundaries in microseconds (tests named by rule ID)."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence

from django.utils.translation import gettext as _

from deadlines import rules as clock

LETTER, VISIT, PHONE, EMAIL, ONLINE = "letter", "visit", "phone", "email", "online"

# --- PET-1 / PET-4: registration --------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_phone(text: str) -> str:
    """Digits only, with a leading +86 / 0086 dropped: "0379-6512 3456" →
    "037965123456"."""
    digits = re.sub(r"[\s\-()（）]", "", text or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def valid_phone(text: str) -> bool:
    """A mobile number (11 digits from 13…19), a landline with its area code, or
    a local number of 7–8 digits. Anything else is not a phone number."""
    digits = normalise_phone(text)
    return any(p.fullmatch(digits) for p in (_MOBILE, _LANDLINE, _LOCAL))


def valid_id_number(text: str) -> bool:
    """An 18-character resident ID number with its check character (GB 11643)."""
    value = (text or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def needs_contact_number(channel: str) -> bool:
    """PET-4: visits and calls keep a contact number (the result goes back by
    phone)."""
    return channel in (VISIT, PHONE)


def may_be_anonymous(channel: str) -> bool:
    """Only a letter may come without a name (an anonymous letter gets no reply)."""
    return channel == LETTER


def likely_duplicate(
    *,
    a_received: datetime.date,
    b_received: datetime.date,
    window_days: int,
    same_id_number: bool,
    same_phone: bool,
    same_category: bool,
) -> bool:
    """PET-1: two cases are likely one when they came within the policy's window
    (days apart, both ends included) from the same petitioner (ID number), or from
    the same phone about the same category."""
    if abs((a_received - b_received).days) > window_days:
        return False
    return same_id_number or (same_phone and same_category)


# --- PET-1: routing and objection -------------------------------------------------


def objection_last_day(
    *,
    routed_on: datetime.date,
    working_days: int,
    exceptions: Mapping[datetime.date, bool] | None = None,
) -> datetime.date:
    """The last day the receiver may object to a routing: `working_days` working
    days after the routing day (the day itself not counted)."""
    return clock.due_date(
        start=routed_on,
        length=working_days,
        day_type=clock.WORKING,
        exceptions=exceptions or {},
    )


def may_object(*, on: datetime.date, last_day: datetime.date) -> bool:
    return on <= last_day


# --- PET-2: the clocks ------------------------------------------------------------


def extension_days_allowed(days: int, max_days: int) -> bool:
    """PET-2: an extension is at least a day and at most the policy's maximum
    (30: 30 days may be granted, 31 may not)."""
    return 1 <= days <= max_days


def may_extend(*, granted_or_pending: int, max_times: int) -> bool:
    """PET-2: once (a refused request does not count)."""
    return granted_or_pending < max_times


def extended_due(
    *,
    due: datetime.date,
    days: int,
    day_type: str,
    exceptions: Mapping[datetime.date, bool] | None = None,
) -> datetime.date:
    """The conclusion's new due date: `days` more days after the old one, counted
    in the conclusion clock's own day type."""
    return clock.due_date(
        start=due, length=days, day_type=day_type, exceptions=exceptions or {}
    )


def on_time(*, done_on: datetime.date, due: datetime.date | None) -> bool:
    """Done by the due date (day 15 of 15 is on time, day 16 is late)."""
    return clock.outcome_when_done(done_on=done_on, due=due) == "met"


# --- PET-3: the review window -----------------------------------------------------


def review_window_open(*, on: datetime.date, window_due: datetime.date) -> bool:
    """A review may be asked up to and including the window's last day."""
    return on <= window_due


def may_close_after_window(*, on: datetime.date, window_due: datetime.date) -> bool:
    """The case closes once the window has passed without a request (day 31)."""
    return on > window_due


# --- PET-4: replies ---------------------------------------------------------------


def written_methods() -> tuple[str, ...]:
    return ("post", "in_person", "email", "online")


def reply_satisfies(
    *, channel: str, anonymous: bool, method: str, delivered: bool
) -> bool:
    """PET-4: what must have gone back before a case closes. A signed letter: a
    written reply, delivered (post, in person, e-mail or online). A visit or a
    call: the result returned, by phone or in writing, recorded. E-mail and online
    petitions: a reply delivered. An anonymous letter: nothing can go back."""
    if channel == LETTER and anonymous:
        return True
    if not delivered:
        return False
    if channel == LETTER:
        return method in written_methods()
    return bool(method)


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """A reply template with {number}, {received_on}, {matter}, {decided_on}
    filled in; an unknown placeholder stays as written."""

    def one(match):
        return str(values.get(match.group(1), match.group(0)))

    return re.sub(r"\{(\w+)\}", one, template)


# --- PET-5: the escalation ladder -------------------------------------------------


def rungs_due(*, overdue_days: int, ladder: Sequence[Mapping]) -> list[int]:
    """The rungs of the ladder reached `overdue_days` after the due date (1 = the
    day after): a rung with after_days N is reached once overdue by more than N."""
    if overdue_days <= 0:
        return []
    return [i for i, rung in enumerate(ladder) if overdue_days > rung["after_days"]]


# --- Online channel ---------------------------------------------------------------


def hash_query_code(code: str) -> str:
    """The query code at rest: its SHA-256 (the code is 128 random bits, so a
    plain digest cannot be searched backwards)."""
    cleaned = re.sub(r"[\s\-]", "", code or "").upper()
    return hashlib.sha256(cleaned.encode("ascii", "ignore")).hexdigest()


PUBLIC_STATUS = {
    "registered": "received",
    "routed": "received",
    "objected": "received",
    "accepted": "handling",
    "not_accepted": "answered",
    "concluded": "handling",
    "replied": "answered",
    "under_review": "answered",
    "closed": "closed",
    "merged": "handling",
}


def public_status(status: str) -> str:
    """What the public sees of a status: received, handling, answered, closed."""
    return PUBLIC_STATUS.get(status, "received")


# --- validators of the policies ---------------------------------------------------


def _whole(value, low, high, label) -> None:
    """`label`: what the number is, in words (never the value's key)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise ValueError(
            _("%(what)s is a whole number from %(low)s to %(high)s.")
            % {"what": label, "low": low, "high": high}
        )


def validate_duplicate_window(value) -> None:
    if not isinstance(value, dict) or set(value) != {"days"}:
        raise ValueError(_("Give the days within which a petition is a repeat."))
    _whole(value["days"], 0, 3650, _("The number of days"))


def validate_objection(value) -> None:
    if not isinstance(value, dict) or set(value) != {"working_days", "restart_clock"}:
        raise ValueError(
            _(
                "Give the working days for an objection and whether the clock starts "
                "again."
            )
        )
    _whole(value["working_days"], 0, 60, _("The working days for an objection"))
    if not isinstance(value["restart_clock"], bool):
        raise ValueError(_("Whether the clock starts again is yes or no."))


def validate_extension(value) -> None:
    if not isinstance(value, dict) or set(value) != {"max_days", "max_times"}:
        raise ValueError(
            _("Give the most days of an extension and how many times it may be asked.")
        )
    _whole(value["max_days"], 1, 365, _("The most days of an extension"))
    _whole(value["max_times"], 1, 10, _("The number of extensions"))


def validate_ladder(value, relations: Sequence[str] | None = None) -> None:
    if not isinstance(value, dict) or set(value) != {"ladder"}:
        raise ValueError(_("Give the escalation ladder as rows of days and to whom."))
    ladder = value["ladder"]
    if not isinstance(ladder, list):
        raise ValueError(_("Give the escalation ladder as rows of days and to whom."))
    last = -1
    for number, rung in enumerate(ladder, start=1):
        if not isinstance(rung, dict) or set(rung) != {"after_days", "to"}:
            raise ValueError(
                _("Row %(n)s: give the days overdue and to whom it goes.")
                % {"n": number}
            )
        _whole(rung["after_days"], 0, 365, _("The days overdue"))
        if rung["after_days"] <= last:
            raise ValueError(_("The days overdue grow from row to row."))
        last = rung["after_days"]
        if not isinstance(rung["to"], str) or (
            relations is not None and rung["to"] not in relations
        ):
            raise ValueError(
                _("Row %(n)s: to whom it goes is not known.") % {"n": number}
            )


def validate_templates(value) -> None:
    keys = {"support", "explain", "reject", "not_accepted"}
    if not isinstance(value, dict) or set(value) != keys:
        raise ValueError(
            _("Give the four reply texts: support, explain, reject and not accepted.")
        )
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise ValueError(_("Each reply text is a text, not empty."))


# --- PET-6: the Wednesday rota ----------------------------------------------------


def reception_days(
    start: datetime.date,
    end: datetime.date,
    *,
    weekday: int,
    is_working: Callable[[datetime.date], bool],
) -> list[datetime.date]:
    """The reception days from `start` to `end` included: every `weekday`
    (Wednesday = 2) that the calendar says is a working day (a Wednesday in a
    holiday has no reception)."""
    day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    days = []
    while day <= end:
        if is_working(day):
            days.append(day)
        day += datetime.timedelta(days=7)
    return days


def rotate(days: Sequence[datetime.date], leaders: Sequence, *, start: int = 0) -> list:
    """Leaders in turn over the days: [(day, leader)], starting with the
    `start`-th leader."""
    if not leaders:
        return []
    return [(d, leaders[(start + i) % len(leaders)]) for i, d in enumerate(days)]


def validate_rota(value) -> None:
    if not isinstance(value, dict) or set(value) != {"weekday"}:
        raise ValueError(_("Give the weekday of the reception."))
    _whole(value["weekday"], 0, 6, _("The weekday (0 Monday … 6 Sunday)"))


# --- PET-8: the half-year's petition work -----------------------------------------


def half_year(day: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """(1 or 2, first day, last day) of the half-year `day` falls in."""
    if day.month <= 6:
        return 1, datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30)
    return 2, datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31)


def pet8_missing(counts: Mapping[str, int], required: Mapping[str, int]) -> list[str]:
    """PET-8: the kinds of work the half-year still lacks (a meeting each
    half-year, the township assessment twice a year, training at least twice a
    year: one of each per half-year)."""
    return [kind for kind, n in required.items() if counts.get(kind, 0) < n]


def pet8_remind_now(
    *, today: datetime.date, half_end: datetime.date, days_before: int
) -> bool:
    """The reminder goes out in the last `days_before` days of the half-year."""
    return 0 <= (half_end - today).days <= days_before


def validate_pet8(value) -> None:
    keys = {"required", "remind_days", "meeting_kind"}
    if not isinstance(value, dict) or set(value) != keys:
        raise ValueError(
            _(
                "Give the work required, the days of the reminder and the kind of "
                "meeting."
            )
        )
    required = value["required"]
    if not isinstance(required, dict) or set(required) != {
        "meeting",
        "assessment",
        "training",
    }:
        raise ValueError(_("Give the meetings, assessments and trainings required."))
    for n in required.values():
        _whole(n, 0, 12, _("The number required"))
    _whole(value["remind_days"], 1, 90, _("The days of the reminder"))
    if not isinstance(value["meeting_kind"], str):
        raise ValueError(_("The kind of meeting is not known."))
