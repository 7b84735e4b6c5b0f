"""ATT-6: the whereabouts board shows that someone is on leave, but the kind of leave
(sick, marriage, ...) only to the person, their leaders and the attendance clerk;
the wall screen never shows it."""

import pytest
import time_machine
from django.urls import reverse

from attendance.excuses import _PROVIDERS, Excuse, register_excuse_provider
from attendance.models import ClerkAssignment
from attendance.tests.conftest import at
from bureau.models import Position, Role
from bureau.testing import make_person

pytestmark = pytest.mark.django_db

SICK = "病假"


@pytest.fixture
def a1_on_sick_leave(org, monday):
    """A stand-in for the leave app's provider: a1 on sick leave all Monday."""

    def provider(person_ids, start, end):
        if org.a1.pk not in set(person_ids) or not start <= monday <= end:
            return {}
        excuse = Excuse(kind="leave", label=SICK, source_app="leave.x", source_id=1)
        return {(org.a1.pk, monday, part): excuse for part in ("am", "pm")}

    previous = _PROVIDERS.get("leave")
    register_excuse_provider("leave", provider)
    yield org.a1
    if previous is None:
        _PROVIDERS.pop("leave", None)
    else:
        register_excuse_provider("leave", previous)


def board(client_for, viewer, org, monday, query=""):
    url = reverse("attendance:board", args=[org.organ.pk]) + query
    with time_machine.travel(at(monday, 8, 20), tick=False):
        response = client_for(viewer).get(url)
    assert response.status_code == 200
    (tile,) = [t for t in response.context["tiles"] if t["person"] == org.a1]
    assert tile["status"] == "leave" and str(tile["label"]) == "请假"
    return tile["detail"], response.content.decode()


@pytest.mark.parametrize(
    "viewer", ["a1", "head_a", "dep_a", "director", "a2"], ids=lambda v: v
)
def test_att6_board_shows_kind_of_leave_to_the_person_leaders_and_clerk(
    org, monday, client_for, a1_on_sick_leave, viewer
):
    """a1 themself, their section head, the deputy in charge, the director and the
    attendance clerk see "病假"."""
    detail, page = board(client_for, getattr(org, viewer), org, monday)
    assert detail == SICK and SICK in page


@pytest.mark.parametrize("viewer", ["b1", "head_b", "dep_b", "inspector"])
def test_att6_board_shows_only_on_leave_to_colleagues(
    org, monday, client_for, a1_on_sick_leave, viewer
):
    """Colleagues of the same unit (even another section's head or deputy) see
    "请假" and not the kind."""
    detail, page = board(client_for, getattr(org, viewer), org, monday)
    assert detail == "" and SICK not in page


def test_att6_board_unit_clerk_of_another_unit_does_not_see_the_kind(
    org, monday, client_for, a1_on_sick_leave
):
    """A clerk who keeps only the subordinate unit, sitting in the organ, sees the
    organ's board as a colleague does."""
    clerk = make_person(
        "clerk_u",
        unit=org.organ,
        section=org.section_b,
        position=Position.SECTION_STAFF,
        duties=[Role.ATTENDANCE_CLERK],
    )
    ClerkAssignment.objects.create(person=clerk, unit=org.unit)
    detail, page = board(client_for, clerk, org, monday)
    assert detail == "" and SICK not in page


@pytest.mark.parametrize("viewer", ["a1", "head_a", "a2", "b1"])
def test_att6_wall_screen_shows_only_on_leave(
    org, monday, client_for, a1_on_sick_leave, viewer
):
    """?wall=1 hangs in the corridor: nobody's kind of leave, whoever opened it."""
    detail, page = board(client_for, getattr(org, viewer), org, monday, "?wall=1")
    assert detail == "" and SICK not in page
