"""bureau.history_sql: a row's write and its history row in one statement on
PostgreSQL, the same rows as simple-history's save path; the save itself wherever
that would not be the same."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalRequest, ApprovalStep
from bureau import history_sql
from bureau.history_sql import insert_with_history, update_with_history
from bureau.models import Unit
from deadlines.models import Deadline
from leave.models import LeaveRequest

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = connection.vendor == "postgresql"
IGNORED = {"history_id", "history_date", "id"}


def _last_history(model, pk):
    row = model.history.filter(id=pk).order_by("-history_id").values().first()
    return {k: v for k, v in row.items() if k not in IGNORED}


def _new_unit(org, code):
    unit = Unit(organisation=org.organisation, name=f"单位{code}", code=code)
    unit.kind = Unit.Kind.SUBORDINATE
    return unit


def test_the_decisions_models_are_written_in_one_statement():
    """Issue 17: the admin decision's four writes with history (the step, the
    request, the leave, the return deadline) take the one-statement path: nothing
    else listens to their saves and their history tables hold only their columns."""
    for model in (ApprovalStep, ApprovalRequest, LeaveRequest):
        shape = history_sql._shape(model, updating=True)
        assert shape is not None, model
        assert history_sql._only_history_listens(model, shape[1]), model
    shape = history_sql._shape(Deadline, updating=False)
    assert shape is not None
    assert history_sql._only_history_listens(Deadline, shape[1])


def test_an_update_writes_the_same_history_row_as_a_save(org):
    by = org.director.user
    first, second = _new_unit(org, "u-a"), _new_unit(org, "u-b")
    first.save()
    second.save()
    for unit in (first, second):
        unit.name = "改名后的单位"
        unit._history_user = by
        unit._change_reason = "改名"
    first.save(update_fields=["name"])
    with CaptureQueriesContext(connection) as captured:
        update_with_history(second, update_fields=["name"])
    assert len(captured) == (1 if ON_POSTGRESQL else 2)
    second.refresh_from_db()
    assert second.name == "改名后的单位"
    theirs, ours = _last_history(Unit, first.pk), _last_history(Unit, second.pk)
    assert ours.pop("code") == "u-b" and theirs.pop("code") == "u-a"
    assert ours == theirs
    assert ours["history_type"] == "~" and ours["history_user_id"] == by.pk
    assert ours["history_change_reason"] == "改名"


def test_an_update_of_every_field_and_the_users_from_the_request(org):
    """No `_history_user`: the signed-in user of the request, as simple-history
    takes it (HistoryRequestMiddleware's context)."""
    unit = _new_unit(org, "u-c")
    unit.save()
    unit.name = "又一个名字"

    class _Request:
        user = org.dep_a.user

    HistoricalRecords.context.request = _Request()
    try:
        update_with_history(unit)
    finally:
        del HistoricalRecords.context.request
    row = _last_history(Unit, unit.pk)
    assert row["name"] == "又一个名字" and row["history_user_id"] == org.dep_a.user.pk


def test_an_insert_writes_the_row_and_the_same_history_row_as_a_save(org):
    theirs = _new_unit(org, "u-d")
    theirs._history_user = org.director.user
    theirs.save()
    ours = _new_unit(org, "u-e")
    ours._history_user = org.director.user
    with CaptureQueriesContext(connection) as captured:
        insert_with_history(ours)
    assert len(captured) == (1 if ON_POSTGRESQL else 2)
    assert ours.pk is not None and not ours._state.adding
    assert Unit.objects.get(pk=ours.pk).code == "u-e"
    mine, its = _last_history(Unit, ours.pk), _last_history(Unit, theirs.pk)
    assert (mine.pop("code"), mine.pop("name")) == ("u-e", "单位u-e")
    assert (its.pop("code"), its.pop("name")) == ("u-d", "单位u-d")
    assert mine == its and mine["history_type"] == "+"


def test_an_insert_refused_by_a_unique_constraint_raises_as_a_save(org):
    _new_unit(org, "u-f").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_with_history(_new_unit(org, "u-f"))


def test_another_receiver_gets_the_save_itself(org):
    """A post_save receiver of the model: the ORM's save runs, with its signal."""
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance.pk)

    unit = _new_unit(org, "u-g")
    unit.save()
    post_save.connect(receiver, sender=Unit, dispatch_uid="test-history-sql")
    try:
        unit.name = "听见了"
        with CaptureQueriesContext(connection) as captured:
            update_with_history(unit, update_fields=["name"])
    finally:
        post_save.disconnect(sender=Unit, dispatch_uid="test-history-sql")
    assert heard == [unit.pk] and len(captured) == 2
    assert _last_history(Unit, unit.pk)["name"] == "听见了"


def test_an_update_of_a_row_that_is_gone_is_an_error(org):
    unit = _new_unit(org, "u-h")
    unit.save()
    Unit.objects.filter(pk=unit.pk).delete()
    unit.name = "不在了"
    with pytest.raises(DatabaseError), transaction.atomic():
        update_with_history(unit, update_fields=["name"])
    assert not Unit.history.filter(id=unit.pk, history_type="~").exists()
