"""The inspector's tallies in Chromium: dashboard of the demo bureau, drill-down to a
person, the xlsx download (DIS-1..5, ATT-11)."""

import os

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from bureau.demo import DEMO_PASSWORD, load_organisation


@pytest.fixture
def demo_bureau(transactional_db):
    from discipline import demo

    ctx = load_organisation(timezone.localdate())
    demo.load(ctx)
    return ctx


@pytest.mark.browser
def test_dis_inspector_dashboard_drill_down_and_xlsx(
    demo_bureau, browser_login, artifacts_dir
):
    """DIS: the inspector sees the demo bureau's tallies and chart, highlighted
    people, drills down to one person's record and downloads the workbook."""
    page = browser_login("inspector", password=DEMO_PASSWORD)
    # The chapter's entries are grouped under one heading in the top menu.
    group = page.locator("nav [data-nav-group=discipline] summary")
    if group.count():
        group.click()
    page.click("nav [data-nav=discipline_dashboard]")
    page.wait_for_selector("#people")
    assert page.locator("h1").inner_text().startswith("效能纪律统计")
    total = int(page.locator("[data-total]").get_attribute("data-total"))
    assert total >= 20
    assert page.locator("#trend svg rect").count() > 5
    assert page.locator("#by-section tr").count() >= 5
    assert page.locator("#people tr.highlight").count() >= 1
    page.screenshot(
        path=os.path.join(artifacts_dir, "discipline-dashboard.png"), full_page=True
    )

    # Drill down: the person at the top (the lowest cap) and their record.
    first = page.locator("#people tbody tr").first
    name = first.locator("td a").first.inner_text()
    first.locator("td a").first.click()
    page.wait_for_selector("#violations")
    assert name in page.locator("h1").inner_text()
    assert page.locator("#cap").inner_text() != "无限制"
    assert page.locator("#violations tbody tr").count() >= 2
    page.screenshot(
        path=os.path.join(artifacts_dir, "discipline-person.png"), full_page=True
    )

    # Back to the tallies and download the workbook.
    page.go_back()
    with page.expect_download() as download_info:
        page.click("#export")
    path = os.path.join(artifacts_dir, "discipline.xlsx")
    download_info.value.save_as(path)
    book = load_workbook(path)
    people = book.worksheets[0]
    header = [c.value for c in people[1]]
    assert header[1] == "姓名" and "等次上限" in header
    names = [row[1] for row in people.iter_rows(min_row=2, values_only=True)]
    assert name in names and len(names) == page.locator("#people tbody tr").count()
    records = book.worksheets[1]
    assert records.max_row - 1 >= total
