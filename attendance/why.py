""" "Why" pages of attendance (bureau.why): a session's judgement (ATT-2..5, ATT-8)
and a month's allowance outcome (ATT-10), each with the policy versions it used."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.models import Arrival, Departure, Outcome
from attendance.policies import ALLOWANCE_TABLE
from attendance.selectors import (
    monthly_report,
    people_visible_to,
    records_visible_to,
)
from bureau.params import month_param
from bureau.policies import policy_in_force
from bureau.readable import term
from bureau.why import Judgement, register_why

RECORD = "attendance.record"
ALLOWANCE = "attendance.allowance"

# Which rules a session's outcome follows from.
_RULES = {
    Outcome.ON_TIME: ["ATT-2"],
    Outcome.LATE: ["ATT-2", "ATT-3"],
    Outcome.EARLY: ["ATT-4"],
    Outcome.LATE_EARLY: ["ATT-3", "ATT-4"],
    Outcome.ABSENT: ["ATT-5", "ATT-8"],
    Outcome.EXCUSED: ["ATT-8", "LV-8"],
    Outcome.OPEN: ["ATT-2"],
}


def _rules_of(record) -> list[str]:
    """The settled outcome's rules; before settling, what the sign-in and sign-out
    were judged as (a late arrival is ATT-3 from the moment it is recorded)."""
    if record.outcome != Outcome.OPEN:
        return _RULES[record.outcome]
    found = ["ATT-2"]
    if record.arrival == Arrival.LATE:
        found.append("ATT-3")
    if Arrival.ABSENT in (record.arrival, record.departure):
        found.append("ATT-5")
    if record.departure == Departure.EARLY:
        found.append("ATT-4")
    return found


def _time(value):
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%H:%M")


def record_why(user, object_id: int, params) -> Judgement | None:
    record = (
        records_visible_to(user).select_related("person").filter(pk=object_id).first()
    )
    if record is None:
        return None
    facts = [
        (_("Date"), date_format(record.date, "Y-m-d")),
        (_("Work session"), record.get_part_display()),
        (
            _("Session"),
            f"{_time(record.starts_at)}–{_time(record.ends_at)}",
        ),
        (_("Signed in at"), _time(record.signed_in_at)),
        (_("Signed out at"), _time(record.signed_out_at)),
        (_("Arrival"), record.get_arrival_display()),
        (_("Departure"), record.get_departure_display()),
        (_("Outcome"), record.get_outcome_display()),
    ]
    if record.outcome_reason:
        facts.append((_("Reason"), record.reason_text))
    if record.excuse_label:
        facts.append((_("Excuse"), record.excuse_label))
    if record.absence_days:
        facts.append((_("Absence days"), record.absence_days))
    return Judgement(
        title=_("%(outcome)s, %(date)s %(part)s")
        % {
            "outcome": record.get_outcome_display(),
            "date": date_format(record.date, "Y-m-d"),
            "part": record.get_part_display(),
        },
        person=record.person.name,
        date=record.date,
        rules=_rules_of(record),
        versions=dict(record.policy_versions or {}),
        facts=facts,
        back_url=reverse("attendance:mine"),
    )


def allowance_why(user, object_id: int, params) -> Judgement | None:
    """A month's allowance outcome of one person: the month in `?month=YYYY-MM`."""
    person = people_visible_to(user).filter(pk=object_id).first()
    if person is None:
        return None
    today = timezone.localdate()
    first = month_param(params, "month", default=today.replace(day=1))
    year, month = first.year, first.month
    report = monthly_report(user, year, month)
    row = next((r for r in report.rows if r.person_id == person.pk), None)
    if row is None:
        return None
    version = policy_in_force(ALLOWANCE_TABLE, report.last)
    facts = [
        (_("Month"), f"{year}-{month:02d}"),
        (_("Late arrivals and early leaves"), row.incidents),
        (_("Absence days"), row.absence_days),
        (_("Outcome"), term(row.outcome) if row.outcome != "none" else _("none")),
    ]
    if row.reason_text:
        facts.append((_("Because"), row.reason_text))
    return Judgement(
        title=_("Attendance allowance, %(year)s-%(month)02d")
        % {"year": year, "month": month},
        person=person.name,
        date=report.last,
        rules=["ATT-10"],
        versions={ALLOWANCE_TABLE: version.id},
        facts=facts,
        back_url=f"{reverse('attendance:report')}?month={year}-{month:02d}",
        note=_("The harshest matching row of the table applies."),
    )


def register() -> None:
    register_why(RECORD, gettext_lazy("attendance record"), record_why)
    register_why(ALLOWANCE, gettext_lazy("attendance allowance"), allowance_why)
