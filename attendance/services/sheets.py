"""Closing the sign-in sheet (ATT-6) and settling sessions (ATT-5, ATT-8, ATT-12).

Both work on every unit of a day at once with a handful of bulk queries, whatever
the number of staff, and both are idempotent: `Sheet.closed_at` / `settled_at` are
the done-markers, and the unique (person, date, part) constraint backs them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction

from attendance.excuses import excuses_for
from attendance.models import (
    SessionRecord,
    Sheet,
    SheetStatus,
)
from attendance.policies import judgement_policies
from attendance.selectors import away_minutes_for
from attendance.services.common import local_date, now_or
from attendance.services.judging import (
    JUDGED_FIELDS,
    feed_discipline,
    judge_records,
)
from bureau import workdays
from bureau.models import Person, SeasonalSchedule

BATCH = 2000
ROWS_PER_INSERT = 1000


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


def _day_context(day):
    people = list(
        Person.objects.active().values_list("id", "unit_id", "section_id").order_by()
    )
    by_unit = defaultdict(list)
    for person_id, unit_id, section_id in people:
        by_unit[unit_id].append((person_id, section_id))
    schedules = list(SeasonalSchedule.objects.all())
    return by_unit, _unit_sessions(day, by_unit.keys(), schedules)


def _excuse_status(excuse):
    if excuse is None:
        return SheetStatus.MISSING
    return SheetStatus.BUSINESS if excuse.kind == "business" else SheetStatus.LEAVE


def sheets_close(
    *,
    day: datetime.date,
    now: datetime.datetime | None = None,
    commit: bool = True,
    force: bool = False,
) -> SheetRun:
    """ATT-6: fix every unit's sheet whose session started `sheet_close` minutes ago
    (all of the day's sessions with force=True): one row per person, "missing",
    "on leave" or "out on business" for those not signed in."""
    now = now_or(now)
    run = SheetRun(day=day)
    if not workdays.is_working_day(day):
        return run
    thresholds, policy_ids = judgement_policies(day)
    by_unit, sessions = _day_context(day)
    close_after = datetime.timedelta(minutes=thresholds.sheet_close_minutes)
    sheets = {(s.unit_id, s.part): s for s in Sheet.objects.filter(date=day)}
    todo = [
        (unit_id, session)
        for unit_id, unit_sessions in sessions.items()
        for session in unit_sessions
        if (force or session.start + close_after <= now)
        and not (
            (unit_id, session.part) in sheets
            and sheets[(unit_id, session.part)].closed_at
        )
    ]
    if not todo:
        return run
    person_ids = [pid for unit_id, _s in todo for pid, _sec in by_unit[unit_id]]
    excuses = excuses_for(set(person_ids), day, day)
    existing = dict(
        ((pid, part), status)
        for pid, part, status in SessionRecord.objects.filter(date=day)
        .values_list("person_id", "part", "sheet_status")
        .order_by()
    )
    rows = []
    counts = {}
    for unit_id, session in todo:
        tally = defaultdict(int)
        for person_id, section_id in by_unit[unit_id]:
            key = (person_id, session.part)
            if key in existing:
                tally[existing[key] or SheetStatus.IN] += 1
                continue
            excuse = excuses.get((person_id, day, session.part))
            status = _excuse_status(excuse)
            tally[status] += 1
            rows.append(
                (
                    session,
                    {
                        "person_id": person_id,
                        "unit_id": unit_id,
                        "section_id": section_id,
                        "sheet_status": status,
                        "excuse_kind": excuse.kind if excuse else "",
                        "excuse_label": str(excuse.label)[:60] if excuse else "",
                    },
                )
            )
        counts[(unit_id, session.part)] = dict(tally)
    run.rows_created = len(rows)
    run.counts = counts
    run.closed = [(unit_id, session.part) for unit_id, session in todo]
    if not commit:
        return run
    with transaction.atomic():
        if rows:
            run.rows_created = _insert_missing(rows, day, policy_ids, now)
        _mark_sheets(day, todo, sheets, now, policy_ids, closed=counts)
    return run


def _insert_missing(rows, day, policy_ids, now) -> int:
    """Insert the sheet's missing rows and their history in bulk SQL: a few
    multi-row INSERTs (unnest arrays on PostgreSQL; ON CONFLICT DO NOTHING: a
    sign-in racing the close keeps its own row) and one INSERT … SELECT for the
    history. The ORM's bulk_create spends
    seconds preparing 10,000 rows value by value; this takes a fraction of that.
    Returns how many rows were added."""
    meta = SessionRecord._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name

    def prep(name, value):
        return meta.get_field(name).get_db_prep_save(value, connection)

    defaults = {
        f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields
    }
    defaults["date"] = prep("date", day)
    defaults["policy_versions"] = prep("policy_versions", policy_ids)
    per_session = {}
    for session, _row in rows:
        if session.part not in per_session:
            per_session[session.part] = {
                "part": session.part,
                "starts_at": prep("starts_at", session.start),
                "ends_at": prep("ends_at", session.end),
            }
    table = qn(meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    history = SessionRecord.history.model
    all_columns = ", ".join(qn(f.column) for f in meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({qn('id')}), 0) FROM {table}")
        before = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            _insert_unnest(cursor, rows, fields, defaults, per_session, table)
        else:
            # Multi-row VALUES, ROWS_PER_INSERT at a time (within SQLite's 32,766
            # parameters).
            values = [
                [
                    row.get(
                        f.attname,
                        per_session[session.part].get(f.attname, defaults[f.attname]),
                    )
                    for f in fields
                ]
                for session, row in rows
            ]
            for start in range(0, len(values), ROWS_PER_INSERT):
                chunk = values[start : start + ROWS_PER_INSERT]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES "
                    + ", ".join([f"({marks})"] * len(chunk))
                    + " ON CONFLICT DO NOTHING",
                    [value for row in chunk for value in row],
                )
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)} ({all_columns}, "
            f"{qn('history_date')}, {qn('history_change_reason')}, "
            f"{qn('history_type')}, {qn('history_user_id')}) "
            f"SELECT {all_columns}, %s, NULL, '+', NULL FROM {table} "
            f"WHERE {qn('id')} > %s AND {qn('date')} = %s "
            f"AND {qn('signed_in_at')} IS NULL",
            [
                history._meta.get_field("history_date").get_db_prep_save(
                    now, connection
                ),
                before,
                defaults["date"],
            ],
        )
        return cursor.rowcount


def _mark_sheets(day, todo, sheets, now, policy_ids, *, closed=None, settled=False):
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


VARYING = [
    ("person_id", "bigint"),
    ("unit_id", "bigint"),
    ("section_id", "bigint"),
    ("sheet_status", "text"),
    ("excuse_kind", "text"),
    ("excuse_label", "text"),
]


def _insert_unnest(cursor, rows, fields, defaults, per_session, table):
    """PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per session; the
    arrays travel as six parameters instead of 26 per row."""
    qn = connection.ops.quote_name
    varying = [name for name, _type in VARYING]
    for part, fixed in per_session.items():
        chosen = [row for session, row in rows if session.part == part]
        constant = [
            f
            for f in fields
            if f.attname not in varying
            and fixed.get(f.attname, defaults[f.attname]) is not None
        ]
        columns = [qn(f.column) for f in fields if f.attname in varying] + [
            qn(f.column) for f in constant
        ]
        select = [f"t.{name}" for name, _t in VARYING] + ["%s"] * len(constant)
        arrays = ", ".join(f"%s::{kind}[]" for _n, kind in VARYING)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(select)} FROM unnest({arrays}) "
            f"AS t({', '.join(varying)}) ON CONFLICT DO NOTHING",
            [fixed.get(f.attname, defaults[f.attname]) for f in constant]
            + [[row[name] for row in chosen] for name in varying],
        )


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
    _by_unit, sessions = _day_context(day)
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
        _mark_sheets(day, todo, sheets, now, policy_ids, settled=True)
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


def sheets_process_due(
    *, now: datetime.datetime | None = None, commit: bool = True, catch_up_days: int = 7
) -> list[SheetRun]:
    """What the beat task and the command run: close today's due sheets and settle
    due sessions, catching up on the last days' unsettled sessions."""
    now = now_or(now)
    today = local_date(now)
    runs = []
    for back in range(catch_up_days, 0, -1):
        day = today - datetime.timedelta(days=back)
        if Sheet.objects.filter(date=day, settled_at__isnull=True).exists() or (
            workdays.is_working_day(day)
            and not Sheet.objects.filter(date=day).exists()
            and SessionRecord.objects.filter(date=day).exists()
        ):
            runs.append(sheets_settle(day=day, now=now, commit=commit, force=True))
    closing = sheets_close(day=today, now=now, commit=commit)
    settling = sheets_settle(day=today, now=now, commit=commit)
    closing.settled = settling.settled
    closing.rows_settled = settling.rows_settled
    closing.violations = settling.violations
    runs.append(closing)
    return runs
