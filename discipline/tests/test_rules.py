"""Pure ladder rules, table-driven: each ladder at each count (DIS-1..5, ATT-11/12)."""

import datetime
from types import SimpleNamespace

import pytest

from discipline import registry, rules
from discipline.rules import (
    ADMONITION,
    BASIC,
    COMPETENT,
    CRITICISM,
    DISMISSAL_PROPOSAL,
    EFFICIENCY_WARNING,
    EXCELLENT,
    GRADE_CAP,
    RANK,
    SANCTION_PROPOSAL,
    SELF_CRITICISM,
    SELF_EXAM_ALL_STAFF,
    SELF_EXAM_SECTION,
    UNFIT,
    Counted,
)


def defaults() -> dict:
    """Every policy's rulebook default, the ladders' as their chapters registered."""
    values = {
        rules.DIS4_KEY: rules.DEFAULT_DIS4,
        rules.WINDOW_KEY: rules.DEFAULT_WINDOW,
    }
    for ladder in registry.ladders():
        values[ladder.policy_key] = ladder.default
        if ladder.dismissal is not None:
            values[ladder.dismissal.policy_key] = ladder.dismissal.default
    return values


def policy_at(key, on):
    return SimpleNamespace(value=defaults()[key], id=None)


def judge(*violations):
    return rules.judge_year(list(violations), policy_at, registry.ladder_map())


def series(kind, ladder, n, days=0.0, start=datetime.date(2026, 3, 2)):
    return [
        Counted(i + 1, start + datetime.timedelta(days=7 * i), kind, ladder, days)
        for i in range(n)
    ]


def outcomes_of(judgement, violation_id):
    return sorted(
        (o.kind, o.cap_rank)
        for o in judgement.outcomes
        if o.violation_id == violation_id and o.rule != "DIS-4"
    )


@pytest.mark.parametrize(
    "count, expected",
    [
        (1, [(CRITICISM, None)]),
        (2, [(SELF_EXAM_SECTION, None)]),
        (3, [(EFFICIENCY_WARNING, None), (SELF_EXAM_ALL_STAFF, None)]),
        (4, [(EFFICIENCY_WARNING, None), (SELF_EXAM_ALL_STAFF, None)]),
        (5, [(GRADE_CAP, RANK[BASIC]), (SANCTION_PROPOSAL, None)]),
    ],
)
def test_att11_attendance_ladder_each_count(count, expected):
    """ATT-11: 1st criticism, 2nd written self-exam, 3rd and 4th (Reading) all-staff
    self-exam plus an efficiency warning, 5th (more than 4) sanction + 基本稱職 cap."""
    judgement = judge(*series("attendance.late", "attendance", count))
    assert outcomes_of(judgement, count) == expected
    assert judgement.steps[count] == count


@pytest.mark.parametrize(
    "count, expected",
    [
        (1, [(ADMONITION, None), (SELF_CRITICISM, None)]),
        (2, [(EFFICIENCY_WARNING, None), (GRADE_CAP, RANK[BASIC])]),
        (3, [(GRADE_CAP, RANK[UNFIT]), (SANCTION_PROPOSAL, None)]),
        (4, [(GRADE_CAP, RANK[UNFIT]), (SANCTION_PROPOSAL, None)]),
        (5, [(GRADE_CAP, RANK[UNFIT]), (SANCTION_PROPOSAL, None)]),
    ],
)
def test_dis1_first_inquiry_ladder_each_count(count, expected):
    """DIS-1: 1st self-criticism + admonition; 2nd warning, cap 基本稱職; 3rd and
    later a sanction proposal, cap 不稱職."""
    judgement = judge(*series("discipline.first_inquiry", "first_inquiry", count))
    assert outcomes_of(judgement, count) == expected


@pytest.mark.parametrize(
    "count, expected",
    [
        (1, [(EFFICIENCY_WARNING, None), (GRADE_CAP, RANK[BASIC])]),
        (2, [(GRADE_CAP, RANK[UNFIT]), (SANCTION_PROPOSAL, None)]),
        (3, [(GRADE_CAP, RANK[UNFIT]), (SANCTION_PROPOSAL, None)]),
        (4, [(GRADE_CAP, RANK[UNFIT]), (SANCTION_PROPOSAL, None)]),
        (5, [(GRADE_CAP, RANK[UNFIT]), (SANCTION_PROPOSAL, None)]),
    ],
)
def test_dis2_one_time_notice_ladder_each_count(count, expected):
    """DIS-2: 1st warning, cap 基本稱職; 2nd and later sanction proposal, 不稱職."""
    judgement = judge(*series("discipline.one_time_notice", "one_time_notice", count))
    assert outcomes_of(judgement, count) == expected


