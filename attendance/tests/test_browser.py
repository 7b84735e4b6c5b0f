"""End to end in headless Chromium: signing in on the home page (ATT-1..3) and the
clerk's monthly report with its xlsx download (ATT-6, ATT-10)."""

import datetime
import io
import os

import pytest
import time_machine

from attendance import services
from attendance.tests.conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Monday after the machine's clock, so the browser keeps the session cookie.
DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def org_tx():
    from bureau.policies import registry
    from bureau.testing import small_org

    registry.load_defaults()
    return small_org()


@pytest.mark.parametrize(
    ("minute", "text", "result"), [(3, "准时", "on_time"), (12, "迟到", "late")]
)
def test_att2_att3_staff_signs_in_on_the_home_page(
    org_tx, browser_login, artifacts_dir, minute, text, result
):
    """ATT-1..3: a staff member presses the one big button and sees on time / late."""
    with time_machine.travel(at(DAY, 8, minute), tick=True):
        page = browser_login("a1")
        page.click("#sign-in-button")
        page.wait_for_load_state("networkidle")
        badge = page.locator(f'#attendance-sign-in [data-result="{result}"]')
        assert badge.is_visible()
        assert text in badge.inner_text()
        page.screenshot(
            path=os.path.join(artifacts_dir, f"attendance-sign-in-{result}.png"),
            full_page=True,
        )
    assert org_tx.a1.attendance_records.get().arrival == result


def test_att6_clerk_downloads_the_monthly_report_xlsx(
    org_tx, browser_login, artifacts_dir
):
    """ATT-6/10: the clerk opens the month's report and downloads the xlsx; b1, absent
    both sessions of a day, has one absence day and the allowance cancelled."""
    from openpyxl import load_workbook

    day = datetime.date(2026, 11, 2)
    with time_machine.travel(at(day, 7, 58), tick=False):
        services.record_sign_in(by=org_tx.a1.user)
    services.sheets_settle(day=day, now=at(day, 23), force=True)
    page = browser_login("a2")
    page.goto(
        page.url.split("/accounts")[0].rstrip("/") + "/attendance/report/?month=2026-11"
    )
    assert page.locator("#report-table").is_visible()
    page.screenshot(
        path=os.path.join(artifacts_dir, "attendance-report.png"), full_page=True
    )
    with page.expect_download() as info:
        page.click("#download-xlsx")
    path = info.value.path()
    with open(path, "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    rows = {row[1]: row for row in book.active.iter_rows(values_only=True)}
    assert rows["b1"][8] == 1.0  # absence days
    assert rows["b1"][12] == "取消当月出勤津贴"


def test_att5_sign_out_early_asks_and_names_the_consequence(
    org_tx, browser_login, artifacts_dir
):
    """ATT-5: at 11:32 the sign-out button leads to a page naming 28 minutes and half
    a day's absence; cancel records nothing, confirming records the absence."""
    with time_machine.travel(at(DAY, 7, 58), tick=False):
        services.record_sign_in(by=org_tx.a1.user)
    with time_machine.travel(at(DAY, 11, 32), tick=True):
        page = browser_login("a1")
        page.click("#sign-out-button")
        page.wait_for_load_state("networkidle")
        card = page.locator("#confirm-card")
        assert card.is_visible()
        text = card.inner_text()
        assert "28" in text and "半天" in text
        page.screenshot(
            path=os.path.join(artifacts_dir, "attendance-sign-out-confirm.png"),
            full_page=True,
        )
        page.click("#confirm-cancel")
        page.wait_for_load_state("networkidle")
        assert org_tx.a1.attendance_records.get().signed_out_at is None
        page.click("#sign-out-button")
        page.click("#confirm-button")
        page.wait_for_load_state("networkidle")
    record = org_tx.a1.attendance_records.get()
    assert record.departure == "absent"
