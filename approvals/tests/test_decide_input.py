"""Only the named decisions are accepted (issue 8, hole 7): anything else is a 400
and changes nothing, in the in-app inbox and on the admin's decision desk."""

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.services import approval_submit
from bureau.models import Role
from bureau.testing import make_person

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:approvals_approvalrequest_changelist"


def _pending(org, chain=None, subject=None):
    return approval_submit(
        subject=subject or org.section_b,
        requester=org.b1,
        chain=chain or [{"action": "approve", "who": "section_head"}],
        by=org.b1.user,
        kind="purchase",
        summary="采购打印纸",
    )


def _state(approval):
    approval.refresh_from_db()
    steps = list(
        ApprovalStep.objects.filter(request=approval)
        .order_by("order")
        .values_list("status", "decision", "decided_at")
    )
    return approval.status, approval.current_order, steps


@pytest.mark.parametrize("decision", ["", "approvee", "APPROVE", "agree", "yes", "1"])
def test_decide_unknown_decision_is_400_and_changes_nothing(org, client_for, decision):
    """Hole 7: a decision that is not one of the form's two buttons is refused with
    HTTP 400 and a message; the request still waits, no step is decided."""
    approval = _pending(org)
    before = _state(approval)
    history = approval.history.count()
    response = client_for(org.head_b).post(
        reverse("approvals:decide", args=[approval.pk]),
        {"decision": decision} if decision else {},
    )
    assert response.status_code == 400
    assert "无法识别的决定" in response.content.decode()
    assert _state(approval) == before
    assert approval.history.count() == history
    assert approval.status == ApprovalRequest.Status.PENDING


def test_decide_named_decisions_still_work(org, client_for):
    """The two buttons keep working: approve approves, refuse (with a reason) refuses."""
    first, second = _pending(org), _pending(org, subject=org.section_a)
    client = client_for(org.head_b)
    assert (
        client.post(
            reverse("approvals:decide", args=[first.pk]), {"decision": "approve"}
        ).status_code
        == 302
    )
    asked = client.post(
        reverse("approvals:decide", args=[second.pk]),
        {"decision": "refuse", "comment": "预算不足"},
    )
    # A refusal first says what it records, the reason kept in the resent form.
    assert asked.status_code == 200 and "预算不足" in asked.content.decode()
    second.refresh_from_db()
    assert second.status == ApprovalRequest.Status.PENDING
    client.post(
        reverse("approvals:decide", args=[second.pk]),
        {"decision": "refuse", "comment": "预算不足", "confirm": "1"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ApprovalRequest.Status.APPROVED
    assert second.status == ApprovalRequest.Status.REFUSED


def test_admin_county_decision_unknown_is_400_and_changes_nothing(org, client_for):
    """The admin's county-decision desk accepts only agreed/refused: another value
    is shown again with the error (HTTP 400) and nothing is recorded."""
    clerk = make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    approval = _pending(org, [{"action": "external", "who": "county_magistrate"}])
    before = _state(approval)
    response = client_for(clerk).post(
        reverse(CHANGELIST) + "?waiting=external",
        {
            "action": "record_county_decision",
            "_selected_action": [approval.pk],
            "apply": "1",
            "decision": "maybe",
            "reference": "示委办〔2026〕1号",
            "decided_on": "2026-03-02",
        },
    )
    assert response.status_code == 400
    assert _state(approval) == before


def test_admin_unknown_action_decides_nothing(org, client_for):
    """An action name the desk does not offer decides nothing."""
    approval = _pending(org)
    before = _state(approval)
    client_for(org.head_b).post(
        reverse(CHANGELIST),
        {
            "action": "approve_everything",
            "_selected_action": [approval.pk],
            "apply": "1",
        },
    )
    assert _state(approval) == before
