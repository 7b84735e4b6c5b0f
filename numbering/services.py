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
