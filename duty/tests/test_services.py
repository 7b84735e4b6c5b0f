"""DUTY-1 through the services: rosters generated and checked, flags, swaps, the
duty log's urgent notification, arrivals, filing with the comprehensive section."""

import datetime

import pytest
import time_machine

from approvals.models import Notification
from bureau.models import OutboxMessage
from duty import services
from duty.models import Assignment, DutyDay, LogEntry, Roster, Swap
from duty.services import DayPlan, DutyError, NeedsConfirmation
from duty.tests.conftest import MONDAY, at

pytestmark = pytest.mark.django_db

FESTIVAL = datetime.date(2026, 2, 15)  # Spring Festival 2026: 15–23 February


def _people(roster):
    return {
        d.date: [a.person.name for a in d.assignments.order_by("slot")]
        for d in roster.days.order_by("date")
    }


def _counts():
    return (
        Roster.objects.count(),
        DutyDay.objects.count(),
        Assignment.objects.count(),
        Swap.objects.count(),
        LogEntry.objects.count(),
    )


# --- generating a roster ------------------------------------------------------------


def test_duty1_daily_roster_rotates_over_working_days_only(org, daily):
    """DUTY-1: the organ's daily roster goes a1, b1, a2 round the working days of
    the week; Saturday and Sunday have no day (policy skip_rest_days)."""
    plan = _people(daily)
    assert list(plan) == [MONDAY + datetime.timedelta(days=i) for i in range(5)]
    assert [names[0] for names in plan.values()] == ["a1", "b1", "a2", "a1", "b1"]
    assert daily.filing == Roster.Filing.NOT_REQUIRED  # the section's own roster
    assert daily.rotation_policy_id is not None
    assert daily.history.count() == 1
    assert DutyDay.history.count() == 5 and Assignment.history.count() == 5


def test_duty1_daily_roster_skips_a_holiday_of_the_calendar(org, frozen):
    """DUTY-1: National Day week (1–7 October 2026 holiday, calendar CAL-1): the
    daily roster has days only from the first working day after it."""
    roster = services.roster_create(
        by=org.head_a.user,
        kind="daily",
        unit=org.organ,
        title="十月值班",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 9),
        people=[org.a1.pk],
    )
    dates = list(roster.days.values_list("date", flat=True))
    assert datetime.date(2026, 10, 5) not in dates
    assert dates[0] == datetime.date(2026, 10, 9) or dates[0] > datetime.date(
        2026, 10, 7
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": MONDAY - datetime.timedelta(days=1)}, "早于"),
        ({"people": []}, "轮值"),
        ({"title": " "}, "标题"),
    ],
)
def test_duty1_bad_roster_input_is_refused_and_nothing_saved(
    org, frozen, change, message
):
    """DUTY-1: end before start, no people, no title: a clear error, nothing saved."""
    kwargs = {
        "by": org.head_a.user,
        "kind": "daily",
        "unit": org.organ,
        "title": "值班表",
        "starts_on": MONDAY,
        "ends_on": MONDAY + datetime.timedelta(days=4),
        "people": [org.a1.pk],
    }
    kwargs.update(change)
    with pytest.raises(DutyError, match=message):
        services.roster_create(**kwargs)
    assert _counts() == (0, 0, 0, 0, 0)


def test_duty1_a_person_not_in_the_unit_is_refused(org, frozen):
    """DUTY-1: u1 (of the service station) on the organ's roster: refused, by name."""
    with pytest.raises(DutyError, match="u1"):
        services.roster_create(
            by=org.head_a.user,
            kind="daily",
            unit=org.organ,
            title="值班表",
            starts_on=MONDAY,
            ends_on=MONDAY + datetime.timedelta(days=4),
            people=[org.a1.pk, org.u1.pk],
        )
    assert _counts() == (0, 0, 0, 0, 0)


def test_duty1_only_the_section_or_the_units_head_arranges(org, frozen):
    """DUTY-1: b1 arranges nothing; the unit head arranges the unit's roster only."""
    with pytest.raises(DutyError):
        services.roster_create(
            by=org.b1.user,
            kind="daily",
            unit=org.organ,
            title="值班表",
            starts_on=MONDAY,
            ends_on=MONDAY,
            people=[org.a1.pk],
        )
    with pytest.raises(DutyError):
        services.roster_create(
            by=org.unit_head.user,
            kind="daily",
            unit=org.organ,
            title="值班表",
            starts_on=MONDAY,
            ends_on=MONDAY,
            people=[org.a1.pk],
        )
    roster = services.roster_create(
        by=org.unit_head.user,
        kind="daily",
        unit=org.unit,
        title="服务站值班",
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=4),
        people=[org.u1.pk, org.u2.pk],
    )
    assert roster.filing == Roster.Filing.UNFILED


