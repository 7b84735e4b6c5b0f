"""End to end in headless Chromium. DOC-1: a section drafts a notice with its
file, the deputy in charge checks it, the director signs it off, the drafter
proofreads, the document clerk numbers it and the routing sheet prints with the
number and every signature. DOC-6: a leave hands matters over to a colleague who
acknowledges them."""

import os

import pytest
from django.utils import timezone

from attachments.testing import PDF
from bureau import workdays
from bureau.models import Position, Role
from bureau.testing import make_person
from documents.models import DocumentType, OutgoingDocument
from documents.tests.conftest import draft
from handovers.models import Handover

pytestmark = [pytest.mark.browser]


def _shot(page, artifacts_dir, name):
    page.screenshot(
        path=os.path.join(artifacts_dir, f"documents-{name}.png"), full_page=True
    )


def test_doc1_section_drafts_deputy_checks_director_signs_clerk_numbers_sheet_prints(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    DocumentType.objects.get_or_create(code="notice", defaults={"name": "通知"})
    make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DOCUMENT_CLERK],
    )
    browser_login("b1")
    page.goto(f"{live_server.url}/documents/outgoing/new/")
    page.select_option("#id_level", "bureau")
    page.select_option("#id_doc_type", label="通知")
    page.fill("#id_title", "关于开展计划生育宣传月活动的通知")
    page.fill("#id_main_recipients", "各乡镇计生办")
    page.fill("#id_copy_to", "县政府办")
    page.select_option("#id_urgency", "1")
    page.set_input_files(
        "#id_upload",
        files=[{"name": "草稿.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    _shot(page, artifacts_dir, "1-draft")
    page.click("#save-draft")
    page.wait_for_load_state("networkidle")
    assert page.locator("#doc-number").inner_text() == "—"  # no number at draft
    page.click("#submit")
    page.wait_for_load_state("networkidle")
    document = OutgoingDocument.objects.get()
    assert document.status == "checking"
    url = f"{live_server.url}/documents/outgoing/{document.pk}/"

    for username, comment in [("dep_b", "核稿，同意"), ("director", "同意印发")]:
        page.context.clear_cookies()
        browser_login(username)
        page.goto(url)
        assert "草稿.pdf" in page.locator("#versions").inner_text()
        page.select_option("#id_decision", "approve")
        page.fill("#id_comment", comment)
        _shot(page, artifacts_dir, f"2-{username}")
        page.click("#decide-submit")
        page.wait_for_load_state("networkidle")
    document.refresh_from_db()
    assert document.status == "signed"

    page.context.clear_cookies()
    browser_login("b1")
    page.goto(url)
    page.click("#proofread")
    page.wait_for_load_state("networkidle")

    page.context.clear_cookies()
    browser_login("docs")
    page.goto(url)
    page.check("#id_confirm")
    _shot(page, artifacts_dir, "3-number")
    page.click("#number-submit")
    page.wait_for_load_state("networkidle")
    year = timezone.localdate().year
    number = f"测计生〔{year}〕1号"
    assert page.locator("#doc-number").inner_text() == number
    page.click("#routing-sheet")
    page.wait_for_load_state("networkidle")
    sheet = page.locator("#sheet-print").inner_text()
    _shot(page, artifacts_dir, "4-sheet")
    assert number in sheet
    assert "dep_b" in sheet and "director" in sheet and "核稿，同意" in sheet
    assert "同意印发" in sheet and "b1" in sheet


def test_doc6_leave_names_a_colleague_who_acknowledges_others_get_404(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    """DOC-6: a1 asks for leave naming a2 in "工作交接给"; a2 sees "交接给我的事项"
    on the home page, opens the handover, acknowledges it after the confirmation;
    b1 (neither the person, the colleague nor in charge) gets 404 on the
    handover and on its acknowledgement."""
    DocumentType.objects.get_or_create(code="notice", defaults={"name": "通知"})
    draft(org.a1, title="关于报送季度统计报表的通知")  # a matter in progress
    day = workdays.next_working_day(timezone.localdate())
    browser_login("a1")
    page.goto(f"{live_server.url}/leave/new/")
    page.select_option("#id_leave_type", "personal")
    page.fill("#id_start_date", day.isoformat())
    page.select_option("#id_start_half", "am")
    page.fill("#id_end_date", day.isoformat())
    page.select_option("#id_end_half", "pm")
    page.fill("#id_reason", "办理户籍事务")
    page.fill("#id_handover_note", "本周统计报表由 a2 汇总上报")
    page.select_option("#id_handover_to", str(org.a2.pk))
    page.click("#preview")
    page.wait_for_load_state("networkidle")
    page.click("#confirm")
    page.wait_for_load_state("networkidle")
    handover = Handover.objects.get(person=org.a1)
    assert handover.colleague_id == org.a2.pk
    assert handover.status == Handover.Status.WAITING

    page.context.clear_cookies()
    browser_login("a2")
    page.goto(f"{live_server.url}/")
    panel = page.locator("#handovers-panel")
    assert "交接给我的事项" in panel.inner_text()
    _shot(page, artifacts_dir, "6-home-handed-to-me")
    panel.locator(f'a[href="/handovers/{handover.pk}/"]').click()
    page.wait_for_load_state("networkidle")
    assert "本周统计报表由 a2 汇总上报" in page.content()
    assert (
        "关于报送季度统计报表的通知" in page.locator("#handover-matters").inner_text()
    )
    page.click("#handover-acknowledge")
    page.wait_for_load_state("networkidle")
    assert page.locator("#confirm-card").is_visible()  # asks first
    handover.refresh_from_db()
    assert handover.status == Handover.Status.WAITING
    page.click("#confirm-button")
    page.wait_for_load_state("networkidle")
    handover.refresh_from_db()
    assert handover.status == Handover.Status.ACKNOWLEDGED
    assert page.locator("#handover-acknowledge").count() == 0
    page.goto(f"{live_server.url}/")
    assert "交接给我的事项" not in page.locator("body").inner_text()

    page.context.clear_cookies()
    browser_login("b1")
    response = page.goto(f"{live_server.url}/handovers/{handover.pk}/")
    assert response.status == 404
    # The acknowledgement is a POST (the form's, with the CSRF token).
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}/handovers/{handover.pk}/acknowledge/",
        form={"csrfmiddlewaretoken": token, "confirm": "1"},
    )
    assert response.status == 404

    page.context.clear_cookies()
    browser_login("a2")
    page.goto(f"{live_server.url}/handovers/{handover.pk}/")
    status = page.locator("#handover-status").inner_text()
    assert str(Handover.Status.ACKNOWLEDGED.label) in status
    # The matters as they stood when a2 took them over.
    assert (
        "关于报送季度统计报表的通知" in page.locator("#handover-matters").inner_text()
    )
    _shot(page, artifacts_dir, "7-handover-acknowledged")
