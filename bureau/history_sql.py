"""A row's write and its history row in ONE statement (PostgreSQL).

django-simple-history writes a history row after every save: a model's UPDATE (or
INSERT) and then the history table's INSERT, two round trips. The busiest
decisions (an approval step, its request, the leave, the return deadline: issue 17)
write four such pairs. On PostgreSQL a data-modifying CTE does both at once:

    WITH written AS (UPDATE t SET … WHERE id = %s RETURNING every column)
    INSERT INTO historical_t (every column, history_date, history_change_reason,
                              history_type, history_user_id)
    SELECT every column, %s, %s, '~', %s FROM row

The history row is the one simple-history would write: the same columns (read back
from the row as written), the same date (`_history_date` or now), user (the
instance's `_history_user`, else the signed-in user of the request, through
simple-history's own `get_history_user`) and change reason.

It is used only where it is the same as a save; otherwise the ORM's save runs, with
its signals (so the result never depends on which path ran):
- the database is not PostgreSQL;
- the history table has columns beyond the model's and simple-history's own (an
  excluded field, an extra field, a history relation);
- anything else listens: a pre_save/post_save receiver other than simple-history's,
  a pre/post_create_historical_record receiver, an m2m history;
- the model overrides `save()` (unless the override is marked `plain_for_updates`:
  it acts only on a new row, and the write is an update), a field has a database
  default, or the instance is new for an update (or old for an insert).

`bureau/tests/test_history_sql.py` compares the rows and history rows of both paths
column by column.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import DatabaseError, connection, models
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_record,
    pre_create_historical_record,
)

HISTORY_COLUMNS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
}


@functools.cache
def _records_of(model) -> HistoricalRecords | None:
    """The HistoricalRecords that writes `model`'s history (its post_save
    receiver's owner)."""
    for _key, receiver, *_rest in post_save.receivers:
        owner = getattr(receiver, "__self__", None)
        if isinstance(owner, HistoricalRecords) and owner.cls is model:
            return owner
    return None


def plain_for_updates(save):
    """Marks a `save()` override that adds nothing to an existing row's update (it
    acts only when the row is new): `update_with_history` may then write the row."""
    save.plain_for_updates = True
    return save


@functools.cache
def _shape(model, *, updating: bool) -> tuple | None:
    """(records, history model, the tracked columns) when the history table is the
    model's columns and simple-history's own, nothing else; else None."""
    records = _records_of(model)
    if records is None or records.m2m_fields:
        return None
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    if getattr(history, "_history_m2m_fields", None):
        return None
    tracked = [f.column for f in model._meta.concrete_fields]
    if {f.column for f in history._meta.concrete_fields} != set(tracked) | (
        HISTORY_COLUMNS
    ):
        return None
    if model.save is not models.Model.save and not (
        updating and getattr(model.save, "plain_for_updates", False)
    ):
        return None
    if any(f.has_db_default() for f in model._meta.concrete_fields):
        return None
    return records, history, tracked


def _only_history_listens(model, history) -> bool:
    """Nothing but simple-history hears a save of `model` (checked on every call:
    a receiver may be connected later, in a test for instance)."""
    for signal in (pre_save, post_save):
        for (_receiver_id, sender_id), receiver, *_rest in signal.receivers:
            if sender_id not in (id(model), id(None)):
                continue
            if not isinstance(getattr(receiver, "__self__", None), HistoricalRecords):
                return False
    return not (
        pre_create_historical_record.has_listeners(history)
        or post_create_historical_record.has_listeners(history)
    )


def _usable(instance, *, updating: bool):
    if connection.vendor != "postgresql":
        return None
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return None
    if hasattr(instance, "skip_history_when_saving"):
        return None
    model = type(instance)
    shape = _shape(model, updating=updating)
    if shape is None or not _only_history_listens(model, shape[1]):
        return None
    return shape


def _history_values(records, instance, history_type):
    """The history row's own columns, as simple-history computes them."""
    user = records.get_history_user(instance)
    return [
        getattr(instance, "_history_date", None) or timezone.now(),
        history_utils.get_change_reason_from_object(instance),
        history_type,
        user.pk if getattr(user, "pk", None) else None,
    ]


def _history_insert(history, tracked, source: str) -> str:
    q = connection.ops.quote_name
    meta = history._meta
    date_type = meta.get_field("history_date").cast_db_type(connection)
    reason_type = meta.get_field("history_change_reason").cast_db_type(connection)
    user_type = meta.get_field("history_user").cast_db_type(connection)
    columns = ", ".join(q(c) for c in tracked)
    return (
        f"INSERT INTO {q(meta.db_table)} ({columns}, history_date, "
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {columns}, CAST(%s AS {date_type}), CAST(%s AS {reason_type}), "
        f"%s, CAST(%s AS {user_type}) FROM {source}"
    )


def update_with_history(instance, *, update_fields=None) -> None:
    """`instance.save(update_fields=…)` of an existing row, with its "~" history
    row, in one statement where that is the same (see the module); else the save."""
    shape = None if instance._state.adding else _usable(instance, updating=True)
    if shape is None:
        instance.save(update_fields=update_fields)
        return
    records, history, tracked = shape
    meta = type(instance)._meta
    q = connection.ops.quote_name
    fields = [
        f
        for f in meta.concrete_fields
        if not f.primary_key
        and (
            update_fields is None
            or f.name in update_fields
            or f.attname in update_fields
        )
    ]
    assignments, params = [], []
    for field in fields:
        value = field.get_db_prep_save(
            field.pre_save(instance, add=False), connection=connection
        )
        assignments.append(f"{q(field.column)} = %s")
        params.append(value)
    sql = (
        f"WITH written AS (UPDATE {q(meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {q(meta.pk.column)} = %s RETURNING "
        f"{', '.join(q(c) for c in tracked)}) "
        + _history_insert(history, tracked, "written")
        + " RETURNING 1"
    )
    params.append(meta.pk.get_db_prep_value(instance.pk, connection))
    params += _history_values(records, instance, "~")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.fetchone() is None:
            # As the save with update_fields says it.
            raise DatabaseError("Save with update_fields did not affect any rows.")


def insert_with_history(instance) -> None:
    """`instance.save()` of a new row (its primary key from the database), with its
    "+" history row, in one statement where that is the same; else the save. A
    unique constraint refuses it with the same IntegrityError."""
    shape = (
        _usable(instance, updating=False)
        if instance._state.adding and instance.pk is None
        else None
    )
    if shape is None:
        instance.save()
        return
    records, history, tracked = shape
    meta = type(instance)._meta
    q = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    params = [
        f.get_db_prep_save(f.pre_save(instance, add=True), connection=connection)
        for f in fields
    ]
    # Typed: the values go through a SELECT, where a NULL would otherwise be text.
    values = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields)
    sql = (
        f"WITH written AS (INSERT INTO {q(meta.db_table)} "
        f"({', '.join(q(f.column) for f in fields)}) SELECT {values} RETURNING "
        f"{', '.join(q(c) for c in tracked)}), "
        f"history AS ({_history_insert(history, tracked, 'written')}) "
        f"SELECT {q(meta.pk.column)} FROM written"
    )
    params += _history_values(records, instance, "+")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (pk,) = cursor.fetchone()
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