# --- flags ---------------------------------------------------------------------------


def _festival(org, **kwargs):
    args = {
        "by": org.head_a.user,
        "kind": "holiday",
        "unit": org.organ,
        "title": "2026年春节值班",
        "starts_on": FESTIVAL,
        "ends_on": FESTIVAL + datetime.timedelta(days=8),
        "people": [org.a1.pk, org.b1.pk, org.a2.pk],
        "leaders": [org.dep_a.pk, org.dep_b.pk],
    }
    args.update(kwargs)
    with time_machine.travel(at(datetime.date(2026, 2, 2), 9), tick=False):
        return services.roster_create(**args)


def test_duty1_holiday_roster_covers_every_day_with_a_leader(org):
    """DUTY-1: the Spring Festival roster covers all nine days (rest days too),
    each with a leader on duty in turn."""
    roster = _festival(org)
    days = list(roster.days.order_by("date"))
    assert len(days) == 9
    assert [d.leader.name for d in days[:3]] == ["dep_a", "dep_b", "dep_a"]


def test_duty1_holiday_roster_without_leaders_is_an_error(org):
    """DUTY-1: a holiday day without a leader on duty is an error; nothing saved."""
    with pytest.raises(DutyError, match="带班领导") as caught:
        _festival(org, leaders=[])
    assert not isinstance(caught.value, NeedsConfirmation)
    assert len(caught.value.messages) == 9
    assert _counts() == (0, 0, 0, 0, 0)


def test_duty1_person_on_leave_is_flagged_and_saved_only_when_confirmed(
    org, approved_leave
):
    """DUTY-1: b1 on approved leave over the festival: the roster is flagged (a
    warning naming b1 and the leave) and nothing is saved; confirmed, it is saved
    with the warnings it was confirmed with."""
    approved_leave(org.b1, datetime.date(2026, 2, 13), datetime.date(2026, 2, 25))
    with pytest.raises(NeedsConfirmation) as caught:
        _festival(org)
    assert caught.value.messages[0] == "2026-02-16：b1值班，但在休假（事假）。"
    assert len(caught.value.messages) == 3  # b1's three days of the rotation
    assert _counts() == (0, 0, 0, 0, 0)
    roster = _festival(org, confirm=True)
    assert "b1" in roster.confirmed_warnings


def test_duty1_leave_fixed_by_editing_the_days_then_saved_without_warning(
    org, approved_leave
):
    """DUTY-1: the arranger puts someone else on b1's days: no flag, saved."""
    roster = _festival(org)  # b1 not on leave yet
    approved_leave(org.b1, datetime.date(2026, 2, 13), datetime.date(2026, 2, 25))
    b1_days = list(
        roster.days.filter(assignments__person=org.b1).values_list("date", flat=True)
    )
    leaders = dict(roster.days.values_list("date", "leader_id"))
    with pytest.raises(NeedsConfirmation):
        services.roster_days_set(
            by=org.head_a.user,
            roster=roster,
            plan={b1_days[0]: DayPlan((org.b1.pk,), leaders[b1_days[0]])},
        )
    services.roster_days_set(
        by=org.head_a.user,
        roster=roster,
        plan={d: DayPlan((org.inspector.pk,), leaders[d]) for d in b1_days},
    )
    assert not roster.days.filter(assignments__person=org.b1).exists()
    roster.refresh_from_db()
    assert roster.confirmed_warnings == ""


def test_duty1_edit_with_nobody_on_a_holiday_day_is_an_error(org):
    roster = _festival(org)
    before = _people(roster)
    with pytest.raises(DutyError, match="无人值班"):
        services.roster_days_set(
            by=org.head_a.user,
            roster=roster,
            plan={FESTIVAL: DayPlan((), org.dep_a.pk)},
            confirm=True,
        )
    assert _people(roster) == before


