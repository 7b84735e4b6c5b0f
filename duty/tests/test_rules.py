"""DUTY-1 rules as pure functions, at their boundaries."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bureau.policies import registry
from duty import rules
from duty.policies import ARRIVAL, ROTATION

START = datetime.datetime(2026, 11, 3, 8, 0)


@pytest.mark.parametrize(
    ("minutes_before", "expected"),
    [
        (16, rules.EARLY),
        (15, rules.IN_WINDOW),  # 15 minutes early: the window opens
        (12, rules.IN_WINDOW),
        (10, rules.IN_WINDOW),  # 10 minutes early: the window closes
        (9, rules.LATE),
        (0, rules.LATE),
        (-5, rules.LATE),
    ],
)
def test_duty1_arrival_window_is_15_to_10_minutes_before_the_start(
    minutes_before, expected
):
    """DUTY-1: arriving exactly 15 or exactly 10 minutes early is in the window;
    16 is earlier than asked, 9 is late (even if before the start)."""
    arrived = START - datetime.timedelta(minutes=minutes_before)
    assert (
        rules.judge_arrival(arrived, START, earliest_minutes=15, latest_minutes=10)
        == expected
    )


def test_duty1_arrival_window_seconds_past_10_minutes_are_late():
    """DUTY-1: 9 minutes 59 seconds before the start is past the window."""
    arrived = START - datetime.timedelta(minutes=9, seconds=59)
    assert (
        rules.judge_arrival(arrived, START, earliest_minutes=15, latest_minutes=10)
        == rules.LATE
    )
    assert rules.arrival_window(START, earliest_minutes=15, latest_minutes=10) == (
        datetime.datetime(2026, 11, 3, 7, 45),
        datetime.datetime(2026, 11, 3, 7, 50),
    )


@pytest.mark.parametrize(
    ("now", "shows"),
    [
        (datetime.datetime(2026, 11, 1, 23, 59), False),  # two days before
        (datetime.datetime(2026, 11, 2, 0, 0), True),  # the day before, all day
        (datetime.datetime(2026, 11, 2, 18, 0), True),
        (datetime.datetime(2026, 11, 3, 7, 0), True),  # the morning itself
        (datetime.datetime(2026, 11, 3, 11, 59), True),
        (datetime.datetime(2026, 11, 3, 12, 0), False),  # noon: no longer
        (datetime.datetime(2026, 11, 4, 8, 0), False),
    ],
)
def test_duty1_reminder_shows_the_day_before_and_that_morning(now, shows):
    """DUTY-1: the home page reminds the person on duty all the day before and on
    the day until noon (policy show_until)."""
    duty_date = datetime.date(2026, 11, 3)
    assert (
        rules.reminder_shows(now, duty_date, show_until=datetime.time(12, 0)) is shows
    )


def test_duty1_rotation_goes_round_in_order():
    """DUTY-1: the people take the days in their order, round and round."""
    days = [datetime.date(2026, 11, d) for d in range(2, 9)]
    plan = rules.rotation(days, [1, 2, 3], per_day=1)
    assert [plan[d] for d in days] == [[1], [2], [3], [1], [2], [3], [1]]
    two = rules.rotation(days[:3], [1, 2, 3], per_day=2)
    assert [two[d] for d in days[:3]] == [[1, 2], [3, 1], [2, 3]]
    assert rules.rotation(days[:2], [7], per_day=2) == {days[0]: [7], days[1]: [7]}
    assert rules.leader_rotation(days[:3], [9, 8]) == {
        days[0]: 9,
        days[1]: 8,
        days[2]: 9,
    }


def test_duty1_roster_dates_skip_rest_days_when_the_policy_says():
    start, end = datetime.date(2026, 11, 6), datetime.date(2026, 11, 9)
    working = [datetime.date(2026, 11, 6), datetime.date(2026, 11, 9)]
    assert (
        rules.roster_dates(start, end, skip_rest_days=True, working=working) == working
    )
    assert (
        len(rules.roster_dates(start, end, skip_rest_days=False, working=working)) == 4
    )


def test_duty1_flags_nobody_on_leave_and_leaders():
    """DUTY-1: a day with nobody (an error where the policy says, else a warning),
    a person on leave (a warning), no leader (an error), a leader on leave (a
    warning)."""
    d1, d2, d3 = (datetime.date(2026, 2, d) for d in (15, 16, 17))
    flags = rules.roster_flags(
        {d1: [1], d2: [], d3: [2]},
        {d1: 9, d2: None, d3: 8},
        {d1: {1: "病假"}, d3: {8: "事假"}},
        nobody_is_error=True,
        leader_required=True,
    )
    assert [(f.date, f.code, f.error, f.person_id) for f in flags] == [
        (d1, rules.ON_LEAVE, False, 1),
        (d2, rules.NOBODY, True, None),
        (d2, rules.NO_LEADER, True, None),
        (d3, rules.LEADER_ON_LEAVE, False, 8),
    ]
    daily = rules.roster_flags(
        {d2: []}, {}, {}, nobody_is_error=False, leader_required=False
    )
    assert [(f.code, f.error) for f in daily] == [(rules.NOBODY, False)]


def test_duty1_default_policies_pass_their_own_validators():
    for key in (ARRIVAL, ROTATION):
        definition = registry.get(key)
        definition.validator(definition.default)


@pytest.mark.parametrize(
    "value",
    [
        {"earliest_minutes": 10, "latest_minutes": 15, "show_until": "12:00"},
        {"earliest_minutes": 15, "latest_minutes": 10, "show_until": "noon"},
        {"earliest_minutes": 15, "latest_minutes": "10", "show_until": "12:00"},
        {"earliest_minutes": 15},
    ],
)
def test_duty1_arrival_policy_refuses_a_window_that_makes_no_sense(value):
    with pytest.raises(ValidationError):
        rules.validate_arrival(value)


def test_duty1_rotation_policy_refuses_bad_shapes():
    good = registry.get(ROTATION).default
    with pytest.raises(ValidationError):
        rules.validate_rotation(
            {**good, "per_day": {"daily": 5, "holiday": 1, "event": 1}}
        )
    with pytest.raises(ValidationError):
        rules.validate_rotation({**good, "skip_rest_days": {"daily": True}})
    with pytest.raises(ValidationError):
        rules.validate_rotation({"max_days": 3})
