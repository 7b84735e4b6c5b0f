"""ATT-8: approved leave excuses sessions (and labels the whereabouts board)."""

from __future__ import annotations

import datetime

from attendance.excuses import Excuse, announce_excuses_changed
from leave.models import LeaveRequest, LeaveType


def leave_excuses_changed(person_id: int, start: datetime.date, end: datetime.date):
    """ATT-8, LV-8, LV-9: leave approved afterwards excuses sessions that may be
    settled already; an early return un-excuses the rest. Announced through the
    excuse registry (inside the deciding transaction): attendance judges those
    sessions again after commit, in a task — leave never calls attendance."""
    announce_excuses_changed([person_id], start, end, reason="leave changed")


def leave_excuses(person_ids, start: datetime.date, end: datetime.date) -> dict:
    """{(person_id, date, "am"|"pm"): Excuse} for approved leave: one query."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows = LeaveRequest.objects.filter(
        person_id__in=ids,
        status=LeaveRequest.Status.APPROVED,
        start_date__lte=end,
        end_date__gte=start,
    ).values_list(
        "pk",
        "person_id",
        "leave_type",
        "start_date",
        "start_half",
        "end_date",
        "end_half",
        "actual_end_date",
        "actual_end_half",
    )
    found = {}
    for pk, person_id, kind, s_date, s_half, e_date, e_half, a_date, a_half in rows:
        if a_date is not None:
            e_date, e_half = a_date, a_half
        label = str(LeaveType(kind).label)
        day = max(s_date, start)
        last = min(e_date, end)
        while day <= last:
            for part in ("am", "pm"):
                if day == s_date and s_half == "pm" and part == "am":
                    continue
                if day == e_date and e_half == "am" and part == "pm":
                    continue
                found[(person_id, day, part)] = Excuse(
                    kind="leave",
                    label=label,
                    source_app="leave.leaverequest",
                    source_id=pk,
                )
            day += datetime.timedelta(days=1)
    return found


def leave_absences(person_ids, day: datetime.date, part: str) -> dict:
    """MTG-1: {person_id: leave type} of the people on approved leave at a meeting
    (`day`, "am"/"pm"): they show as excused in its minutes. One query."""
    return {
        person_id: excuse.label
        for (person_id, _day, excused_part), excuse in leave_excuses(
            person_ids, day, day
        ).items()
        if excused_part == part
    }