def test_duty1_daily_day_with_nobody_is_a_warning(org, daily):
    with pytest.raises(NeedsConfirmation, match="无人值班"):
        services.roster_days_set(
            by=org.head_a.user, roster=daily, plan={MONDAY: DayPlan(())}
        )
    services.roster_days_set(
        by=org.head_a.user, roster=daily, plan={MONDAY: DayPlan(())}, confirm=True
    )
    assert not Assignment.objects.filter(day__date=MONDAY).exists()
    assert Assignment.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({MONDAY - datetime.timedelta(days=1): ("a1",)}, "超出"),
        ({MONDAY: ("u1",)}, "u1"),
        ({MONDAY: ("a1", "a1")}, "同一人"),
        ({MONDAY: ("a1", "a2", "b1", "inspector")}, "最多"),
    ],
)
def test_duty1_bad_days_are_refused_and_nothing_changes(org, daily, plan, message):
    """DUTY-1: a day outside the roster, a person not in the unit, twice the same,
    too many: refused with a message, the roster unchanged."""
    before = _people(daily)
    with pytest.raises(DutyError, match=message):
        services.roster_days_set(
            by=org.head_a.user,
            roster=daily,
            plan={
                d: DayPlan(tuple(getattr(org, n).pk for n in names))
                for d, names in plan.items()
            },
            confirm=True,
        )
    assert _people(daily) == before


def test_duty1_a_leader_who_is_not_a_leader_is_refused(org):
    roster = _festival(org)
    with pytest.raises(DutyError, match="a1"):
        services.roster_days_set(
            by=org.head_a.user,
            roster=roster,
            plan={FESTIVAL: DayPlan((org.a2.pk,), org.a1.pk)},
        )


# --- filing ----------------------------------------------------------------------------


def test_duty1_unit_files_its_roster_the_section_acknowledges(org, frozen):
    """DUTY-1: the unit head files the unit's holiday roster; the comprehensive
    section's head is told and acknowledges; the unit changing it afterwards must
    file it again."""
    roster = services.roster_create(
        by=org.unit_head.user,
        kind="daily",
        unit=org.unit,
        title="服务站值班",
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=4),
        people=[org.u1.pk, org.u2.pk],
    )
    with pytest.raises(DutyError):
        services.roster_acknowledge(by=org.head_a.user, roster=roster)
    with pytest.raises(DutyError):
        services.roster_file(by=org.u1.user, roster=roster)
    with pytest.raises(DutyError):  # the section does not file for the unit
        services.roster_file(by=org.head_a.user, roster=roster)
    services.roster_file(by=org.unit_head.user, roster=roster)
    assert Notification.objects.filter(recipient=org.head_a).count() == 1
    with pytest.raises(DutyError):
        services.roster_acknowledge(by=org.unit_head.user, roster=roster)
    roster = services.roster_acknowledge(by=org.head_a.user, roster=roster)
    assert roster.filing == Roster.Filing.ACKNOWLEDGED
    assert roster.acknowledged_by == org.head_a
    services.roster_days_set(
        by=org.unit_head.user,
        roster=roster,
        plan={MONDAY: DayPlan((org.u2.pk,))},
    )
    roster.refresh_from_db()
    assert roster.filing == Roster.Filing.UNFILED
    assert [h.filing for h in roster.history.order_by("history_id")] == [
        "unfiled",
        "filed",
        "acknowledged",
        "unfiled",
    ]


# --- swaps -----------------------------------------------------------------------------


def test_duty1_swap_agreed_by_both_changes_hands_with_history(org, daily):
    """DUTY-1: a1 (Monday) asks b1 (Tuesday) to swap; b1 is told and agrees; the
    days change hands; the history names both changes."""
    tuesday = MONDAY + datetime.timedelta(days=1)
    swap = services.swap_propose(
        by=org.a1.user,
        roster=daily,
        given_date=MONDAY,
        taker=org.b1,
        returned_date=tuesday,
        reason="周一出差",
    )
    assert _people(daily)[MONDAY] == ["a1"]  # not yet
    assert Notification.objects.filter(recipient=org.b1).count() == 1
    with pytest.raises(DutyError):
        services.swap_decide(by=org.a2.user, swap=swap, agree=True)
    swap = services.swap_decide(by=org.b1.user, swap=swap, agree=True)
    assert swap.status == Swap.Status.DONE
    plan = _people(daily)
    assert plan[MONDAY] == ["b1"] and plan[tuesday] == ["a1"]
    monday = Assignment.objects.get(day__date=MONDAY)
    assert [h.person.name for h in monday.history.order_by("history_id")] == [
        "a1",
        "b1",
    ]
    with pytest.raises(DutyError, match="已处理"):
        services.swap_decide(by=org.b1.user, swap=swap, agree=True)


