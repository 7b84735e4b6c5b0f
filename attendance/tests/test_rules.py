"""The pure rules at their boundaries (ATT-2..5, ATT-9, ATT-10, ATT-12)."""

import datetime
from decimal import Decimal

import pytest

from attendance import rules
from attendance.policies import registry_default_table
from attendance.rules import Thresholds

T = Thresholds()
START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)
END = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)


def after(minutes, seconds=0):
    return START + datetime.timedelta(minutes=minutes, seconds=seconds)


def before_end(minutes, seconds=0):
    return END - datetime.timedelta(minutes=minutes, seconds=seconds)


@pytest.mark.parametrize(
    ("signed_in", "expected"),
    [
        (after(-30), rules.ON_TIME),
        (after(0), rules.ON_TIME),
        (after(10, 0), rules.ON_TIME),
        (after(10, 1), rules.LATE),
        (after(15, 0), rules.LATE),
        (after(15, 1), rules.ABSENT),
        (after(90), rules.ABSENT),
    ],
)
def test_att2_att3_att5_arrival_bands(signed_in, expected):
    """ATT-2: ≤ 10:00 after the start is on time; ATT-3: 10:01–15:00 is late;
    ATT-5: from 15:01 it is a half-day absence."""
    assert rules.judge_arrival(START, signed_in, T) == expected


@pytest.mark.parametrize(
    ("signed_out", "expected"),
    [
        (END + datetime.timedelta(minutes=5), rules.ON_TIME),
        (END, rules.ON_TIME),
        (before_end(0, 1), rules.EARLY),
        (before_end(14, 59), rules.EARLY),
        (before_end(15, 0), rules.EARLY),
        (before_end(15, 1), rules.ABSENT),
    ],
)
def test_att4_att5_departure_bands(signed_out, expected):
    """ATT-4: leaving before the end by up to 15 minutes — exactly 15 included — is
    early leave; ATT-5: more than 15 minutes early is an absence."""
    assert rules.judge_departure(END, signed_out, T) == expected


def facts(**kwargs):
    base = {"start": START, "end": END, "signed_in_at": after(0), "signed_out_at": END}
    base.update(kwargs)
    return rules.SessionFacts(**base)


def test_att5_no_sign_in_is_half_day_absence():
    """ATT-5 reading: no sign-in by the session's end, without leave, is half a day."""
    judgement = rules.judge_session(facts(signed_in_at=None, signed_out_at=None), T)
    assert (judgement.outcome, judgement.absence_days) == (rules.ABSENT, Decimal("0.5"))
    assert judgement.reason == "no_sign_in"


def test_att8_excused_session_is_not_absence():
    """ATT-8: approved leave (or business) excuses the session."""
    judgement = rules.judge_session(facts(signed_in_at=None, excused=True), T)
    assert judgement.outcome == rules.EXCUSED
    assert judgement.absence_days == 0


@pytest.mark.parametrize(("minutes", "absent"), [(30, False), (31, True)])
def test_att5_away_from_post_more_than_30_minutes(minutes, absent):
    """ATT-5: away from post without leave for MORE than 30 minutes is an absence."""
    judgement = rules.judge_session(facts(away_minutes=minutes), T)
    assert (judgement.outcome == rules.ABSENT) is absent


def test_att4_missing_sign_out_follows_the_policy():
    """ATT-4: with sign-out required, no sign-out is an absence; without, it is fine."""
    assert rules.judge_session(facts(signed_out_at=None), T).outcome == rules.ABSENT
    relaxed = Thresholds(sign_out_required=False)
    assert (
        rules.judge_session(facts(signed_out_at=None), relaxed).outcome == rules.ON_TIME
    )


def test_att3_att4_late_and_early_count_twice():
    """ATT-10's L counts lates and early leaves together: one session can add two."""
    judgement = rules.judge_session(
        facts(signed_in_at=after(12), signed_out_at=before_end(5)), T
    )
    assert judgement.outcome == rules.LATE_EARLY
    assert judgement.incidents == 2


TABLE = registry_default_table()


