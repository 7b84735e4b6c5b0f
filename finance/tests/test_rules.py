"""The pure rules (finance/rules.py), table-driven at their boundaries."""

import datetime
from decimal import Decimal

import pytest

from finance import rules
from finance.policies import DEFAULT_THRESHOLDS, DEFAULT_VALUABLE
from finance.rules import ClaimFacts, LineFacts, evaluate_claim
from finance.templatetags import finance_money


@pytest.mark.parametrize(
    "amount, capitals",
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("10.50", "壹拾元伍角整"),
        ("105", "壹佰零伍元整"),
        ("200", "贰佰元整"),
        ("199.99", "壹佰玖拾玖元玖角玖分"),
        ("1000.05", "壹仟元零伍分"),
        ("1005", "壹仟零伍元整"),
        ("1050", "壹仟零伍拾元整"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("5000.01", "伍仟元零壹分"),
        ("6000", "陆仟元整"),
        ("10000", "壹万元整"),
        ("10005", "壹万零伍元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1000000", "壹佰万元整"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("100000000", "壹亿元整"),
        ("120003400.10", "壹亿贰仟万叁仟肆佰元壹角整"),
    ],
)
def test_fin5_amount_in_chinese_capitals(amount, capitals):
    """Printed forms show the amount in capitals (人民币大写), by the PBoC rules."""
    assert rules.rmb_upper(Decimal(amount)) == capitals


def test_fin5_capitals_refuse_more_than_two_decimals_and_negatives():
    with pytest.raises(ValueError):
        rules.rmb_upper(Decimal("1.005"))
    with pytest.raises(ValueError):
        rules.rmb_upper(Decimal("-1"))


@pytest.mark.parametrize(
    "value, expected",
    [("12.5", "12.50"), ("0.01", "0.01"), ("1,000", "1000.00"), (3, "3.00")],
)
def test_fin4_money_is_decimal_with_two_places(value, expected):
    assert rules.parse_money(value) == Decimal(expected)


@pytest.mark.parametrize("value", ["0", "-1", "1.005", "abc", "", "NaN", "1e20"])
def test_fin4_bad_money_is_refused_with_a_message(value):
    with pytest.raises(rules.MoneyError):
        rules.parse_money(value)


def test_fin4_line_amount_is_quantity_times_unit_price():
    assert rules.line_amount(Decimal("3"), Decimal("12.35")) == Decimal("37.05")
    assert rules.line_amount(Decimal("0.5"), Decimal("0.05")) == Decimal("0.03")


@pytest.mark.parametrize(
    "code, number, key",
    [
        ("1234567890", "12345678", "1234567890-12345678"),
        ("123456789012", "12345678", "123456789012-12345678"),
        ("", "12345678901234567890", "12345678901234567890"),
    ],
)
def test_fin3_invoice_forms(code, number, key):
    assert rules.invoice_key("invoice", code, number) == key


@pytest.mark.parametrize(
    "code, number",
    [
        ("1234567890", "1234567"),  # 7-digit number
        ("12345678901", "12345678"),  # 11-digit code
        ("", "1234567890123456789"),  # 19 digits
        ("", "12345678"),  # no code
        ("1234567890", "12345678901234567890"),  # code with a 20-digit number
        ("123456789a", "12345678"),
    ],
)
def test_fin3_invoice_number_of_the_wrong_length_is_refused(code, number):
    with pytest.raises(rules.VoucherError):
        rules.invoice_key("invoice", code, number)


def test_fin3_a_receipt_has_no_invoice_key():
    assert rules.invoice_key("receipt", "x", "y") == ""


def _codes(findings):
    return [(f.code, f.severity, f.line) for f in findings]


@pytest.mark.parametrize(
    "amount, voucher, blocked",
    [
        ("199.99", "receipt", False),
        ("200.00", "receipt", True),
        ("200.00", "invoice", False),
    ],
)
def test_fin3_199_99_on_a_receipt_passes_200_needs_an_invoice(amount, voucher, blocked):
    """200元以上 includes 200: a receipt for 200.00 blocks, 199.99 does not."""
    facts = ClaimFacts(
        lines=[LineFacts(Decimal(amount), voucher, "")], payment_method="bank_transfer"
    )
    found = _codes(evaluate_claim(facts, DEFAULT_THRESHOLDS))
    assert (("invoice_required", "block", 0) in found) is blocked


@pytest.mark.parametrize(
    "amounts, method, blocked",
    [
        (["999.99"], "cash", False),
        (["1000.00"], "cash", True),
        (["600.00", "400.00"], "cash", True),  # the payment, not one line
        (["1000.00"], "bank_transfer", False),
        (["1000.00"], "official_card", False),
    ],
)
def test_fin3_999_99_in_cash_passes_1000_must_be_transfer(amounts, method, blocked):
    facts = ClaimFacts(
        lines=[
            LineFacts(Decimal(a), "invoice", f"k{i}") for i, a in enumerate(amounts)
        ],
        payment_method=method,
    )
    found = _codes(evaluate_claim(facts, DEFAULT_THRESHOLDS))
    assert (("transfer_required", "block", None) in found) is blocked


def test_fin5_same_invoice_blocks_same_payment_and_image_only_warn():
    facts = ClaimFacts(
        lines=[LineFacts(Decimal("50"), "invoice", "k1")],
        payment_method="cash",
        claimed_elsewhere={"k1": "报销单 3"},
        same_payment=["报销单 4"],
        same_images=["发票.png"],
    )
    found = evaluate_claim(facts, DEFAULT_THRESHOLDS)
    assert _codes(found) == [
        ("invoice_claimed", "block", 0),
        ("same_payment", "warn", None),
        ("same_image", "warn", None),
    ]
    assert all(f.rule == "FIN-5" for f in found)
    assert "报销单 3" in found[0].message


def test_fin3_thresholds_come_from_the_policy():
    facts = ClaimFacts(
        lines=[LineFacts(Decimal("150"), "receipt", "")], payment_method="cash"
    )
    assert evaluate_claim(facts, {"invoice_from": "100", "transfer_from": "1000"})
    rules.validate_thresholds(DEFAULT_THRESHOLDS)
    with pytest.raises(ValueError):
        rules.validate_thresholds({"invoice_from": "x", "transfer_from": "1"})


@pytest.mark.parametrize(
    "category, amount, valuable",
    [
        ("equipment", "4999.99", False),
        ("equipment", "5000.00", True),
        ("vehicle", "100.00", True),
        ("office", "300.00", False),
    ],
)
def test_fin2_valuable_equipment_by_category_or_amount(category, amount, valuable):
    assert (
        rules.valuable_equipment(category, Decimal(amount), DEFAULT_VALUABLE)
        is valuable
    )


@pytest.mark.parametrize(
    "day, expected",
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)),  # Monday → Tuesday
        (datetime.date(2026, 3, 3), datetime.date(2026, 3, 3)),  # Tuesday itself
        (datetime.date(2026, 3, 4), datetime.date(2026, 3, 10)),  # Wednesday → next
    ],
)
def test_fin8_pay_day_is_the_next_tuesday(day, expected):
    assert rules.payday_on_or_after(day, 1, lambda d: d.weekday() < 5) == expected


