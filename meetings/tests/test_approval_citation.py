"""MTG-1 × the approval engine: the document clerk records a meeting step in the
admin by choosing the decision in the minutes (its foreign key), and the decision's
page lists the approval citing it."""

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.services import approval_submit
from bureau.models import Position, Role
from bureau.testing import make_person
from meetings.models import TOPIC
from meetings.testing import held_meeting

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:approvals_approvalrequest_changelist"


@pytest.fixture
def clerk(org):
    return make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DOCUMENT_CLERK],
    )


def _meeting_step(org):
    return approval_submit(
        subject=org.section_b,
        requester=org.b1,
        chain=[{"action": "meeting", "who": "bureau_affairs_meeting"}],
        by=org.b1.user,
        kind="purchase",
        summary="购置复印机（FIN-2）",
    )


def _post(client, approval, **data):
    return client.post(
        reverse(CHANGELIST) + "?waiting=meeting",
        {
            "action": "record_meeting_decision",
            "_selected_action": [approval.pk],
            "apply": "1",
            "decision": "approve",
            **data,
        },
    )


def test_mtg1_clerk_chooses_the_decision_in_the_admin(org, client_for, clerk):
    meeting, (decision,) = held_meeting(org, texts=("同意购置复印机。",))
    approval = _meeting_step(org)
    client = client_for(clerk)
    form = client.post(
        reverse(CHANGELIST) + "?waiting=meeting",
        {"action": "record_meeting_decision", "_selected_action": [approval.pk]},
    )
    assert decision.citation in form.content.decode()  # offered in the form
    _post(client, approval, decision_ref=decision.pk)
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED
    step = approval.steps.get()
    assert step.meeting_decision_ref == decision
    assert step.meeting_decision == decision.citation
    assert step.meeting_held_on == meeting.held_on
    page = client.get(reverse("meetings:decision", args=[decision.pk]))
    assert "购置复印机（FIN-2）" in page.content.decode()
    # The director may open the decision, not that approval: it is only counted.
    page = (
        client_for(org.director)
        .get(reverse("meetings:decision", args=[decision.pk]))
        .content.decode()
    )
    assert "购置复印机（FIN-2）" not in page and "另有 1 条" in page


def test_mtg1_admin_refuses_a_topic_decision_and_an_empty_citation(
    org, client_for, clerk
):
    _meeting, (topic,) = held_meeting(org, kind=TOPIC)
    approval = _meeting_step(org)
    client = client_for(clerk)
    response = _post(client, approval, decision_ref=topic.pk)
    assert "不是局务会议的决定" in " ".join(
        str(m) for m in response.wsgi_request._messages
    )
    response = _post(client, approval)
    assert response.status_code == 400  # neither a decision nor a citation
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.PENDING
    assert approval.steps.get().meeting_decision_ref is None
