"""Signing in and out (ATT-1..5) and the clerk's corrections."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import psycopg
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import rules
from attendance.models import Arrival, SessionRecord, SheetStatus
from attendance.plan import checked_plan, current_generation, day_plan, generation_guard
from attendance.selectors import clerk_keeps, month_is_closed
from attendance.services.common import (
    AttendanceError,
    check_input,
    is_clerk,
    local_date,
    now_or,
    require_person,
)
from attendance.services.judging import rejudge

SIGN_IN_FIELDS = ["signed_in_at", "arrival", "policy_versions"]


def record_sign_in(*, by, now: datetime.datetime | None = None):
    """Sign the user in for the session open now, with the server's time (ATT-1).

    Returns (record, created): `created` is False when the person had signed in
    already (a repeated or simultaneous click): the first sign-in stands. The
    unique constraint on (person, date, part) is what makes a race leave one row.

    The day plan is this worker's copy (`attendance.plan.checked_plan`): the
    INSERT writes only while the database's plan generation is still the copy's,
    and every other outcome (no session open, the sheet closed, signed in
    already) first checks it; a calendar, schedule or policy change committed
    since makes the sign-in judged again under the plan read afresh.
    """
    person = require_person(by)
    now = now_or(now)
    day = local_date(now)
    fresh = False
    for _attempt in range(_ATTEMPTS):
        plan, generation = checked_plan(person.unit_id, day, fresh=fresh)
        outcome = _try_sign_in(person, day, now, plan, generation, fresh)
        if outcome is not None:
            return outcome
        fresh = True  # the copy was stale: again, with the plan in force now
    # Changes commit faster than a sign-in can be judged: the last plan read
    # stands, as it did before plans were checked (a change in the same instant).
    plan, _generation = checked_plan(person.unit_id, day, fresh=True)
    return _try_sign_in(person, day, now, plan, None, True)


_ATTEMPTS = 3


def _try_sign_in(person, day, now, plan, generation, fresh):
    """One judgement of the sign-in under `plan`; None when the plan's generation
    (`generation`, None: unchecked) is no longer the database's."""

    def stale() -> bool:
        return (
            not fresh and generation is not None and current_generation() != generation
        )

    t = plan.thresholds
    session = rules.session_open_for_sign_in(plan.sessions, now, t)
    if session is None:
        if stale():
            return None
        raise AttendanceError(_("No work session is open for signing in now."))
    arrival = rules.judge_arrival(session.start, now, t)
    closes = session.start + datetime.timedelta(minutes=t.sheet_close_minutes)
    if now > closes:
        if stale():
            return None
        # The sheet has (most likely) been closed and holds a "missing" row.
        found = _sign_in_existing(person, session, now, arrival, plan.policy_ids)
        if found is not None:
            return found
    record = SessionRecord(
        person=person,
        unit_id=person.unit_id,
        section_id=person.section_id,
        date=day,
        part=session.part,
        starts_at=session.start,
        ends_at=session.end,
        signed_in_at=now,
        arrival=arrival,
        sheet_status=SheetStatus.IN if arrival == Arrival.ON_TIME else SheetStatus.LATE,
        # A copy: the plan is shared by this worker's requests (attendance.plan).
        policy_versions=dict(plan.policy_ids),
    )
    # No history row for the sign-in itself: the record says who signed in and
    # when (ATT-1: personal, the server's time), and every later change (sign-out,
    # settlement, a correction) writes its own row with the whole record. A
    # correction of a record with no history first keeps this version
    # (`_keep_signed_in_version`).
    record.skip_history_when_saving = True
    try:
        if transaction.get_connection().in_atomic_block:
            # Inside a caller's transaction: a savepoint keeps it usable when
            # the INSERT meets the unique constraint.
            with transaction.atomic():
                written = _insert(record, generation)
        else:
            # One INSERT in autocommit: no BEGIN and COMMIT round trips for the
            # bureau's busiest request; a refused INSERT leaves nothing open.
            written = _insert(record, generation)
    except IntegrityError:
        if stale():
            return None
        found = _sign_in_existing(person, session, now, arrival, plan.policy_ids)
        if found is None:  # pragma: no cover - the conflicting row vanished
            raise
        return found
    finally:
        del record.skip_history_when_saving
    if not written:
        return None
    return record, True


@dataclass(frozen=True)
class _CompiledInsert:
    sql: str
    guarded_sql: str | None  # the same, writing only under a plan generation
    returning_params: tuple
    fields: tuple  # the columns' fields, in the statement's order
    returning: tuple  # the fields read back (the id)


_INSERTS: dict[str, _CompiledInsert | None] = {}


