"""LV-9 on the deadline engine: approval opens the clock to report back, the
report-back meets it, the reminder goes out once on the last day of leave."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from approvals.models import Notification
from approvals.services import approval_decide
from bureau.workdays import TZ
from deadlines.models import Deadline
from deadlines.services import deadline_for
from leave.models import RETURN_DEADLINE
from leave.services import leave_return
from leave.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
D = datetime.date


def _approved(org, ask, days=3):
    leave = ask(org.u1, days)
    for who in (org.unit_head, org.dep_a):
        approval_decide(request=leave.approval, by=who.user, decision="approve")
    leave.refresh_from_db()
    return leave


def test_lv9_approval_opens_the_return_deadline(org, ask):
    """Mon–Wed leave: due Thursday (back at work), reminded Wednesday (the last
    day); the person on leave answers for it."""
    leave = _approved(org, ask)
    deadline = deadline_for(leave, RETURN_DEADLINE)
    assert (deadline.start, deadline.due_date, deadline.remind_from) == (
        D(2026, 3, 4),
        D(2026, 3, 5),
        D(2026, 3, 4),
    )
    assert deadline.rule == "LV-9" and deadline.responsible == org.u1
    assert deadline.url == f"/leave/{leave.pk}/"


def test_lv9_a_leave_ending_friday_is_due_monday_and_reminded_friday(org, ask):
    leave = ask(org.u1, (MONDAY, "am", D(2026, 3, 6), "pm"), leave_type="sick")
    for who in (org.unit_head, org.dep_a, org.director):
        if leave.approval.status == "pending":
            approval_decide(request=leave.approval, by=who.user, decision="approve")
            leave.approval.refresh_from_db()
    deadline = deadline_for(leave, RETURN_DEADLINE)
    assert (deadline.due_date, deadline.remind_from) == (D(2026, 3, 9), D(2026, 3, 6))


def test_lv9_a_refused_leave_has_no_return_deadline(org, ask):
    leave = ask(org.u1, 2)
    approval_decide(
        request=leave.approval, by=org.unit_head.user, decision="refuse", comment="忙"
    )
    assert deadline_for(leave, RETURN_DEADLINE) is None


@pytest.mark.parametrize(
    ("back", "state"),
    [((D(2026, 3, 5), "am"), "met"), ((D(2026, 3, 3), "pm"), "met")],
)
def test_lv9_reporting_back_meets_the_deadline(org, ask, back, state):
    """Back on Thursday (or early, on Tuesday afternoon): met."""
    leave = _approved(org, ask)
    when = datetime.datetime.combine(back[0], datetime.time(9), tzinfo=TZ)
    with time_machine.travel(when, tick=False):
        leave_return(leave=leave, by=org.u1.user, back_date=back[0], back_half=back[1])
    deadline = deadline_for(leave, RETURN_DEADLINE)
    assert (deadline.state, deadline.closed_on) == (state, back[0])


def test_lv9_reporting_back_late_is_a_missed_deadline(org, ask):
    leave = _approved(org, ask)
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=TZ), tick=False):
        leave_return(
            leave=leave, by=org.u1.user, back_date=D(2026, 3, 5), back_half="am"
        )
    assert deadline_for(leave, RETURN_DEADLINE).state == Deadline.State.MISSED


def test_lv9_the_command_keeps_its_name_and_reminds_once(org, ask):
    """`leave_return_reminders` runs the engine's scan for this kind: dry run lists,
    --commit sends, a second --commit sends nothing."""
    leave = _approved(org, ask)
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 3, 4, 16, tzinfo=TZ), tick=False):
        call_command("leave_return_reminders", stdout=out)
        assert "Would remind (use --commit): 1." in out.getvalue()
        assert not Notification.objects.filter(title__contains="销假").exists()
        call_command("leave_return_reminders", "--commit", stdout=out)
        call_command("leave_return_reminders", "--commit", stdout=out)
    assert "Reminded: 1." in out.getvalue() and "Reminded: 0." in out.getvalue()
    titles = list(
        Notification.objects.filter(
            recipient=org.u1, title__contains="销假"
        ).values_list("title", flat=True)
    )
    assert titles == [f"2026-03-05 到期：销假：{leave}"]
