"""The home page's "my requests" panel (LV-1, foundation's "my day")."""

import datetime

import pytest

from leave.tests.conftest import MONDAY, period_of

pytestmark = pytest.mark.django_db


def test_lv1_home_shows_my_pending_request_and_where_it_waits(org, ask, client_for):
    """LV-1: a1's pending request is on a1's home page with its approver; b1's home
    page does not show it."""
    ask(org.a1, 0.5)
    page = client_for(org.a1).get("/").content.decode()
    panel = page[page.index('id="my-leave"') :].split("</section>")[0]
    assert "审批中" in panel and org.head_a.name in panel
    assert MONDAY.strftime("%m-%d") in panel
    other = client_for(org.b1).get("/").content.decode()
    panel = other[other.index('id="my-leave"') :].split("</section>")[0]
    assert "审批中" not in panel


def test_lv1_home_panel_costs_the_same_with_more_requests(
    org, ask, client_for, django_assert_max_num_queries
):
    ask(org.a1, 0.5)
    client = client_for(org.a1)
    client.get("/")
    with django_assert_max_num_queries(60) as one:
        client.get("/")
    for week in range(1, 4):
        ask(org.a1, period_of(1, MONDAY + datetime.timedelta(days=7 * week)))
    with django_assert_max_num_queries(60) as four:
        client.get("/")
    assert len(four.captured_queries) == len(one.captured_queries)
