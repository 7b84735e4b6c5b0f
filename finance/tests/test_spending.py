"""Purchases (FIN-2) and use of funds (FIN-6): chains by amount from policy data."""

import datetime
from decimal import Decimal

import pytest

from approvals.models import ApprovalRequest
from finance import services
from finance.models import Spending
from finance.services import FinanceError
from finance.tests.conftest import MONDAY, decide_all
from meetings.testing import held_meeting


@pytest.fixture
def staff(fin, frozen):
    return fin


def ask(person, amount, *, kind="fund_use", category="other"):
    return services.spending_submit(
        by=person.user,
        kind=kind,
        title="宣传品印制",
        purpose="年度宣传",
        amount=amount,
        needed_on=MONDAY + datetime.timedelta(days=7),
        category=category,
    )


def chain(spending):
    approval = spending.current_approval
    return [
        (
            s.action,
            s.approver.user.username
            if s.approver_id
            else s.external_role or s.relation,
        )
        for s in approval.steps.order_by("order").select_related("approver__user")
    ]


@pytest.mark.parametrize(
    "amount, expected_tier",
    [("5000.00", 1), ("5000.01", 2), ("10000.00", 2), ("10000.01", 3)],
)
def test_fin6_5000_and_10000_boundaries(staff, amount, expected_tier):
    """≤ 5000 director; > 5000 and ≤ 10000 meeting then director; > 10000 county."""
    spending = ask(staff.head_b, amount)
    assert spending.tier == expected_tier
    assert spending.rule == "FIN-6"
    assert spending.chain_policy_id is not None
    steps = chain(spending)
    if expected_tier == 1:
        assert steps == [("approve", "director")]
    elif expected_tier == 2:
        assert steps == [("meeting", "bureau_affairs_meeting"), ("approve", "director")]
    else:
        assert steps == [("agree", "director"), ("external", "county_leader_in_charge")]


def test_fin6_6000_yuan_cites_the_meeting_decision_then_the_director(staff):
    spending = ask(staff.head_b, "6000.00")
    _meeting, (decision,) = held_meeting(staff, texts=["同意购置宣传品。"])
    with pytest.raises(FinanceError):  # only the recorder records
        services.spending_record(
            spending=spending,
            by=staff.head_b.user,
            decision="approve",
            meeting_decision=decision,
        )
    services.spending_record(
        spending=spending,
        by=staff.clerk.user,
        decision="approve",
        meeting_decision=decision,
    )
    spending.refresh_from_db()
    assert spending.meeting_decision == decision
    assert spending.status == Spending.Status.PENDING
    services.spending_decide(
        spending=spending, by=staff.director.user, decision="approve"
    )
    spending.refresh_from_db()
    assert spending.status == Spending.Status.APPROVED


def test_fin6_above_10000_records_the_county_reference(staff):
    spending = ask(staff.head_b, "10000.01")
    decide_all(spending)
    services.spending_record(
        spending=spending,
        by=staff.clerk.user,
        decision="approve",
        reference="县政府〔2026〕8号",
        decided_on=MONDAY,
    )
    spending.refresh_from_db()
    assert spending.status == Spending.Status.APPROVED
    assert spending.county_reference == "县政府〔2026〕8号"
    assert spending.county_decided_on == MONDAY


def test_fin6_changing_the_amount_after_a_decision_restarts_the_chain(staff):
    spending = ask(staff.head_b, "4000.00")
    decide_all(spending)
    assert spending.status == Spending.Status.APPROVED
    services.spending_change_amount(
        spending=spending, by=staff.head_b.user, amount="6000.00"
    )
    spending.refresh_from_db()
    assert spending.status == Spending.Status.PENDING
    assert spending.tier == 2
    rounds = ApprovalRequest.objects.filter(object_id=spending.pk).order_by("round")
    assert [r.status for r in rounds] == ["approved", "pending"]
    # While pending too: the open round is withdrawn, a new one submitted.
    services.spending_change_amount(
        spending=spending, by=staff.head_b.user, amount="100.00"
    )
    spending.refresh_from_db()
    assert spending.tier == 1
    assert [r.status for r in rounds.all()] == ["approved", "withdrawn", "pending"]


def test_fin6_only_the_requester_changes_the_amount_and_bad_amounts_change_nothing(
    staff,
):
    spending = ask(staff.head_b, "4000.00")
    with pytest.raises(FinanceError):
        services.spending_change_amount(
            spending=spending, by=staff.director.user, amount="6000"
        )
    for bad in ("0", "-5", "12.345", "abc"):
        with pytest.raises(FinanceError):
            services.spending_change_amount(
                spending=spending, by=staff.head_b.user, amount=bad
            )
    spending.refresh_from_db()
    assert spending.amount == Decimal("4000.00")
    assert spending.approvals.count() == 1


@pytest.mark.parametrize("amount, director", [("300.00", False), ("300.01", True)])
def test_fin2_300_and_300_01_purchase_through_the_comprehensive_section(
    staff, amount, director
):
    """Through the comprehensive section (its head agrees), the deputy in charge;
    more than 300 yuan (超过) also the director."""
    spending = ask(staff.b1, amount, kind="purchase", category="office")
    steps = chain(spending)
    assert steps[0] == ("agree", "head_a")
    assert "dep_b" in [who for _a, who in steps]
    assert (("approve", "director") in steps) is director
    assert spending.rule == "FIN-2" and not spending.valuable


def test_fin2_valuable_equipment_needs_a_meeting_decision(staff):
    spending = ask(staff.b1, "5000.00", kind="purchase", category="equipment")
    assert spending.valuable and spending.valuable_policy_id
    steps = chain(spending)
    assert ("meeting", "bureau_affairs_meeting") in steps
    small = ask(staff.b1, "800.00", kind="purchase", category="vehicle")
    assert small.valuable


def test_fin6_a_default_chain_passes_its_own_validator():
    from approvals.tiers import validate_tier_table
    from finance.policies import DEFAULT_CLAIM_CHAINS, DEFAULT_SPENDING_CHAINS

    validate_tier_table(DEFAULT_SPENDING_CHAINS)
    validate_tier_table(DEFAULT_CLAIM_CHAINS)
