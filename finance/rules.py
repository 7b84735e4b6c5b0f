"""Finance's rules as pure functions over policy values (FIN-2..6).

Nothing here touches the database: the services gather the facts (the lines typed,
the invoices already claimed, other claims with the same payment, attachments with
the same content) and these functions judge them.

- Money is `Decimal` in yuan with two places, end to end (`parse_money`).
- `rmb_upper` writes an amount in Chinese capitals (人民币大写) for printed forms.
- `CLAIM_RULES` is the table of claim rules (FIN-3, FIN-5): each row has its rule ID,
  whether it blocks submission or warns the approver, and its message;
  `evaluate_claim` applies the table to a claim's facts.
- `valuable_equipment` (FIN-2) and the spending tiers (FIN-2, FIN-6, through
  `approvals.tiers`) read their numbers from policies.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from bureau.readable import term

CENT = Decimal("0.01")
MONEY_MAX = Decimal("9999999999.99")  # max_digits=12, decimal_places=2

BLOCK, WARN = "block", "warn"
LINE, CLAIM = "line", "claim"

INVOICE, RECEIPT = "invoice", "receipt"
CASH, BANK_TRANSFER, OFFICIAL_CARD = "cash", "bank_transfer", "official_card"
NON_CASH = {BANK_TRANSFER, OFFICIAL_CARD}


class MoneyError(ValueError):
    """An amount that is not yuan with at most two decimals; the message is for
    the user."""


def parse_money(value, *, positive: bool = True, label=None) -> Decimal:
    """`value` (text or number) as yuan with two places; refuses more than two
    decimals (a price of 1.005 is an error, not rounded), non-numbers, and zero or
    negative amounts when `positive`."""
    what = label or _("The amount")
    if isinstance(value, float):
        value = repr(value)
    text = str(value if value is not None else "").strip().replace(",", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise MoneyError(
            _("%(what)s must be a number of yuan.") % {"what": what}
        ) from None
    if not amount.is_finite():
        raise MoneyError(_("%(what)s must be a number of yuan.") % {"what": what})
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise MoneyError(_("%(what)s has at most two decimals (fen).") % {"what": what})
    amount = amount.quantize(CENT)
    if positive and amount <= 0:
        raise MoneyError(_("%(what)s must be more than zero.") % {"what": what})
    if amount < 0 or amount > MONEY_MAX:
        raise MoneyError(_("%(what)s is out of range.") % {"what": what})
    return amount


def parse_quantity(value) -> Decimal:
    """A quantity: more than zero, at most two decimals."""
    return parse_money(value, label=_("The quantity"))


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """FIN-4: a line's amount is quantity × unit price, to the fen (half up)."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def claim_total(amounts) -> Decimal:
    """The claim's total: the sum of its lines' amounts (stored once, on the claim)."""
    return sum((Decimal(a) for a in amounts), Decimal("0.00")).quantize(CENT)


# --- Chinese capitals (人民币大写) ---------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def _group(number: int) -> str:
    """1..9999 in capitals, with 零 for inner zeros."""
    out, zero = "", False
    for position in (3, 2, 1, 0):
        digit = number // 10**position % 10
        if digit == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL[position]
    return out


def _integer(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    out, gap = "", False
    for index in reversed(range(len(groups))):
        value = groups[index]
        if value == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or value < 1000):
            out += "零"
        out += _group(value) + _BIG[index]
        gap = False
    return out


