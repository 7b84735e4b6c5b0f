"""End to end in headless Chromium (VEH-1, VEH-5, VEH-6): a staff member asks for a
car; the dispatcher dispatches it from the board; the driver records the departure
and closes the trip with the odometer; the month's 公示 list shows it."""

import datetime
import os

import pytest
from django.utils import timezone

from vehicles.models import Trip
from vehicles.tests.conftest import build_fleet

pytestmark = [pytest.mark.browser]


def test_veh1_veh5_staff_asks_dispatcher_dispatches_driver_closes_list_shows(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    fleet = build_fleet(org)
    start = timezone.localtime() + datetime.timedelta(hours=1)
    end = start + datetime.timedelta(hours=2)

    browser_login("a1")
    page.goto(f"{live_server.url}/vehicles/new/")
    page.select_option("#id_purpose", "confidential")
    page.fill("#id_destination", "市计生委机要室")
    page.fill("#id_passengers", "1")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", end.strftime("%Y-%m-%dT%H:%M"))
    page.screenshot(
        path=os.path.join(artifacts_dir, "vehicles-1-ask.png"), full_page=True
    )
    page.click("#send-request")
    page.wait_for_load_state("networkidle")
    trip = Trip.objects.get(requester=fleet.a1)
    assert trip.status == Trip.Status.REQUESTED

    page.context.clear_cookies()
    browser_login("head_a")  # the comprehensive section's head: the dispatcher
    page.goto(f"{live_server.url}/vehicles/board/")
    page.screenshot(
        path=os.path.join(artifacts_dir, "vehicles-2-board.png"), full_page=True
    )
    page.click(f'[data-dispatch="{trip.pk}"]')
    page.wait_for_load_state("networkidle")
    trip.refresh_from_db()
    assert trip.status == Trip.Status.DISPATCHED
    assert trip.vehicle == fleet.car1 and trip.driver == fleet.driver1
    page.goto(f"{live_server.url}/vehicles/trips/{trip.pk}/slip/")
    assert "派车" in page.locator("#slip-number").inner_text()

    page.context.clear_cookies()
    browser_login("drv1")
    page.goto(f"{live_server.url}/vehicles/trips/{trip.pk}/")
    page.fill("#id_odometer", "10000")
    page.click("#do-depart")
    page.wait_for_load_state("networkidle")
    page.fill("#id_odometer", "10086")
    page.fill("#id_other_cost", "20")
    page.screenshot(
        path=os.path.join(artifacts_dir, "vehicles-3-return.png"), full_page=True
    )
    page.click("#do-return")
    page.wait_for_load_state("networkidle")
    assert page.locator("#trip-distance").inner_text() == "86"
    trip.refresh_from_db()
    assert trip.status == Trip.Status.DONE

    page.goto(f"{live_server.url}/vehicles/public/")
    listing = page.locator("#public-list").inner_text()
    page.screenshot(
        path=os.path.join(artifacts_dir, "vehicles-4-public.png"), full_page=True
    )
    assert "市计生委机要室" in listing and "86" in listing
