"""End to end in headless Chromium (DUTY-1): the comprehensive section builds the
Spring Festival roster with a leader on duty each day; a person on leave over the
festival is flagged; the head takes them off the rotation and saves; the first
person on duty sees it on their home page the day before."""

import datetime
import os

import pytest
import time_machine

from duty.models import Roster
from duty.tests.conftest import at

pytestmark = [pytest.mark.browser]


def test_duty1_section_builds_spring_festival_roster_flag_fixed_seen_day_before(
    transactional_db,
    org,
    live_server,
    page,
    browser_login,
    artifacts_dir,
    approved_leave,
    settings,
):
    # The browser runs on the real clock: a session cookie without an expiry date
    # stays valid while the server lives in February.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    approved_leave(org.b1, datetime.date(2026, 2, 13), datetime.date(2026, 2, 25))

    with time_machine.travel(at(datetime.date(2026, 2, 2), 9), tick=True):
        browser_login("head_a")
        page.goto(f"{live_server.url}/duty/")
        page.click("#new-roster")
        page.wait_for_load_state("networkidle")
        page.select_option('select[name="unit"]', str(org.organ.pk))
        page.click("#choose-unit button")
        page.wait_for_load_state("networkidle")
        page.select_option("#id_kind", "holiday")
        page.fill("#id_title", "2026年春节假期值班表")
        page.fill("#id_starts_on", "2026-02-15")
        page.fill("#id_ends_on", "2026-02-23")
        page.fill(f"#id_order_{org.a1.pk}", "1")
        page.fill(f"#id_order_{org.b1.pk}", "2")
        page.fill(f"#id_order_{org.a2.pk}", "3")
        page.fill(f"#id_lead_{org.dep_a.pk}", "1")
        page.fill(f"#id_lead_{org.dep_b.pk}", "2")
        page.click("#roster-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        warnings = page.locator("#roster-warnings").inner_text()
        assert "b1值班，但在休假（事假）" in warnings
        page.screenshot(
            path=os.path.join(artifacts_dir, "duty-1-flagged.png"), full_page=True
        )
        assert not Roster.objects.exists()
        # What was typed is kept: take b1 off the rotation and save again.
        assert page.input_value("#id_title") == "2026年春节假期值班表"
        page.fill(f"#id_order_{org.b1.pk}", "")
        page.click("#roster-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        roster = Roster.objects.get()
        assert page.url.endswith(f"/duty/{roster.pk}/")
        table = page.locator("#roster-days").inner_text()
        assert "dep_a" in table and "dep_b" in table and "b1" not in table
        assert roster.confirmed_warnings == ""
        page.screenshot(
            path=os.path.join(artifacts_dir, "duty-2-saved.png"), full_page=True
        )

    first = roster.days.order_by("date").first()
    assert first.assignments.get().person == org.a1
    with time_machine.travel(at(datetime.date(2026, 2, 14), 18), tick=True):
        page.context.clear_cookies()
        browser_login("a1")
        page.goto(f"{live_server.url}/")
        panel = page.locator("#my-duty").inner_text()
        assert "明天值班" in panel and "2026年春节假期值班表" in panel
        assert "dep_a" in panel and "07:45" in panel
        page.screenshot(
            path=os.path.join(artifacts_dir, "duty-3-home-day-before.png"),
            full_page=True,
        )
