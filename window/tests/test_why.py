"""Issue 16 leftover: a window matter's committed date links to its "why" page
(SVC-1, counted by SVC-2): the rule, the policy version the clock was started with,
the due date and whether it is overdue — for whoever may see the matter (the posts,
the unit head); anyone else gets 404."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bureau.why import why_url
from deadlines.services import deadline_for
from window import services
from window.models import COMMITTED_DEADLINE
from window.tests.conftest import NOW

pytestmark = pytest.mark.django_db
COMMITTED = datetime.date(2026, 11, 17)


@pytest.fixture
def clock(win, frozen):
    contact = services.contact_log(
        window=win.window,
        by=win.u1.user,
        visitor="张三",
        summary="办理生育服务证",
        outcome="accepted",
        service=win.service,
    )
    return deadline_for(contact.matter, COMMITTED_DEADLINE)


@pytest.mark.parametrize(
    "who, status",
    [("u1", 200), ("u2", 200), ("unit_head", 200), ("a2", 404), ("b1", 404)],
)
def test_svc1_why_of_the_committed_date_by_role(win, clock, client_for, who, status):
    """The posts and the unit head see why the committed date is what it is; a
    member of another section gets 404."""
    response = client_for(getattr(win, who)).get(why_url("window.deadline", clock.pk))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "SVC-1" in body and "SVC-2" in body
        assert COMMITTED.isoformat() in body
        assert "<dt>今日是否逾期</dt><dd>未逾期</dd>" in body


def test_svc1_why_says_overdue_after_the_committed_date(win, clock, client_for):
    with time_machine.travel(NOW + datetime.timedelta(days=10), tick=False):
        body = client_for(win.u1).get(why_url("window.deadline", clock.pk))
    assert "<dt>今日是否逾期</dt><dd>已逾期</dd>" in body.content.decode()


def test_svc1_matter_page_links_the_clock_to_its_why(win, clock, client_for):
    body = client_for(win.u1).get(reverse("window:matter", args=[clock.object_id]))
    assert why_url("window.deadline", clock.pk) in body.content.decode()
