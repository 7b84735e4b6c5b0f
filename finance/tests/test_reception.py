"""FIN-9: reception approval forms — chains by kind as policy data, the standard per
head by the guests' level, the companions allowed, the settlement with the part
borne by the person (exactly the standard vs 0.01 over), pages by URL."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from finance import rules, services
from finance.models import Reception
from finance.policies import DEFAULT_RECEPTION_STANDARDS
from finance.services import FinanceError, ItemInput, ReceptionInput

DAY = datetime.date(2026, 3, 5)


@pytest.fixture
def staff(fin, frozen):
    return fin


def form(**over):
    data = {
        "kind": "work_meal",
        "guest_unit": "城关镇计生办",
        "guests": "张三 主任\n李四 干事",
        "guest_level": "township_level",
        "purpose": "季度工作对接",
        "guest_count": 2,
        "companion_count": 1,
        "place": "局机关食堂",
        "on": DAY,
        "estimated_cost": "90.00",  # 30 × 3 heads
        "companions": [],
    }
    data.update(over)
    return ReceptionInput(**data)


def submit(person, **over):
    return services.reception_submit(by=person.user, data=form(**over))


def approver_of(reception):
    approval = reception.current_approval
    return approval.steps.get(order=approval.current_order).approver


def approve(reception):
    approval = reception.current_approval
    step = approval.steps.get(order=approval.current_order)
    approval_decide(request=approval, by=step.approver.user, decision="approve")
    reception.refresh_from_db()
    return reception


# --- chains by kind (policy data) --------------------------------------------------


def test_fin9_township_work_meal_is_approved_by_the_deputy_in_charge(staff):
    reception = submit(staff.a1)
    assert reception.status == "pending" and reception.rule == "FIN-9"
    assert approver_of(reception) == staff.dep_a


def test_fin9_higher_level_visitors_need_a_bureau_leader_and_named_companions(staff):
    with pytest.raises(FinanceError, match="列明全部陪同人员"):
        submit(
            staff.a1, kind="visitors", guest_level="city_level", estimated_cost="150.00"
        )
    reception = submit(
        staff.a1,
        kind="visitors",
        guest_level="city_level",
        estimated_cost="150.00",
        companions=[staff.head_a],
    )
    assert approver_of(reception) == staff.director
    assert list(reception.companions.all()) == [staff.head_a]


def test_fin9_a_units_reception_is_approved_by_its_head(staff):
    reception = submit(staff.u1, kind="unit_reception")
    assert approver_of(reception) == staff.unit_head
    assert reception.unit == staff.u1.unit


def test_fin9_default_chains_pass_their_own_validator():
    from approvals.tiers import validate_tier_table
    from finance.policies import DEFAULT_RECEPTION_CHAINS, validate_reception_standards

    validate_tier_table(DEFAULT_RECEPTION_CHAINS)
    validate_reception_standards(DEFAULT_RECEPTION_STANDARDS)


# --- standards and companions ------------------------------------------------------


@pytest.mark.parametrize(
    "guests, allowed", [(1, 3), (10, 3), (11, 3), (12, 4), (30, 10), (31, 10)]
)
def test_fin9_companions_allowed_3_up_to_10_guests_then_a_third(guests, allowed):
    assert rules.companions_allowed(guests, DEFAULT_RECEPTION_STANDARDS) == allowed


def test_fin9_more_companions_than_allowed_is_refused_and_nothing_saved(staff):
    with pytest.raises(FinanceError, match="陪同最多3人"):
        submit(staff.a1, guest_count=10, companion_count=4, estimated_cost="100.00")
    assert not Reception.objects.exists()
    submit(staff.a1, guest_count=10, companion_count=3, estimated_cost="100.00")


def test_fin9_standard_per_head_is_taken_from_the_guests_level(staff):
    reception = submit(staff.a1, guest_level="county_level", estimated_cost="120.00")
    assert reception.standard_per_head == Decimal("40.00")


def test_fin9_estimate_at_the_standard_passes_and_one_fen_over_is_refused(staff):
    # county level: 40 yuan × (2 guests + 1 companion) = 120.00
    with pytest.raises(FinanceError, match="超出标准"):
        submit(staff.a1, guest_level="county_level", estimated_cost="120.01")
    assert not Reception.objects.exists()
    assert submit(staff.a1, guest_level="county_level", estimated_cost="120.00").pk


def test_fin9_bad_input_is_refused_with_a_message(staff):
    for over, message in [
        ({"guest_count": 0}, "至少一人"),
        ({"estimated_cost": "90.001"}, "两位小数"),
        ({"estimated_cost": "0"}, "须大于零"),
        ({"kind": "banquet"}, "接待类别"),
        ({"guests": "  "}, "请填写"),
    ]:
        with pytest.raises(FinanceError, match=message):
            submit(staff.a1, **over)
    assert not Reception.objects.exists()


# --- settlement ----------------------------------------------------------------------


def test_fin9_settlement_exactly_the_standard_is_borne_by_nobody(staff):
    reception = approve(submit(staff.a1))  # 90.00 = the ceiling at township level
    settled = services.reception_settle(
        reception=reception,
        by=staff.finance.user,
        items=[ItemInput("工作餐", "60.00"), ItemInput("茶水", "30.00")],
    )
    assert settled.status == "settled"
    assert settled.actual_total == Decimal("90.00")
    assert settled.borne_by_person == Decimal("0.00")
    assert settled.paid_by_bureau == Decimal("90.00")


def test_fin9_over_standard_borne_by_person_one_fen_over(staff):
    reception = approve(submit(staff.a1))
    settled = services.reception_settle(
        reception=reception,
        by=staff.finance.user,
        items=[ItemInput("工作餐", "90.01")],
    )
    assert settled.borne_by_person == Decimal("0.01")
    assert settled.paid_by_bureau == Decimal("90.00")
    assert staff.a1.notifications.filter(title__contains="0.01").exists()


def test_fin9_an_item_not_approved_is_borne_by_the_person_whole(staff):
    reception = approve(submit(staff.a1))
    settled = services.reception_settle(
        reception=reception,
        by=staff.finance.user,
        items=[
            ItemInput("工作餐", "80.00"),
            ItemInput("香烟", "45.50", approved=False),
        ],
    )
    assert settled.actual_total == Decimal("125.50")
    assert settled.borne_by_person == Decimal("45.50")


def test_fin9_settlement_only_by_finance_once_and_only_when_approved(staff):
    reception = submit(staff.a1)
    with pytest.raises(FinanceError, match="不能结算"):
        services.reception_settle(
            reception=reception, by=staff.finance.user, items=[ItemInput("餐", "10")]
        )
    approve(reception)
    with pytest.raises(FinanceError, match="财务人员"):
        services.reception_settle(
            reception=reception, by=staff.a1.user, items=[ItemInput("餐", "10")]
        )
    services.reception_settle(
        reception=reception, by=staff.finance.user, items=[ItemInput("餐", "10")]
    )
    with pytest.raises(FinanceError, match="不能结算"):
        services.reception_settle(
            reception=reception, by=staff.finance.user, items=[ItemInput("餐", "10")]
        )
    assert reception.items.count() == 1


def test_fin9_settle_reception_rule_at_the_boundary():
    limit = Decimal("90.00")
    assert (
        rules.settle_reception([(Decimal("90.00"), True)], limit).borne_by_person == 0
    )
    assert rules.settle_reception(
        [(Decimal("90.01"), True)], limit
    ).borne_by_person == Decimal("0.01")


# --- pages ---------------------------------------------------------------------------


def _post(staff, **over):
    data = {
        "kind": "work_meal",
        "guest_unit": "城关镇计生办",
        "guests": "张三 主任",
        "guest_level": "township_level",
        "purpose": "工作对接",
        "guest_count": "2",
        "companion_count": "1",
        "place": "局机关食堂",
        "on": "2026-03-05",
        "estimated_cost": "90.00",
    }
    data.update(over)
    return data


def test_fin9_reception_pages_by_url_for_each_role(staff, client_for):
    client = client_for(staff.a1)
    assert client.get(reverse("finance:reception_new")).status_code == 200
    response = client.post(reverse("finance:reception_new"), _post(staff))
    assert response.status_code == 302
    reception = Reception.objects.get()
    url = reverse("finance:reception", args=[reception.pk])
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("finance:reception_print", args=[reception.pk])).status_code
        == 200
    )
    assert client.get(reverse("finance:receptions")).status_code == 200
    # another section's staff: 404; the deciding deputy and finance: 200
    assert client_for(staff.b1).get(url).status_code == 404
    assert client_for(staff.dep_a).get(url).status_code == 200
    assert client_for(staff.finance).get(url).status_code == 200
    # the decision page shows the whole form (subject panel)
    approval = ApprovalRequest.objects.get()
    page = client_for(staff.dep_a).get(reverse("approvals:detail", args=[approval.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "城关镇计生办" in text and "张三 主任" in text and "90.00" in text
    assert "reception-decision" in text
    # settling: not the claimant (403), finance sees the confirmation first
    approve(reception)
    settle = reverse("finance:reception_settle", args=[reception.pk])
    items = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-item": "工作餐",
        "items-0-amount": "100.00",
        "items-0-approved": "on",
    }
    assert client_for(staff.a1).post(settle, items).status_code == 403
    confirm = client_for(staff.finance).post(settle, items)
    assert confirm.status_code == 200 and "10.00" in confirm.content.decode()
    reception.refresh_from_db()
    assert reception.status == "approved"
    done = client_for(staff.finance).post(settle, {**items, "confirm": "1"})
    assert done.status_code == 302
    reception.refresh_from_db()
    assert reception.borne_by_person == Decimal("10.00")


def test_fin9_bad_reception_form_keeps_what_was_typed_and_saves_nothing(
    staff, client_for
):
    client = client_for(staff.a1)
    response = client.post(
        reverse("finance:reception_new"),
        _post(staff, guest_level="county_level", estimated_cost="120.01"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "120.01" in text and "城关镇计生办" in text
    assert not Reception.objects.exists()
    bad_items = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-item": "工作餐",
        "items-0-amount": "-5",
    }
    reception = approve(submit(staff.a1))
    settle = reverse("finance:reception_settle", args=[reception.pk])
    assert client_for(staff.finance).post(settle, bad_items).status_code == 400
    reception.refresh_from_db()
    assert reception.status == "approved" and not reception.items.exists()


def test_fin9_settlement_shows_the_amounts_in_capitals(staff, client_for):
    """The settlement, its print page, the decision page and the finance officer's
    confirmation show the actual cost, the bureau's part and the part borne by the
    person in capitals (人民币大写); another section's staff gets 404 on each page."""
    reception = approve(submit(staff.a1))  # approved estimate 90.00
    settle = reverse("finance:reception_settle", args=[reception.pk])
    items = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-item": "工作餐",
        "items-0-amount": "100.05",
        "items-0-approved": "on",
        "items-1-item": "香烟",
        "items-1-amount": "10.00",
    }
    confirm = client_for(staff.finance).post(settle, items).content.decode()
    assert "壹佰壹拾元零伍分" in confirm  # actual 110.05
    assert "贰拾元零伍分" in confirm  # borne 10.00 + 10.05
    assert "玖拾元整" in confirm  # the bureau pays 90.00
    client_for(staff.finance).post(settle, {**items, "confirm": "1"})
    reception.refresh_from_db()
    assert reception.borne_by_person == Decimal("20.05")
    pages = [
        reverse("finance:reception", args=[reception.pk]),
        reverse("finance:reception_print", args=[reception.pk]),
        reverse("approvals:detail", args=[reception.current_approval.pk]),
    ]
    for url in pages:
        page = client_for(staff.a1).get(url)
        text = page.content.decode()
        assert page.status_code == 200, url
        assert "壹佰壹拾元零伍分" in text, url
        assert "贰拾元零伍分" in text, url
        assert "玖拾元整" in text, url
        assert client_for(staff.b1).get(url).status_code == 404, url


def test_fin9_an_unsettled_reception_shows_no_settlement_capitals(staff, client_for):
    reception = approve(submit(staff.a1))
    page = client_for(staff.a1).get(reverse("finance:reception", args=[reception.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "reception-borne-capitals" not in text
    assert "玖拾元整" in text  # the estimate, in capitals as before