def test_duty1_swap_declined_or_withdrawn_changes_nothing(org, daily):
    before = _people(daily)
    swap = services.swap_propose(
        by=org.a1.user, roster=daily, given_date=MONDAY, taker=org.b1
    )
    services.swap_decide(by=org.b1.user, swap=swap, agree=False)
    other = services.swap_propose(
        by=org.a1.user, roster=daily, given_date=MONDAY, taker=org.a2
    )
    with pytest.raises(DutyError):
        services.swap_withdraw(by=org.a2.user, swap=other)
    services.swap_withdraw(by=org.a1.user, swap=other)
    assert _people(daily) == before
    assert list(Swap.objects.values_list("status", flat=True).order_by("pk")) == [
        "declined",
        "withdrawn",
    ]


def test_duty1_arranger_records_a_swap_at_once(org, daily):
    """DUTY-1: the arranger records a swap agreed by phone: done at once; a staff
    member cannot record one for others."""
    with pytest.raises(DutyError):
        services.swap_record(
            by=org.b1.user,
            roster=daily,
            giver=org.a1,
            given_date=MONDAY,
            taker=org.inspector,
        )
    swap = services.swap_record(
        by=org.head_a.user,
        roster=daily,
        giver=org.a1,
        given_date=MONDAY,
        taker=org.inspector,
        reason="电话协商",
    )
    assert swap.status == Swap.Status.DONE and swap.decided_by == org.head_a
    assert _people(daily)[MONDAY] == ["inspector"]


@pytest.mark.parametrize(
    ("giver", "given", "taker", "message"),
    [
        ("a2", 0, "b1", "没有"),  # a2 is not on duty Monday
        ("a1", 0, "u1", "u1"),  # not in the unit
        ("a1", 0, "a1", "两人"),
        ("a1", 1, "b1", "没有"),  # a1 not on Tuesday
        ("a1", 0, "b1", None),
    ],
)
def test_duty1_swap_bad_input(org, daily, giver, given, taker, message):
    day = MONDAY + datetime.timedelta(days=given)
    if message is None:
        # b1 already on the day a1 gives: refused too.
        services.roster_days_set(
            by=org.head_a.user,
            roster=daily,
            plan={MONDAY: DayPlan((org.a1.pk, org.b1.pk))},
        )
        message = "已有值班"
    before = _people(daily)
    with pytest.raises(DutyError, match=message):
        services.swap_propose(
            by=getattr(org, giver).user,
            roster=daily,
            given_date=day,
            taker=getattr(org, taker),
        )
    assert _people(daily) == before and not Swap.objects.exists()


def test_duty1_swap_to_someone_on_leave_is_refused(org, daily, approved_leave):
    approved_leave(org.b1, MONDAY, MONDAY)
    with pytest.raises(DutyError, match="不在岗"):
        services.swap_propose(
            by=org.a1.user, roster=daily, given_date=MONDAY, taker=org.b1
        )


# --- arrival -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(7, 44, "early"), (7, 45, "in_window"), (7, 50, "in_window"), (7, 51, "late")],
)
def test_duty1_arrival_judged_by_the_policy_window(org, daily, hour, minute, expected):
    """DUTY-1: the winter schedule starts at 08:00: 07:45 and 07:50 are in the
    window, 07:44 early, 07:51 late; the policy version is kept."""
    assignment = Assignment.objects.get(day__date=MONDAY)
    assignment = services.duty_arrive(
        by=org.a1.user, assignment=assignment, at=at(MONDAY, hour, minute)
    )
    assert assignment.arrival == expected
    assert assignment.arrival_policy_id is not None


