"""Reimbursement batches (FIN-8) and fixed assets with their custody (FIN-1, FIN-4)."""

import datetime
from decimal import Decimal

import pytest

from bureau.models import CalendarDay
from finance import services
from finance.models import Asset, Batch, Claim, CustodyEntry, Handover
from finance.services import FinanceError
from finance.tests.conftest import MONDAY, TUESDAY, decide_all, line
from numbering.selectors import number_of


@pytest.fixture
def staff(fin, frozen):
    return fin


def approved(staff, claim_of, person=None, lines=None, witness=None):
    person = person or staff.a1
    claim, _ = claim_of(
        person, lines or [line("120.00")], witness=witness or staff.a2, submit=True
    )
    return decide_all(claim)


def test_fin8_batch_is_paid_on_tuesday_with_a_number_and_a_total(staff, claim_of):
    one = approved(staff, claim_of, lines=[line("120.00")])
    two = approved(staff, claim_of, person=staff.b1, witness=staff.head_b)
    pending, _ = claim_of(staff.a2, witness=staff.a1, submit=True)
    batch = services.batch_create(by=staff.finance.user, today=MONDAY)
    assert batch.pay_on == TUESDAY
    assert batch.total == Decimal("240.00")
    assert batch.number == number_of(batch, services.BATCH_SERIES).text
    assert set(batch.claims.all()) == {one, two}
    pending.refresh_from_db()
    assert pending.batch is None  # not approved: not in the batch


def test_fin8_a_tuesday_holiday_moves_the_batch_to_the_next_working_day(
    staff, claim_of
):
    CalendarDay.objects.create(
        date=TUESDAY, is_working_day=False, kind=CalendarDay.Kind.BUREAU_REST
    )
    approved(staff, claim_of)
    batch = services.batch_create(by=staff.finance.user, today=MONDAY)
    assert batch.pay_on == datetime.date(2026, 3, 4)


def test_fin8_paying_marks_each_claim_paid_once(staff, claim_of):
    claim = approved(staff, claim_of)
    batch = services.batch_create(by=staff.finance.user, today=MONDAY)
    with pytest.raises(FinanceError):  # before the pay day
        services.batch_pay(batch=batch, by=staff.finance.user, today=MONDAY)
    with pytest.raises(FinanceError):  # only finance pays
        services.batch_pay(batch=batch, by=staff.director.user, today=TUESDAY)
    services.batch_pay(batch=batch, by=staff.finance.user, today=TUESDAY)
    claim.refresh_from_db()
    paid_at = claim.paid_at
    assert claim.status == Claim.Status.PAID and paid_at
    again = services.batch_pay(batch=batch, by=staff.finance.user, today=TUESDAY)
    assert again.status == Batch.Status.PAID
    claim.refresh_from_db()
    assert claim.paid_at == paid_at
    assert claim.history.filter(status=Claim.Status.PAID).count() == 1


def test_fin8_only_finance_makes_a_batch(staff, claim_of):
    approved(staff, claim_of)
    with pytest.raises(FinanceError):
        services.batch_create(by=staff.director.user, today=MONDAY)
    assert Batch.objects.count() == 0


def test_fin5_a_claim_in_a_batch_cannot_be_sent_back(staff, claim_of):
    claim = approved(staff, claim_of)
    services.batch_create(by=staff.finance.user, today=MONDAY)
    with pytest.raises(FinanceError):
        services.claim_send_back(claim=claim, by=staff.finance.user, reason="补材料")


def _asset(staff, custodian=None, name="笔记本电脑"):
    return services.asset_register(
        by=staff.finance.user,
        name=name,
        value="5200.00",
        acquired_on=MONDAY,
        custodian=custodian or staff.a1,
        place="综合股办公室",
    )


def custodian_of(asset):
    from finance.selectors import with_custody

    return with_custody(Asset.objects.filter(pk=asset.pk)).get().current_custodian_id


