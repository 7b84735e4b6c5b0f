"""Pure rules of the leave chapter, on their boundaries (no database)."""

import datetime
from decimal import Decimal

import pytest

from leave import rules
from leave.policies import DEFAULT_CHAINS

MON = datetime.date(2026, 3, 2)
WEEK = [MON + datetime.timedelta(days=i) for i in range(5)]


@pytest.mark.parametrize(
    ("start_half", "end", "end_half", "expected"),
    [
        ("am", MON, "am", "0.5"),
        ("pm", MON, "pm", "0.5"),
        ("am", MON, "pm", "1"),
        ("am", WEEK[1], "am", "1.5"),
        ("pm", WEEK[1], "pm", "1.5"),
        ("am", WEEK[1], "pm", "2"),
        ("am", WEEK[4], "pm", "5"),
    ],
)
def test_lv1_duration_counts_half_days(start_half, end, end_half, expected):
    """Working days count in half-day steps: an afternoon start or a noon end is half."""
    assert rules.leave_days(WEEK, MON, start_half, end, end_half) == Decimal(expected)


def test_lv1_duration_skips_days_the_calendar_leaves_out():
    """Only the working days the calendar gives count (the weekend is not in the list)."""
    friday, monday = WEEK[4], WEEK[4] + datetime.timedelta(days=3)
    assert rules.leave_days([friday, monday], friday, "am", monday, "pm") == 2


@pytest.mark.parametrize(
    ("position", "days", "tier_up_to"),
    [
        ("section_staff", "0.5", 0.5),
        ("section_staff", "1", 1),
        ("section_staff", "1.5", None),  # stricter tier: "2 days and more"
        ("section_staff", "2", None),
        ("section_head", "0.5", 0.5),
        ("section_head", "1", None),
        ("deputy", "1", 1),
        ("deputy", "1.5", 2),
        ("deputy", "2", 2),
        ("deputy", "2.5", None),
        ("unit_staff", "2", 2),
        ("unit_staff", "2.5", 3),
        ("unit_staff", "3", 3),
        ("unit_staff", "3.5", None),
    ],
)
def test_lv1_to_lv6_in_between_lengths_take_the_stricter_tier(
    position, days, tier_up_to
):
    """LV-1..6: a length between two tiers falls in the next (stricter) tier."""
    tier = rules.tier_for(DEFAULT_CHAINS[position]["tiers"], Decimal(days))
    assert tier.get("up_to") == tier_up_to


@pytest.mark.parametrize(
    ("days_ago", "consent", "problem"),
    [
        (0, False, None),
        (1, False, "needs_consent"),
        (1, True, None),
        (7, True, None),  # 以内: the 7th day is still inside
        (8, True, "too_late"),
    ],
)
def test_lv8_retroactive_window_boundary(days_ago, consent, problem):
    """LV-8: afterwards within 7 days with the leader's consent; the 8th day is too late."""
    start = MON - datetime.timedelta(days=days_ago)
    assert rules.retroactive_problem(start, MON, 7, consent) == problem


def test_lv9_previous_session():
    """The session before coming back is the last session of leave (LV-9)."""
    assert rules.previous_session(MON, "pm") == (MON, "am")
    assert rules.previous_session(MON, "am") == (MON - datetime.timedelta(days=1), "pm")


def test_lv1_default_chains_are_valid():
    """The rulebook's chains pass their own validator; a bad chain is refused."""
    rules.validate_chains(DEFAULT_CHAINS)
    with pytest.raises(ValueError):
        rules.validate_chains(
            {"section_staff": {"tiers": [{"up_to": None, "steps": []}]}}
        )
    with pytest.raises(ValueError):
        rules.validate_chains(
            {
                "x": {
                    "tiers": [
                        {
                            "up_to": None,
                            "steps": [{"action": "approve", "who": "mayor"}],
                        }
                    ]
                }
            }
        )
