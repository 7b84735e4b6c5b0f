"""Taking a number and voiding one: the only writes to the register.

A number is taken INSIDE the caller's transaction, the one that records what it
numbers. The series-year counter row is created and locked by one statement
(INSERT … ON CONFLICT DO UPDATE … RETURNING, on PostgreSQL and on SQLite ≥ 3.35), so
two transactions taking numbers in one series wait for each other at that row, and
a transaction that rolls back takes its increment with it: no gap, no duplicate.
"""

from __future__ import annotations

import datetime
import functools

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.models import Organisation
from bureau.params import LONG_TEXT, clean_text
from numbering import rules
from numbering.models import Counter, Number
from numbering.registry import get_series


class NumberingError(Exception):
    """A number that cannot be taken or voided; the message is for the user."""


def _history_user(obj, user):
    if getattr(user, "pk", None):
        obj._history_user = user
    return obj


def _live_sql() -> str:
    table = connection.ops.quote_name(Number._meta.db_table)
    columns = {
        name: connection.ops.quote_name(Number._meta.get_field(name).column)
        for name in ("id", "series", "content_type", "object_id", "voided")
    }
    # On every take: plain SQL, no ORDER BY, on the one-live-number-per-owner index.
    return (
        f"SELECT {columns['id']} FROM {table} WHERE {columns['series']} = %s AND "
        f"{columns['content_type']} = %s AND {columns['object_id']} = %s AND "
        f"NOT {columns['voided']}"
    )


def _live(series: str, content_type: ContentType, object_id: int) -> Number | None:
    with connection.cursor() as cursor:
        cursor.execute(_live_sql(), [series, content_type.pk, object_id])
        row = cursor.fetchone()
    return None if row is None else Number.objects.get(pk=row[0])


NO_CODE = gettext_lazy(
    "The organisation has no document code (机关代字): enter it in the organisation "
    "record before numbers are given."
)


def _counter_sql() -> str:
    q = connection.ops.quote_name
    table = q(Counter._meta.db_table)
    series, year, last = (
        q(Counter._meta.get_field(name).column) for name in ("series", "year", "last")
    )
    org = Organisation._meta
    code = (
        f"SELECT {q(org.get_field('doc_code').column)} FROM {q(org.db_table)} "
        f"ORDER BY {q(org.pk.column)} LIMIT 1"
    )
    # Creates the row at 1 or adds 1, under the row's lock, and says which; with
    # the organisation's document code (Organisation.current()) in the same trip.
    return (
        f"INSERT INTO {table} ({series}, {year}, {last}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({series}, {year}) DO UPDATE SET {last} = {table}.{last} + 1 "
        f"RETURNING {last}, ({code})"
    )


def _next(series: str, year: int) -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(_counter_sql(), [series, year])
        n, code = cursor.fetchone()
    return n, (code or "").strip()


def _step_back(series: str, year: int) -> None:
    """Undo this transaction's own increment; it still holds the row's lock, so no
    one else has taken a number in between."""
    Counter.objects.filter(series=series, year=year).update(last=F("last") - 1)


@functools.cache
def _history():
    # The class's history manager, built once: reading `instance.history` builds a
    # new manager class on every save (simple-history's signal path), which is
    # most of a number's Python time.
    return Number.history


def _save_with_history(number: Number, by) -> None:
    """The row and its "+" history row: two INSERTs, as a save with the signal
    would send, through simple-history's own bulk_history_create."""
    number.skip_history_when_saving = True
    try:
        number.save(force_insert=True)
    finally:
        del number.skip_history_when_saving
    _history().bulk_history_create(
        [number], default_user=by if getattr(by, "pk", None) else None
    )


@functools.cache
def _take_sql() -> tuple[str, list[str]] | None:
    """PostgreSQL: the rest of a take in ONE statement, after the counter's upsert
    (which holds the row lock, so this statement's snapshot sees every number
    committed before): the owner's live number if it has one, else the new row and
    its "+" history row, through data-modifying CTEs. Returns the SQL and the
    order of its parameters; None when the history table has columns this does not
    know (then the ORM path below is used)."""
    q = connection.ops.quote_name
    meta, history = Number._meta, _history().model._meta
    own = [f for f in meta.concrete_fields if not f.primary_key]
    tracked = {f.column for f in meta.concrete_fields}
    extra = {"history_id", "history_date", "history_change_reason", "history_type"}
    extra.add("history_user_id")
    if {f.column for f in history.concrete_fields} != tracked | extra:
        return None
    table, hist = q(meta.db_table), q(history.db_table)
    col = {f.attname: q(f.column) for f in meta.concrete_fields}
    columns = ", ".join(q(f.column) for f in own)
    # Typed parameters: in INSERT … SELECT a NULL would otherwise be text.
    values = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in own)
    user_type = history.get_field("history_user").cast_db_type(connection)
    date_type = history.get_field("history_date").cast_db_type(connection)
    copied = [q(c) for c in sorted(tracked)]
    sql = (
        f"WITH live AS (SELECT {col['id']} FROM {table} WHERE {col['series']} = %s "
        f"AND {col['content_type_id']} = %s AND {col['object_id']} = %s "
        f"AND NOT {col['voided']}), "
        f"ins AS (INSERT INTO {table} ({columns}) SELECT {values} "
        f"WHERE NOT EXISTS (SELECT 1 FROM live) RETURNING *), "
        f"hist AS (INSERT INTO {hist} ({', '.join(copied)}, history_date, "
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join(copied)}, CAST(%s AS {date_type}), NULL, '+', "
        f"CAST(%s AS {user_type}) FROM ins) "
        f"SELECT (SELECT {col['id']} FROM live LIMIT 1), "
        f"(SELECT {col['id']} FROM ins)"
    )
    return sql, [f.attname for f in own]