def test_fin1_custody_chain_issue_transfer_return_issue(staff):
    asset = _asset(staff)
    assert asset.number.endswith("号")
    assert custodian_of(asset) == staff.a1.pk
    services.custody_record(
        asset=asset,
        by=staff.finance.user,
        kind="transfer",
        custodian=staff.a2,
        on=MONDAY,
    )
    assert custodian_of(asset) == staff.a2.pk
    services.custody_record(
        asset=asset, by=staff.finance.user, kind="return", on=MONDAY
    )
    assert custodian_of(asset) is None
    with pytest.raises(FinanceError):  # in store: nothing to transfer
        services.custody_record(
            asset=asset,
            by=staff.finance.user,
            kind="transfer",
            custodian=staff.b1,
            on=MONDAY,
        )
    services.custody_record(
        asset=asset,
        by=staff.finance.user,
        kind="issue",
        custodian=staff.b1,
        place="法规股",
        on=MONDAY,
    )
    kinds = list(asset.custody.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["issue", "transfer", "return", "issue"]
    assert custodian_of(asset) == staff.b1.pk


def test_fin1_every_asset_has_a_custodian_and_only_finance_records(staff):
    with pytest.raises(FinanceError):
        services.asset_register(
            by=staff.finance.user,
            name="打印机",
            value="800",
            acquired_on=MONDAY,
            custodian=None,
            place="仓库",
        )
    with pytest.raises(FinanceError):
        services.asset_register(
            by=staff.a1.user,
            name="打印机",
            value="800",
            acquired_on=MONDAY,
            custodian=staff.a1,
            place="仓库",
        )
    assert Asset.objects.count() == 0


def test_fin1_bulk_handover_signed_by_both_sides(staff):
    first, second = _asset(staff), _asset(staff, name="打印机")
    other = _asset(staff, custodian=staff.b1, name="相机")
    handover = services.handover_prepare(
        by=staff.finance.user, from_person=staff.a1, to_person=staff.a2, reason="调岗"
    )
    assert set(handover.assets.all()) == {first, second}
    with pytest.raises(FinanceError):  # someone else cannot sign
        services.handover_sign(handover=handover, by=staff.b1.user)
    services.handover_sign(handover=handover, by=staff.a1.user)
    assert custodian_of(first) == staff.a1.pk  # not until both sign
    with pytest.raises(FinanceError):
        services.handover_sign(handover=handover, by=staff.a1.user)
    done = services.handover_sign(handover=handover, by=staff.a2.user)
    assert done.status == Handover.Status.DONE
    assert custodian_of(first) == custodian_of(second) == staff.a2.pk
    assert custodian_of(other) == staff.b1.pk
    assert CustodyEntry.objects.filter(handover=handover, kind="handover").count() == 2


def test_fin1_nothing_to_hand_over_is_refused(staff):
    with pytest.raises(FinanceError):
        services.handover_prepare(
            by=staff.finance.user,
            from_person=staff.a1,
            to_person=staff.a2,
            reason="调岗",
        )


def test_fin4_fixed_asset_lines_become_assets_on_arrival(staff, claim_of):
    claim = approved(
        staff,
        claim_of,
        lines=[line("3000.00", qty="2", item="台式电脑", fixed_asset=True), line()],
    )
    asset_line, plain = claim.lines.order_by("position")
    with pytest.raises(FinanceError):
        services.claim_line_receive(line=asset_line, by=staff.a1.user, place="综合股")
    assets = services.claim_line_receive(
        line=asset_line, by=staff.finance.user, place="综合股"
    )
    assert len(assets) == 2
    assert {custodian_of(a) for a in assets} == {staff.a1.pk}
    assert all(a.value == Decimal("3000.00") for a in assets)
    assert (
        services.claim_line_receive(line=plain, by=staff.finance.user, place="x") == []
    )
    with pytest.raises(FinanceError):
        services.claim_line_receive(
            line=asset_line, by=staff.finance.user, place="综合股"
        )


def test_fin1_a_person_who_left_with_assets_is_listed_for_a_handover(staff):
    from finance.selectors import holders_who_left

    _asset(staff)
    staff.a1.is_active = False
    staff.a1.save()
    assert list(holders_who_left()) == [staff.a1]
    handover = services.handover_prepare(
        by=staff.finance.user, from_person=staff.a1, to_person=staff.a2, reason="离职"
    )
    assert handover.assets.count() == 1
