"""End to end in headless Chromium (PET-1..4): the petition officer registers a
signed letter and routes it to the section; the handler decides on day 14 and
concludes with a written reply; the officer records its delivery; the case
closes once the 30-day review window has passed (time moved with time_machine)."""

import datetime
import os

import pytest
import time_machine

from bureau.models import Position, Role
from bureau.testing import make_person
from petitions.models import Case, Category, IdentityAccess, Route
from petitions.tests.conftest import at

pytestmark = [pytest.mark.browser]

D0 = datetime.date(2026, 6, 1)


def _shot(page, shots, name):
    page.screenshot(path=os.path.join(shots, f"petitions-{name}.png"), full_page=True)


def test_pet1_pet4_letter_routed_decided_day_14_concluded_replied_closed(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    officer = make_person(
        "officer",
        unit=org.organ,
        section=org.section_b,
        position=Position.SECTION_STAFF,
        duties=[Role.PETITION_OFFICER],
    )
    officer.user.set_password("test-pass-123")
    officer.user.save()
    category = Category.objects.create(name="计划生育政策")
    Route.objects.create(category=category, section=org.section_b)

    with time_machine.travel(at(D0, 9), tick=True):
        browser_login("officer")
        page.goto(f"{live_server.url}/petitions/new/")
        page.select_option("#id_channel", "letter")
        page.fill("#id_received_on", D0.isoformat())
        page.fill("#id_name", "张三")
        page.fill("#id_phone", "13812345678")
        page.select_option("#id_category", str(category.pk))
        page.fill("#id_summary", "反映独生子女奖励费未兑现")
        _shot(page, artifacts_dir, "1-register")
        page.click("#register")
        page.wait_for_load_state("networkidle")
        case = Case.objects.get()
        assert page.locator("#petitioner-name").inner_text() == "张三"
        page.select_option("#route_section", str(org.section_b.pk))
        page.select_option("#route_handler", str(org.b1.pk))
        page.click("#route")
        page.wait_for_load_state("networkidle")
        _shot(page, artifacts_dir, "2-routed")
        case.refresh_from_db()
        assert case.status == Case.Status.ROUTED and case.handler == org.b1

    day14 = D0 + datetime.timedelta(days=14)
    with time_machine.travel(at(day14, 10), tick=True):
        page.context.clear_cookies()
        browser_login("b1")
        page.goto(f"{live_server.url}/petitions/")
        page.click(f"text={case.number}")
        page.wait_for_load_state("networkidle")
        page.select_option("#decide_decision", "accepted")
        page.fill("#decide_text", "经审查，予以受理。")
        page.fill("#decide_on", day14.isoformat())
        page.click("#decide")
        page.wait_for_load_state("networkidle")
        _shot(page, artifacts_dir, "3-decided")
        case.refresh_from_db()
        assert case.status == Case.Status.ACCEPTED
        assert (
            "已满足" in page.locator("#clocks").inner_text() or case.decided_on == day14
        )

    day30 = D0 + datetime.timedelta(days=30)
    with time_machine.travel(at(day30, 10), tick=True):
        page.context.clear_cookies()
        browser_login("b1")
        page.goto(f"{live_server.url}/petitions/{case.pk}/")
        page.select_option("#conclude_outcome", "support")
        page.fill("#conclude_on", day30.isoformat())
        page.click("#conclude-button")
        page.wait_for_load_state("networkidle")
        case.refresh_from_db()
        assert case.status == Case.Status.CONCLUDED
        page.context.clear_cookies()
        browser_login("officer")
        page.goto(f"{live_server.url}/petitions/{case.pk}/")
        page.select_option("#deliver_method", "post")
        page.fill("#deliver_delivered_on", day30.isoformat())
        page.fill("#deliver_note", "挂号信 XA1234567")
        page.click("#deliver")
        page.wait_for_load_state("networkidle")
        _shot(page, artifacts_dir, "4-replied")
        case.refresh_from_db()
        assert case.status == Case.Status.REPLIED

    for day, closes in [(30, False), (31, True)]:
        on = day30 + datetime.timedelta(days=day)
        with time_machine.travel(at(on, 10), tick=True):
            page.context.clear_cookies()
            browser_login("officer")
            page.goto(f"{live_server.url}/petitions/{case.pk}/")
            page.check("#close_confirm")
            page.click("#close")
            page.wait_for_load_state("networkidle")
            case.refresh_from_db()
            assert (case.status == Case.Status.CLOSED) is closes, day
    _shot(page, artifacts_dir, "5-closed")
    assert IdentityAccess.objects.filter(user=officer.user).count() >= 3