@pytest.mark.parametrize(
    "count, expected, cap",
    [
        (1, [(ADMONITION, None)], None),
        (2, [(EFFICIENCY_WARNING, None)], COMPETENT),
        (3, [(EFFICIENCY_WARNING, None)], BASIC),
        (4, [(EFFICIENCY_WARNING, None)], UNFIT),
        (5, [(EFFICIENCY_WARNING, None)], UNFIT),
    ],
)
def test_dis3_efficiency_ladder_each_count(count, expected, cap):
    """DIS-3: 1st admonition, 2nd and later an efficiency warning each; the
    warnings add up under DIS-4 (the 5th DIS-3 is the 4th warning: a proposal)."""
    judgement = judge(*series("discipline.efficiency.idle", "efficiency", count))
    assert outcomes_of(judgement, count) == expected
    assert judgement.cap_rank == (RANK[cap] if cap else None)
    proposals = [o for o in judgement.outcomes if o.kind == SANCTION_PROPOSAL]
    assert len(proposals) == (1 if count == 5 else 0)


@pytest.mark.parametrize(
    "warnings, cap, proposals",
    [
        (0, None, 0),
        (1, COMPETENT, 0),
        (2, BASIC, 0),
        (3, UNFIT, 0),
        (4, UNFIT, 1),
        (5, UNFIT, 2),
    ],
)
def test_dis4_warnings_add_up_to_caps(warnings, cap, proposals):
    """DIS-4: 1 warning → not 優秀, 2 → at most 基本稱職, 3 → 不稱職, more →
    administrative warning or heavier proposed (DIS-5 meeting warnings, one each)."""
    judgement = judge(*series("discipline.meeting_warning", "meeting", warnings))
    assert judgement.warnings == warnings
    assert judgement.cap_rank == (RANK[cap] if cap else None)
    dis4 = [o for o in judgement.outcomes if o.rule == "DIS-4"]
    assert sum(1 for o in dis4 if o.kind == SANCTION_PROPOSAL) == proposals


def test_dis4_warnings_from_different_sources_add_up():
    """DIS-4: a DIS-3 warning, a DIS-5 meeting warning and an ATT-11 warning are
    three warnings: 不稱職."""
    d = datetime.date(2026, 1, 5)
    violations = [
        Counted(1, d, "discipline.efficiency.idle", "efficiency"),
        Counted(2, d.replace(month=2), "discipline.efficiency.idle", "efficiency"),
        Counted(3, d.replace(month=3), "discipline.meeting_warning", "meeting"),
        *[
            Counted(
                10 + i, d.replace(month=4, day=1 + i), "attendance.late", "attendance"
            )
            for i in range(3)
        ],
    ]
    judgement = judge(*violations)
    assert judgement.warnings == 3
    assert judgement.cap_rank == RANK[UNFIT]
    caps = {o.step: o.violation_id for o in judgement.outcomes if o.rule == "DIS-4"}
    assert caps == {1: 2, 2: 3, 3: 12}


def test_att11_absence_floors():
    """ATT-11: a half-day absence is at least the 2nd step, a day the 3rd, more than
    a day the 5th; each further incident is one step further."""
    d = datetime.date(2026, 5, 4)
    half = judge(Counted(1, d, "attendance.absence", "attendance", 0.5))
    assert half.steps == {1: 2}
    day = judge(
        Counted(1, d, "attendance.absence", "attendance", 0.5),
        Counted(2, d, "attendance.absence", "attendance", 0.5),
    )
    assert day.steps == {1: 2, 2: 3}
    more = judge(
        Counted(1, d, "attendance.absence", "attendance", 0.5),
        Counted(2, d, "attendance.absence", "attendance", 0.5),
        Counted(3, d.replace(day=5), "attendance.absence", "attendance", 0.5),
    )
    assert more.steps[3] == 5
    assert outcomes_of(more, 3) == [(GRADE_CAP, RANK[BASIC]), (SANCTION_PROPOSAL, None)]