def test_duty1_arrival_only_by_the_person_on_the_day(org, daily):
    assignment = Assignment.objects.get(day__date=MONDAY)
    with pytest.raises(DutyError):
        services.duty_arrive(
            by=org.b1.user, assignment=assignment, at=at(MONDAY, 7, 46)
        )
    with pytest.raises(DutyError):
        services.duty_arrive(
            by=org.a1.user,
            assignment=assignment,
            at=at(MONDAY, 7, 46) - datetime.timedelta(days=1),
        )
    first = services.duty_arrive(
        by=org.a1.user, assignment=assignment, at=at(MONDAY, 7, 46)
    )
    again = services.duty_arrive(
        by=org.a1.user, assignment=assignment, at=at(MONDAY, 7, 55)
    )
    assert again.arrived_at == first.arrived_at


# --- the duty log --------------------------------------------------------------------


def test_duty1_urgent_entry_notifies_the_leader_on_duty_once(
    org, django_capture_on_commit_callbacks, mailoutbox
):
    """DUTY-1: an urgent matter recorded on a festival day reaches that day's
    leader on duty at once: one notification, one e-mail through the outbox; told
    again (a retry), nothing more is sent."""
    org.dep_a.user.email = "dep_a@example.org"
    org.dep_a.user.save()
    roster = _festival(org)
    day = roster.days.get(date=FESTIVAL)
    assert day.leader == org.dep_a
    with time_machine.travel(at(FESTIVAL, 10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            entry = services.log_record(
                by=org.a1.user,
                day=day,
                kind="urgent",
                occurred_at=at(FESTIVAL, 9, 30),
                caller="某乡镇计生办",
                content="辖区发生群体性上访苗头",
                handling="已电话报告带班领导",
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.log_notify_leader(entry=entry)
    entry.refresh_from_db()
    assert entry.leader_notified == org.dep_a and entry.notified_at is not None
    assert Notification.objects.filter(recipient=org.dep_a).count() == 1
    assert OutboxMessage.objects.filter(key__startswith="notification:").count() == 1
    assert len(mailoutbox) == 1 and "紧急" in mailoutbox[0].subject


def test_duty1_ordinary_call_notifies_nobody(org, daily):
    day = daily.days.get(date=MONDAY)
    with time_machine.travel(at(MONDAY, 10), tick=False):
        entry = services.log_record(
            by=org.a1.user,
            day=day,
            kind="call",
            occurred_at=at(MONDAY, 9),
            content="咨询生育服务证办理",
        )
    assert entry.notified_at is None and not Notification.objects.exists()


def test_duty1_urgent_on_a_daily_roster_goes_to_the_deputy_in_charge(org, frozen):
    """DUTY-1: a daily roster has no leader per day: an urgent matter goes to the
    deputy in charge of the roster's unit (the service station's: dep_a)."""
    roster = services.roster_create(
        by=org.unit_head.user,
        kind="daily",
        unit=org.unit,
        title="服务站值班",
        starts_on=MONDAY,
        ends_on=MONDAY,
        people=[org.u1.pk],
    )
    with time_machine.travel(at(MONDAY, 10), tick=False):
        entry = services.log_record(
            by=org.u1.user,
            day=roster.days.get(),
            kind="urgent",
            occurred_at=at(MONDAY, 9),
            content="服务站停电",
        )
    assert entry.leader_notified == org.dep_a


@pytest.mark.parametrize(
    ("who", "when", "content", "message"),
    [
        ("b1", (9, 0), "来电", "值班"),  # b1 is not on duty Monday
        ("a1", None, "来电", "时间"),
        ("a1", (9, 0), "", "内容"),
        ("a1", (9, 0), "a\x00b", None),
    ],
)
def test_duty1_bad_log_input_is_refused(org, daily, who, when, content, message):
    day = daily.days.get(date=MONDAY)
    with (
        time_machine.travel(at(MONDAY, 10), tick=False),
        pytest.raises(DutyError, match=message),
    ):
        services.log_record(
            by=getattr(org, who).user,
            day=day,
            kind="call",
            occurred_at=at(MONDAY, *when) if when else None,
            content=content,
        )
    assert not LogEntry.objects.exists()


def test_duty1_log_time_must_be_the_duty_day(org, daily):
    day = daily.days.get(date=MONDAY)
    later = at(MONDAY + datetime.timedelta(days=3), 10)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(DutyError, match="值班当天"),
    ):
        services.log_record(
            by=org.a1.user,
            day=day,
            kind="call",
            occurred_at=at(MONDAY + datetime.timedelta(days=2), 9),
            content="来电",
        )
