"""DUTY-1: leave approved after a roster was saved flags the days concerned at
once (not at the next save), and the roster's keeper is told once."""

import datetime

import pytest

from approvals.models import Notification
from attendance.excuses import announce_excuses_changed
from duty.models import Roster, Swap
from duty.services import (
    DayPlan,
    DutyError,
    NeedsConfirmation,
    roster_days_set,
    rosters_reflag,
    swap_decide,
    swap_propose,
    swap_record,
)
from duty.tests.conftest import MONDAY, at

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


# --- swaps flag their days again (DUTY-1) -------------------------------------------

WEDNESDAY = MONDAY + datetime.timedelta(days=2)  # a2 on duty


def _arranger(person):
    """Gives `person` the registered role of duty arranger (值班安排员)."""
    from django.contrib.auth.models import Group

    from duty.selectors import ARRANGER

    person.user.groups.add(Group.objects.get_or_create(name=ARRANGER)[0])
    return person


def test_duty1_swap_onto_someone_on_leave_flags_the_roster(
    org, daily, approved_leave, django_capture_on_commit_callbacks
):
    """DUTY-1: b1 is on leave on Monday (off duty that day: nothing flagged). An
    arranger recording a swap that puts b1 on Monday is warned, nothing changes;
    confirmed, the swap is made, Monday is flagged for b1 and the roster's keeper
    (head_a, who made it) is told once."""
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, MONDAY, MONDAY)
    assert Roster.objects.get(pk=daily.pk).flags == []
    arranger = _arranger(org.inspector)
    with pytest.raises(NeedsConfirmation, match="不在岗"):
        swap_record(
            by=arranger.user,
            roster=daily,
            giver=org.a1,
            given_date=MONDAY,
            taker=org.b1,
        )
    assert not Swap.objects.exists()
    assert Roster.objects.get(pk=daily.pk).flags == []
    with django_capture_on_commit_callbacks(execute=True):
        swap_record(
            by=arranger.user,
            roster=daily,
            giver=org.a1,
            given_date=MONDAY,
            taker=org.b1,
            confirm=True,
        )
    roster = Roster.objects.get(pk=daily.pk)
    assert [(row["date"], row["code"], row["name"]) for row in roster.flags] == [
        (MONDAY.isoformat(), "on_leave", org.b1.name)
    ]
    notices = list(_keeper_notices(org))
    assert len(notices) == 1
    assert MONDAY.isoformat() in notices[0].body and org.b1.name in notices[0].body


def test_duty1_swap_confirmed_by_the_keeper_flags_without_telling_them(
    org, daily, approved_leave
):
    """DUTY-1: the keeper who confirms the warning themselves is not told again;
    the flag is kept on the roster all the same."""
    approved_leave(org.b1, MONDAY, MONDAY)
    swap_record(
        by=org.head_a.user,
        roster=daily,
        giver=org.a1,
        given_date=MONDAY,
        taker=org.b1,
        confirm=True,
    )
    assert [row["date"] for row in Roster.objects.get(pk=daily.pk).flags] == [
        MONDAY.isoformat()
    ]
    assert _keeper_notices(org).count() == 0


def test_duty1_swap_between_colleagues_onto_a_day_on_leave_stays_refused(
    org, daily, approved_leave
):
    """DUTY-1: between colleagues there is no "swap anyway": refused, no flag."""
    approved_leave(org.b1, MONDAY, MONDAY)
    with pytest.raises(DutyError, match="不在岗") as caught:
        swap_propose(by=org.a1.user, roster=daily, given_date=MONDAY, taker=org.b1)
    assert not isinstance(caught.value, NeedsConfirmation)
    assert Roster.objects.get(pk=daily.pk).flags == []


def test_duty1_swap_away_clears_the_flag(
    org, daily, approved_leave, django_capture_on_commit_callbacks
):
    """DUTY-1: a1, on duty Monday, gets leave that day (flagged, keeper told).
    a1 gives Monday to a2 and takes a2's Wednesday: once a2 agrees, Monday's flag
    goes, Wednesday has none, and the keeper is not told again (nothing new)."""
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.a1, MONDAY, MONDAY)
    assert [row["date"] for row in Roster.objects.get(pk=daily.pk).flags] == [
        MONDAY.isoformat()
    ]
    assert _keeper_notices(org).count() == 1
    swap = swap_propose(
        by=org.a1.user,
        roster=daily,
        given_date=MONDAY,
        taker=org.a2,
        returned_date=WEDNESDAY,
    )
    assert len(Roster.objects.get(pk=daily.pk).flags) == 1  # not until agreed
    with django_capture_on_commit_callbacks(execute=True):
        swap_decide(by=org.a2.user, swap=swap, agree=True)
    assert Roster.objects.get(pk=daily.pk).flags == []
    assert _keeper_notices(org).count() == 1
    history = Roster.objects.get(pk=daily.pk).history.order_by("-history_id").first()
    assert history.history_user == org.a2.user  # the agreeing colleague cleared it