def _take_in_one_statement(number: Number, by) -> int | None:
    """Insert `number` and its history row unless its owner has a live number;
    returns the owner's existing live number's id (nothing inserted) or None."""
    sql, order = _take_sql()
    params = [number.series, number.content_type_id, number.object_id]
    params += [getattr(number, attname) for attname in order]
    params += [timezone.now(), by.pk if getattr(by, "pk", None) else None]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        live_id, new_id = cursor.fetchone()
    if live_id is not None:
        return live_id
    number.pk = new_id
    number._state.adding = False
    number._state.db = connection.alias
    return None


def number_take(
    *,
    series: str,
    owner,
    by=None,
    on: datetime.date | None = None,
) -> Number:
    """The number of `owner` in `series`: taken now if it has none, otherwise the one
    it was given (asking again never renumbers). `on` decides the year (today by
    default). Call inside the transaction that records the owner's change."""
    if not transaction.get_connection().in_atomic_block:
        raise NumberingError(
            _(
                "A number is taken only inside the transaction that records it "
                "(transaction.atomic): otherwise a failure after it would leave a "
                "gap."
            )
        )
    spec = get_series(series)
    if spec is None:
        raise NumberingError(
            _("No numbering series “%(series)s” is registered.") % {"series": series}
        )
    if getattr(owner, "pk", None) is None:
        raise NumberingError(_("A record takes a number only once it is saved."))
    content_type = ContentType.objects.get_for_model(owner)
    year = (on or timezone.localdate()).year
    problem = None
    # No savepoint (no extra round trips), but should anything below fail, leaving
    # this block marks the caller's transaction for rollback: the increment cannot
    # be committed without its number, even by a caller that catches the error.
    with transaction.atomic(savepoint=False):
        n, code = _next(series, year)
        if spec.uses_code and not code:
            # Refused: the increment is given back (the row is still locked by
            # this transaction, so no one took a number in between).
            _step_back(series, year)
            problem = NO_CODE
        elif connection.vendor == "postgresql" and _take_sql() is not None:
            # Two statements in all: the counter, then this one (the same checks
            # and rows as the general path below).
            number = Number(
                series=series,
                year=year,
                n=n,
                text=rules.format_number(spec.template, code=code, year=year, n=n),
                content_type=content_type,
                object_id=owner.pk,
                taken_at=timezone.now(),
                taken_by=by if getattr(by, "pk", None) else None,
            )
            existing_id = _take_in_one_statement(number, by)
            if existing_id is not None:
                _step_back(series, year)
                return Number.objects.get(pk=existing_id)
        else:
            # Asked again (by this transaction, or by another one that numbered
            # this owner while this one waited for the counter's lock): give the
            # increment back and return the number it has. Looked up only under
            # the lock: a look before it would be a statement more for every new
            # number, and could not spare this one.
            existing = _live(series, content_type, owner.pk)
            if existing is not None:
                _step_back(series, year)
                return existing
            number = Number(
                series=series,
                year=year,
                n=n,
                text=rules.format_number(spec.template, code=code, year=year, n=n),
                content_type=content_type,
                object_id=owner.pk,
                taken_by=by if getattr(by, "pk", None) else None,
            )
            _save_with_history(number, by)
    # Raised after the block, so that the caller's transaction stays usable.
    if problem is not None:
        raise NumberingError(str(problem))
    return number


def can_void(user) -> bool:
    return bool(user and user.has_perm("numbering.void_number"))


def number_void(*, number: Number, reason: str, by) -> Number:
    """Void a number: it stays in the register, marked voided, with the reason and
    who voided it (history keeps the before). Its record may then take a new one."""
    if not can_void(by):
        raise NumberingError(_("You may not void numbers."))
    return _void(number=number, reason=reason, by=by)


def number_void_for_owner(*, owner, series: str, reason: str, by) -> Number | None:
    """Void the live number of `owner` in `series` as one step of the owning
    chapter's own recorded transition (a dispatch slip whose trip gave its car
    away): the chapter has checked who may take that step, so the numbering
    permission is not asked. Inside the caller's transaction; the number stays in
    the register, voided, with the reason and who voided it; the record's next
    `number_take` gives it a new number. None when the owner has no live number."""
    if not transaction.get_connection().in_atomic_block:
        raise NumberingError(
            _(
                "A number is voided by its owner only inside the transaction that records why."
            )
        )
    live = _live(series, ContentType.objects.get_for_model(owner), owner.pk)
    if live is None:
        return None
    return _void(number=live, reason=reason, by=by)


def _void(*, number: Number, reason: str, by) -> Number:
    try:
        reason = clean_text(reason, max_length=LONG_TEXT).strip()
    except ValidationError as exc:
        raise NumberingError(exc.messages[0]) from None
    if not reason:
        raise NumberingError(_("Give the reason why this number is voided."))
    with transaction.atomic():
        number = Number.objects.select_for_update().get(pk=number.pk)
        if number.voided:
            return number
        number.voided = True
        number.voided_at = timezone.now()
        number.voided_by = by if getattr(by, "pk", None) else None
        number.reason = reason
        number.full_clean(validate_unique=False, validate_constraints=False)
        _history_user(number, by)
        number.save(update_fields=["voided", "voided_at", "voided_by", "reason"])
    return number
