"""Pages and admin: permission boundaries (also by URL), the flows, query counts."""

import datetime

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from bureau.models import Role
from bureau.testing import make_person
from leave.models import LeaveRequest
from leave.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:approvals_approvalrequest_changelist"


def _post_leave(client, **extra):
    data = {
        "leave_type": "sick",
        "start_date": "2026-03-02",
        "start_half": "am",
        "end_date": "2026-03-03",
        "end_half": "pm",
        "reason": "感冒发烧",
        "handover_note": "文件交王同事处理",
        "leader_consent": "",
        **extra,
    }
    return client.post(reverse("leave:new"), data)


def test_lv1_preview_shows_the_resolved_chain_with_names_then_submits(
    org, frozen, client_for
):
    """The requester sees who decides (names) before the request exists."""
    client = client_for(org.a1)
    assert client.get(reverse("leave:new")).status_code == 200
    preview = _post_leave(client)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "head_a" in body and "dep_a" in body and "director" in body
    assert not LeaveRequest.objects.exists()
    done = _post_leave(client, confirm="1")
    leave = LeaveRequest.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "leave:detail", args=[leave.pk]
    )
    page = client.get(reverse("leave:mine")).content.decode()
    assert "head_a" in page  # where it waits


def test_lv1_change_on_the_preview_returns_the_filled_form(org, frozen, client_for):
    """LV-1: "Change" on the preview shows the form again with what was typed;
    nothing is saved."""
    client = client_for(org.a1)
    response = _post_leave(client, edit="1", reason="感冒发烧，需要休息")
    assert response.status_code == 200
    assert "leave/new.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "感冒发烧，需要休息" in body and "文件交王同事处理" in body
    assert 'value="2026-03-03"' in body
    assert not LeaveRequest.objects.exists()


def test_lv8_page_explains_a_too_late_request(org, frozen, client_for):
    """LV-8: more than 7 days afterwards the form says why it cannot be asked."""
    client = client_for(org.a1)
    response = _post_leave(
        client, start_date="2026-02-20", end_date="2026-02-20", leader_consent="同意"
    )
    assert response.status_code == 200
    assert "LV-8" in response.content.decode()


def test_lv1_leave_pages_are_scoped_also_by_url(org, frozen, ask, client_for):
    """Another section's staff or head get 404 on a request's pages; GET never changes."""
    leave = ask(org.a1, 2)
    for other in (org.b1, org.head_b, org.u1):
        client = client_for(other)
        for name in ("leave:detail", "leave:form"):
            assert client.get(reverse(name, args=[leave.pk])).status_code == 404
        for name in ("leave:withdraw", "leave:return"):
            assert client.post(reverse(name, args=[leave.pk])).status_code == 404
    owner = client_for(org.a1)
    assert owner.get(reverse("leave:withdraw", args=[leave.pk])).status_code == 405
    assert owner.get(reverse("leave:detail", args=[leave.pk])).status_code == 200
    head = client_for(org.head_a)
    assert head.get(reverse("leave:detail", args=[leave.pk])).status_code == 200
    # The approver sees the page but cannot withdraw someone else's request.
    head.post(reverse("leave:withdraw", args=[leave.pk]))
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.PENDING


def test_lv7_print_form_only_for_leave_over_one_day(org, frozen, ask, client_for):
    """LV-7: a 1-day leave has no leave form; a 2-day one prints with its approvals."""
    one = ask(org.a1, 1)
    client = client_for(org.a1)
    assert client.get(reverse("leave:form", args=[one.pk])).status_code == 404
    two = ask(org.b1, 2)
    response = client_for(org.b1).get(reverse("leave:form", args=[two.pk]))
    assert response.status_code == 200
    assert "head_b" in response.content.decode()


