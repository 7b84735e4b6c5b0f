"""Settling sessions (ATT-5, ATT-8, ATT-12): at the end of a session every record is
judged by the one judgement (`judging.judge_records`) and saved in bulk, then
discipline is fed.

It works on every unit of a day at once with a handful of bulk queries, whatever
the number of staff, and is idempotent: `Sheet.settled_at` is the done-marker.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from attendance.excuses import excuses_for
from attendance.models import SessionRecord, Sheet
from attendance.policies import judgement_policies
from attendance.selectors import away_minutes_for
from attendance.services.closing import sheets_close
from attendance.services.common import now_or
from attendance.services.judging import JUDGED_FIELDS, feed_discipline, judge_records
from attendance.services.sheet_day import BATCH, SheetRun, day_context, mark_sheets
from bureau import workdays


def sheets_settle(
    *,
    day: datetime.date,
    now: datetime.datetime | None = None,
    commit: bool = True,
    force: bool = False,
) -> SheetRun:
    """End of session (ATT-5, ATT-8): judge every record of the sessions that ended
    `settle` minutes ago (all of the day's with force=True), closing their sheets
    first if that never happened, then feed discipline (ATT-11, ATT-12)."""
    now = now_or(now)
    if not workdays.is_working_day(day):
        return SheetRun(day=day)
    thresholds, policy_ids = judgement_policies(day)
    settle_after = datetime.timedelta(minutes=thresholds.settle_minutes)
    _by_unit, sessions = day_context(day)
    due = [
        (unit_id, session)
        for unit_id, unit_sessions in sessions.items()
        for session in unit_sessions
        if force or session.end + settle_after <= now
    ]
    sheets = {(s.unit_id, s.part): s for s in Sheet.objects.filter(date=day)}
    todo = [
        (unit_id, session)
        for unit_id, session in due
        if not (
            (unit_id, session.part) in sheets
            and sheets[(unit_id, session.part)].settled_at
        )
    ]
    run = SheetRun(day=day)
    if not todo:
        return run
    if any(
        not ((u, s.part) in sheets and sheets[(u, s.part)].closed_at) for u, s in todo
    ):
        closing = sheets_close(day=day, now=now, commit=commit, force=True)
        run.closed = closing.closed
        run.rows_created = closing.rows_created
        if not commit:
            return run
        sheets = {(s.unit_id, s.part): s for s in Sheet.objects.filter(date=day)}
    wanted = {(unit_id, session.part) for unit_id, session in todo}
    records = [
        r
        for r in SessionRecord.objects.filter(date=day, settled_at__isnull=True)
        if (r.unit_id, r.part) in wanted
    ]
    if records:
        # The one judgement (judging.judge_records), with the day's excuses and
        # absences from post read once for the whole bureau.
        judge_records(
            records,
            now=now,
            excuses=excuses_for({r.person_id for r in records}, day, day),
            away={
                (person_id, day, part): minutes
                for (person_id, part), minutes in away_minutes_for(None, day).items()
            },
        )
    run.settled = sorted(wanted)
    run.rows_settled = len(records)
    if not commit:
        return run
    with transaction.atomic():
        if records:
            save_judged(records)
        mark_sheets(day, todo, sheets, now, policy_ids, settled=True)
    run.violations = feed_discipline(records)
    return run


def save_judged(records) -> None:
    """Write judged records in a few UPDATEs (rows with the same judgement share one
    statement: a day has a handful of distinct outcomes), then their history rows in
    bulk. Much faster than bulk_update's CASE per field, same history as
    bulk_update_with_history."""
    groups: dict = {}
    for record in records:
        values = tuple(_hashable(getattr(record, name)) for name in JUDGED_FIELDS)
        groups.setdefault(values, (record, []))[1].append(record.pk)
    for first, pks in groups.values():
        changes = {name: getattr(first, name) for name in JUDGED_FIELDS}
        for start in range(0, len(pks), BATCH):
            SessionRecord.objects.filter(pk__in=pks[start : start + BATCH]).update(
                **changes
            )
    SessionRecord.history.bulk_history_create(records, batch_size=BATCH, update=True)


def _hashable(value):
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value
