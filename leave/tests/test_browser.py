"""End to end in headless Chromium: a section staff member asks for 2 days; the section
head, the deputy in charge and the director decide in the admin; the staff member
sees it approved and opens the printable leave form (LV-1, LV-7)."""

import os

import pytest
from django.utils import timezone

from bureau import workdays
from leave.models import LeaveRequest

pytestmark = [pytest.mark.browser]


def _decide_in_admin(page, live_server, approval_id, comment, shots, name):
    page.goto(f"{live_server.url}/admin/approvals/approvalrequest/")
    page.screenshot(path=os.path.join(shots, f"{name}-list.png"), full_page=True)
    page.check(f'input[name="_selected_action"][value="{approval_id}"]')
    page.select_option('select[name="action"]', "approve_selected")
    page.click('button[name="index"]')
    page.fill('textarea[name="comment"]', comment)
    page.screenshot(path=os.path.join(shots, f"{name}-comment.png"), full_page=True)
    page.click("#confirm-decision")
    page.wait_for_load_state("networkidle")
    assert page.locator(".messagelist .success").count() == 1


def test_lv1_lv7_staff_asks_two_days_leaders_decide_in_admin_and_form_prints(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    """LV-1: agree → agree → approve in the admin; LV-7: the approved form prints."""
    today = timezone.localdate()
    first, second = workdays.working_days_in(
        workdays.next_working_day(today), today + timezone.timedelta(days=40)
    )[:2]

    browser_login("a1")
    page.goto(f"{live_server.url}/leave/new/")
    page.select_option("#id_leave_type", "annual")
    page.fill("#id_start_date", first.isoformat())
    page.select_option("#id_start_half", "am")
    page.fill("#id_end_date", second.isoformat())
    page.select_option("#id_end_half", "pm")
    page.fill("#id_reason", "回老家探望父母")
    page.fill("#id_handover_note", "报表交由 a2 代办")
    page.click("#preview")
    page.wait_for_load_state("networkidle")
    chain = page.locator("#chain-preview").inner_text()
    assert "head_a" in chain and "dep_a" in chain and "director" in chain
    assert page.locator("#quote-days").inner_text() == "2"
    page.screenshot(
        path=os.path.join(artifacts_dir, "leave-1-preview.png"), full_page=True
    )
    page.click("#confirm")
    page.wait_for_load_state("networkidle")
    leave = LeaveRequest.objects.get(person=org.a1)
    approval_id = leave.approvals.get().pk

    for username, comment in [
        ("head_a", "同意，做好交接"),
        ("dep_a", "同意"),
        ("director", "准假"),
    ]:
        page.context.clear_cookies()
        browser_login(username)
        _decide_in_admin(
            page,
            live_server,
            approval_id,
            comment,
            artifacts_dir,
            f"leave-2-{username}",
        )

    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED

    page.context.clear_cookies()
    browser_login("a1")
    page.goto(f"{live_server.url}/leave/")
    assert page.locator('#my-requests [data-status="approved"]').count() == 1
    page.screenshot(
        path=os.path.join(artifacts_dir, "leave-3-mine.png"), full_page=True
    )
    page.click('#my-requests a[href^="/leave/"]')
    page.wait_for_load_state("networkidle")
    page.click("#print-form")
    page.wait_for_load_state("networkidle")
    form = page.locator("#leave-form-print").inner_text()
    assert "准假" in form and "director" in form and "head_a" in form
    page.screenshot(
        path=os.path.join(artifacts_dir, "leave-4-form.png"), full_page=True
    )


def test_lv2_deputy_decides_from_the_admin_detail_page(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    """LV-2: the deputy in charge opens a section head's half-day request in the
    admin, follows it to the decision page, writes a comment and approves it."""
    from leave.services import leave_submit

    day = workdays.next_working_day(timezone.localdate())
    leave = leave_submit(
        by=org.head_a.user,
        leave_type="personal",
        start_date=day,
        start_half="am",
        end_date=day,
        end_half="am",
        reason="办事",
        handover_note="交 a1",
    )
    approval_id = leave.approvals.get().pk
    browser_login("dep_a")
    page.goto(
        f"{live_server.url}/admin/approvals/approvalrequest/{approval_id}/change/"
    )
    # The admin's detail leads to the one decision page.
    page.click("#decision-page")
    page.wait_for_load_state("networkidle")
    page.fill("#decide-comment", "同意，速去速回")
    page.screenshot(
        path=os.path.join(artifacts_dir, "leave-5-detail-decide.png"), full_page=True
    )
    page.click("#decide-approve")
    page.wait_for_load_state("networkidle")
    assert page.locator(".messagelist .success, .messages .success").count() >= 1
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    step = leave.approvals.get().steps.get()
    assert step.comment == "同意，速去速回"
    page.screenshot(
        path=os.path.join(artifacts_dir, "leave-6-detail-decided.png"), full_page=True
    )


def test_lv1_new_leave_form_opens_with_todays_dates(
    transactional_db, org, live_server, page, browser_login
):
    """The date pickers of the leave form show today's date in Chromium."""
    browser_login("a1")
    page.goto(f"{live_server.url}/leave/new/")
    today = timezone.localdate().isoformat()
    assert page.input_value("#id_start_date") == today
    assert page.input_value("#id_end_date") == today


def test_lv1_change_on_the_preview_keeps_what_was_typed(
    transactional_db, org, live_server, page, browser_login
):
    """LV-1: "修改" on the preview returns to the form with every field as typed;
    the request can then be corrected and previewed again."""
    today = timezone.localdate()
    first, second = workdays.working_days_in(
        workdays.next_working_day(today), today + timezone.timedelta(days=40)
    )[:2]
    browser_login("a1")
    page.goto(f"{live_server.url}/leave/new/")
    page.select_option("#id_leave_type", "annual")
    page.fill("#id_start_date", first.isoformat())
    page.select_option("#id_start_half", "pm")
    page.fill("#id_end_date", second.isoformat())
    page.fill("#id_reason", "回老家探望父母")
    page.fill("#id_handover_note", "报表交由 a2 代办")
    page.click("#preview")
    page.wait_for_load_state("networkidle")
    assert page.locator("#leave-preview").is_visible()
    page.click("#edit")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_leave_type") == "annual"
    assert page.input_value("#id_start_date") == first.isoformat()
    assert page.input_value("#id_start_half") == "pm"
    assert page.input_value("#id_end_date") == second.isoformat()
    assert page.input_value("#id_reason") == "回老家探望父母"
    assert page.input_value("#id_handover_note") == "报表交由 a2 代办"
    assert not LeaveRequest.objects.filter(person=org.a1).exists()


def test_lv1_head_decides_from_the_decision_page_with_the_conflict_warning(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    """LV-1: a2 is already away; a1 asks for the same day. The section head follows
    "waiting for me" on the home page to the decision page, sees the conflict
    warning naming a2 with the reason and handover, and approves there."""
    from leave.services import leave_submit

    day = workdays.next_working_day(timezone.localdate())

    def ask(person, reason):
        return leave_submit(
            by=person.user,
            leave_type="personal",
            start_date=day,
            start_half="am",
            end_date=day,
            end_half="pm",
            reason=reason,
            handover_note="交 inspector",
        )

    ask(org.a2, "搬家")
    leave = ask(org.a1, "孩子家长会")
    browser_login("head_a")
    page.click(f'#approvals-waiting a[href="/approvals/{leave.approval.pk}/"]')
    page.wait_for_load_state("networkidle")
    warning = page.locator("#leave-conflict")
    assert warning.is_visible()
    assert "a2" in warning.inner_text()
    assert "孩子家长会" in page.locator(".leave-decision").inner_text()
    page.screenshot(
        path=os.path.join(artifacts_dir, "leave-7-decision-page.png"), full_page=True
    )
    page.fill("#decide-comment", "已知 a2 同日请假，仍同意")
    page.click("#decide-approve")
    page.wait_for_load_state("networkidle")
    # LV-1: the section head's step is decided with the comment; the chain goes on.
    first = leave.approvals.get().steps.order_by("order").first()
    assert first.decision in ("agreed", "approved")
    assert first.comment == "已知 a2 同日请假，仍同意"
