"""The engine's services on the database: open, pause and resume, policy and
calendar changes, meet and cancel (PET-2, PET-5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bureau.models import CalendarDay, Policy
from deadlines.models import Deadline, DeadlineEvent
from deadlines.services import (
    DeadlineError,
    deadline_cancel,
    deadline_meet,
    deadline_open,
    deadline_pause,
    deadline_reassign,
    deadline_resume,
    deadlines_recompute,
)
from deadlines.tests.conftest import MONDAY, TOY, TOY_DEFAULT, TOY_POLICY

pytestmark = pytest.mark.django_db
D = datetime.date


def _policy(value, effective_from=datetime.date(2026, 1, 1), by=None):
    policy = Policy(key=TOY_POLICY, effective_from=effective_from, value=value)
    policy.full_clean()
    policy.save()
    return policy


def test_pet2_open_takes_the_policy_and_computes_the_due_date(org, open_toy):
    """PET-2: 15 calendar days from Monday 2 March, reminded 3 days before."""
    deadline = open_toy(org.a1)
    assert (deadline.due_date, deadline.remind_from) == (D(2026, 3, 17), D(2026, 3, 14))
    assert deadline.rule == "PET-2" and deadline.legal_basis == "信访条例第二十二条"
    assert deadline.label == "a1的来信" and deadline.url == f"/toy/{org.a1.pk}/"
    assert (deadline.responsible, deadline.section) == (org.a1, org.section_a)
    assert deadline.state == Deadline.State.OPEN
    assert deadline.history.count() == 1


def test_opening_twice_returns_the_same_deadline(org, open_toy):
    first = open_toy(org.a1)
    again = open_toy(org.a1, start=D(2026, 4, 1))
    assert again.pk == first.pk and again.start == MONDAY
    assert Deadline.objects.count() == 1


def test_working_days_across_the_spring_festival_from_the_bureaus_calendar(
    org, open_toy
):
    """The seeded 2026 calendar: 5 working days from Fri 13 Feb 2026 end on Fri 27
    (Sat 14 is a make-up day, 15–23 the festival); 1 from Fri 27 on Sat 28."""
    _policy({**TOY_DEFAULT, "length": 5, "day_type": "working"}, D(2026, 2, 1))
    assert CalendarDay.objects.filter(date=D(2026, 2, 14), is_working_day=True)
    assert open_toy(org.a1, start=D(2026, 2, 13)).due_date == D(2026, 2, 27)
    _policy({**TOY_DEFAULT, "length": 1, "day_type": "working"}, D(2026, 2, 20))
    assert open_toy(org.b1, start=D(2026, 2, 27)).due_date == D(2026, 2, 28)


def test_pet5_a_pause_of_three_days_moves_the_due_date_by_three(org, open_toy):
    """PET-5: paused on the 5th, resumed on the 8th: due the 20th instead of the
    17th; while paused there is no due date (the clock is stopped)."""
    deadline = open_toy(org.a1)
    deadline = deadline_pause(
        deadline=deadline, on=D(2026, 3, 5), by=org.head_a.user, reason="补充材料"
    )
    assert deadline.due_date is None and deadline.remind_from is None
    deadline = deadline_resume(deadline=deadline, on=D(2026, 3, 8), by=org.head_a.user)
    assert deadline.due_date == D(2026, 3, 20)
    assert list(deadline.events.values_list("kind", "on")) == [
        ("pause", D(2026, 3, 5)),
        ("resume", D(2026, 3, 8)),
    ]
    # Recomputed from the log, it is the same: nothing was incremented.
    assert deadlines_recompute() == 0
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 3, 20)


@pytest.mark.parametrize(
    ("moves", "message"),
    [
        ([("resume", D(2026, 3, 5))], "正在计时"),
        ([("pause", D(2026, 3, 5)), ("pause", D(2026, 3, 6))], "已暂停"),
        ([("pause", D(2026, 3, 1))], "不能早于"),
        ([("pause", D(1900, 1, 1))], None),
    ],
)
def test_a_refused_pause_or_resume_says_why_and_writes_nothing(
    org, open_toy, moves, message
):
    deadline = open_toy(org.a1)
    *ok, (kind, on) = moves
    for move, day in ok:
        (deadline_pause if move == "pause" else deadline_resume)(
            deadline=deadline, on=day, by=org.head_a.user
        )
    before = DeadlineEvent.objects.count(), Deadline.objects.get().due_date
    service = deadline_pause if kind == "pause" else deadline_resume
    with pytest.raises(DeadlineError, match=message):
        service(deadline=deadline, on=on, by=org.head_a.user)
    assert (DeadlineEvent.objects.count(), Deadline.objects.get().due_date) == before


def test_a_policy_change_recomputes_the_open_deadlines(org, open_toy):
    """A new version in force on the start day (20 days, working days) recomputes
    the open deadline; a closed one and one started before it keep theirs."""
    early = open_toy(org.b1, start=D(2026, 2, 2))
    deadline = open_toy(org.a1)
    closed = open_toy(org.a2)
    deadline_meet(deadline=closed, by=org.head_a.user, on=D(2026, 3, 3))
    _policy({**TOY_DEFAULT, "length": 20, "day_type": "working"}, D(2026, 3, 1))
    deadline.refresh_from_db()
    assert (deadline.length, deadline.day_type) == (20, "working")
    assert deadline.due_date == D(2026, 3, 30)
    assert deadline.policy_id == Policy.objects.get(effective_from=D(2026, 3, 1)).pk
    assert deadline.history.first().length == 20  # the change is in the history
    early.refresh_from_db()
    closed.refresh_from_db()
    assert early.due_date == D(2026, 2, 17) and closed.due_date == D(2026, 3, 17)
    # The version withdrawn: back to the default.
    Policy.objects.get(effective_from=D(2026, 3, 1)).delete()
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 3, 17)


def test_a_bad_policy_value_is_refused_in_chinese_and_nothing_changes(org, open_toy):
    deadline = open_toy(org.a1)
    with pytest.raises(ValidationError) as caught:
        _policy({**TOY_DEFAULT, "day_type": "weekdays"})
    assert "自然日" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        _policy({**TOY_DEFAULT, "escalate_to": "nobody"})
    assert "逾期上报对象" in str(caught.value)
    assert not Policy.objects.filter(key=TOY_POLICY, effective_from=D(2026, 1, 1))
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 3, 17)


def test_a_calendar_change_recomputes_working_day_deadlines(
    org, open_toy, django_capture_on_commit_callbacks
):
    """A day the bureau makes a rest day (an override) moves a working-day deadline
    by one day, once the change commits."""
    _policy({**TOY_DEFAULT, "length": 5, "day_type": "working"})
    deadline = open_toy(org.a1)
    assert deadline.due_date == D(2026, 3, 9)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(
            date=D(2026, 3, 4),
            is_working_day=False,
            kind=CalendarDay.Kind.HOLIDAY,
            name="停电",
            source=CalendarDay.Source.OVERRIDE,
        )
        CalendarDay.objects.create(
            date=D(2026, 3, 5),
            is_working_day=False,
            kind=CalendarDay.Kind.HOLIDAY,
            name="停电",
            source=CalendarDay.Source.OVERRIDE,
        )
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 3, 11)


def test_met_by_the_due_date_missed_after_it_cancelled_when_it_falls_away(
    org, open_toy
):
    on_time, late, dropped = open_toy(org.a1), open_toy(org.a2), open_toy(org.b1)
    assert deadline_meet(deadline=on_time, by=None, on=D(2026, 3, 17)).state == "met"
    assert deadline_meet(deadline=late, by=None, on=D(2026, 3, 18)).state == "missed"
    assert deadline_cancel(deadline=dropped, by=None, on=MONDAY).state == "cancelled"
    # Closed is closed: meeting again changes nothing; pausing is refused.
    assert deadline_meet(deadline=late, by=None, on=MONDAY).state == "missed"
    with pytest.raises(DeadlineError):
        deadline_pause(deadline=on_time, on=D(2026, 3, 18), by=None)


def test_reassigning_moves_the_deadline_to_the_new_persons_section(org, open_toy):
    deadline = open_toy(org.a1)
    deadline = deadline_reassign(
        deadline=deadline, responsible=org.b1, by=org.director.user
    )
    assert (deadline.responsible, deadline.section) == (org.b1, org.section_b)


def test_an_unknown_kind_cannot_be_opened(org):
    with pytest.raises(KeyError):
        deadline_open(kind="no.such", record=org.a1, start=MONDAY)


def test_a_start_outside_the_date_bounds_is_refused(org, toy_kind):
    with pytest.raises(DeadlineError):
        deadline_open(kind=TOY, record=org.a1, start=D(1900, 1, 1))
    assert not Deadline.objects.exists()
