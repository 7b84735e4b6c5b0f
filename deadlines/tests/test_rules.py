"""The deadline engine's pure rules at their boundaries (PET-2, PET-5, LV-9)."""

import datetime

import pytest
from chinese_calendar import constants

from deadlines import rules

D = datetime.date
# The bureau's 2026 calendar as the package seeds it: the Spring Festival holidays
# 2026-02-15..23 and the make-up Saturdays 2026-02-14 and 2026-02-28.
CAL_2026 = {
    **{day: False for day in constants.holidays if day.year == 2026},
    **{day: True for day in constants.workdays if day.year == 2026},
}


def test_the_2026_spring_festival_is_what_the_tests_assume():
    assert all(not CAL_2026[D(2026, 2, d)] for d in range(15, 24))
    assert CAL_2026[D(2026, 2, 14)] and CAL_2026[D(2026, 2, 28)]
    assert D(2026, 2, 14).weekday() == 5 and D(2026, 2, 28).weekday() == 5


@pytest.mark.parametrize(
    ("start", "length", "day_type", "due"),
    [
        # Calendar days run through the festival.
        (D(2026, 2, 13), 5, "calendar", D(2026, 2, 18)),
        (D(2026, 2, 13), 15, "calendar", D(2026, 2, 28)),
        # Working days: Sat 14 is a make-up working day (1), 15–23 are holidays,
        # Tue 24..Fri 27 (2..5).
        (D(2026, 2, 13), 5, "working", D(2026, 2, 27)),
        (D(2026, 2, 13), 1, "working", D(2026, 2, 14)),
        (D(2026, 2, 13), 2, "working", D(2026, 2, 24)),
        # Fri 27 + 1 working day: the make-up Saturday 28, not Monday 2 March.
        (D(2026, 2, 27), 1, "working", D(2026, 2, 28)),
        (D(2026, 2, 27), 2, "working", D(2026, 3, 2)),
        # Within the holiday: the clock starts counting after it.
        (D(2026, 2, 16), 1, "working", D(2026, 2, 24)),
        # Length 0: due on the start day.
        (D(2026, 2, 15), 0, "working", D(2026, 2, 15)),
        # PET-2: 15 days from receipt, the receipt day not counted.
        (D(2026, 3, 2), 15, "calendar", D(2026, 3, 17)),
    ],
)
def test_pet2_due_date_calendar_and_working_days_across_the_spring_festival(
    start, length, day_type, due
):
    """PET-2: a period in calendar days runs through the Spring Festival; in working
    days it skips the holidays and counts the make-up Saturdays."""
    assert (
        rules.due_date(
            start=start, length=length, day_type=day_type, exceptions=CAL_2026
        )
        == due
    )


def test_a_make_up_saturday_counts_only_with_the_calendar():
    """Without the bureau's calendar a Saturday is a rest day: the stored make-up
    day is what moves the due date."""
    assert rules.due_date(start=D(2026, 2, 27), length=1, day_type="working") == D(
        2026, 3, 2
    )


def test_pet5_a_pause_of_three_days_moves_the_due_date_by_three():
    """PET-5: paused on the 5th, resumed on the 8th (5, 6, 7 not counted): +3 days."""
    base = rules.due_date(start=D(2026, 3, 2), length=15, day_type="calendar")
    pauses = rules.pauses_from_events(
        [("pause", D(2026, 3, 5)), ("resume", D(2026, 3, 8))]
    )
    assert pauses == [(D(2026, 3, 5), D(2026, 3, 8))]
    moved = rules.due_date(
        start=D(2026, 3, 2), length=15, day_type="calendar", pauses=pauses
    )
    assert (base, moved) == (D(2026, 3, 17), D(2026, 3, 20))


def test_a_pause_over_a_weekend_moves_a_working_day_deadline_by_its_working_days():
    """Working days: a pause Fri 6 – Mon 9 March stops only Friday: +1 working day."""
    pauses = [(D(2026, 3, 6), D(2026, 3, 9))]
    assert rules.due_date(
        start=D(2026, 3, 2), length=5, day_type="working", pauses=pauses
    ) == D(2026, 3, 10)