def _compiled_insert(record, using) -> _CompiledInsert | None:
    """The INSERT of a new SessionRecord on `using`, compiled once per process by
    the ORM's own compiler (every concrete column, RETURNING the id). None where
    the database cannot return the id from the INSERT or the id needs converting:
    there `Model.save()` does it."""
    if using in _INSERTS:
        return _INSERTS[using]
    meta = SessionRecord._meta
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
    query = InsertQuery(SessionRecord)
    query.insert_values(fields, [record])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = returning = tuple(meta.db_returning_fields)
    [(sql, _params)] = compiler.as_sql()
    columns = [f.get_col(meta.db_table) for f in returning]
    usable = compiler.connection.features.can_return_columns_from_insert and not (
        compiler.get_converters(columns)
    )
    compiled = (
        _CompiledInsert(
            sql,
            _guarded(sql, compiler.connection),
            tuple(compiler.returning_params),
            fields,
            returning,
        )
        if usable
        else None
    )
    _INSERTS[using] = compiled
    return compiled


class _Prepared(CursorWrapper):
    """Django's cursor wrapper (errors translated, execute wrappers run) whose
    statement is a prepared statement: parsed and planned once per connection."""

    def _execute(self, sql, params, *ignored_wrapper_args):
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            return self.cursor.execute(sql, params, prepare=True)


