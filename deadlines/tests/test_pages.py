"""The "my deadlines" panel, the leaders' dashboard and the admin: scoped, and at a
constant number of queries (PET-5)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bureau.workdays import TZ
from deadlines.models import Deadline

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 3, 18, 9, 0, tzinfo=TZ)  # a1's deadline is overdue


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _more(deadline, n):
    start = Deadline.objects.count()
    fields = {
        f.attname: getattr(deadline, f.attname)
        for f in Deadline._meta.concrete_fields
        if f.attname not in ("id", "object_id")
    }
    Deadline.objects.bulk_create(
        [Deadline(**fields, object_id=100_000 + start + i) for i in range(n)]
    )


def test_pet5_my_deadlines_panel_on_the_home_page(org, open_toy, client_for, frozen):
    """The person sees their own deadline, red when overdue; a colleague does not."""
    open_toy(org.a1)
    page = client_for(org.a1).get(reverse("home")).content.decode()
    assert 'id="my-deadlines"' in page and "a1的来信" in page
    assert "已逾期" in page and "1 项逾期" in page
    page = client_for(org.b1).get(reverse("home")).content.decode()
    assert "a1的来信" not in page and 'id="my-deadlines"' not in page


def test_the_panel_costs_the_same_queries_for_2_and_50_deadlines(
    org, open_toy, client_for, frozen
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deadline = open_toy(org.a1)
    client = client_for(org.a1)
    client.get(reverse("home"))  # the session and per-process caches warm
    counts = []
    for extra in (1, 48):
        _more(deadline, extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_dashboard_is_for_leaders_and_scoped_to_their_charge(
    org, open_toy, client_for, frozen
):
    """Staff: 403. The head of section A sees A's overdue items, not B's; the deputy
    in charge of B sees B's; the director sees both."""
    open_toy(org.a1)
    open_toy(org.b1)
    url = reverse("deadlines:dashboard")
    assert client_for(org.a1).get(url).status_code == 403
    page = client_for(org.head_a).get(url).content.decode()
    assert "a1的来信" in page and "b1的来信" not in page
    page = client_for(org.dep_b).get(url).content.decode()
    assert "b1的来信" in page and "a1的来信" not in page
    page = client_for(org.director).get(url).content.decode()
    assert "a1的来信" in page and "b1的来信" in page
    assert "综合股" in page and "法规股" in page


def test_the_dashboard_costs_the_same_queries_for_2_and_50_deadlines(
    org, open_toy, client_for, frozen
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = open_toy(org.a1)
    open_toy(org.b1)
    client = client_for(org.director)
    client.get(reverse("deadlines:dashboard"))
    counts = []
    for extra in (0, 48):
        _more(first, extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("deadlines:dashboard")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_my_deadlines_page_lists_only_mine(org, open_toy, client_for, frozen):
    open_toy(org.a1)
    open_toy(org.b1)
    page = client_for(org.a1).get(reverse("deadlines:mine")).content.decode()
    assert "a1的来信" in page and "b1的来信" not in page


def test_the_admin_is_read_only_and_scoped(org, open_toy, client_for, frozen):
    """The head of section B cannot open a1's deadline by URL (404) nor its history;
    the head of A can, read-only."""
    deadline = open_toy(org.a1)
    change = reverse("admin:deadlines_deadline_change", args=[deadline.pk])
    history = reverse("admin:deadlines_deadline_history", args=[deadline.pk])
    for url in (change, history):
        assert client_for(org.head_b).get(url).status_code in (302, 404)
    client = client_for(org.head_a)
    assert client.get(change).status_code == 200
    assert client.get(history).status_code == 200
    assert client.post(change, {"state": "met"}).status_code == 403
    deadline.refresh_from_db()
    assert deadline.state == "open"
    listing = client_for(org.head_b).get(reverse("admin:deadlines_deadline_changelist"))
    assert "a1的来信" not in listing.content.decode()
