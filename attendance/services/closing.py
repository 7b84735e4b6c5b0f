"""Closing the sign-in sheet (ATT-6): one row per person and session, "missing",
"on leave" or "out on business" for those not signed in, written in bulk SQL.

It works on every unit of a day at once with a handful of bulk queries, whatever
the number of staff, and is idempotent: `Sheet.closed_at` is the done-marker, and
the unique (person, date, part) constraint backs it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection, transaction

from attendance.excuses import excuses_for
from attendance.models import SessionRecord, Sheet, SheetStatus
from attendance.policies import judgement_policies
from attendance.services.common import now_or
from attendance.services.sheet_day import SheetRun, day_context, mark_sheets
from bureau import workdays

ROWS_PER_INSERT = 1000


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
    by_unit, sessions = day_context(day)
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
        mark_sheets(day, todo, sheets, now, policy_ids, closed=counts)
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