def rmb_upper(amount) -> str:
    """An amount of yuan in Chinese capitals as written on vouchers (中国人民银行
    《支付结算办法》附一): 元 … 角 … 分; 整 after 元 or 角 when there are no fen;
    零 where a zero stands between digits; the leading 壹 of 壹拾 kept.

    >>> rmb_upper(Decimal("6000"))
    '陆仟元整'
    >>> rmb_upper(Decimal("1000.05"))
    '壹仟元零伍分'
    """
    value = Decimal(amount)
    if value < 0:
        raise ValueError("a negative amount has no capitals here")
    if value != value.quantize(CENT):
        raise ValueError("at most two decimals")
    fen_total = int(value.quantize(CENT) * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    out = _integer(yuan)
    if yuan:
        out += "元"
    if jiao == 0 and fen == 0:
        return (out or "零元") + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    else:
        out += "整"
    return out


# --- Invoices (FIN-3) ---------------------------------------------------------------

_OLD_CODE = re.compile(r"^(\d{10}|\d{12})$")
_OLD_NUMBER = re.compile(r"^\d{8}$")
_ELECTRONIC = re.compile(r"^\d{20}$")


class VoucherError(ValueError):
    """A voucher's code or number in the wrong form; the message is for the user."""


def invoice_key(voucher: str, code: str, number: str) -> str:
    """The invoice's identity, checked for form: a formal invoice is an 8-digit
    number with its 10- or 12-digit code (key "code-number"), or a 20-digit number
    of a fully electronic invoice (全电发票, key the number). A receipt has no key
    (""), whatever was typed."""
    code, number = (code or "").strip(), (number or "").strip()
    if voucher == RECEIPT:
        return ""
    if voucher != INVOICE:
        raise VoucherError(_("Choose a formal invoice or a receipt."))
    if not code and _ELECTRONIC.match(number):
        return number
    if _OLD_CODE.match(code) and _OLD_NUMBER.match(number):
        return f"{code}-{number}"
    raise VoucherError(
        _(
            "An invoice is an 8-digit number with its 10- or 12-digit code, or a "
            "20-digit number of an all-electronic invoice (no code)."
        )
    )


# --- The claim rules as a table (FIN-3, FIN-5) -------------------------------------


@dataclass(frozen=True)
class ClaimRule:
    rule: str  # the rulebook's ID, shown in help text and docs only
    code: str
    severity: str  # BLOCK: submission refused; WARN: shown to the approver
    scope: str  # LINE or CLAIM
    message: object  # lazy text with %(…)s placeholders


CLAIM_RULES = (
    ClaimRule(
        "FIN-3",
        "invoice_required",
        BLOCK,
        LINE,
        _("%(threshold)s yuan and more needs a formal invoice (发票), not a receipt."),
    ),
    ClaimRule(
        "FIN-3",
        "transfer_required",
        BLOCK,
        CLAIM,
        _(
            "A payment of %(threshold)s yuan and more must be made by bank transfer "
            "or official card, not in cash."
        ),
    ),
    ClaimRule(
        "FIN-5",
        "invoice_claimed",
        BLOCK,
        LINE,
        _("This invoice has already been claimed (%(other)s)."),
    ),
    ClaimRule(
        "FIN-5",
        "same_payment",
        WARN,
        CLAIM,
        _(
            "Another claim has the same payee, date and amount (%(other)s): check "
            "that it is not paid twice."
        ),
    ),
    ClaimRule(
        "FIN-5",
        "same_image",
        WARN,
        CLAIM,
        _(
            "The attached file “%(name)s” is the same file as one attached "
            "elsewhere: check that the voucher is not used twice."
        ),
    ),
)
RULES_BY_CODE = {r.code: r for r in CLAIM_RULES}


@dataclass(frozen=True)
class Finding:
    rule: str
    code: str
    severity: str
    message: str
    line: int | None = None  # index of the line, None for the claim

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK


@dataclass
class LineFacts:
    amount: Decimal
    voucher: str
    invoice_key: str = ""


@dataclass
class ClaimFacts:
    lines: list[LineFacts]
    payment_method: str
    claimed_elsewhere: dict = field(default_factory=dict)  # invoice key → other claim
    same_payment: list = field(default_factory=list)  # other claims (labels)
    same_images: list = field(default_factory=list)  # names of duplicated files


def _finding(code: str, line=None, **values) -> Finding:
    row = RULES_BY_CODE[code]
    return Finding(row.rule, code, row.severity, str(row.message % values), line)


def evaluate_claim(facts: ClaimFacts, thresholds: dict) -> list[Finding]:
    """Apply CLAIM_RULES to a claim's facts with the thresholds in force
    (policy finance.claim_thresholds): 200 yuan and more (以上, the number
    included) needs an invoice; a payment of 1,000 yuan and more is not cash."""
    invoice_from = Decimal(str(thresholds["invoice_from"]))
    transfer_from = Decimal(str(thresholds["transfer_from"]))
    findings = []
    for index, line in enumerate(facts.lines):
        if line.amount >= invoice_from and line.voucher != INVOICE:
            findings.append(
                _finding("invoice_required", index, threshold=_yuan(invoice_from))
            )
        if line.invoice_key and line.invoice_key in facts.claimed_elsewhere:
            findings.append(
                _finding(
                    "invoice_claimed",
                    index,
                    other=facts.claimed_elsewhere[line.invoice_key],
                )
            )
    total = claim_total(line.amount for line in facts.lines)
    if total >= transfer_from and facts.payment_method not in NON_CASH:
        findings.append(_finding("transfer_required", threshold=_yuan(transfer_from)))
    for other in facts.same_payment:
        findings.append(_finding("same_payment", other=other))
    for name in facts.same_images:
        findings.append(_finding("same_image", name=name))
    return findings


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def validate_thresholds(value) -> None:
    """Policy validator of finance.claim_thresholds."""
    if not isinstance(value, dict):
        raise ValueError(_("Give the invoice and the transfer thresholds."))
    for key in ("invoice_from", "transfer_from"):
        try:
            amount = Decimal(str(value[key]))
        except (KeyError, InvalidOperation):
            raise ValueError(
                _("“%(field)s” is an amount of yuan.") % {"field": term(key)}
            ) from None
        if amount <= 0:
            raise ValueError(_("“%(field)s” is more than zero.") % {"field": term(key)})


# --- Purchases and fund use (FIN-2, FIN-6) -----------------------------------------


def valuable_equipment(category: str, amount: Decimal, policy: dict) -> bool:
    """FIN-2: valuable equipment needs the bureau affairs meeting: a category the
    policy lists, or a purchase of `at_least` yuan and more (以上)."""
    if category in policy.get("categories", []):
        return True
    at_least = policy.get("at_least")
    return at_least is not None and amount >= Decimal(str(at_least))


def validate_valuable(value) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("categories"), list):
        raise ValueError(_("Give the list of categories of valuable equipment."))
    if value.get("at_least") is not None:
        try:
            Decimal(str(value["at_least"]))
        except InvalidOperation:
            raise ValueError(
                _("The amount from which equipment is valuable is an amount of yuan.")
            ) from None