def test_lv9_report_back_in_the_browser(org, frozen, ask, client_for):
    """LV-9: the person reports back early from the request page."""
    leave = ask(org.u1, 2)
    approval_decide(request=leave.approval, by=org.unit_head.user, decision="approve")
    client = client_for(org.u1)
    response = client.post(
        reverse("leave:return", args=[leave.pk]),
        {"back_date": "2026-03-03", "back_half": "am"},
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.actual_days == 1 and leave.actual_end_date == MONDAY


def test_lv1_my_requests_page_costs_the_same_at_2_and_12_rows(
    org, frozen, client_for, django_assert_max_num_queries
):
    """My requests: a constant number of queries, whatever the number of rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from leave.services import leave_submit

    def add(n, offset):
        for i in range(n):
            day = MONDAY + datetime.timedelta(days=7 * (i + offset) + 2)
            leave_submit(
                by=org.a1.user,
                leave_type="personal",
                start_date=day,
                start_half="am",
                end_date=day,
                end_half="am",
                reason="r",
                handover_note="h",
            )

    client = client_for(org.a1)
    add(2, 0)
    client.get(reverse("leave:mine"))
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("leave:mine"))
    add(10, 2)
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(reverse("leave:mine"))
    assert page.content.decode().count('href="/leave/') >= 12
    assert len(two) == len(twelve)


# --- The approvals desk (admin) and inbox ------------------------------------------


def test_org3_admin_desk_shows_only_what_waits_for_me(org, frozen, ask, client_for):
    """A section head's changelist lists their section's pending requests, never another's,
    and another section's request is 404 by URL."""
    mine = ask(org.a1, 0.5)
    other = ask(org.b1, 0.5)
    client = client_for(org.head_a)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert mine.approval.summary in page
    assert other.approval.summary not in page
    everything = client.get(reverse(CHANGELIST) + "?waiting=all").content.decode()
    assert other.approval.summary not in everything
    change = "admin:approvals_approvalrequest_change"
    assert client.get(reverse(change, args=[other.approval.pk])).status_code == 302 or (
        client.get(reverse(change, args=[other.approval.pk])).status_code == 404
    )
    detail = client.get(reverse(change, args=[mine.approval.pk]))
    assert detail.status_code == 200 and "approval-chain" in detail.content.decode()
    assert "decide-here" in detail.content.decode()
    back = client.post(
        reverse("approvals:decide", args=[mine.approval.pk]),
        {"decision": "approve", "next": reverse(change, args=[mine.approval.pk])},
    )
    assert back.url == reverse(change, args=[mine.approval.pk])
    assert "decide-here" not in client.get(back.url).content.decode()
    leave_change = reverse("admin:leave_leaverequest_change", args=[other.pk])
    assert client.get(leave_change).status_code in (302, 404)
    assert client.get(reverse("admin:leave_leaverequest_changelist")).status_code == 200


def test_org3_admin_bulk_approve_with_a_comment_through_the_service(
    org, frozen, ask, client_for
):
    """The intermediate form asks for a comment; the action reports how many changed."""
    first = ask(org.a1, 0.5)
    second = ask(org.a2, 0.5)
    other = ask(org.b1, 0.5)
    client = client_for(org.head_a)
    ids = [first.approval.pk, second.approval.pk, other.approval.pk]
    form = client.post(
        reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": ids}
    )
    assert form.status_code == 200 and "comment" in form.content.decode()
    done = client.post(
        reverse(CHANGELIST),
        {
            "action": "approve_selected",
            "_selected_action": ids,
            "apply": "1",
            "comment": "同意，注意安全",
        },
        follow=True,
    )
    assert "2" in " ".join(str(m) for m in done.context["messages"])
    for leave in (first, second, other):
        leave.refresh_from_db()
    assert first.status == second.status == LeaveRequest.Status.APPROVED
    assert other.status == LeaveRequest.Status.PENDING  # out of scope: not touched
    assert first.approval.steps.get().comment == "同意，注意安全"


def test_org3_admin_bulk_decision_one_refused_the_others_stand(
    org, frozen, ask, client_for
):
    """Issue 17: the ticked requests are read and locked in one statement and
    decided in one transaction, each in its own savepoint: one the service refuses
    (decided already) is reported by name and changes nothing; the others stand."""
    first = ask(org.a1, 0.5)
    second = ask(org.a2, 0.5)
    approval_decide(
        request=first.approval,
        by=org.head_a.user,
        decision="refuse",
        comment="人手不足",
    )
    client = client_for(org.head_a)
    done = client.post(
        reverse(CHANGELIST),
        {
            "action": "approve_selected",
            "_selected_action": [first.approval.pk, second.approval.pk],
            "apply": "1",
            "comment": "同意",
        },
        follow=True,
    )
    texts = [str(m) for m in done.context["messages"]]
    assert any(first.approval.summary in text for text in texts)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == LeaveRequest.Status.REFUSED
    assert first.approval.steps.get().comment == "人手不足"
    assert second.status == LeaveRequest.Status.APPROVED
    assert second.approval.steps.get().comment == "同意"


def test_org3_admin_bulk_refuse_needs_a_reason(org, frozen, ask, client_for):
    """Refusing in bulk: the form requires the reason; then the requests are refused."""
    leave = ask(org.a1, 0.5)
    client = client_for(org.head_a)
    data = {
        "action": "refuse_selected",
        "_selected_action": [leave.approval.pk],
        "apply": "1",
    }
    again = client.post(reverse(CHANGELIST), {**data, "comment": ""})
    assert again.status_code == 400  # the form again, with the error
    client.post(reverse(CHANGELIST), {**data, "comment": "人手不足"})
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REFUSED


def test_admin_actions_are_declared_by_permission(org, frozen, ask, client_for):
    """Staff without the decide permission have no admin; the clerk has no decide action."""
    ask(org.a1, 0.5)
    assert client_for(org.a1).get(reverse(CHANGELIST)).status_code == 302
    clerk = make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    page = client_for(clerk).get(reverse(CHANGELIST))
    actions = dict(page.context["action_form"].fields["action"].choices)
    assert "record_county_decision" in actions and "approve_selected" not in actions
    head_actions = dict(
        client_for(org.head_a)
        .get(reverse(CHANGELIST))
        .context["action_form"]
        .fields["action"]
        .choices
    )
    assert (
        "approve_selected" in head_actions
        and "record_county_decision" not in head_actions
    )


def test_lv3_document_clerk_records_county_decisions_in_the_admin(
    org, frozen, ask, client_for
):
    """LV-3: the clerk's 'county decisions to record' list and the recording action."""
    clerk = make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    leave = ask(org.director, 1)
    client = client_for(clerk)
    listed = client.get(reverse(CHANGELIST) + "?waiting=external").content.decode()
    assert leave.approval.summary in listed
    for number in range(3):
        client.post(
            reverse(CHANGELIST) + "?waiting=external",
            {
                "action": "record_county_decision",
                "_selected_action": [leave.approval.pk],
                "apply": "1",
                "decision": "approve",
                "reference": f"示委办〔2026〕{number}号",
                "decided_on": "2026-03-02",
            },
        )
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def test_lv10_attendance_clerk_files_approved_leave_in_the_admin(
    org, frozen, ask, client_for
):
    """LV-10: the attendance clerk sees approved leave and records its filing."""
    leave = ask(org.b1, 0.5)
    approval_decide(request=leave.approval, by=org.head_b.user, decision="approve")
    client = client_for(org.a2)
    url = reverse("admin:leave_leaverequest_changelist")
    assert client.get(url + "?filed=no").status_code == 200
    client.post(
        url,
        {
            "action": "record_filing",
            "_selected_action": [leave.pk],
            "apply": "1",
            "reference": "2026-03 考勤备案",
            "filed_on": "2026-03-02",
        },
    )
    leave.refresh_from_db()
    assert leave.filed_with == "attendance" and leave.filed_by == org.a2
    head = client_for(org.head_b).get(url)
    form = head.context["action_form"]
    assert form is None or "record_filing" not in dict(form.fields["action"].choices)


def test_pending_changelist_costs_the_same_at_2_and_20_rows(org, frozen, client_for):
    """The approver's pending page: a constant number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bureau.models import Position
    from leave.services import leave_submit

    staff = [
        make_person(
            f"s{i}",
            unit=org.organ,
            section=org.section_a,
            position=Position.SECTION_STAFF,
        )
        for i in range(20)
    ]

    def add(people):
        for person in people:
            leave_submit(
                by=person.user,
                leave_type="personal",
                start_date=MONDAY,
                start_half="am",
                end_date=MONDAY,
                end_half="am",
                reason="r",
                handover_note="h",
            )

    client = client_for(org.head_a)
    add(staff[:2])
    client.get(reverse(CHANGELIST))
    with CaptureQueriesContext(connection) as two:
        client.get(reverse(CHANGELIST))
    add(staff[2:])
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(reverse(CHANGELIST))
    assert page.content.decode().count("s1") >= 1
    assert len(two) == len(twenty)
    assert ApprovalRequest.objects.count() == 20


def test_inbox_and_notifications_pages(org, frozen, ask, client_for):
    """The in-app inbox decides only what waits for me; others get 404 by URL."""
    leave = ask(org.a1, 0.5)
    head = client_for(org.head_a)
    assert (
        leave.approval.summary in head.get(reverse("approvals:inbox")).content.decode()
    )
    decide = reverse("approvals:decide", args=[leave.approval.pk])
    assert (
        client_for(org.head_b).post(decide, {"decision": "approve"}).status_code == 404
    )
    assert client_for(org.a1).post(decide, {"decision": "approve"}).status_code == 404
    head = client_for(org.head_a)
    assert head.get(decide).status_code == 405
    assert head.post(decide, {"decision": "approve"}).status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    owner = client_for(org.a1)
    notes = owner.get(reverse("approvals:notifications")).content.decode()
    assert leave.approval.summary in notes
    assert owner.post(reverse("approvals:notifications_read")).status_code == 302
    home = client_for(org.head_b).get(reverse("home"))
    assert home.status_code == 200 and "approvals-waiting" in home.content.decode()