class _PreparedDebug(CursorDebugWrapper, _Prepared):
    """The same, logged as every query is when queries are logged (tests); the
    text composed here (a prepared execution keeps no query text to read back)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return _Prepared.execute(self, sql, params)


def _prepared_cursor(connection):
    """A cursor whose INSERT PostgreSQL parses and plans once per connection
    (psycopg 3's protocol-level prepared statement): Django binds parameters on
    the client, so each sign-in's 25-parameter `INSERT … SELECT` was parsed and
    planned afresh (issue 17: about 0.2 ms of PostgreSQL's CPU on a sign-in).
    Elsewhere Django's own cursor. A pooler in front of PostgreSQL must keep
    protocol-level prepared statements (PgBouncer ≥ 1.21 with
    `max_prepared_statements`); the deployment connects directly."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = psycopg.Cursor(connection.connection)
    wrapper = _PreparedDebug if connection.queries_logged else _Prepared
    return wrapper(raw, connection)


def _guarded(sql: str, connection) -> str | None:
    """`INSERT … VALUES (…) RETURNING …` as `INSERT … SELECT … WHERE <the plan
    generation is still %s> RETURNING …`: no row written, none returned, when a
    change committed since the plan was read. None for another statement shape
    (then the generation is checked by a query before the plain INSERT)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    head, values = sql.partition(" VALUES (")[::2]
    values, returning = values.rpartition(") RETURNING ")[::2]
    if not (head and values and returning) or " VALUES (" in values:
        return None
    return (
        f"{head} SELECT {values} WHERE {generation_guard(connection)} "
        f"RETURNING {returning}"
    )


def _insert(record, generation: int | None = None) -> bool:
    """`record.save()` of a new record, without compiling its 24-column INSERT
    on every sign-in (issue 17: the ORM's compilation was the largest part of the
    sign-in's CPU beyond a bare view's). The same statement, each value prepared
    by its field as the compiler does (`pre_save`, `get_db_prep_save`), the same
    pre_save/post_save signals, the id read back, the instance marked saved; a
    unique-constraint conflict raises Django's IntegrityError as save() does.
    Plain values only (sign-in sets every field itself; an expression such as
    F() would need the compiler's placeholder: use save()).

    With `generation`, the row is written only while the database's plan
    generation is that one (`attendance.plan.generation_guard`); returns whether
    it was written."""
    using = router.db_for_write(SessionRecord, instance=record)
    compiled = _compiled_insert(record, using)
    sql = compiled and (compiled.sql if generation is None else compiled.guarded_sql)
    if sql is None:
        if generation is not None and current_generation() != generation:
            return False
        record.save(using=using)
        return True
    connection = connections[using]
    pre_save.send(
        sender=SessionRecord,
        instance=record,
        raw=False,
        using=using,
        update_fields=None,
    )
    params = [
        field.get_db_prep_save(field.pre_save(record, True), connection=connection)
        for field in compiled.fields
    ]
    with (
        transaction.mark_for_rollback_on_error(using),
        _prepared_cursor(connection) as cursor,
    ):
        if generation is not None:
            params.append(generation)
        cursor.execute(sql, params)
        row = connection.ops.fetch_returned_insert_columns(
            cursor, compiled.returning_params
        )
    if row is None:  # the guard held it back: the plan was stale
        return False
    for field, value in zip(compiled.returning, row, strict=True):
        setattr(record, field.attname, value)
    record._state.db = using
    record._state.adding = False
    post_save.send(
        sender=SessionRecord,
        instance=record,
        created=True,
        update_fields=None,
        raw=False,
        using=using,
    )
    return True


def _sign_in_existing(person, session, now, arrival, policy_ids):
    with transaction.atomic():
        record = (
            SessionRecord.objects.select_for_update()
            .filter(person=person, date=session.date, part=session.part)
            .first()
        )
        if record is None:
            return None
        if record.signed_in_at is not None:
            return record, False
        if record.settled_at is not None:
            raise AttendanceError(_("This session has been settled already."))
        record.signed_in_at = now
        record.arrival = arrival
        record.policy_versions = {**record.policy_versions, **policy_ids}
        record.save(update_fields=SIGN_IN_FIELDS)
    return record, True


def _keep_signed_in_version(record) -> None:
    """The version a correction replaces, kept in the history when the record has
    none yet (a sign-in writes no history row): by the person, at their sign-in."""
    if record.history.exists():
        return
    SessionRecord.history.bulk_history_create(
        [record],
        default_user=record.person.user,
        default_date=record.signed_in_at or timezone.now(),
    )


@dataclass(frozen=True)
class SignOutConsequence:
    """What a sign-out now would record, when it is not an on-time departure."""

    departure: str  # rules.EARLY or rules.ABSENT
    minutes_early: int
    session_end: datetime.datetime
    early_limit_minutes: int


def sign_out_consequence(
    *, by, now: datetime.datetime | None = None
) -> SignOutConsequence | None:
    """What `record_sign_out` would record now (ATT-4/5), when it is early leave or
    an absence; None when it is on time or there is nothing to sign out of (the
    service then answers with its own message). Reads only."""
    person = require_person(by)
    now = now_or(now)
    plan = day_plan(person.unit_id, local_date(now))
    session = rules.session_open_for_sign_out(plan.sessions, now, plan.thresholds)
    if session is None:
        return None
    record = SessionRecord.objects.filter(
        person=person, date=local_date(now), part=session.part
    ).first()
    if record is None or record.signed_in_at is None or record.signed_out_at:
        return None
    departure = rules.judge_departure(session.end, now, plan.thresholds)
    if departure == rules.ON_TIME:
        return None
    seconds = (session.end - now).total_seconds()
    return SignOutConsequence(
        departure=departure,
        minutes_early=math.ceil(seconds / 60),
        session_end=session.end,
        early_limit_minutes=plan.thresholds.early_limit_minutes,
    )


def record_sign_out(*, by, now: datetime.datetime | None = None):
    """Sign out of the current session (ATT-4). Returns (record, changed)."""
    person = require_person(by)
    now = now_or(now)
    day = local_date(now)
    plan = day_plan(person.unit_id, day)
    session = rules.session_open_for_sign_out(plan.sessions, now, plan.thresholds)
    if session is None:
        raise AttendanceError(_("No work session is open for signing out now."))
    with transaction.atomic():
        record = (
            SessionRecord.objects.select_for_update()
            .filter(person=person, date=day, part=session.part)
            .first()
        )
        if record is None or record.signed_in_at is None:
            raise AttendanceError(_("You have not signed in for this session."))
        if record.signed_out_at is not None:
            return record, False
        if record.settled_at is not None:
            raise AttendanceError(_("This session has been settled already."))
        record.signed_out_at = now
        record.departure = rules.judge_departure(session.end, now, plan.thresholds)
        record.policy_versions = {**record.policy_versions, **plan.policy_ids}
        record.save(update_fields=["signed_out_at", "departure", "policy_versions"])
    return record, True


def record_correct(
    *,
    by,
    record_id: int,
    signed_in_at: datetime.datetime | None,
    signed_out_at: datetime.datetime | None,
    reason: str,
    now: datetime.datetime | None = None,
):
    """The clerk corrects a record's times with a reason (history keeps both
    versions). Nobody corrects their own record; a closed month is locked."""
    now = now_or(now)
    if not is_clerk(by):
        raise AttendanceError(_("Only the attendance clerk corrects records."))
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_("A correction needs a reason."))
    check_input(moments=[signed_in_at, signed_out_at], texts=[reason])
    if signed_in_at and signed_out_at and signed_out_at <= signed_in_at:
        raise AttendanceError(_("The sign-out must be after the sign-in."))
    with transaction.atomic():
        record = (
            SessionRecord.objects.select_for_update()
            .select_related("person")
            .get(pk=record_id)
        )
        if record.person.user_id == by.pk:
            raise AttendanceError(_("Nobody corrects their own record."))
        if not clerk_keeps(by, record.person):
            raise AttendanceError(
                _("%(person)s is in a unit whose attendance another clerk keeps.")
                % {"person": record.person}
            )
        if month_is_closed(record.date):
            raise AttendanceError(
                _("The month is closed: reopen it, with a reason, to correct it.")
            )
        if (
            record.signed_in_at == signed_in_at
            and record.signed_out_at == signed_out_at
        ):
            return record, False
        _keep_signed_in_version(record)
        record.signed_in_at = signed_in_at
        record.signed_out_at = signed_out_at
        record.arrival = Arrival.NONE
        record.departure = ""
        plan = day_plan(record.unit_id, record.date)
        if signed_in_at is not None:
            record.arrival = rules.judge_arrival(
                record.starts_at, signed_in_at, plan.thresholds
            )
        if signed_out_at is not None:
            record.departure = rules.judge_departure(
                record.ends_at, signed_out_at, plan.thresholds
            )
        changed = ["signed_in_at", "signed_out_at", "arrival", "departure"]
        record.correction_reason = reason
        record.corrected_by = by
        changed += ["correction_reason", "corrected_by"]
        if record.settled_at is not None:
            # Settled: judged again by the one re-judge, saved with the correction
            # in one history row; the violations follow (ATT-11).
            rejudge([record], reason=reason, by=by, now=now, also_save=changed)
        else:
            record._change_reason = reason[:100]
            record.save(update_fields=changed)
    return record, True
