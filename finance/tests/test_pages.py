"""Finance pages by URL: the right person can, the wrong one gets 403/404, nobody
sees another's data; bad input changes nothing; list pages at constant queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance import services
from finance.models import Batch, Claim, Spending
from finance.tests.conftest import MONDAY, TUESDAY, decide_all, line


@pytest.fixture
def staff(fin, frozen):
    return fin


@pytest.fixture
def claim_a1(staff, claim_of):
    claim, _ = claim_of(staff.a1, [line("250.00")], witness=staff.a2, submit=True)
    return claim


def _form(staff, **over):
    data = {
        "purpose": "购买打印纸",
        "payee": "县文具店",
        "expense_date": "2026-03-02",
        "payment_method": "bank_transfer",
        "handler": staff.a1.pk,
        "witness": staff.a2.pk,
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-item": "打印纸",
        "lines-0-unit": "箱",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "150.00",
        "lines-0-voucher": "invoice",
        "lines-0-invoice_number": "26442000000123456789",
        "lines-1-voucher": "",  # an untouched extra row
        "submit": "1",
    }
    data.update(over)
    return data


def test_fin4_claim_form_submits_and_shows_the_lines(staff, client_for):
    client = client_for(staff.a1)
    assert client.get(reverse("finance:claim_new")).status_code == 200
    response = client.post(reverse("finance:claim_new"), _form(staff))
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert claim.total == Decimal("300.00") and claim.status == "pending"
    page = client.get(reverse("finance:claim", args=[claim.pk])).content.decode()
    assert "叁佰元整" in page and "300.00" in page


@pytest.mark.parametrize(
    "over",
    [
        {"lines-0-quantity": "0"},
        {"lines-0-quantity": "-2"},
        {"lines-0-unit_price": "1.005"},
        {"lines-0-invoice_number": "1234567"},
        {"lines-0-voucher": "receipt"},  # 300 yuan on a receipt (FIN-3)
        {"payment_method": "cash", "lines-0-quantity": "10"},  # 1,500 in cash
        {"witness": "999999"},
    ],
)
def test_fin3_bad_claim_input_keeps_what_was_typed_and_saves_nothing(
    staff, client_for, over
):
    response = client_for(staff.a1).post(
        reverse("finance:claim_new"), _form(staff, **over)
    )
    assert response.status_code == 400
    assert "购买打印纸" in response.content.decode()  # what was typed is kept
    assert Claim.objects.count() == 0


def test_fin5_claim_pages_by_role(staff, claim_a1, client_for):
    url = reverse("finance:claim", args=[claim_a1.pk])
    for who, status in [
        (staff.a1, 200),  # the claimant
        (staff.head_a, 200),  # the approver (and section head)
        (staff.finance, 200),  # the finance officer sees all
        (staff.director, 200),
        (staff.b1, 404),  # another section
        (staff.head_b, 404),
        (staff.u1, 404),
    ]:
        assert client_for(who).get(url).status_code == status, who
    print_url = reverse("finance:claim_print", args=[claim_a1.pk])
    assert client_for(staff.b1).get(print_url).status_code == 404
    assert "贰佰伍拾元整" in client_for(staff.a1).get(print_url).content.decode()


def test_fin5_decide_and_check_by_url(staff, claim_a1, client_for):
    decide = reverse("finance:claim_decide", args=[claim_a1.pk])
    assert client_for(staff.b1).post(decide, {"decision": "approve"}).status_code == 404
    assert (
        client_for(staff.director).post(decide, {"decision": "approve"}).status_code
        == 404
    )
    client = client_for(staff.head_a)
    assert client.post(decide, {"decision": "bogus"}).status_code == 400
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    decide_all(claim_a1)
    check = reverse("finance:claim_check", args=[claim_a1.pk])
    data = {"action": "reject", "reason": "发票不实"}
    assert client_for(staff.a1).post(check, data).status_code == 403
    finance = client_for(staff.finance)
    confirm = finance.post(check, data)
    assert confirm.status_code == 200
    assert "发票不实" in confirm.content.decode()
    claim_a1.refresh_from_db()
    assert claim_a1.status == Claim.Status.APPROVED  # nothing until confirmed
    finance.post(check, {**data, "confirm": "1"})
    claim_a1.refresh_from_db()
    assert claim_a1.status == Claim.Status.REJECTED
    shown = client_for(staff.a1).get(reverse("finance:claim", args=[claim_a1.pk]))
    assert "发票不实" in shown.content.decode()


def test_fin5_edit_only_own_editable_claim(staff, claim_of, client_for):
    draft, _ = claim_of(staff.a1, witness=staff.a2)
    url = reverse("finance:claim_edit", args=[draft.pk])
    assert client_for(staff.a1).get(url).status_code == 200
    assert client_for(staff.head_a).get(url).status_code == 404
    assert client_for(staff.b1).post(url, _form(staff)).status_code == 404


def test_fin8_batch_pages_finance_only_and_pay_confirms(
    staff, claim_a1, client_for, frozen
):
    decide_all(claim_a1)
    for who in (staff.a1, staff.head_a, staff.head_b):
        assert client_for(who).get(reverse("finance:batches")).status_code == 403
    assert (
        client_for(staff.director).post(reverse("finance:batch_new")).status_code == 403
    )
    finance = client_for(staff.finance)
    assert finance.get(reverse("finance:batches")).status_code == 200
    finance.post(reverse("finance:batch_new"))
    batch = Batch.objects.get()
    assert batch.pay_on == TUESDAY
    pay = reverse("finance:batch_pay", args=[batch.pk])
    page = finance.get(pay).content.decode()
    assert "贰佰伍拾元整" in page
    batch.refresh_from_db()
    assert batch.status == Batch.Status.OPEN  # the GET records nothing
    frozen.move_to("2026-03-03 09:00+08:00")
    finance.post(pay)
    finance.post(pay)  # twice: paid once
    batch.refresh_from_db()
    claim_a1.refresh_from_db()
    assert batch.status == Batch.Status.PAID and claim_a1.status == Claim.Status.PAID
    printed = finance.get(reverse("finance:batch_print", args=[batch.pk])).content
    assert b"signature-line" in printed and batch.number.encode() in printed
    assert "贰佰伍拾元整".encode() in printed
    assert (
        client_for(staff.a1)
        .get(reverse("finance:batch_print", args=[batch.pk]))
        .status_code
        == 403
    )


def test_fin6_spending_pages_by_role(staff, client_for):
    client = client_for(staff.head_b)
    response = client.post(
        reverse("finance:spending_new"),
        {
            "kind": "fund_use",
            "title": "宣传品",
            "purpose": "年度宣传",
            "category": "printing",
            "amount": "6000.00",
            "needed_on": "2026-03-10",
        },
    )
    spending = Spending.objects.get()
    assert response.status_code == 302 and spending.tier == 2
    url = reverse("finance:spending", args=[spending.pk])
    for who, status in [
        (staff.head_b, 200),
        (staff.clerk, 200),  # records the meeting's decision
        (staff.director, 200),
        (staff.finance, 200),
        (staff.a1, 404),
        (staff.head_a, 404),
    ]:
        assert client_for(who).get(url).status_code == status, who
    client = client_for(staff.head_b)
    bad = client.post(
        reverse("finance:spending_amount", args=[spending.pk]), {"amount": "1.001"}
    )
    assert bad.status_code == 400
    spending.refresh_from_db()
    assert spending.amount == Decimal("6000.00")
    record = reverse("finance:spending_record", args=[spending.pk])
    assert client_for(staff.a1).post(record, {"decision": "approve"}).status_code == 404


def test_fin1_asset_pages_by_role(staff, client_for):
    asset = services.asset_register(
        by=staff.finance.user,
        name="笔记本电脑",
        value="5200",
        acquired_on=MONDAY,
        custodian=staff.a1,
        place="综合股",
    )
    url = reverse("finance:asset", args=[asset.pk])
    for who, status in [
        (staff.a1, 200),  # the custodian
        (staff.head_a, 200),  # the custodian's section head
        (staff.finance, 200),
        (staff.b1, 404),
        (staff.head_b, 404),
    ]:
        assert client_for(who).get(url).status_code == status, who
    custody = reverse("finance:asset_custody", args=[asset.pk])
    assert (
        client_for(staff.a1)
        .post(custody, {"kind": "return", "on": "2026-03-02"})
        .status_code
        == 403
    )
    assert (
        client_for(staff.a1).post(reverse("finance:asset_new"), {}).status_code == 403
    )
    handover = services.handover_prepare(
        by=staff.finance.user, from_person=staff.a1, to_person=staff.a2, reason="调岗"
    )
    h_url = reverse("finance:handover", args=[handover.pk])
    assert client_for(staff.a2).get(h_url).status_code == 200
    assert client_for(staff.b1).get(h_url).status_code == 404
    assert (
        client_for(staff.b1)
        .post(reverse("finance:handover_sign", args=[handover.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "url_name",
    ["finance:claims", "finance:spendings", "finance:assets", "finance:handovers"],
)
def test_fin_lists_cost_the_same_at_2_and_12_rows(
    staff, claim_of, client_for, url_name
):
    client = client_for(staff.finance)
    url = reverse(url_name)

    def cost(n):
        while Claim.objects.count() < n:
            claim, _ = claim_of(staff.a1, witness=staff.a2, submit=True)
            decide_all(claim)
            services.spending_submit(
                by=staff.a1.user,
                kind="fund_use",
                title="t",
                purpose="p",
                amount="100",
                needed_on=MONDAY,
            )
            asset = services.asset_register(
                by=staff.finance.user,
                name="椅子",
                value="100",
                acquired_on=MONDAY,
                custodian=staff.a1 if n < 5 else staff.a2,
                place="x",
            )
            del asset
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert cost(2) == cost(12)


def test_fin_nobody_sees_another_sections_claims_in_the_list(
    staff, claim_a1, client_for
):
    page = client_for(staff.b1).get(reverse("finance:claims")).content.decode()
    assert claim_a1.purpose not in page
    page = client_for(staff.head_a).get(reverse("finance:claims")).content.decode()
    assert claim_a1.purpose in page
