"""What closing and settling share: a day's people and sessions per unit, the sheets'
done-markers, and what a run reports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from attendance.models import Sheet
from bureau import workdays
from bureau.models import Person, SeasonalSchedule

BATCH = 2000


@dataclass
class SheetRun:
    """What a run did (or, in a dry run, would do)."""

    day: datetime.date
    closed: list = field(default_factory=list)  # [(unit_id, part)]
    settled: list = field(default_factory=list)
    rows_created: int = 0
    rows_settled: int = 0
    violations: int = 0
    counts: dict = field(default_factory=dict)

    def __str__(self):
        return (
            f"{self.day}: {len(self.closed)} sheet(s) closed, {self.rows_created} "
            f"row(s) added; {len(self.settled)} sheet(s) settled, "
            f"{self.rows_settled} record(s) judged, {self.violations} violation(s)"
        )


def _unit_sessions(day, unit_ids, schedules):
    return {
        unit_id: workdays.sessions_for_schedule(
            workdays.schedule_for(unit_id, day, schedules), day
        )
        for unit_id in unit_ids
        if workdays.schedule_for(unit_id, day, schedules) is not None
    }


def day_context(day):
    """({unit_id: [(person_id, section_id)]} of active staff, {unit_id: sessions})."""
    people = list(
        Person.objects.active().values_list("id", "unit_id", "section_id").order_by()
    )
    by_unit = defaultdict(list)
    for person_id, unit_id, section_id in people:
        by_unit[unit_id].append((person_id, section_id))
    schedules = list(SeasonalSchedule.objects.all())
    return by_unit, _unit_sessions(day, by_unit.keys(), schedules)


def mark_sheets(day, todo, sheets, now, policy_ids, *, closed=None, settled=False):
    """Set the done-markers of these (unit_id, session) sheets: `closed_at` with the
    counts, or `settled_at`; sheets not yet stored are created in bulk."""
    new = []
    for unit_id, session in todo:
        sheet = sheets.get((unit_id, session.part))
        values = {"policy_versions": policy_ids}
        if closed is not None:
            values["closed_at"] = now
            values["counts"] = closed.get((unit_id, session.part), {})
        if settled:
            values["settled_at"] = now
        if sheet is None:
            new.append(
                Sheet(
                    unit_id=unit_id,
                    date=day,
                    part=session.part,
                    starts_at=session.start,
                    ends_at=session.end,
                    **values,
                )
            )
        else:
            Sheet.objects.filter(pk=sheet.pk).update(**values)
    if new:
        Sheet.objects.bulk_create(new, batch_size=BATCH)