def test_fin8_a_tuesday_holiday_moves_the_pay_day_to_the_next_working_day():
    holiday = datetime.date(2026, 3, 3)
    working = lambda d: d.weekday() < 5 and d != holiday  # noqa: E731
    assert rules.payday_on_or_after(
        datetime.date(2026, 3, 2), 1, working
    ) == datetime.date(2026, 3, 4)


@pytest.mark.parametrize(
    "amount, capitals",
    [
        ("0.00", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("10.00", "壹拾元整"),
        ("100.05", "壹佰元零伍分"),
        ("100.50", "壹佰元伍角整"),
        ("123.45", "壹佰贰拾叁元肆角伍分"),
        ("1000.05", "壹仟元零伍分"),
        ("1010.10", "壹仟零壹拾元壹角整"),
        ("10010.00", "壹万零壹拾元整"),
        ("100000.00", "壹拾万元整"),
        ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("10000000.01", "壹仟万元零壹分"),
        ("100000000.00", "壹亿元整"),
        ("100001000.00", "壹亿零壹仟元整"),
        ("100100000.00", "壹亿零壹拾万元整"),
    ],
)
def test_fin9_settlement_amounts_in_chinese_capitals(amount, capitals):
    """The reception's settlement (actual cost, paid by the bureau, borne by the
    person) is written in capitals as on Chinese finance forms: 整 when there are no
    fen, 零 for a gap between digits, the leading 壹 of 壹拾 kept."""
    assert rules.rmb_upper(Decimal(amount)) == capitals


@pytest.mark.parametrize("amount", ["-0.01", "-10.00", "-1234567.89"])
def test_fin9_capitals_refuse_negative_amounts(amount):
    with pytest.raises(ValueError):
        rules.rmb_upper(Decimal(amount))


def test_fin9_capitals_filter_is_empty_for_an_amount_not_yet_known():
    """A reception not yet settled has no actual cost: the page shows nothing."""
    assert finance_money.rmb_upper(None) == ""
    assert finance_money.rmb_upper(Decimal("90.00")) == "玖拾元整"