@pytest.mark.parametrize(
    ("late_early", "absence", "expected"),
    [
        (0, 0, "none"),
        (1, 0, "none"),
        (2, 0, "half_deducted"),
        (3, 0, "cancelled"),
        (4, 0, "cancelled"),
        (5, 0, "welfare_deducted"),
        (0, "0.5", "half_deducted"),
        (0, "1", "cancelled"),
        (0, "1.5", "welfare_deducted"),
        (1, "0.5", "half_deducted"),
        (2, "1", "cancelled"),
        (4, "1.5", "welfare_deducted"),
        (5, "0.5", "welfare_deducted"),
    ],
)
def test_att10_allowance_outcome(late_early, absence, expected):
    """ATT-10: L=2 → half deducted; L=3/4 or A=1 → cancelled; L>4 or A>1 → cancelled
    and welfare deducted; A=0.5 → half (reading); the harshest matching row wins."""
    result = rules.allowance_outcome(late_early, Decimal(absence), TABLE)
    assert result.outcome == expected
    assert (result.reason == "") == (expected == "none")


def test_att10_table_is_data():
    """ATT-10: a revised table (e.g. L ≥ 2 cancels) changes the outcome."""
    table = [{"outcome": "cancelled", "min_l": 2}]
    assert rules.allowance_outcome(2, 0, table).outcome == "cancelled"


def _days(start, pattern):
    day = start
    out = []
    for absence in pattern:
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        out.append((day, Decimal(str(absence))))
        day += datetime.timedelta(days=1)
    return out


def test_att12_more_than_15_consecutive_days():
    """ATT-12: 15 consecutive days of absence is not yet flagged; the 16th is."""
    limits = {"consecutive_limit": 15, "year_limit": 30}
    assert (
        rules.long_absences(_days(datetime.date(2026, 3, 2), [1] * 15), **limits) == []
    )
    found = rules.long_absences(_days(datetime.date(2026, 3, 2), [1] * 16), **limits)
    assert [f.kind for f in found] == ["consecutive"]
    broken = rules.long_absences(
        _days(datetime.date(2026, 3, 2), [1] * 8 + [0] + [1] * 8), **limits
    )
    assert broken == []


def test_att12_more_than_30_days_in_a_year():
    """ATT-12: 30 days in the year is not flagged, 30.5 is."""
    limits = {"consecutive_limit": 15, "year_limit": 30}
    pattern = ([1] * 10 + [0]) * 3
    assert (
        rules.long_absences(_days(datetime.date(2026, 1, 5), pattern), **limits) == []
    )
    found = rules.long_absences(
        _days(datetime.date(2026, 1, 5), [*pattern, 0.5]), **limits
    )
    assert [f.kind for f in found] == ["year"]


def test_att9_study_leave_is_asked_of_deputy_or_director():
    """ATT-9: general staff ask the deputy in charge; middle level and above the director."""
    assert rules.study_leave_relation(False) == "deputy_in_charge"
    assert rules.study_leave_relation(True) == "director"


def test_att1_sign_in_window():
    """ATT-1: sign-in opens an hour before the start and closes at the end."""

    class S:
        start, end, part = START, END, "am"

    assert (
        rules.session_open_for_sign_in([S], START - datetime.timedelta(minutes=61), T)
        is None
    )
    assert (
        rules.session_open_for_sign_in([S], START - datetime.timedelta(minutes=60), T)
        is S
    )
    assert rules.session_open_for_sign_in([S], END, T) is S
    assert (
        rules.session_open_for_sign_in([S], END + datetime.timedelta(seconds=1), T)
        is None
    )


def test_att6_whereabouts_board_categories():
    """ATT-6: the board's categories: business and leave first, then in / left /
    not yet in (until start + 10) / missing."""

    class S:
        start, end, part = START, END, "am"

    def where(now, **kwargs):
        base = {
            "now": now,
            "session": S,
            "signed_in_at": None,
            "signed_out_at": None,
            "excuse_kind": None,
            "out_until": None,
            "t": T,
        }
        base.update(kwargs)
        return rules.whereabouts(**base)

    assert where(after(5)) == rules.NOT_YET
    assert where(after(10)) == rules.NOT_YET
    assert where(after(11)) == rules.MISSING
    assert where(after(11), signed_in_at=after(0)) == rules.IN
    assert where(after(11), out_until=END) == rules.BUSINESS
    assert where(after(11), excuse_kind="leave") == rules.LEAVE
    assert (
        where(END + datetime.timedelta(minutes=1), signed_in_at=after(0)) == rules.LEFT
    )
    assert (
        where(after(60), signed_in_at=after(0), signed_out_at=after(59)) == rules.LEFT
    )
