"""Issue 17: deciding a leave request's last step in the admin (the confirm POST,
what bench/http_harness.py `approvals` measures), with every rule's write done:
LV-7 the form's number, LV-9 the return deadline, the requester's notification
and its e-mail, ATT-8 attendance judged again, DUTY-1 the rosters asked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import ApprovalRequest, ApprovalStep, Notification
from approvals.services import approval_decide
from bureau import outbox
from bureau.models import OutboxMessage
from deadlines.services import deadline_for
from leave.models import RETURN_DEADLINE, LeaveRequest
from leave.services import FORM_SERIES
from numbering.selectors import number_of

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:approvals_approvalrequest_changelist")

# The statements left (PostgreSQL, sessions in the shared cache as deployed with
# Redis), each needed by a rule or by the request:
#  1 the user with their person · 2 their permissions and roles (one UNION) ·
#  3 the ticked request within their scope, locked with its requester (one
#  statement: approvals.services.lock_for_decision) · 4 its steps · 5 the step
#  and its history (one statement: bureau.history_sql) · 6 the request and its
#  history · 7 the leave locked with its person · 8 the leave and its history ·
#  9 LV-7's and LV-9's policies · 10 the form's counter · 11 its number with
#  history · 12 attendance's re-judge in the outbox · 13 the calendar from the
#  leave's end · 14 the deadline and its history · 15 the notification · 16 its
#  e-mail in the outbox · after commit: 17 the re-judge claimed (UPDATE …
#  RETURNING) · 18 marked sent · 19 DUTY-1's rosters of the person in the period.
# SQLite has no data-modifying CTE: each history row is a statement of its own
# (4 more) and the form is numbered in 4 statements (2 more): 25.
MOST = {"postgresql": 19}.get(connection.vendor, 25)


class _Broker:
    """What the outbox hands the broker after commit (the worker runs it)."""

    def __init__(self, name, sent):
        self.name, self.sent = name, sent

    def apply_async(self, *args, **kwargs):
        self.sent.append(self.name)


def test_lv7_lv9_admin_decision_of_a_leaves_last_step_costs_19_queries(
    org, ask, client_for, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """A 3-day leave of unit staff, agreed by the unit head, approved by the deputy
    in the admin: redirected, and every write of the rules is there."""
    settings.SESSION_ENGINE = "bureau.sessions"
    org.u1.user.email = "u1@example.org"
    org.u1.user.save(update_fields=["email"])
    leave = ask(org.u1, 3)
    approval_decide(request=leave.approval, by=org.unit_head.user, decision="approve")
    approval_id = leave.approval.pk
    client = client_for(org.dep_a)
    client.get(CHANGELIST)
    sent = []
    monkeypatch.setattr(outbox, "_task", lambda name: _Broker(name, sent))
    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            CHANGELIST,
            {
                "action": "approve_selected",
                "_selected_action": [approval_id],
                "select_across": "0",
                "apply": "1",
                "comment": "",
            },
        )
    assert response.status_code == 302
    sqls = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(sqls) <= MOST, "\n\n".join(sqls)

    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    approval = ApprovalRequest.objects.get(pk=approval_id)
    assert approval.status == ApprovalRequest.Status.APPROVED
    step = approval.steps.get(order=2)
    assert (step.status, step.decision, step.decided_by) == (
        ApprovalStep.Status.DONE,
        ApprovalStep.Decision.APPROVED,
        org.dep_a,
    )
    # History of each row written, by the decider.
    assert approval.history.first().history_user == org.dep_a.user
    assert step.history.first().history_user == org.dep_a.user
    assert leave.history.first().status == LeaveRequest.Status.APPROVED
    # LV-7: the form's number; LV-9: the clock to report back, the person's.
    number = number_of(leave, FORM_SERIES)
    assert number is not None and number.history.count() == 1
    deadline = deadline_for(leave, RETURN_DEADLINE)
    assert deadline.responsible == org.u1 and deadline.history.count() == 1
    # The requester told, in the app and by e-mail (handed to the worker).
    notification = Notification.objects.get(request=approval, recipient=org.u1)
    assert notification.emailed_at is not None
    mail = OutboxMessage.objects.get(key=f"notification:{notification.pk}")
    assert mail.payload["to"] == ["u1@example.org"]
    task = OutboxMessage.objects.get(kind=OutboxMessage.Kind.TASK)
    assert task.state == OutboxMessage.State.SENT and task.attempts == 1
    assert sorted(sent) == ["attendance.tasks.rejudge_sessions", outbox.DELIVER_TASK]
