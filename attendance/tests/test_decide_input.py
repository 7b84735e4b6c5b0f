"""Only the named decisions are accepted on the attendance deciders' buttons
(issue 8, hole 7): going out and study leave are decided on the approval engine
(approvals:decide, approve/refuse). Anything else is a 400 and changes nothing."""

import pytest
import time_machine
from django.urls import reverse

from attendance import services
from attendance.models import GoingOut, StudyLeave
from attendance.tests.conftest import at
from attendance.tests.test_going_out_study import _study, report


@pytest.mark.parametrize("decision", ["", "acknowledged", "ok", "acknowledge"])
def test_att7_going_out_unknown_decision_is_400_and_changes_nothing(
    org, monday, client_for, decision
):
    """ATT-7: the addressee's unknown decision is refused; the report still waits."""
    going_out = report(org.a1, monday)
    history = going_out.history.count()
    response = client_for(org.head_a).post(
        reverse("approvals:decide", args=[going_out.current_approval.pk]),
        {"decision": decision},
    )
    assert response.status_code == 400
    going_out.refresh_from_db()
    assert going_out.status == GoingOut.Status.REQUESTED
    assert going_out.history.count() == history


@pytest.mark.parametrize("decision", ["", "approved", "yes", "acknowledge"])
def test_att9_study_leave_unknown_decision_is_400_and_changes_nothing(
    org, monday, client_for, decision
):
    """ATT-9: the approver's unknown decision is refused; the leave still waits."""
    session = _study(monday)
    with time_machine.travel(at(monday, 15), tick=False):
        leave = services.study_leave_ask(
            by=org.a1.user, session_id=session.pk, reason="家中有事"
        )
    before = StudyLeave.objects.filter(pk=leave.pk).values().get()
    response = client_for(org.dep_a).post(
        reverse("approvals:decide", args=[leave.current_approval.pk]),
        {"decision": decision},
    )
    assert response.status_code == 400
    assert StudyLeave.objects.filter(pk=leave.pk).values().get() == before