def test_att12_long_absence_proposes_dismissal_and_is_no_rung():
    """ATT-12: a long absence (more than 15 consecutive days, detected by attendance)
    proposes dismissal at once; it does not count again on the ATT-11 ladder."""
    judgement = judge(
        Counted(
            1, datetime.date(2026, 6, 1), "attendance.long_absence", "attendance", 16
        )
    )
    assert [(o.kind, o.rule) for o in judgement.outcomes] == [
        (DISMISSAL_PROPOSAL, "ATT-12")
    ]
    assert judgement.steps == {}


@pytest.mark.parametrize("half_days, proposed", [(60, False), (61, True), (62, True)])
def test_att12_more_than_30_days_in_a_year(half_days, proposed):
    """ATT-12: more than 30 days of absence in a year (30.5 and more) → dismissal
    proposed once, tied to the half-day that crossed the line."""
    start = datetime.date(2026, 1, 1)
    violations = [
        Counted(
            i + 1,
            start + datetime.timedelta(days=i // 2),
            "attendance.absence",
            "attendance",
            0.5,
        )
        for i in range(half_days)
    ]
    judgement = judge(*violations)
    dismissals = [o for o in judgement.outcomes if o.kind == DISMISSAL_PROPOSAL]
    if half_days == 61:
        # 30.5 days is more than 30.
        assert [o.violation_id for o in dismissals] == [61]
    else:
        assert bool(dismissals) == proposed


def test_dis6_final_grade_allowed_against_cap():
    """DIS-6: the grade is never above the cap."""
    assert rules.final_grade_allowed(EXCELLENT, None)
    assert not rules.final_grade_allowed(EXCELLENT, RANK[COMPETENT])
    assert rules.final_grade_allowed(COMPETENT, RANK[COMPETENT])
    assert rules.final_grade_allowed(UNFIT, RANK[BASIC])
    assert not rules.final_grade_allowed(COMPETENT, RANK[BASIC])


@pytest.mark.parametrize(
    "self_score, democratic, peer, score, grade",
    [
        (95, 92, 90, 91.8, EXCELLENT),
        (90, 90, 90, 90.0, EXCELLENT),
        (80, 70, 60, 68.0, COMPETENT),
        (60, 50, 40, 48.0, UNFIT),
    ],
)
def test_dis7_window_composite(self_score, democratic, peer, score, grade):
    """DIS-7: self-report, democratic and peer ratings weigh into 優秀/稱職/不稱職."""
    assert rules.window_composite(
        rules.DEFAULT_WINDOW, self_score=self_score, democratic=democratic, peer=peer
    ) == (score, grade)


@pytest.mark.parametrize(
    "positions, warnings, cap, lowering",
    [
        ({}, 0, None, []),
        ({"attendance": 1}, 0, None, []),
        ({"attendance": 2}, 0, None, ["attendance"]),
        ({"first_inquiry": 1}, 0, None, ["first_inquiry"]),
        ({"efficiency": 1}, 0, None, ["efficiency"]),
        ({"efficiency": 3}, 2, RANK[BASIC], ["efficiency"]),
        ({"one_time_notice": 2}, 1, RANK[UNFIT], []),
    ],
)
def test_dis4_one_violation_from_a_lower_cap(positions, warnings, cap, lowering):
    """DIS-4/DIS-6: who is one violation (in a ladder they stand on) from a lower cap."""
    assert (
        rules.ladders_lowering_cap(
            positions=positions,
            warnings=warnings,
            cap_rank=cap,
            policy_at=policy_at,
            on=datetime.date(2026, 6, 1),
            ladders=registry.ladder_map(),
        )
        == lowering
    )


def test_ladder_validator_rejects_bad_shapes():
    """Policies are data: a bad ladder shape is refused before it is stored."""
    with pytest.raises(ValueError):
        rules.validate_ladder({"steps": []})
    with pytest.raises(ValueError):
        rules.validate_ladder({"steps": [{"outcomes": ["nonsense"]}]})
    for ladder in registry.ladders():
        rules.validate_ladder(ladder.default)
