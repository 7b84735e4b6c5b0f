"""End to end in headless Chromium (MTG-1): a section head proposes an item with
its materials (a PDF); the deputy in charge accepts it in the approvals inbox,
where the material is listed; the comprehensive section plans a bureau affairs
meeting, puts the item on the agenda and records the held meeting (a deputy on
approved sick leave is excused, a decision); the minutes print with their number
and the materials; the decision's page shows its reference. Screenshots go to the
test's tmp dir."""

import datetime

import pytest
from django.utils import timezone

from approvals.services import approval_decide
from bureau import workdays
from leave.services import leave_submit
from meetings.models import Attendance, Item, Meeting

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _last_working_day(today: datetime.date) -> datetime.date:
    day = today
    while not workdays.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _approved_sick_leave(person, day):
    leave = leave_submit(
        by=person.user,
        leave_type="sick",
        start_date=day,
        start_half="am",
        end_date=day,
        end_half="pm",
        reason="发烧",
        handover_note="工作已交代",
    )
    approval = leave.approvals.get()
    while approval.is_open:
        step = approval.steps.get(order=approval.current_order)
        approval_decide(request=approval, by=step.approver.user, decision="approve")
        approval.refresh_from_db()
    return leave


def test_mtg1_item_with_materials_to_printed_minutes_and_decision(
    transactional_db, org, live_server, page, browser_login, tmp_path
):
    day = _last_working_day(timezone.localdate())
    _approved_sick_leave(org.dep_a, day)
    material = tmp_path / "复印机报价单.pdf"
    material.write_bytes(PDF)

    def shot(name):
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)

    # 1. The head of section B proposes the item with its materials.
    browser_login("head_b")
    page.goto(f"{live_server.url}/meetings/items/new/")
    page.select_option("#id_kind", label="局务会")
    page.fill("#id_title", "购置数码复印机一台")
    page.fill("#id_description", "现有复印机已报废，约需9000元。")
    page.set_input_files("#id_materials", str(material))
    shot("1-propose")
    page.click("#item-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    item = Item.objects.get()
    assert item.status == Item.Status.PROPOSED
    assert "复印机报价单.pdf" in page.locator("#attachments").inner_text()
    shot("2-item")

    # 2. The deputy in charge sees the material beside the item and accepts it.
    page.context.clear_cookies()
    browser_login("dep_b")
    # The queue leads to the one decision page, which lists the materials.
    page.goto(f"{live_server.url}/approvals/{item.current_approval.pk}/")
    assert "复印机报价单.pdf" in page.locator("main").inner_text()
    shot("3-deputy-decision-page")
    page.click("#decide-approve")
    page.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert item.status == Item.Status.ACCEPTED

    # 3. The comprehensive section plans the meeting and sets its agenda.
    page.context.clear_cookies()
    browser_login("head_a")
    page.goto(f"{live_server.url}/meetings/new/")
    page.select_option("#id_kind", label="局务会")
    page.fill("#id_title", "第11次局务会")
    page.fill("#id_planned_on", day.isoformat())
    page.fill("#id_place", "三楼会议室")
    page.select_option("#id_chair", label=str(org.director))
    page.click("#meeting-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    meeting = Meeting.objects.get()
    page.check(f'#agenda-form input[name="items"][value="{item.pk}"]')
    page.click("#agenda-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "复印机报价单.pdf" in page.locator("#agenda").inner_text()
    shot("4-agenda")

    # 4. After the meeting: dep_a (on sick leave) not present, one decision.
    page.click("#record")
    page.wait_for_load_state("networkidle")
    page.fill("#id_held_on", day.isoformat())
    page.uncheck(f'input[name="attended"][value="{org.dep_a.pk}"]')
    page.fill(
        f'textarea[name="decision_{item.pk}"]', "同意购置，由综合股按政府采购规定办理。"
    )
    shot("5-record")
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    meeting.refresh_from_db()
    assert meeting.is_held
    reference = meeting.minutes_reference
    assert reference == f"局务会纪要〔{day.year}〕1号"
    assert reference in page.locator("#meeting-status").inner_text()
    row = meeting.attendance.get(person=org.dep_a)
    assert (row.status, row.reason) == (Attendance.Status.EXCUSED, "病假")
    assert "病假" in page.locator("#attendance").inner_text()

    # 5. The minutes print with their number, the excused person and the materials.
    page.click("#minutes")
    page.wait_for_load_state("networkidle")
    minutes = page.locator("#minutes-print").inner_text()
    assert reference in minutes
    assert "dep_a（病假）" in minutes
    assert "复印机报价单.pdf" in minutes and "同意购置" in minutes
    assert page.locator("[data-print]").count() == 1
    page.emulate_media(media="print")
    shot("6-minutes-print")
    page.emulate_media(media="screen")

    # 6. The decision's page shows its reference.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click("#decisions a")
    page.wait_for_load_state("networkidle")
    decision = meeting.decisions.get()
    assert decision.citation.startswith(reference)
    assert page.locator("#citation").inner_text() == decision.citation
    shot("7-decision")
    assert len(list(tmp_path.glob("*.png"))) == 7
