"""LV-1..6: every chain at each tier boundary, resolved to the small org's people."""

import pytest

from leave.services import leave_quote
from leave.tests.conftest import period_of

A, P, INF, X = "agree", "approve", "inform", "external"

# Expected chains as (action, approver username | county role).
SECTION_STAFF = {  # LV-1, a1 of section A (head_a, dep_a)
    0.5: [(P, "head_a")],
    1: [(A, "head_a"), (P, "dep_a"), (INF, "director")],
    1.5: [(A, "head_a"), (A, "dep_a"), (P, "director")],
    2: [(A, "head_a"), (A, "dep_a"), (P, "director")],
    2.5: [(A, "head_a"), (A, "dep_a"), (P, "director")],
    3: [(A, "head_a"), (A, "dep_a"), (P, "director")],
    3.5: [(A, "head_a"), (A, "dep_a"), (P, "director")],
}
SECTION_HEAD = {  # LV-2, head_b (dep_b in charge)
    0.5: [(P, "dep_b")],
    **{d: [(A, "dep_b"), (P, "director")] for d in (1, 1.5, 2, 2.5, 3, 3.5)},
}
COUNTY3 = [
    (X, "county_leader_in_charge"),
    (X, "county_magistrate"),
    (X, "county_party_secretary"),
]
DIRECTOR = {d: COUNTY3 for d in (0.5, 1, 1.5, 2, 2.5, 3, 3.5)}  # LV-3
DEPUTY = {  # LV-4
    0.5: [(P, "director")],
    1: [(P, "director")],
    1.5: [(A, "director"), (X, "county_leader_in_charge")],
    2: [(A, "director"), (X, "county_leader_in_charge")],
    **{
        d: [(A, "director"), (X, "county_leader_in_charge"), (X, "county_magistrate")]
        for d in (2.5, 3, 3.5)
    },
}
UNIT_HEAD = {  # LV-5
    0.5: [(P, "dep_a")],
    **{d: [(A, "dep_a"), (P, "director")] for d in (1, 1.5, 2, 2.5, 3, 3.5)},
}
UNIT_STAFF = {  # LV-6: ≤2, ≤3, >3
    **{d: [(P, "unit_head")] for d in (0.5, 1, 1.5, 2)},
    2.5: [(A, "unit_head"), (P, "dep_a")],
    3: [(A, "unit_head"), (P, "dep_a")],
    3.5: [(A, "unit_head"), (A, "dep_a"), (P, "director")],
    4: [(A, "unit_head"), (A, "dep_a"), (P, "director")],
}

CASES = [
    ("LV-1", "a1", SECTION_STAFF),
    ("LV-2", "head_b", SECTION_HEAD),
    ("LV-3", "director", DIRECTOR),
    ("LV-4", "dep_b", DEPUTY),
    ("LV-5", "unit_head", UNIT_HEAD),
    ("LV-6", "u1", UNIT_STAFF),
]


def _shape(quote):
    return [
        (s.action, s.external_role or s.approver.user.username) for s in quote.steps
    ]


@pytest.mark.parametrize(
    ("rule", "who", "days", "expected"),
    [
        pytest.param(rule, who, days, expected, id=f"{rule}-{who}-{days}")
        for rule, who, table in CASES
        for days, expected in table.items()
    ],
)
def test_lv1_to_lv6_chain_at_each_tier_boundary(org, frozen, rule, who, days, expected):
    """The chain for position × duration is the rulebook's, resolved to names."""
    person = getattr(org, who)
    start, sh, end, eh = period_of(days)
    quote = leave_quote(
        person=person,
        start_date=start,
        start_half=sh,
        end_date=end,
        end_half=eh,
        today=frozen,
    )
    assert float(quote.days) == days
    assert quote.rule == rule
    assert _shape(quote) == expected


def test_lv1_section_with_the_director_in_charge_merges_same_person_steps(org, frozen):
    """LV-1/ORG-3: when the director is also the deputy in charge, the two steps that
    land on the director merge into one approval (nobody agrees with themself)."""
    org.section_b.deputy_in_charge = org.director
    org.section_b.save()
    start, sh, end, eh = period_of(2)
    quote = leave_quote(
        person=org.b1,
        start_date=start,
        start_half=sh,
        end_date=end,
        end_half=eh,
        today=frozen,
    )
    assert _shape(quote) == [(A, "head_b"), (P, "director")]
    assert quote.steps[1].merged == ("deputy_in_charge",)


def test_lv7_form_needed_only_over_one_day(org, frozen):
    """LV-7: more than 1 day needs the leave form; exactly 1 day does not."""
    for days, needed in [(1, False), (1.5, True), (2, True)]:
        start, sh, end, eh = period_of(days)
        quote = leave_quote(
            person=org.a1,
            start_date=start,
            start_half=sh,
            end_date=end,
            end_half=eh,
            today=frozen,
        )
        assert quote.needs_form is needed


def _chain_of(org, who, days, frozen):
    start, sh, end, eh = period_of(days)
    return _shape(
        leave_quote(
            person=getattr(org, who),
            start_date=start,
            start_half=sh,
            end_date=end,
            end_half=eh,
            today=frozen,
        )
    )


def test_lv2_section_head_half_day_and_one_day(org, frozen):
    """LV-2: half a day → deputy in charge approves; 1 day → deputy agrees, director approves."""
    assert _chain_of(org, "head_a", 0.5, frozen) == [(P, "dep_a")]
    assert _chain_of(org, "head_a", 1, frozen) == [(A, "dep_a"), (P, "director")]


def test_lv5_unit_head_half_day_and_one_day(org, frozen):
    """LV-5: unit heads as section heads: deputy in charge, then the director."""
    assert _chain_of(org, "unit_head", 0.5, frozen) == [(P, "dep_a")]
    assert _chain_of(org, "unit_head", 1, frozen) == [(A, "dep_a"), (P, "director")]


def test_lv6_unit_staff_two_three_and_more_than_three(org, frozen):
    """LV-6: ≤2 days unit head; ≤3 days + deputy in charge; >3 days + director."""
    assert _chain_of(org, "u2", 2, frozen) == [(P, "unit_head")]
    assert _chain_of(org, "u2", 3, frozen) == [(A, "unit_head"), (P, "dep_a")]
    assert _chain_of(org, "u2", 3.5, frozen)[-1] == (P, "director")


def test_lv11_leave_types_cover_the_rulebook():
    """LV-11: personal, sick, annual, marriage, maternity/paternity, bereavement, home visit."""
    from leave.models import LeaveType

    assert {
        "personal",
        "sick",
        "annual",
        "marriage",
        "maternity",
        "paternity",
        "bereavement",
        "home_visit",
    } <= set(LeaveType.values)