# --- Reimbursement day (FIN-8) -----------------------------------------------------


def payday_on_or_after(day: datetime.date, weekday: int, is_working) -> datetime.date:
    """FIN-8: reimbursements are paid together on the bureau's pay weekday (Tuesday,
    weekday 1) — the first such day on or after `day`; when it is not a working day
    (a holiday), the next working day after it. `is_working(day)` is the calendar."""
    candidate = day + datetime.timedelta(days=(weekday - day.weekday()) % 7)
    for _step in range(60):
        if is_working(candidate):
            return candidate
        candidate += datetime.timedelta(days=1)
    raise ValueError("no working day within 60 days")


# --- Reception (FIN-9) -------------------------------------------------------------


def reception_standard(level: str, policy: dict) -> Decimal:
    """FIN-9: the county's standard per head for the guests' level."""
    return parse_money(policy["per_head"][level])


def companions_allowed(guests: int, policy: dict) -> int:
    """FIN-9: companions at a reception — up to `small_group` guests (以内, the
    number included) at most `small_group_companions`; more guests, at most one in
    `large_group_share` of the guests (rounded down)."""
    if guests <= policy["small_group"]:
        return policy["small_group_companions"]
    return guests // policy["large_group_share"]


def reception_limit(standard: Decimal, heads: int, estimated: Decimal) -> Decimal:
    """FIN-9: what the bureau pays at most: the approved estimate, never more than
    the standard per head × (guests + companions)."""
    return min(estimated, (standard * heads).quantize(CENT))


@dataclass(frozen=True)
class ReceptionSettlement:
    actual_total: Decimal
    not_approved: Decimal
    over_standard: Decimal

    @property
    def borne_by_person(self) -> Decimal:
        return self.not_approved + self.over_standard


def settle_reception(items, limit: Decimal) -> ReceptionSettlement:
    """FIN-9: `items` are (amount, approved) pairs. Items not on the approved form
    are borne by the person whole; of the approved items, what passes `limit` (the
    approved estimate within the standard) too. Exactly the limit: nothing borne;
    0.01 over: 0.01 borne."""
    total = sum((amount for amount, _approved in items), Decimal("0.00"))
    not_approved = sum(
        (amount for amount, approved in items if not approved), Decimal("0.00")
    )
    over = max(Decimal("0.00"), total - not_approved - limit)
    return ReceptionSettlement(total, not_approved, over)


# --- Monthly statement (FIN-7) -----------------------------------------------------


def statement_month_due(today: datetime.date, due_day: int):
    """FIN-7: the month whose statements should have gone out by today — last
    month's, once the due day (the 10th) has passed; None on or before it (the 10th
    itself is still in time, the 11th is late)."""
    if today.day <= due_day:
        return None
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
