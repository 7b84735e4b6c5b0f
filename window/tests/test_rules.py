"""The window's rules as pure functions, at their boundaries (SVC-1, SVC-2, SVC-4)."""

import datetime

import pytest

from window import rules

D = datetime.date


@pytest.mark.parametrize(
    "outcome, given, unmet",
    [
        ("handled", set(), []),
        ("accepted", set(), ["service"]),
        ("accepted", {"service"}, []),
        ("notified", {"service"}, ["missing"]),
        ("notified", set(), ["service", "missing"]),
        ("notified", {"service", "missing"}, []),
        ("handed_off", set(), ["handed_to"]),
        ("handed_off", {"handed_to"}, []),
        ("asked_leader", {"note"}, ["leader"]),
        ("outside", set(), ["note"]),
        ("refused", {"note"}, ["basis"]),
        ("refused", {"basis"}, ["note"]),
        ("refused", {"note", "basis"}, []),
    ],
)
def test_svc1_what_each_outcome_needs(outcome, given, unmet):
    """A slip needs its materials, a hand-off its receiver, a question its leader,
    an explanation its text, a refusal its reason and basis."""
    assert rules.unmet_requirements(outcome, given) == unmet


def test_svc1_an_unknown_outcome_is_an_error():
    with pytest.raises(KeyError):
        rules.unmet_requirements("lost", set())


@pytest.mark.parametrize(
    "committed, statutory, ok",
    [(0, 20, True), (20, 20, True), (21, 20, False), (-1, 20, False)],
)
def test_svc2_committed_limit_within_the_statutory_one(committed, statutory, ok):
    assert rules.committed_within_statutory(committed, statutory) is ok


def test_svc2_version_in_force_from_its_effective_date():
    """The day before a new version the old one is in force; on its day the new."""
    versions = [(D(2026, 1, 1), "old"), (D(2026, 11, 16), "new")]
    assert rules.version_in_force(versions, D(2025, 12, 31)) is None
    assert rules.version_in_force(versions, D(2026, 1, 1)) == "old"
    assert rules.version_in_force(versions, D(2026, 11, 15)) == "old"
    assert rules.version_in_force(versions, D(2026, 11, 16)) == "new"


def test_svc2_committed_date_counts_working_days_of_the_calendar():
    """5 working days from Wed 30 Sep 2026 across the National Day holiday
    (1–7 Oct off, Sat 10 Oct a make-up working day): Thu 8, Fri 9, Sat 10, Mon
    12, Tue 13 Oct."""
    exceptions = {D(2026, 10, d): False for d in range(1, 8)}
    exceptions[D(2026, 10, 10)] = True
    assert rules.committed_date(
        accepted_on=D(2026, 9, 30), days=5, day_type="working", exceptions=exceptions
    ) == D(2026, 10, 13)
    assert rules.committed_date(
        accepted_on=D(2026, 9, 30), days=5, day_type="calendar", exceptions=exceptions
    ) == D(2026, 10, 5)
    # 0 days: handled on the day of acceptance.
    assert rules.committed_date(
        accepted_on=D(2026, 9, 30), days=0, day_type="working", exceptions={}
    ) == D(2026, 9, 30)
    with pytest.raises(ValueError):
        rules.committed_date(
            accepted_on=D(2026, 9, 30), days=1, day_type="weekdays", exceptions={}
        )


def test_svc2_one_time_breach_only_for_what_was_required_already():
    """A later slip asking for a material the first did not list is a breach
    (DIS-2) when the first slip's version required it; a material the catalogue
    added since is not."""
    assert rules.one_time_breach(
        asked_before={"结婚证"},
        required_before={"身份证", "结婚证", "户口簿"},
        asked_now={"户口簿"},
    ) == {"户口簿"}
    assert (
        rules.one_time_breach(
            asked_before={"结婚证"},
            required_before={"身份证", "结婚证"},
            asked_now={"婚育情况证明"},
        )
        == set()
    )
    # Asking again for what was listed before is no breach.
    assert (
        rules.one_time_breach(
            asked_before={"结婚证"}, required_before={"结婚证"}, asked_now={"结婚证"}
        )
        == set()
    )


def test_svc4_who_stands_in():
    """B stands in for A when A is away and the other way round; neither present
    is None (flagged)."""
    assert rules.stand_ins(post_a=1, post_b=2, away={}) == {}
    assert rules.stand_ins(post_a=1, post_b=2, away={1: "事假"}) == {2: 1}
    assert rules.stand_ins(post_a=1, post_b=2, away={2: "外出"}) == {1: 2}
    assert rules.stand_ins(post_a=1, post_b=2, away={1: "事假", 2: "病假"}) is None


def test_svc4_both_away_days():
    days = [(D(2026, 11, 10), "am"), (D(2026, 11, 10), "pm")]
    assert rules.both_away_days(
        days, requester_away=set(days), other_away={(D(2026, 11, 10), "pm")}
    ) == [(D(2026, 11, 10), "pm")]
    assert rules.both_away_days(days, requester_away=set(days), other_away=set()) == []
