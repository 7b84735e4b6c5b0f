"""DUTY-1: leave approved after a roster was saved flags the days concerned at
once (not at the next save), and the roster's keeper is told once."""

import datetime

import pytest

from approvals.models import Notification
from attendance.excuses import announce_excuses_changed
from duty.models import Roster
from duty.services import rosters_reflag
from duty.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + datetime.timedelta(days=1)  # b1 on duty (a1, b1, a2, a1, b1)
FRIDAY = MONDAY + datetime.timedelta(days=4)  # b1 again


def _keeper_notices(org):
    return Notification.objects.filter(
        recipient=org.head_a, title__contains="局机关日常值班"
    )


def test_duty1_leave_approved_after_saving_flags_the_roster_at_once(
    org, daily, approved_leave, django_capture_on_commit_callbacks
):
    assert daily.flags == []
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, TUESDAY, FRIDAY)
    roster = Roster.objects.get(pk=daily.pk)
    assert [(row["date"], row["code"], row["name"]) for row in roster.flags] == [
        (TUESDAY.isoformat(), "on_leave", org.b1.name),
        (FRIDAY.isoformat(), "on_leave", org.b1.name),
    ]
    notices = list(_keeper_notices(org))
    assert len(notices) == 1  # once for the roster, naming both days
    assert TUESDAY.isoformat() in notices[0].body
    assert FRIDAY.isoformat() in notices[0].body
    assert notices[0].url == f"/duty/{daily.pk}/"


def test_duty1_reflag_tells_the_keeper_once_for_the_same_flags(
    org, daily, approved_leave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, TUESDAY, TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        announce_excuses_changed([org.b1.pk], TUESDAY, TUESDAY, reason="again")
    assert rosters_reflag(person_ids=[org.b1.pk], start=TUESDAY, end=TUESDAY) == []
    assert _keeper_notices(org).count() == 1


def test_duty1_leave_on_a_day_off_duty_flags_nothing(
    org, daily, approved_leave, django_capture_on_commit_callbacks
):
    """b1 is on duty Tue and Fri only: leave on Wednesday flags nothing, tells
    nobody."""
    wednesday = MONDAY + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, wednesday, wednesday)
    assert Roster.objects.get(pk=daily.pk).flags == []
    assert _keeper_notices(org).count() == 0


def test_duty1_flags_of_other_days_are_kept_when_one_period_is_flagged_again(
    org, daily, approved_leave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, TUESDAY, TUESDAY)
        approved_leave(org.a1, MONDAY, MONDAY)
    roster = Roster.objects.get(pk=daily.pk)
    assert [row["date"] for row in roster.flags] == [
        MONDAY.isoformat(),
        TUESDAY.isoformat(),
    ]
    assert _keeper_notices(org).count() == 2  # two approvals, one notice each


def test_duty1_reflagged_roster_page_shows_the_flag(
    org, daily, approved_leave, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, TUESDAY, TUESDAY)
    page = client_for(org.head_a).get(f"/duty/{daily.pk}/").content.decode()
    assert 'id="roster-flags"' in page
    assert TUESDAY.isoformat() in page
    assert org.b1.name in page
