"""ATT-6: notices other chapters put on the whereabouts board (a place, not a
person: e.g. a service window left empty, SVC-4), through attendance's registry —
attendance imports no chapter; asked only while a session is current."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from attendance.board_notices import (
    _PROVIDERS,
    BoardNotice,
    board_notices,
    register_board_notice_provider,
)
from attendance.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def toy_provider(org):
    """A provider that flags the organ (and records what it was asked)."""
    asked = []

    def provider(unit, day, part):
        asked.append((unit.pk, day, part))
        if unit.pk != org.organ.pk:
            return []
        return [BoardNotice("窗口无人在岗", level="warn", url="/window/windows/")]

    saved = dict(_PROVIDERS)
    _PROVIDERS.clear()
    register_board_notice_provider("toy", provider)
    yield asked
    _PROVIDERS.clear()
    _PROVIDERS.update(saved)


def _board(client_for, viewer, unit, moment, query=""):
    with time_machine.travel(moment, tick=False):
        response = client_for(viewer).get(
            reverse("attendance:board", args=[unit.pk]) + query
        )
    assert response.status_code == 200
    return response.content.decode()


def test_att6_board_shows_a_registered_notice_with_its_link(
    org, monday, client_for, toy_provider
):
    page = _board(client_for, org.a1, org.organ, at(monday, 9))
    assert 'id="board-notices"' in page
    assert '<a href="/window/windows/">窗口无人在岗</a>' in page
    assert toy_provider == [(org.organ.pk, monday, "am")]


def test_att6_wall_screen_shows_the_notice_without_a_link(
    org, monday, client_for, toy_provider
):
    page = _board(client_for, org.a1, org.organ, at(monday, 15), "?wall=1")
    assert "窗口无人在岗" in page
    assert 'href="/window/windows/"' not in page
    assert toy_provider[-1][2] == "pm"


def test_att6_other_units_board_has_no_notice(org, monday, client_for, toy_provider):
    page = _board(client_for, org.u1, org.unit, at(monday, 9))
    assert 'id="board-notices"' not in page


def test_att6_no_notice_asked_on_a_rest_day(org, monday, client_for, toy_provider):
    sunday = monday - datetime.timedelta(days=1)
    page = _board(client_for, org.a1, org.organ, at(sunday, 10))
    assert 'id="board-notices"' not in page
    assert toy_provider == []


def test_att6_board_notices_are_in_provider_order(org, monday, toy_provider):
    register_board_notice_provider(
        "a_first", lambda unit, day, part: [BoardNotice("先", level="info")]
    )
    texts = [n.text for n in board_notices(org.organ, monday, "am")]
    assert texts == ["先", "窗口无人在岗"]
