"""The shell in the browser: log in through the form, see the home page in Chinese."""

import os

import pytest


@pytest.mark.browser
def test_org1_login_and_home_in_chinese(org, browser_login, artifacts_dir):
    page = browser_login("a1")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#today h2").inner_text().startswith("今天")
    assert page.locator("nav [data-nav=home]").inner_text() == "我的一天"
    path = os.path.join(artifacts_dir, "home-zh.png")
    page.screenshot(path=path, full_page=True)
    assert os.path.getsize(path) > 5000


@pytest.mark.browser
def test_org1_phone_width_menu(org, browser_login, page, artifacts_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login("director")
    assert not page.locator("nav.nav").is_visible()
    page.click("label.nav-toggle-label")
    assert page.locator("nav.nav").is_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "home-phone.png"), full_page=True)
