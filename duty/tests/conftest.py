import datetime

import pytest
import time_machine

from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from bureau.workdays import TZ

MONDAY = datetime.date(2026, 11, 2)  # an ordinary working week (Mon 2 – Fri 6 Nov)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def frozen():
    """Monday 2026-11-02 09:00 in Asia/Shanghai (a week before the rosters)."""
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=7), 9), tick=False):
        yield MONDAY


@pytest.fixture
def approved_leave(org):
    """approved_leave(person, start, end) -> an approved LeaveRequest, asked and
    decided through the leave chapter's services (what absences_on reads)."""
    from leave.services import leave_submit

    def make(person, start, end, leave_type="personal"):
        with time_machine.travel(
            at(start - datetime.timedelta(days=10), 9), tick=False
        ):
            leave = leave_submit(
                by=person.user,
                leave_type=leave_type,
                start_date=start,
                start_half="am",
                end_date=end,
                end_half="pm",
                reason="家中有事",
                handover_note="工作已交由同事处理",
            )
            approval = leave.approvals.get()
            while approval.status == ApprovalRequest.Status.PENDING:
                step = approval.steps.get(order=approval.current_order)
                approval = approval_decide(
                    request=approval, by=step.approver.user, decision="approve"
                )
        leave.refresh_from_db()
        assert leave.status == "approved"
        return leave

    return make


@pytest.fixture
def daily(org, frozen):
    """The organ's daily roster for the week of MONDAY: a1, b1, a2 in turn."""
    from duty.services import roster_create

    return roster_create(
        by=org.head_a.user,
        kind="daily",
        unit=org.organ,
        title="局机关日常值班",
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=6),
        people=[org.a1.pk, org.b1.pk, org.a2.pk],
    )