def test_an_open_pause_stops_the_clock_but_not_after_the_due_date():
    """While paused the due date is unknown (None); a pause logged after the period
    ended leaves the due date (and the deadline overdue)."""
    assert (
        rules.due_date(
            start=D(2026, 3, 2),
            length=15,
            day_type="calendar",
            pauses=[(D(2026, 3, 5), None)],
        )
        is None
    )
    assert rules.due_date(
        start=D(2026, 3, 2),
        length=15,
        day_type="calendar",
        pauses=[(D(2026, 3, 20), None)],
    ) == D(2026, 3, 17)


def test_pauses_are_rebuilt_from_the_events_ignoring_repeats():
    events = [
        ("resume", D(2026, 3, 1)),
        ("pause", D(2026, 3, 3)),
        ("pause", D(2026, 3, 4)),
        ("resume", D(2026, 3, 6)),
        ("resume", D(2026, 3, 7)),
        ("pause", D(2026, 3, 9)),
    ]
    assert rules.pauses_from_events(events) == [
        (D(2026, 3, 3), D(2026, 3, 6)),
        (D(2026, 3, 9), None),
    ]


def test_remind_from_counts_back_in_the_deadline_day_type():
    """Three working days before Tue 24 Feb 2026 is Sat 14 (the make-up day),
    across the festival; three calendar days before is Sat 21."""
    due = D(2026, 2, 24)
    assert rules.remind_on(
        due=due, remind_days=1, day_type="working", exceptions=CAL_2026
    ) == D(2026, 2, 14)
    assert rules.remind_on(due=due, remind_days=3, day_type="calendar") == D(
        2026, 2, 21
    )
    assert rules.remind_on(due=due, remind_days=0, day_type="working") == due
    assert rules.remind_on(due=None, remind_days=3, day_type="calendar") is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 13), "green"),
        (D(2026, 3, 14), "yellow"),  # the first day of the reminder window
        (D(2026, 3, 17), "yellow"),  # the due day itself
        (D(2026, 3, 18), "red"),  # the day after: overdue
    ],
)
def test_pet5_traffic_light_boundaries(today, expected):
    assert (
        rules.light(today=today, due=D(2026, 3, 17), remind_from=D(2026, 3, 14))
        == expected
    )


def test_traffic_light_of_a_stopped_clock():
    assert rules.light(today=D(2026, 3, 1), due=None, remind_from=None) == "paused"


def test_met_on_the_due_day_missed_the_day_after():
    due = D(2026, 3, 17)
    assert rules.outcome_when_done(done_on=due, due=due) == "met"
    assert rules.outcome_when_done(done_on=D(2026, 3, 18), due=due) == "missed"
    assert rules.outcome_when_done(done_on=D(2026, 3, 18), due=None) == "met"


GOOD = {"length": 15, "day_type": "calendar", "remind_days": 3, "escalate_to": ""}


@pytest.mark.parametrize(
    "value",
    [
        [],
        {"length": 15},
        {**GOOD, "extra": 1},
        {**GOOD, "length": -1},
        {**GOOD, "length": "15"},
        {**GOOD, "length": True},
        {**GOOD, "length": 99999},
        {**GOOD, "remind_days": 2.5},
        {**GOOD, "day_type": "weekdays"},
        {**GOOD, "escalate_to": "nobody"},
        {**GOOD, "escalate_to": 3},
    ],
)
def test_a_bad_policy_value_is_refused(value):
    with pytest.raises(ValueError):
        rules.validate_policy_value(value, relations=["director", "section_head"])


def test_a_good_policy_value_passes():
    rules.validate_policy_value(GOOD, relations=["director"])
    rules.validate_policy_value(
        {**GOOD, "escalate_to": "director"}, relations=["director"]
    )
