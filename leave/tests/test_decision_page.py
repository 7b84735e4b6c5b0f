"""LV-1..8 on the one decision page: everything needed to decide a leave request
(period with halves, working days, reason, handover, annual balance, other leave
this year, who else of the section is away — the conflict warning —, the chain with
comments, attachments); the home page, the inbox and the admin lead to it."""

import datetime

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from attachments.services import attachment_add
from attachments.testing import upload
from leave.models import LeaveRequest
from leave.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + datetime.timedelta(days=1)


@pytest.fixture
def asked(org, ask):
    """a1 asks Mon am – Tue am (1.5 days); a2 of the same section is away Tuesday;
    a1 had annual leave approved earlier; b1 (another section) away the same days."""
    earlier = ask(
        org.a1,
        (
            MONDAY + datetime.timedelta(days=3),
            "am",
            MONDAY + datetime.timedelta(days=3),
            "pm",
        ),
        leave_type="annual",
    )
    approval_decide(
        request=earlier.approval, by=org.head_a.user, decision="approve", comment="可"
    )
    ask(org.a2, (TUESDAY, "am", TUESDAY, "pm"), reason="看病")
    ask(org.b1, (MONDAY, "am", TUESDAY, "pm"))
    leave = ask(
        org.a1,
        (MONDAY, "am", TUESDAY, "am"),
        reason="陪同家人就医",
        handover_note="报表交 inspector 代办",
    )
    attachment_add(by=org.a1.user, obj=leave, file=upload(), purpose="sick_note")
    return leave


def test_lv1_decision_page_shows_everything_needed(org, asked, client_for):
    """LV-1: the section head's decision page carries the period with halves, the
    days, reason, handover, balance, other leave, the conflict (a2 away Tuesday,
    not b1 of another section), the chain and the attachment, and the form."""
    page = client_for(org.head_a).get(
        reverse("approvals:detail", args=[asked.approval.pk])
    )
    assert page.status_code == 200
    body = page.content.decode()
    for text in (
        "2026-03-02",
        "2026-03-03",
        "上午",
        "1.5",
        "陪同家人就医",
        "报表交 inspector 代办",
        'id="leave-balance"',
        'id="leave-conflict"',
        'id="decide-form"',
        "approval-chain",
        ".pdf",
    ):
        assert text in body, text
    conflict = body.split('id="leave-conflict"')[1].split("</div>")[0]
    assert "a2" in conflict and "b1" not in conflict
    others = body.split('id="leave-others"')[1].split("</dd>")[0]
    assert "03-05" in others  # the earlier annual leave, Thursday


def test_lv1_no_conflict_says_nobody_else_is_away(org, ask, client_for):
    """LV-1: alone in the period, the page says nobody else of the section is away."""
    leave = ask(org.a1, 1)
    body = (
        client_for(org.head_a)
        .get(reverse("approvals:detail", args=[leave.approval.pk]))
        .content.decode()
    )
    assert 'id="leave-no-conflict"' in body and 'id="leave-conflict"' not in body


def test_lv1_home_inbox_and_admin_lead_to_the_same_decision_page(
    org, asked, client_for
):
    """LV-1: the home panel, the inbox queue and the admin (list and detail) link to
    the one decision page."""
    client = client_for(org.head_a)
    url = reverse("approvals:detail", args=[asked.approval.pk])
    assert url in client.get("/").content.decode()
    assert url in client.get(reverse("approvals:inbox")).content.decode()
    assert (
        url
        in client.get(
            reverse("admin:approvals_approvalrequest_changelist")
        ).content.decode()
    )
    assert (
        url
        in client.get(
            reverse("admin:approvals_approvalrequest_change", args=[asked.approval.pk])
        ).content.decode()
    )


def test_lv1_decision_page_scoped_by_url(org, asked, client_for):
    """LV-1: another section's head and another staff member get 404; the
    requester sees the page without the decision form."""
    url = reverse("approvals:detail", args=[asked.approval.pk])
    for other in (org.head_b, org.b1, org.u1):
        assert client_for(other).get(url).status_code == 404
    mine = client_for(org.a1).get(url)
    assert mine.status_code == 200
    assert 'id="decide-form"' not in mine.content.decode()


def test_lv1_refusal_asks_first_then_records(org, asked, client_for):
    """LV-1: refusing names what it records and changes nothing until confirmed."""
    client = client_for(org.head_a)
    decide = reverse("approvals:decide", args=[asked.approval.pk])
    asked_page = client.post(decide, {"decision": "refuse", "comment": "人手紧张"})
    assert asked_page.status_code == 200
    body = asked_page.content.decode()
    assert "人手紧张" in body and 'name="confirm" value="1"' in body
    asked.refresh_from_db()
    assert asked.status == LeaveRequest.Status.PENDING
    done = client.post(
        decide, {"decision": "refuse", "comment": "人手紧张", "confirm": "1"}
    )
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.status == LeaveRequest.Status.REFUSED


def test_lv1_refusal_without_reason_returns_to_the_page_with_the_message(
    org, asked, client_for
):
    """LV-1: a refusal without a reason comes back to the decision page (400) with
    the message; nothing is recorded."""
    client = client_for(org.head_a)
    response = client.post(
        reverse("approvals:decide", args=[asked.approval.pk]),
        {"decision": "refuse", "comment": "  "},
    )
    assert response.status_code == 400
    assert 'id="decide-form"' in response.content.decode()
    assert asked.approval.status == ApprovalRequest.Status.PENDING


def test_lv1_decision_page_query_count(
    org, asked, client_for, django_assert_max_num_queries
):
    """The decision page costs a bounded number of queries."""
    client = client_for(org.head_a)
    url = reverse("approvals:detail", args=[asked.approval.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        client.get(url)
