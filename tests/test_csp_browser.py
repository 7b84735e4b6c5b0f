"""The Content Security Policy in Chromium: the main pages raise no CSP violation and
still work (the language switch, the leave preview and submission, the printable
form's print button, the board's auto-refresh, the admin's widgets)."""

import pytest
from django.utils import timezone

from bureau import workdays

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


@pytest.fixture
def csp_watch(page):
    """Every CSP violation seen by the browser: console messages and
    securitypolicyviolation events (collected before each navigation away)."""
    seen = []
    page.on(
        "console",
        lambda msg: (
            seen.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.add_init_script(LISTEN)

    def check(where):
        seen.extend(page.evaluate("window.__csp || []"))
        assert seen == [], where
        return page

    return check


def test_pages_raise_no_csp_violation_and_still_work(
    org, live_server, page, browser_login, csp_watch
):
    """Staff member a1: home, language switch, leave form with preview and
    submission, the printable form's print button, the whereabouts board."""
    from bureau.models import Policy
    from leave.models import LeaveRequest

    Policy.objects.create(
        key="attendance.board_refresh_seconds",
        effective_from=timezone.localdate(),
        value=1,
    )
    browser_login("a1")
    assert "script-src 'self'" in page.evaluate(
        "fetch('/').then(r => r.headers.get('content-security-policy'))"
    )
    csp_watch("home")

    # The language picker submits itself (app.js, data-autosubmit).
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    csp_watch("language switch")

    today = timezone.localdate()
    first, second = workdays.working_days_in(
        workdays.next_working_day(today), today + timezone.timedelta(days=40)
    )[:2]
    page.goto(f"{live_server.url}/leave/new/")
    page.select_option("#id_leave_type", "personal")
    page.fill("#id_start_date", first.isoformat())
    page.select_option("#id_start_half", "am")
    page.fill("#id_end_date", second.isoformat())
    page.select_option("#id_end_half", "pm")
    page.fill("#id_reason", "家中有事")
    page.fill("#id_handover_note", "交 a2")
    page.click("#preview")
    page.wait_for_load_state("networkidle")
    assert page.locator("#quote-days").inner_text() == "2"
    csp_watch("leave preview")
    page.click("#confirm")
    page.wait_for_load_state("networkidle")
    leave = LeaveRequest.objects.get(person=org.a1)
    csp_watch("leave submitted")

    # The print button (app.js, data-print) calls window.print.
    page.goto(f"{live_server.url}/leave/{leave.pk}/form/")
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => window.__printed++; }"
    )
    page.click("[data-print]")
    assert page.evaluate("window.__printed") == 1
    csp_watch("printable form")

    # The board reloads itself (meta refresh, here every second), wall view too.
    for query in ("", "?wall=1"):
        page.goto(f"{live_server.url}/attendance/board/{org.organ.pk}/{query}")
        assert page.locator(".board-tile").count() > 0
        with page.expect_navigation(timeout=10_000):
            pass
        csp_watch(f"board {query}")


def test_admin_pages_raise_no_csp_violation(
    org, live_server, page, browser_login, csp_watch
):
    """The administrator's admin pages: index, the people list with its actions,
    a change form with its widgets, the history and the export page."""
    browser_login("admin")
    base = f"{live_server.url}/admin/bureau/person/"
    for url in (
        f"{live_server.url}/admin/",
        base,
        f"{base}{org.a1.pk}/change/",
        f"{base}{org.a1.pk}/history/",
        f"{base}export/",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("#content").count() == 1, url
        csp_watch(url)
    # The export page's "select all" (a hashed third-party handler) still works.
    toggle = page.locator("input.select-toggle")
    if toggle.count():
        toggle.uncheck()
        boxes = page.locator('.selectable-field-export-row input[type="checkbox"]')
        assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
        csp_watch("export select all")
    # The people list's action bar (admin's actions.js) still reacts.
    page.goto(base)
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() >= 1
    csp_watch("changelist actions")
