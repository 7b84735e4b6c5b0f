"""End to end in headless Chromium (SVC-1, SVC-2, SVC-3): a visitor's incomplete
application gets a one-time notification slip; they come back complete and get a
numbered acceptance receipt with its committed date; the matter is given an
appointment, and on that day the B post keeps it and the matter is handled."""

import datetime
import os

import pytest
import time_machine
from django.utils import timezone

from bureau import workdays
from bureau.workdays import TZ
from window.models import Appointment, Matter, Receipt, Slip, Window
from window.tests.conftest import BASE_MATERIALS, make_version

pytestmark = [pytest.mark.browser]


def test_svc1_svc2_svc3_slip_then_receipt_then_kept_appointment(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    from window.models import Service

    today = timezone.localdate()
    window = Window.objects.create(
        name="城关镇计生服务窗口", unit=org.unit, post_a=org.u1, post_b=org.u2
    )
    service = Service.objects.create(name="生育服务证")
    make_version(service, today - datetime.timedelta(days=30), BASE_MATERIALS)

    browser_login("u1")
    page.goto(f"{live_server.url}/window/")
    page.click(f'[data-new-contact="{window.pk}"]')
    page.select_option("#id-choose-service", str(service.pk))
    page.wait_for_load_state("networkidle")
    assert "结婚证" in page.locator("#missing-materials").inner_text()
    page.fill("#id_visitor", "张三")
    page.fill("#id_summary", "办理生育服务证")
    page.check('input[name="outcome"][value="notified"]')
    page.check('#missing-materials label:has-text("结婚证") input')
    page.check('#missing-materials label:has-text("户口簿") input')
    page.screenshot(path=os.path.join(artifacts_dir, "window-1-slip-form.png"))
    page.click("#save-contact")
    page.wait_for_load_state("networkidle")
    page.click("#print-slip")
    page.wait_for_load_state("networkidle")
    assert page.locator("#slip-a .missing-material").count() == 2
    assert "测计生告" in page.locator("#slip-a").inner_text()
    page.screenshot(
        path=os.path.join(artifacts_dir, "window-2-slip.png"), full_page=True
    )
    slip = Slip.objects.get()

    # Back with everything: the same matter, accepted with a receipt.
    page.goto(f"{live_server.url}/window/matters/{slip.matter_id}/")
    page.click("#matter-return")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_visitor").input_value() == "张三"
    page.fill("#id_summary", "补齐材料")
    page.check('input[name="outcome"][value="accepted"]')
    page.click("#save-contact")
    page.wait_for_load_state("networkidle")
    page.click("#print-receipt")
    page.wait_for_load_state("networkidle")
    receipt = Receipt.objects.get()
    assert receipt.matter_id == slip.matter_id
    assert page.locator("#committed-date").inner_text() == (
        receipt.committed_on.isoformat()
    )
    assert "测计生受〔" in page.locator("#receipt-number").inner_text()
    page.screenshot(
        path=os.path.join(artifacts_dir, "window-3-receipt.png"), full_page=True
    )

    # Not done today: an appointment on the next working day.
    day = workdays.next_working_day(today)
    page.goto(f"{live_server.url}/window/matters/{slip.matter_id}/")
    page.fill("#id_day", day.isoformat())
    page.select_option("#id_part", "am")
    page.click("#appointment-book")
    page.wait_for_load_state("networkidle")
    appointment = Appointment.objects.get()
    assert appointment.day == day

    # That morning the B post sees it in the queue and keeps it.
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ), tick=True
    ):
        page.context.clear_cookies()
        browser_login("u2")
        page.goto(f"{live_server.url}/window/")
        row = page.locator(f'[data-appointment="{appointment.pk}"]')
        assert "张三" in row.inner_text()
        row.locator('select[name="outcome"]').select_option("kept")
        page.screenshot(
            path=os.path.join(artifacts_dir, "window-4-appointment.png"),
            full_page=True,
        )
        row.locator("button").click()
        page.wait_for_load_state("networkidle")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.KEPT
    assert Matter.objects.get().status == Matter.Status.HANDLED