def test_duty1_swap_no_double_notification_on_two_saves(
    org, daily, approved_leave, django_capture_on_commit_callbacks
):
    """DUTY-1: a swap's flag is told once. The same announcement again, the
    roster saved again as it stands and a second decision of the swap send
    nothing more."""
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, MONDAY, MONDAY)
    arranger = _arranger(org.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        swap_record(
            by=arranger.user,
            roster=daily,
            giver=org.a1,
            given_date=MONDAY,
            taker=org.b1,
            confirm=True,
        )
    assert _keeper_notices(org).count() == 1
    flags = Roster.objects.get(pk=daily.pk).flags
    with django_capture_on_commit_callbacks(execute=True):
        announce_excuses_changed([org.b1.pk], MONDAY, MONDAY, reason="again")
    roster_days_set(
        by=org.head_a.user,
        roster=daily,
        plan={MONDAY: DayPlan((org.b1.pk,))},
        confirm=True,
    )
    assert Roster.objects.get(pk=daily.pk).flags == flags
    assert _keeper_notices(org).count() == 1
    # A colleagues' swap agreed, then agreed again: refused the second time.
    swap = swap_propose(by=org.b1.user, roster=daily, given_date=TUESDAY, taker=org.a2)
    with django_capture_on_commit_callbacks(execute=True):
        swap_decide(by=org.a2.user, swap=swap, agree=True)
    with pytest.raises(DutyError):
        swap_decide(by=org.a2.user, swap=swap, agree=True)
    assert _keeper_notices(org).count() == 1


# --- going out (外出) acknowledged after the roster was saved -------------------------


def _going_out(person, day, *, hour=14, minute=35, back=16):
    """`person` reports going out on `day` (the afternoon by default: the winter
    schedule's afternoon starts 14:30), a week ahead."""
    from attendance.services import going_out_report

    return going_out_report(
        by=person.user,
        leaves_at=at(day, hour, minute),
        expected_return=at(day, back, 30),
        destination="乡镇服务站",
        reason="督查",
    )


def _acknowledge(going_out):
    from attendance.services import going_out_decide

    going_out_decide(
        by=going_out.approver.user, going_out_id=going_out.pk, acknowledge=True
    )


def test_duty1_going_out_acknowledged_flags_the_roster(
    org, daily, django_capture_on_commit_callbacks
):
    """DUTY-1: b1, on duty Tuesday, reports going out that afternoon; reported
    only, nothing is flagged; acknowledged by the supervisor, Tuesday is flagged
    at once (the reason names the going-out) and the keeper told once."""
    going_out = _going_out(org.b1, TUESDAY)
    assert Roster.objects.get(pk=daily.pk).flags == []
    with django_capture_on_commit_callbacks(execute=True):
        _acknowledge(going_out)
    roster = Roster.objects.get(pk=daily.pk)
    assert [(row["date"], row["code"], row["name"]) for row in roster.flags] == [
        (TUESDAY.isoformat(), "on_leave", org.b1.name)
    ]
    assert "乡镇服务站" in roster.flags[0]["reason"]
    notices = list(_keeper_notices(org))
    assert len(notices) == 1 and TUESDAY.isoformat() in notices[0].body


def test_duty1_going_out_on_a_day_off_duty_flags_nothing(
    org, daily, django_capture_on_commit_callbacks
):
    going_out = _going_out(org.b1, WEDNESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        _acknowledge(going_out)
    assert Roster.objects.get(pk=daily.pk).flags == []
    assert _keeper_notices(org).count() == 0


def test_duty1_going_out_withdrawn_before_acknowledgement_flags_nothing(
    org, daily, django_capture_on_commit_callbacks
):
    """DUTY-1: a report withdrawn before it is acknowledged never excused b1:
    the roster keeps no flag, the keeper hears nothing."""
    from approvals.selectors import current_approval_of
    from approvals.services import approval_withdraw

    going_out = _going_out(org.b1, TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        approval_withdraw(request=current_approval_of(going_out), by=org.b1.user)
    going_out.refresh_from_db()
    assert going_out.status == "cancelled"
    assert Roster.objects.get(pk=daily.pk).flags == []
    assert _keeper_notices(org).count() == 0


def test_duty1_going_out_called_off_clears_the_flag(
    org, daily, django_capture_on_commit_callbacks
):
    """DUTY-1: acknowledged (Tuesday flagged), b1 then logs being back at 12:00,
    before leaving at 14:35: the going-out covers no session any more, Tuesday's
    flag goes at once, and nothing new is told."""
    from attendance.services import going_out_return

    going_out = _going_out(org.b1, TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        _acknowledge(going_out)
    assert len(Roster.objects.get(pk=daily.pk).flags) == 1
    with django_capture_on_commit_callbacks(execute=True):
        going_out_return(by=org.b1.user, going_out_id=going_out.pk, now=at(TUESDAY, 12))
    assert Roster.objects.get(pk=daily.pk).flags == []
    assert _keeper_notices(org).count() == 1


def test_duty1_going_out_back_on_time_keeps_the_flag(
    org, daily, django_capture_on_commit_callbacks
):
    """DUTY-1: back after the expected return: the afternoon stays covered, the
    flag stays (the day was away on duty all the same)."""
    from attendance.services import going_out_return

    going_out = _going_out(org.b1, TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        _acknowledge(going_out)
    with django_capture_on_commit_callbacks(execute=True):
        going_out_return(by=org.b1.user, going_out_id=going_out.pk, now=at(TUESDAY, 17))
    assert len(Roster.objects.get(pk=daily.pk).flags) == 1
    assert _keeper_notices(org).count() == 1
