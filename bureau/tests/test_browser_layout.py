"""Issue 16 item 8: the staff pages work on a phone (375 px, no horizontal
scrolling) and the top menu fits in one row at 1,366 px for leaders and clerks
(a chapter's entries grouped under one heading)."""

import os

import pytest
from django.utils import timezone

from bureau import workdays

pytestmark = [pytest.mark.browser]

STAFF_PAGES = [
    "/",
    "/attendance/",
    "/attendance/going-out/",
    "/attendance/going-out/new/",
    "/leave/",
    "/leave/new/",
    "/approvals/notifications/",
    "/accounts/profile/",
]


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_staff_pages_at_375_px_have_no_horizontal_scrolling(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    """Sign-in (my day), my records, going out, leave (form, preview, a request)
    and the profile at 375 px: nothing wider than the screen."""
    from leave.services import leave_submit

    day = workdays.next_working_day(timezone.localdate())
    leave = leave_submit(
        by=org.a1.user,
        leave_type="personal",
        start_date=day,
        start_half="am",
        end_date=day,
        end_half="pm",
        reason="家中有事，需要请假一天处理房屋过户手续",
        handover_note="报表交 a2",
    )
    page.set_viewport_size({"width": 375, "height": 812})
    browser_login("a1")
    wide = {}
    for path in [*STAFF_PAGES, f"/leave/{leave.pk}/"]:
        page.goto(f"{live_server.url}{path}")
        if _overflow(page) > 0:
            wide[path] = _overflow(page)
    # The leave preview, reached through the form.
    page.goto(f"{live_server.url}/leave/new/")
    page.fill("#id_reason", "看病")
    page.fill("#id_handover_note", "无")
    page.click("#preview")
    page.wait_for_load_state("networkidle")
    if _overflow(page) > 0:
        wide["leave preview"] = _overflow(page)
    page.screenshot(
        path=os.path.join(artifacts_dir, "phone-leave-preview.png"), full_page=True
    )
    assert not wide, wide


@pytest.mark.parametrize("username", ["director", "dep_a", "head_a", "a2"])
def test_top_menu_fits_one_row_at_1366_px(
    transactional_db, org, live_server, page, browser_login, artifacts_dir, username
):
    """Leaders and the clerk: the menu is one row at 1,366 px, grouped by chapter
    (attendance's entries under 考勤), and a group opens to its entries."""
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_login(username)
    topbar = page.locator("header.topbar").bounding_box()
    assert topbar["height"] < 64, topbar
    assert _overflow(page) <= 0
    page.screenshot(
        path=os.path.join(artifacts_dir, f"menu-1366-{username}.png"), full_page=False
    )
    group = page.locator("nav [data-nav-group=attendance]")
    if group.count():
        group.locator("summary").click()
        assert page.locator("nav [data-nav=attendance]").is_visible()
