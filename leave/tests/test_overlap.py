"""One person's requests may not share a half day (pending or approved); the checks
run under the person's lock, taken before they read (the races themselves are in
test_races.py, on PostgreSQL)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApprovalRequest
from leave.models import LeaveRequest
from leave.services import LeaveError, leave_return, leave_withdraw
from leave.tests.conftest import MONDAY
from leave.tests.test_services import _approved

pytestmark = pytest.mark.django_db

OVERLAP = "该时段内您已有其他请假申请。"
TUESDAY = MONDAY + datetime.timedelta(days=1)


def test_lv1_overlapping_request_is_refused_with_a_clear_message(org, ask):
    """A second request sharing a day with a pending one is refused, and neither a
    request nor an approval is stored for it."""
    ask(org.a1, (MONDAY, "am", TUESDAY, "pm"))
    with pytest.raises(LeaveError) as refused:
        ask(org.a1, (TUESDAY, "am", TUESDAY, "am"), leave_type="sick")
    assert str(refused.value) == OVERLAP
    assert LeaveRequest.objects.filter(person=org.a1).count() == 1
    assert ApprovalRequest.objects.filter(requester=org.a1).count() == 1


def test_lv1_morning_and_afternoon_of_one_day_are_two_requests(org, ask):
    """Half days: a morning's leave and an afternoon's leave of one date do not
    overlap (as in the database's constraint); the same half twice does."""
    ask(org.a1, (MONDAY, "am", MONDAY, "am"))
    ask(org.a1, (MONDAY, "pm", TUESDAY, "am"), leave_type="sick")
    with pytest.raises(LeaveError, match=OVERLAP):
        ask(org.a1, (TUESDAY, "am", TUESDAY, "pm"))
    ask(org.a1, (TUESDAY, "pm", TUESDAY, "pm"))
    assert LeaveRequest.objects.filter(person=org.a1).count() == 3


def test_lv1_withdrawn_leave_frees_its_period(org, ask):
    """A withdrawn request holds no time: the period may be asked again."""
    first = ask(org.a1, (MONDAY, "am", TUESDAY, "pm"))
    leave_withdraw(leave=first, by=org.a1.user)
    assert ask(org.a1, (TUESDAY, "am", TUESDAY, "pm")).pk


def test_lv9_an_early_return_frees_the_rest_of_the_leave(org, ask):
    """LV-9: back on Tuesday afternoon from a Mon–Wed leave: the rest (Tuesday
    afternoon, Wednesday) may be asked again; Tuesday morning may not."""
    leave = _approved(org, ask)
    leave_return(leave=leave, by=org.u1.user, back_date=TUESDAY, back_half="pm")
    with pytest.raises(LeaveError, match=OVERLAP):
        ask(org.u1, (TUESDAY, "am", TUESDAY, "am"))
    assert ask(org.u1, (TUESDAY, "pm", TUESDAY + datetime.timedelta(days=1), "pm"))


def test_lv11_annual_balance_counts_pending_requests(org, ask):
    """LV-11: with 3 of 5 days pending, a second 3-day annual request is refused
    with the balance in the message; nothing of it is stored."""
    ask(
        org.u1,
        (MONDAY, "am", MONDAY + datetime.timedelta(days=2), "pm"),
        leave_type="annual",
    )
    next_monday = MONDAY + datetime.timedelta(days=7)
    with pytest.raises(LeaveError) as refused:
        ask(
            org.u1,
            (next_monday, "am", next_monday + datetime.timedelta(days=2), "pm"),
            leave_type="annual",
        )
    assert "年休假不足" in str(refused.value)
    assert re.search(r"可用 2(\.0)? 天", str(refused.value))
    assert LeaveRequest.objects.filter(person=org.u1).count() == 1


def test_lv11_the_lock_is_taken_before_the_checks_read(org, ask):
    """The person's row is locked in a statement of its own, before the statement
    that reads overlap and balance (on PostgreSQL a lock taken by the reading
    statement would read rows as they were before it waited)."""
    with CaptureQueriesContext(connection) as captured:
        ask(org.u1, (MONDAY, "am", MONDAY, "pm"), leave_type="annual")
    sql = [q["sql"] for q in captured.captured_queries]
    lock = next(
        i
        for i, s in enumerate(sql)
        if s.startswith('SELECT "bureau_person"."id" AS "pk" FROM "bureau_person"')
    )
    check = next(i for i, s in enumerate(sql) if "leave_leaverequest" in s)
    insert = next(i for i, s in enumerate(sql) if s.startswith("INSERT"))
    assert lock < check < insert
    assert "leave_leaverequest" not in sql[lock]
    if connection.vendor == "postgresql":
        assert sql[lock].endswith("FOR UPDATE")
        assert "FOR UPDATE" not in sql[check]


def test_sqlite_transactions_take_the_write_lock_at_begin(settings):
    """On SQLite the lock before the read is the database's: transactions begin
    IMMEDIATE, so a second submitter waits at BEGIN until the first commits."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
