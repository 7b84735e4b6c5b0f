"""MTG-1's pure rules, table-driven on their boundaries."""

import datetime

import pytest

from bureau.models import Position
from meetings import rules
from meetings.rules import Chair, Participants


@pytest.mark.parametrize(
    ("rule", "position", "allowed"),
    [
        (Chair.DIRECTOR, Position.DIRECTOR, True),
        (Chair.DIRECTOR, Position.DEPUTY, False),
        (Chair.DIRECTOR_OR_DEPUTY, Position.DEPUTY, True),
        (Chair.DIRECTOR_OR_DEPUTY, Position.SECTION_HEAD, False),
        (Chair.LEADER, Position.DEPUTY, True),
        (Chair.LEADER, Position.DIRECTOR, True),
        (Chair.LEADER, Position.UNIT_HEAD, False),
    ],
)
def test_mtg1_who_chairs(rule, position, allowed):
    """局务会: the director; 局长办公会议: the director or a deputy he entrusts;
    专题会议: a bureau leader."""
    assert rules.chair_allowed(rule, position) is allowed


def test_mtg1_who_is_expected():
    """副股长以上: the middle level and above; members: the leaders by default;
    concerned: nobody by position (the agenda's sections and units)."""
    assert rules.expected_positions(Participants.MIDDLE_AND_ABOVE) == {
        Position.DIRECTOR,
        Position.DEPUTY,
        Position.SECTION_HEAD,
        Position.UNIT_HEAD,
    }
    assert rules.expected_positions(Participants.MEMBERS) == {
        Position.DIRECTOR,
        Position.DEPUTY,
    }
    assert rules.expected_positions(Participants.CONCERNED) == set()


@pytest.mark.parametrize(
    ("day", "has_meeting", "due"),
    [(19, False, False), (20, False, True), (31, False, True), (25, True, False)],
)
def test_mtg1_monthly_reminder_due_from_the_20th(day, has_meeting, due):
    today = datetime.date(2026, 10, day)
    assert rules.reminder_due(today, 20, month_has_meeting=has_meeting) is due
    assert rules.reminder_due(today, None, month_has_meeting=False) is False


def test_mtg1_minutes_and_decision_references():
    """Hexagonal brackets, no padding; the decision's number after the minutes."""
    ref = rules.minutes_reference("局务会纪要", 2026, 3)
    assert ref == "局务会纪要〔2026〕3号"
    assert rules.decision_citation(ref, 2) == "局务会纪要〔2026〕3号 · 决定2"
    assert rules.decision_citation("", 2) == ""


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (datetime.date(2026, 2, 10), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 31), datetime.date(2026, 12, 31)),
    ],
)
def test_mtg1_month_end(day, end):
    assert rules.month_end(day) == end
    assert rules.month_start(day) == day.replace(day=1)
