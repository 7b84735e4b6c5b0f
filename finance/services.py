"""Every change in finance: claims (FIN-3..5), purchases and use of funds (FIN-2,
FIN-6), reimbursement batches (FIN-8), fixed assets and handovers (FIN-1, FIN-4).

Keyword-only, taking the acting user as `by`, each in one transaction; a refusal
raises `FinanceError` (the message is for the user) before anything is written, or
rolls everything back: nothing is half-saved or half-paid.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import tiers
from approvals.chains import Action
from approvals.notify import notify_person
from approvals.selectors import current_approval_of
from approvals.services import (
    ApprovalError,
    approval_decide,
    approval_record_external,
    approval_record_meeting,
    approval_submit,
    approval_withdraw,
)
from attachments.selectors import attachments_of, same_file_elsewhere
from bureau import workdays
from bureau.access import has_role, person_of
from bureau.models import DoneMarker, Person, Position, Role, Section, Unit
from bureau.params import LONG_TEXT, SHORT_TEXT, clean_text, validate_date_in_bounds
from bureau.policies import policy_in_force
from finance import rules
from finance.models import (
    Asset,
    Batch,
    Claim,
    ClaimLine,
    CustodyEntry,
    Handover,
    InvoiceUse,
    Reception,
    ReceptionItem,
    Spending,
    Statement,
    UnitIncome,
)
from finance.policies import (
    CLAIM_CHAINS,
    CLAIM_THRESHOLDS,
    FUND_USE,
    PAYDAY,
    PURCHASE,
    PURCHASE_VALUABLE,
    RECEPTION_CHAINS,
    RECEPTION_STANDARDS,
    SPENDING_CHAINS,
    STATEMENT_DUE,
    VALUABLE,
)
from finance.selectors import with_custody
from numbering.services import NumberingError, number_take

BATCH_SERIES = "finance.reimbursement_batch"
BATCH_TEMPLATE = "{code}财报〔{year}〕{n}号"
ASSET_SERIES = "finance.asset"
ASSET_TEMPLATE = "{code}资〔{year}〕{n}号"
MAX_LINES = 50


class FinanceError(Exception):
    """A move the rules do not allow; the message is for the user."""


def is_finance_officer(user) -> bool:
    return has_role(user, Role.FINANCE_OFFICER)


def _history_user(obj, by):
    if getattr(by, "pk", None):
        obj._history_user = by
    return obj


def _me(by) -> Person:
    person = person_of(by)
    if person is None:
        raise FinanceError(_("Only staff of the bureau do this."))
    return person


def _finance(by) -> Person:
    person = _me(by)
    if not is_finance_officer(by):
        raise FinanceError(_("Only the finance officer does this."))
    return person


# --- On the approval engine (claims, spendings, receptions) ------------------------


def _open_approval(record, *, not_waiting: str):
    """The record's current approval, open; else `not_waiting` (the user's message)."""
    approval = current_approval_of(record)
    if approval is None or not approval.is_open:
        raise FinanceError(not_waiting)
    return approval


def _withdraw(record, *, by, not_waiting: str):
    """The requester withdraws the record's open approval, through the engine."""
    approval = _open_approval(record, not_waiting=not_waiting)
    try:
        approval_withdraw(request=approval, by=by)
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc
    record.refresh_from_db()
    return record


def _decide(record, *, by, decision: str, comment: str, not_waiting: str):
    """The current approver (or stand-in) decides the record, through the engine."""
    approval = _open_approval(record, not_waiting=not_waiting)
    try:
        approval_decide(request=approval, by=by, decision=decision, comment=comment)
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc
    record.refresh_from_db()
    return record


def _text(value, limit, *, required=True, label="") -> str:
    try:
        value = clean_text(value or "", max_length=limit).strip()
    except ValidationError as exc:
        raise FinanceError(exc.messages[0]) from None
    if required and not value:
        raise FinanceError(_("%(what)s is required.") % {"what": label})
    return value


def _day(value) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise FinanceError(_("Enter a date."))
    try:
        validate_date_in_bounds(value)
    except ValidationError as exc:
        raise FinanceError(exc.messages[0]) from None
    return value


def _money(value, label=None):
    try:
        return rules.parse_money(value, label=label)
    except rules.MoneyError as exc:
        raise FinanceError(str(exc)) from None


# --- Claims (FIN-3, FIN-4, FIN-5) ---------------------------------------------------


@dataclass
class LineInput:
    item: str
    unit: str
    quantity: object
    unit_price: object
    voucher: str
    invoice_code: str = ""
    invoice_number: str = ""
    fixed_asset: bool = False
    amount: object = None  # when typed: must match quantity × unit price


def _clean_lines(lines: list[LineInput]) -> list[dict]:
    if not lines:
        raise FinanceError(_("A claim lists at least one item."))
    if len(lines) > MAX_LINES:
        raise FinanceError(_("A claim lists at most %(n)s items.") % {"n": MAX_LINES})
    cleaned = []
    for number, line in enumerate(lines, start=1):
        try:
            item = _text(line.item, 100, label=_("The item"))
            unit = _text(line.unit, 20, label=_("The unit"))
            quantity = rules.parse_quantity(line.quantity)
            price = rules.parse_money(line.unit_price, label=_("The unit price"))
            amount = rules.line_amount(quantity, price)
            if line.amount not in (None, ""):
                typed = rules.parse_money(line.amount)
                if typed != amount:
                    raise FinanceError(
                        _(
                            "The amount %(typed)s is not quantity × unit price "
                            "(%(amount)s)."
                        )
                        % {"typed": typed, "amount": amount}
                    )
            key = rules.invoice_key(
                line.voucher, line.invoice_code, line.invoice_number
            )
        except (rules.MoneyError, rules.VoucherError, FinanceError) as exc:
            raise FinanceError(
                _("Line %(n)s: %(error)s") % {"n": number, "error": exc}
            ) from None
        receipt = line.voucher == rules.RECEIPT
        cleaned.append(
            {
                "position": number,
                "item": item,
                "unit": unit,
                "quantity": quantity,
                "unit_price": price,
                "amount": amount,
                "voucher": line.voucher,
                "invoice_code": "" if receipt else (line.invoice_code or "").strip(),
                "invoice_number": ""
                if receipt
                else (line.invoice_number or "").strip(),
                "invoice_key": key,
                "fixed_asset": bool(line.fixed_asset),
            }
        )
    return cleaned


def _label(claim) -> str:
    return _("claim %(n)s of %(who)s") % {"n": claim.pk, "who": claim.claimant.name}


def _claimed_elsewhere(keys, claim) -> dict:
    uses = InvoiceUse.objects.filter(key__in=[k for k in keys if k]).select_related(
        "claim__claimant"
    )
    if claim is not None and claim.pk:
        uses = uses.exclude(claim=claim)
    return {use.key: _label(use.claim) for use in uses}


def _facts(claim: Claim, lines: list[dict]) -> rules.ClaimFacts:
    """What the rule table needs from the database: invoices claimed by other
    claims, claims with the same payee, date and amount, duplicated files."""
    same = (
        Claim.objects.filter(
            payee=claim.payee, expense_date=claim.expense_date, total=claim.total
        )
        .exclude(pk=claim.pk)
        .exclude(status__in=[Claim.Status.DRAFT, Claim.Status.WITHDRAWN])
        .select_related("claimant")
    )
    images = []
    if claim.pk:
        for attachment in attachments_of(claim):
            if same_file_elsewhere(attachment.sha256, exclude=claim).exists():
                images.append(attachment.name)
    return rules.ClaimFacts(
        lines=[
            rules.LineFacts(line["amount"], line["voucher"], line["invoice_key"])
            for line in lines
        ],
        payment_method=claim.payment_method,
        claimed_elsewhere=_claimed_elsewhere([x["invoice_key"] for x in lines], claim),
        same_payment=[_label(other) for other in same[:5]],
        same_images=images,
    )


def _thresholds(claim: Claim):
    return policy_in_force(CLAIM_THRESHOLDS, claim.expense_date)


def claim_findings(claim: Claim) -> list[rules.Finding]:
    """The rule table applied to a stored claim (shown on its page, to the claimant
    and to the approver)."""
    lines = [
        {
            "amount": line.amount,
            "voucher": line.voucher,
            "invoice_key": line.invoice_key,
        }
        for line in claim.lines.all()
    ]
    return rules.evaluate_claim(_facts(claim, lines), _thresholds(claim).value)


def _blocking(findings) -> list[str]:
    return [
        (_("Line %(n)s: %(error)s") % {"n": f.line + 1, "error": f.message})
        if f.line is not None
        else f.message
        for f in findings
        if f.blocks
    ]


def claim_save(
    *,
    by,
    claim: Claim | None = None,
    handler: Person,
    witness: Person,
    purpose: str,
    payee: str,
    expense_date: datetime.date,
    payment_method: str,
    lines: list[LineInput],
    submit: bool = False,
) -> tuple[Claim, list[rules.Finding]]:
    """Save a claim with its lines (new, or a draft / returned / refused one of the
    claimant's), the total stored once; with `submit`, also send it for approval.

    Refused, with nothing saved: bad input (a quantity ≤ 0, a price with more than
    two decimals, an invoice number of the wrong length, an amount that is not
    quantity × unit price), an invoice already claimed anywhere (FIN-5, unique in
    the database), and on submission any blocking finding of the rule table
    (FIN-3). Warnings are returned and shown."""
    person = _me(by)
    purpose = _text(purpose, SHORT_TEXT, label=_("The purpose"))
    payee = _text(payee, 100, label=_("The payee"))
    expense_date = _day(expense_date)
    if payment_method not in Claim.Payment.values:
        raise FinanceError(_("Choose how the expense was paid."))
    if handler is None or witness is None:
        raise FinanceError(_("Name the handler and the witness (FIN-5)."))
    if witness.pk == person.pk:
        raise FinanceError(_("The witness is someone other than the claimant."))
    cleaned = _clean_lines(lines)
    try:
        with transaction.atomic():
            if claim is None:
                claim = Claim(claimant=person)
            else:
                claim = Claim.objects.select_for_update().get(pk=claim.pk)
                if claim.claimant_id != person.pk:
                    raise FinanceError(_("Only the claimant edits a claim."))
                if not claim.is_editable:
                    raise FinanceError(
                        _("This claim is %(status)s: it cannot be changed.")
                        % {"status": claim.get_status_display()}
                    )
            claim.handler = handler
            claim.witness = witness
            claim.purpose = purpose
            claim.payee = payee
            claim.expense_date = expense_date
            claim.payment_method = payment_method
            claim.total = rules.claim_total(line["amount"] for line in cleaned)
            claim.thresholds_policy_id = _thresholds(claim).id
            if claim.status != Claim.Status.DRAFT and not claim.approval_is_open:
                claim.status = Claim.Status.DRAFT
            _history_user(claim, by)
            claim.save()
            taken = _claimed_elsewhere([x["invoice_key"] for x in cleaned], claim)
            if taken:
                key, other = next(iter(taken.items()))
                raise FinanceError(
                    _("The invoice %(key)s has already been claimed (%(other)s).")
                    % {"key": key, "other": other}
                )
            claim.lines.all().delete()
            claim.invoice_uses.all().delete()
            for line in cleaned:
                row = ClaimLine(claim=claim, **line)
                _history_user(row, by)
                row.save()
            for key in sorted({x["invoice_key"] for x in cleaned if x["invoice_key"]}):
                InvoiceUse.objects.create(key=key, claim=claim)
            findings = rules.evaluate_claim(
                _facts(claim, cleaned), _thresholds(claim).value
            )
            if submit:
                _submit_claim(claim, findings, by=by)
    except IntegrityError:
        # The unique invoice's last word when two submissions race.
        raise FinanceError(
            _("An invoice of this claim has just been claimed by another claim.")
        ) from None
    claim.refresh_from_db()
    return claim, findings


def _submit_claim(claim: Claim, findings, *, by) -> None:
    blocking = _blocking(findings)
    if blocking:
        raise FinanceError(" ".join(blocking))
    version = policy_in_force(CLAIM_CHAINS, claim.expense_date)
    entry, tier = tiers.choose_chain(version.value, "default", claim.total)
    claim.rule = entry["rule"]
    claim.chain_policy_id = version.id
    claim.status = Claim.Status.PENDING
    claim.submitted_at = timezone.now()
    claim.finance_reason = ""
    _history_user(claim, by)
    claim.save()
    try:
        approval_submit(
            subject=claim,
            requester=claim.claimant,
            chain=tiers.tier_chain(tier),
            by=by,
            kind="finance_claim",
            summary=_("Claim: %(purpose)s, %(total)s yuan (%(who)s)")
            % {
                "purpose": claim.purpose,
                "total": claim.total,
                "who": claim.claimant.name,
            },
            chain_policy_id=version.id,
            on=timezone.localdate(),
        )
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc


def claim_submit(*, claim: Claim, by) -> Claim:
    """Send a saved claim for approval: the rule table again; a blocking finding
    refuses (FIN-3, FIN-5)."""
    person = _me(by)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.claimant_id != person.pk:
            raise FinanceError(_("Only the claimant submits a claim."))
        if not locked.is_editable:
            raise FinanceError(
                _("This claim is %(status)s: it cannot be submitted.")
                % {"status": locked.get_status_display()}
            )
        _submit_claim(locked, claim_findings(locked), by=by)
    locked.refresh_from_db()
    return locked


def claim_withdraw(*, claim: Claim, by) -> Claim:
    return _withdraw(
        claim, by=by, not_waiting=_("This claim is not waiting for approval.")
    )


def claim_decide(*, claim: Claim, by, decision: str, comment: str = "") -> Claim:
    """The current approver (or stand-in) decides, through the engine."""
    return _decide(
        claim,
        by=by,
        decision=decision,
        comment=comment,
        not_waiting=_("This claim is not waiting for a decision."),
    )


def claim_on_outcome(approval, outcome: str) -> None:
    """The engine's outcome: the claim mirrors it; approved names its approver
    (FIN-5: without the approver it is not paid)."""
    claim, changed = Claim.mirror_approval_outcome(approval, outcome)
    if changed and outcome == "approved":
        deciding = [
            s
            for s in approval.steps.all()
            if s.decision == "approved" and (s.decided_by_id or s.approver_id)
        ]
        if deciding:
            step = deciding[-1]
            claim.approver_id = step.decided_by_id or step.approver_id
            claim.save(update_fields=["approver"])


def _finance_check(*, claim, by, reason, status):
    person = _finance(by)
    reason = _text(reason, LONG_TEXT, label=_("The reason"))
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update()
            .select_related("claimant")
            .get(pk=claim.pk)
        )
        if locked.status != Claim.Status.APPROVED or locked.batch_id:
            raise FinanceError(
                _(
                    "Only an approved claim not yet in a reimbursement batch is "
                    "checked here."
                )
            )
        locked.status = status
        locked.finance_reason = reason
        locked.finance_by = person
        locked.finance_at = timezone.now()
        _history_user(locked, by)
        locked.save()
    return locked, person


def claim_send_back(*, claim: Claim, by, reason: str) -> Claim:
    """FIN-5: the finance officer sends an incomplete claim back for correction;
    the claimant sees the reason, corrects and submits again (a new round)."""
    with transaction.atomic():  # the notice with the record, or neither
        locked, _person = _finance_check(
            claim=claim, by=by, reason=reason, status=Claim.Status.RETURNED
        )
        notify_person(
            locked.claimant,
            title=_("Claim sent back for correction"),
            body=locked.finance_reason,
            url=reverse("finance:claim", args=[locked.pk]),
        )
    return locked


def claim_reject(*, claim: Claim, by, reason: str) -> Claim:
    """FIN-5: the finance officer returns an untrue or unlawful claim and reports it
    to the director; recorded with the reason, which the claimant sees."""
    with transaction.atomic():  # the record, the notices, the report together
        locked, person = _finance_check(
            claim=claim, by=by, reason=reason, status=Claim.Status.REJECTED
        )
        url = reverse("finance:claim", args=[locked.pk])
        notify_person(
            locked.claimant,
            title=_("Claim rejected as untrue or unlawful"),
            body=locked.finance_reason,
            url=url,
        )
        director = Person.objects.active().filter(position=Position.DIRECTOR).first()
        if director is not None:
            notify_person(
                director,
                title=_("Report: claim rejected as untrue or unlawful"),
                body=_(
                    "%(claim)s, %(total)s yuan. Reason: %(reason)s. Finance: %(by)s."
                )
                % {
                    "claim": _label(locked),
                    "total": locked.total,
                    "reason": locked.finance_reason,
                    "by": person.name,
                },
                url=url,
            )
    return locked


# --- Purchases and use of funds (FIN-2, FIN-6) --------------------------------------


def _route_spending(spending: Spending, *, by, today) -> None:
    """Submit the next round: the chain of the amount at submission, by the
    policies in force today."""
    chains = policy_in_force(SPENDING_CHAINS, today)
    key = FUND_USE
    if spending.kind == Spending.Kind.PURCHASE:
        valuable = policy_in_force(VALUABLE, today)
        spending.valuable = rules.valuable_equipment(
            spending.category, spending.amount, valuable.value
        )
        spending.valuable_policy_id = valuable.id
        key = PURCHASE_VALUABLE if spending.valuable else PURCHASE
    entry, tier = tiers.choose_chain(chains.value, key, spending.amount)
    spending.tier = entry["tiers"].index(tier) + 1
    spending.rule = entry["rule"]
    spending.chain_policy_id = chains.id
    spending.status = Spending.Status.PENDING
    spending.meeting_decision = None
    spending.county_reference = ""
    spending.county_decided_on = None
    _history_user(spending, by)
    spending.save()
    try:
        approval_submit(
            subject=spending,
            requester=spending.requester,
            chain=tiers.tier_chain(tier),
            by=by,
            kind=f"finance_{spending.kind}",
            summary=_("%(kind)s: %(title)s, %(amount)s yuan (%(who)s)")
            % {
                "kind": spending.get_kind_display(),
                "title": spending.title,
                "amount": spending.amount,
                "who": spending.requester.name,
            },
            chain_policy_id=chains.id,
            on=today,
        )
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc


def spending_submit(
    *,
    by,
    kind: str,
    title: str,
    purpose: str,
    amount,
    needed_on: datetime.date,
    category: str = Spending.Category.OTHER,
) -> Spending:
    """Ask to buy (FIN-2) or to use funds (FIN-6); the tier is taken from the
    amount now."""
    person = _me(by)
    if kind not in Spending.Kind.values:
        raise FinanceError(_("Choose a purchase or a use of funds."))
    if category not in Spending.Category.values:
        raise FinanceError(_("Choose a category."))
    spending = Spending(
        kind=kind,
        requester=person,
        title=_text(title, 100, label=_("The title")),
        purpose=_text(purpose, LONG_TEXT, label=_("The purpose")),
        category=category,
        amount=_money(amount),
        needed_on=_day(needed_on),
    )
    with transaction.atomic():
        _history_user(spending, by)
        spending.save()
        _route_spending(spending, by=by, today=timezone.localdate())
    spending.refresh_from_db()
    return spending


def spending_change_amount(*, spending: Spending, by, amount) -> Spending:
    """A new amount restarts the chain (FIN-6): a pending round is withdrawn, and a
    new round is submitted with the tier of the new amount — also after approval
    (what was approved was the old amount)."""
    person = _me(by)
    amount = _money(amount)
    with transaction.atomic():
        locked = Spending.objects.select_for_update().get(pk=spending.pk)
        if locked.requester_id != person.pk:
            raise FinanceError(_("Only the requester changes the amount."))
        if locked.amount == amount:
            raise FinanceError(_("The amount is the same."))
        approval = current_approval_of(locked)
        if approval is not None and approval.is_open:
            try:
                approval_withdraw(
                    request=approval,
                    by=by,
                    comment=_("Amount changed from %(old)s to %(new)s yuan.")
                    % {"old": locked.amount, "new": amount},
                )
            except ApprovalError as exc:
                raise FinanceError(str(exc)) from exc
            locked.refresh_from_db()
        locked.amount = amount
        _route_spending(locked, by=by, today=timezone.localdate())
    locked.refresh_from_db()
    return locked


def spending_withdraw(*, spending: Spending, by) -> Spending:
    return _withdraw(
        spending, by=by, not_waiting=_("This request is not waiting for approval.")
    )


def spending_decide(*, spending: Spending, by, decision: str, comment="") -> Spending:
    return _decide(
        spending,
        by=by,
        decision=decision,
        comment=comment,
        not_waiting=_("This request is not waiting for a decision."),
    )


def spending_record(
    *,
    spending: Spending,
    by,
    decision: str,
    meeting_decision=None,
    reference: str = "",
    decided_on: datetime.date | None = None,
    comment: str = "",
) -> Spending:
    """Record the current recorded step: the bureau affairs meeting's decision,
    cited by its record (FIN-2, FIN-6), or the county leader's consent with the
    county's reference (FIN-6)."""
    approval = _open_approval(
        spending, not_waiting=_("This request is not waiting for a decision.")
    )
    step = approval.steps.get(order=approval.current_order)
    try:
        if step.action == Action.MEETING:
            if meeting_decision is None:
                raise FinanceError(_("Cite the bureau affairs meeting's decision."))
            approval_record_meeting(
                request=approval,
                by=by,
                decision=decision,
                decision_ref=meeting_decision,
                comment=comment,
            )
        elif step.action == Action.EXTERNAL:
            approval_record_external(
                request=approval,
                by=by,
                decision=decision,
                reference=reference,
                decided_on=decided_on,
                comment=comment,
            )
        else:
            raise FinanceError(_("The current step is decided by a person."))
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc
    spending.refresh_from_db()
    return spending


def spending_record_citation(*, approval, step, decision, data, by) -> None:
    """Step hook "record_citation": the spending keeps the meeting decision it
    cites, or the county's reference (inside the engine's transaction)."""
    spending = Spending.objects.select_for_update().get(pk=approval.object_id)
    if step.action == Action.MEETING:
        spending.meeting_decision = step.meeting_decision_ref
    elif step.action == Action.EXTERNAL:
        spending.county_reference = step.reference
        spending.county_decided_on = step.external_decided_on
    _history_user(spending, by)
    spending.save(
        update_fields=["meeting_decision", "county_reference", "county_decided_on"]
    )


def spending_on_outcome(approval, outcome: str) -> None:
    Spending.mirror_approval_outcome(approval, outcome)


# --- Reimbursement batches (FIN-8) -------------------------------------------------


def pay_day(today: datetime.date) -> datetime.date:
    """FIN-8: the next pay day on or after today (Tuesday; the next working day when
    that Tuesday is not one)."""
    weekday = policy_in_force(PAYDAY, today).value["weekday"]
    return rules.payday_on_or_after(today, weekday, workdays.is_working_day)


def claims_to_pay():
    """Approved claims not yet in a batch: what the next batch pays."""
    return Claim.objects.filter(
        status=Claim.Status.APPROVED, batch__isnull=True, approver__isnull=False
    )


def batch_create(*, by, claims=None, today: datetime.date | None = None) -> Batch:
    """Put approved claims (all waiting, or those given) in a batch paid on the next
    pay day; the number from the series, the total stored once."""
    person = _finance(by)
    today = today or timezone.localdate()
    with transaction.atomic():
        queryset = claims_to_pay()
        if claims is not None:
            queryset = queryset.filter(pk__in=[getattr(c, "pk", c) for c in claims])
        locked = list(queryset.select_for_update().order_by("pk"))
        if not locked:
            raise FinanceError(_("No approved claim is waiting for payment."))
        batch = Batch(
            pay_on=pay_day(today),
            total=rules.claim_total(c.total for c in locked),
            created_by=person,
        )
        _history_user(batch, by)
        batch.save()
        try:
            batch.number = number_take(
                series=BATCH_SERIES, owner=batch, by=by, on=batch.pay_on
            ).text
        except NumberingError as exc:
            raise FinanceError(str(exc)) from exc
        batch.save(update_fields=["number"])
        for claim in locked:
            claim.batch = batch
            _history_user(claim, by)
            claim.save(update_fields=["batch"])
    return batch


def batch_pay(*, batch: Batch, by, today: datetime.date | None = None) -> Batch:
    """Record the batch paid: each claim paid once. Paying again changes nothing
    (idempotent); before the pay day it is refused (FIN-8)."""
    person = _finance(by)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == Batch.Status.PAID:
            return locked
        if today < locked.pay_on:
            raise FinanceError(
                _("This batch is paid on %(day)s (FIN-8), not before.")
                % {"day": locked.pay_on}
            )
        now = timezone.now()
        claims = list(
            Claim.objects.select_for_update().filter(batch=locked).order_by("pk")
        )
        for claim in claims:
            if claim.status != Claim.Status.APPROVED:
                raise FinanceError(
                    _("%(claim)s is not approved: the batch is not paid.")
                    % {"claim": _label(claim)}
                )
            claim.status = Claim.Status.PAID
            claim.paid_at = now
            _history_user(claim, by)
            claim.save(update_fields=["status", "paid_at"])
        locked.status = Batch.Status.PAID
        locked.paid_by = person
        locked.paid_at = now
        _history_user(locked, by)
        locked.save()
    return locked


# --- Fixed assets and custody (FIN-1, FIN-4) ---------------------------------------


def _current_entry(asset) -> CustodyEntry | None:
    return asset.custody.order_by("-pk").select_related("custodian").first()


def asset_register(
    *,
    by,
    name: str,
    value,
    acquired_on: datetime.date,
    custodian: Person,
    place: str,
    category: str = Spending.Category.EQUIPMENT,
    source_line: ClaimLine | None = None,
) -> Asset:
    """Register a fixed asset, issued to its custodian at its place (FIN-1)."""
    person = _finance(by)
    if custodian is None:
        raise FinanceError(_("Every fixed asset has a custodian (FIN-1)."))
    if category not in Spending.Category.values:
        raise FinanceError(_("Choose a category."))
    name = _text(name, 100, label=_("The name"))
    place = _text(place, 100, label=_("The place"))
    value = _money(value)
    acquired_on = _day(acquired_on)
    with transaction.atomic():
        asset = Asset(
            name=name,
            category=category,
            value=value,
            acquired_on=acquired_on,
            source_line=source_line,
        )
        _history_user(asset, by)
        asset.save()
        try:
            asset.number = number_take(
                series=ASSET_SERIES, owner=asset, by=by, on=acquired_on
            ).text
        except NumberingError as exc:
            raise FinanceError(str(exc)) from exc
        asset.save(update_fields=["number"])
        CustodyEntry.objects.create(
            asset=asset,
            kind=CustodyEntry.Kind.ISSUE,
            custodian=custodian,
            place=place,
            on=acquired_on,
            recorded_by=person,
        )
    return asset


def custody_record(
    *,
    asset: Asset,
    by,
    kind: str,
    on: datetime.date,
    custodian: Person | None = None,
    place: str = "",
    note: str = "",
) -> CustodyEntry:
    """Append to the ledger: issue (from store), return (to store), transfer (to
    another custodian). Handovers go through a signed handover list."""
    person = _finance(by)
    on = _day(on)
    note = _text(note, SHORT_TEXT, required=False)
    if kind not in (
        CustodyEntry.Kind.ISSUE,
        CustodyEntry.Kind.RETURN,
        CustodyEntry.Kind.TRANSFER,
    ):
        raise FinanceError(_("A handover goes through a handover list."))
    with transaction.atomic():
        Asset.objects.select_for_update().get(pk=asset.pk)
        current = _current_entry(asset)
        held_by = current.custodian if current else None
        if kind == CustodyEntry.Kind.RETURN:
            if held_by is None:
                raise FinanceError(_("This asset is in store already."))
            custodian, place = None, place or _("Store")
        else:
            if custodian is None:
                raise FinanceError(_("Name the custodian."))
            if kind == CustodyEntry.Kind.ISSUE and held_by is not None:
                raise FinanceError(
                    _("%(who)s holds this asset: transfer it instead.")
                    % {"who": held_by.name}
                )
            if kind == CustodyEntry.Kind.TRANSFER:
                if held_by is None:
                    raise FinanceError(_("This asset is in store: issue it instead."))
                if held_by.pk == custodian.pk:
                    raise FinanceError(_("This person holds the asset already."))
            place = place or (current.place if current else "")
        place = _text(place, 100, label=_("The place"))
        if current is not None and on < current.on:
            raise FinanceError(
                _("The ledger's last entry is of %(day)s: enter a later date.")
                % {"day": current.on}
            )
        return CustodyEntry.objects.create(
            asset=asset,
            kind=kind,
            custodian=custodian,
            place=place,
            on=on,
            note=note,
            recorded_by=person,
        )


def claim_line_receive(
    *, line: ClaimLine, by, place: str, custodian: Person | None = None
) -> list[Asset]:
    """FIN-4: goods checked on arrival; a fixed-asset line becomes asset records
    (one per unit for a whole quantity), issued to the custodian (the claimant by
    default)."""
    _finance(by)
    with transaction.atomic():
        locked = (
            ClaimLine.objects.select_for_update()
            .select_related("claim", "claim__claimant")
            .get(pk=line.pk)
        )
        if locked.received_at is not None:
            raise FinanceError(_("This line was checked on arrival already."))
        if locked.claim.status not in (Claim.Status.APPROVED, Claim.Status.PAID):
            raise FinanceError(_("Only the lines of an approved claim are received."))
        custodian = custodian or locked.claim.claimant
        assets = []
        if locked.fixed_asset:
            count = locked.quantity
            if count != count.to_integral_value() or not 1 <= count <= 50:
                raise FinanceError(
                    _("A fixed-asset line has a whole quantity of at most 50.")
                )
            for _n in range(int(count)):
                assets.append(
                    asset_register(
                        by=by,
                        name=locked.item,
                        value=locked.unit_price,
                        acquired_on=timezone.localdate(),
                        custodian=custodian,
                        place=place,
                        source_line=locked if int(count) == 1 else None,
                    )
                )
        locked.received_at = timezone.now()
        locked.received_by = person_of(by)
        _history_user(locked, by)
        locked.save(update_fields=["received_at", "received_by"])
    return assets


def assets_held_by(person: Person):
    return with_custody(Asset.objects.all()).filter(current_custodian_id=person.pk)


def handover_prepare(*, by, from_person: Person, to_person: Person, reason: str):
    """FIN-1: the list of every asset `from_person` holds, to be handed to
    `to_person` (a change of post or leaving); done when both have signed."""
    person = _finance(by)
    reason = _text(reason, SHORT_TEXT, label=_("The reason"))
    if from_person is None or to_person is None or from_person.pk == to_person.pk:
        raise FinanceError(_("A handover is between two different people."))
    with transaction.atomic():
        assets = list(assets_held_by(from_person))
        if not assets:
            raise FinanceError(
                _("%(who)s holds no fixed asset.") % {"who": from_person.name}
            )
        if Handover.objects.filter(
            from_person=from_person, status=Handover.Status.OPEN
        ).exists():
            raise FinanceError(
                _("A handover list of %(who)s is waiting for signatures already.")
                % {"who": from_person.name}
            )
        handover = Handover(
            from_person=from_person,
            to_person=to_person,
            reason=reason,
            created_by=person,
        )
        _history_user(handover, by)
        handover.save()
        handover.assets.set(assets)
    return handover


def handover_sign(*, handover: Handover, by) -> Handover:
    """A side signs; when both have, every asset on the list is handed over in one
    step (the ledger's handover entries)."""
    person = _me(by)
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if locked.status != Handover.Status.OPEN:
            raise FinanceError(_("This handover is done already."))
        now = timezone.now()
        if person.pk == locked.from_person_id:
            if locked.from_signed_at:
                raise FinanceError(_("You have signed already."))
            locked.from_signed_at = now
        elif person.pk == locked.to_person_id:
            if locked.to_signed_at:
                raise FinanceError(_("You have signed already."))
            locked.to_signed_at = now
        else:
            raise FinanceError(_("Only the two sides sign a handover list."))
        if locked.from_signed_at and locked.to_signed_at:
            today = timezone.localdate()
            for asset in locked.assets.select_for_update().order_by("pk"):
                current = _current_entry(asset)
                if current is None or current.custodian_id != locked.from_person_id:
                    raise FinanceError(
                        _("%(asset)s is no longer held by %(who)s.")
                        % {"asset": asset, "who": locked.from_person.name}
                    )
                CustodyEntry.objects.create(
                    asset=asset,
                    kind=CustodyEntry.Kind.HANDOVER,
                    custodian=locked.to_person,
                    place=current.place,
                    on=max(today, current.on),
                    handover=locked,
                    recorded_by=person,
                )
            locked.status = Handover.Status.DONE
        _history_user(locked, by)
        locked.save()
    return locked


# --- Organisation changes (FIN-1) ---------------------------------------------------


def _handover_receiver(person: Person, before) -> Person | None:
    """Who receives the assets of a person who moves or leaves: the head of the
    section they left, else of the unit they left, else the comprehensive section's
    head — never themselves."""
    candidates = []
    if before.section_id:
        section = Section.objects.filter(pk=before.section_id).first()
        candidates.append(section.head if section else None)
    if before.unit_id:
        unit = Unit.objects.filter(pk=before.unit_id).first()
        candidates.append(unit.head if unit else None)
    comprehensive = (
        Section.objects.filter(is_comprehensive=True).order_by("order").first()
    )
    candidates.append(comprehensive.head if comprehensive else None)
    for candidate in candidates:
        if candidate is not None and candidate.pk != person.pk and candidate.is_active:
            return candidate
    return None


def _finance_officers() -> list[Person]:
    return list(
        Person.objects.active()
        .filter(user__groups__name=Role.FINANCE_OFFICER)
        .order_by("pk")
        .distinct()
    )


def handover_on_post_change(change) -> Handover | None:
    """FIN-1: a person changed unit, section or post, or left (announced by
    `bureau.org_changes` after commit): the handover list of every asset they hold
    is prepared — to the head of what they left — and the finance officers and both
    sides are told. Nothing when they hold nothing or a list is already open."""
    person = Person.objects.filter(pk=change.person_id).first()
    if person is None:
        return None
    with transaction.atomic():
        # One change at a time per person (two saves: one list).
        list(
            Person.objects.select_for_update()
            .filter(pk=person.pk)
            .order_by()
            .values_list("pk", flat=True)
        )
        assets = list(assets_held_by(person))
        if not assets:
            return None
        if Handover.objects.filter(
            from_person=person, status=Handover.Status.OPEN
        ).exists():
            return None
        receiver = _handover_receiver(person, change.before)
        officers = _finance_officers()
        if receiver is None:
            for officer in officers:
                notify_person(
                    officer,
                    title=_(
                        "%(who)s changed post and holds fixed assets: prepare the handover list"
                    )
                    % {"who": person.name},
                    url=reverse("finance:handover_new"),
                )
            return None
        reason = _("Left the bureau") if change.left else _("Change of post or section")
        handover = Handover(
            from_person=person, to_person=receiver, reason=reason, created_by=None
        )
        handover.save()
        handover.assets.set(assets)
        url = reverse("finance:handover", args=[handover.pk])
        title = _("Handover list of %(who)s's fixed assets (%(n)s) to sign") % {
            "who": person.name,
            "n": len(assets),
        }
        for recipient in {p.pk: p for p in [person, receiver, *officers]}.values():
            notify_person(recipient, title=title, url=url)
    return handover


# --- Reception (FIN-9) --------------------------------------------------------------


@dataclass
class ReceptionInput:
    kind: str
    guest_unit: str
    guests: str
    guest_level: str
    purpose: str
    guest_count: int
    companion_count: int
    place: str
    on: datetime.date
    estimated_cost: object
    companions: list = None


def _reception_checked(data: ReceptionInput, *, today) -> tuple[dict, object]:
    if data.kind not in Reception.Kind.values:
        raise FinanceError(_("Choose the kind of reception."))
    if data.guest_level not in Reception.Level.values:
        raise FinanceError(_("Choose the guests' level."))
    guests = _text(data.guests, LONG_TEXT, label=_("The guests' names and posts"))
    if not isinstance(data.guest_count, int) or data.guest_count < 1:
        raise FinanceError(_("A reception has at least one guest."))
    if not isinstance(data.companion_count, int) or data.companion_count < 0:
        raise FinanceError(_("The number of companions cannot be negative."))
    companions = list(data.companions or [])
    standards = policy_in_force(RECEPTION_STANDARDS, data.on)
    allowed = rules.companions_allowed(data.guest_count, standards.value)
    if data.companion_count > allowed:
        raise FinanceError(
            _(
                "%(guests)s guests allow at most %(allowed)s companions, "
                "not %(n)s (the county's standard)."
            )
            % {
                "guests": data.guest_count,
                "allowed": allowed,
                "n": data.companion_count,
            }
        )
    if data.kind == Reception.Kind.VISITORS and len(companions) != data.companion_count:
        raise FinanceError(
            _("Visitors from higher or peer levels: name every companion (%(n)s).")
            % {"n": data.companion_count}
        )
    if companions and len(companions) > data.companion_count:
        raise FinanceError(_("More companions are named than their number."))
    standard = rules.reception_standard(data.guest_level, standards.value)
    estimated = _money(data.estimated_cost, label=_("The estimated cost"))
    heads = data.guest_count + data.companion_count
    ceiling = (standard * heads).quantize(rules.CENT)
    if estimated > ceiling:
        raise FinanceError(
            _(
                "The estimated cost %(cost)s exceeds the standard: %(standard)s "
                "yuan per head × %(heads)s people = %(ceiling)s yuan."
            )
            % {
                "cost": estimated,
                "standard": standard,
                "heads": heads,
                "ceiling": ceiling,
            }
        )
    fields = {
        "kind": data.kind,
        "guest_unit": _text(data.guest_unit, 100, label=_("The guests' unit")),
        "guests": guests,
        "guest_level": data.guest_level,
        "purpose": _text(data.purpose, SHORT_TEXT, label=_("The purpose")),
        "guest_count": data.guest_count,
        "companion_count": data.companion_count,
        "place": _text(data.place, 100, label=_("The place")),
        "on": _day(data.on),
        "standard_per_head": standard,
        "estimated_cost": estimated,
        "standards_policy_id": standards.id,
    }
    return fields, companions


def reception_submit(*, by, data: ReceptionInput, today=None) -> Reception:
    """FIN-9: a reception approval form, routed by its kind (policy
    `finance.reception_chains`): a township work meal to the deputy in charge,
    higher or peer visitors to a bureau leader (named companions), a unit's
    reception to its head."""
    person = _me(by)
    today = today or timezone.localdate()
    fields, companions = _reception_checked(data, today=today)
    chains = policy_in_force(RECEPTION_CHAINS, fields["on"])
    entry, tier = tiers.choose_chain(
        chains.value, fields["kind"], fields["estimated_cost"]
    )
    with transaction.atomic():
        reception = Reception(
            requester=person,
            unit_id=person.unit_id,
            rule=entry["rule"],
            chain_policy_id=chains.id,
            **fields,
        )
        _history_user(reception, by)
        reception.save()
        reception.companions.set(companions)
        try:
            approval_submit(
                subject=reception,
                requester=person,
                chain=tiers.tier_chain(tier),
                by=by,
                kind="finance_reception",
                summary=_("Reception: %(unit)s, %(n)s guests, %(cost)s yuan (%(who)s)")
                % {
                    "unit": reception.guest_unit,
                    "n": reception.guest_count,
                    "cost": reception.estimated_cost,
                    "who": person.name,
                },
                chain_policy_id=chains.id,
                on=today,
            )
        except ApprovalError as exc:
            raise FinanceError(str(exc)) from exc
    return reception


def reception_decide(
    *, reception: Reception, by, decision: str, comment=""
) -> Reception:
    return _decide(
        reception,
        by=by,
        decision=decision,
        comment=comment,
        not_waiting=_("This reception is not waiting for a decision."),
    )


def reception_withdraw(*, reception: Reception, by) -> Reception:
    return _withdraw(
        reception, by=by, not_waiting=_("This reception is not waiting for approval.")
    )


def reception_on_outcome(approval, outcome: str) -> None:
    Reception.mirror_approval_outcome(approval, outcome)


@dataclass
class ItemInput:
    item: str
    amount: object
    approved: bool = True


def reception_settle(*, reception: Reception, by, items: list[ItemInput]) -> Reception:
    """FIN-9: the finance officer settles an approved reception with its actual
    items: an item not on the approved form is borne by the person whole; what the
    approved items cost beyond the approved estimate (within the standard) too.
    Stored once; a second settlement is refused."""
    person = _finance(by)
    cleaned = []
    for number, entry in enumerate(items, start=1):
        if not (entry.item or "").strip() and not str(entry.amount or "").strip():
            continue
        label = _("Item %(n)s") % {"n": number}
        cleaned.append(
            (
                _text(entry.item, 100, label=label),
                _money(entry.amount, label=label),
                bool(entry.approved),
            )
        )
    if not cleaned:
        raise FinanceError(_("List the actual items of the reception."))
    if len(cleaned) > MAX_LINES:
        raise FinanceError(_("At most %(n)s items.") % {"n": MAX_LINES})
    with transaction.atomic():
        locked = Reception.objects.select_for_update().get(pk=reception.pk)
        if locked.status != Reception.Status.APPROVED:
            raise FinanceError(
                _("This reception is %(status)s: it cannot be settled.")
                % {"status": locked.get_status_display()}
            )
        limit = rules.reception_limit(
            locked.standard_per_head, locked.heads, locked.estimated_cost
        )
        settlement = rules.settle_reception(
            [(amount, approved) for _item, amount, approved in cleaned], limit
        )
        ReceptionItem.objects.bulk_create(
            ReceptionItem(
                reception=locked,
                position=position,
                item=item,
                amount=amount,
                approved=approved,
            )
            for position, (item, amount, approved) in enumerate(cleaned, start=1)
        )
        locked.actual_total = settlement.actual_total
        locked.borne_by_person = settlement.borne_by_person
        locked.status = Reception.Status.SETTLED
        locked.settled_at = timezone.now()
        locked.settled_by = person
        _history_user(locked, by)
        locked.save()
        if settlement.borne_by_person:
            notify_person(
                locked.requester,
                title=_("Reception settled: %(amount)s yuan is borne by you")
                % {"amount": settlement.borne_by_person},
                url=reverse("finance:reception", args=[locked.pk]),
            )
    return locked


# --- Monthly statements (FIN-7) -----------------------------------------------------


def _month(value) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise FinanceError(_("Choose a month."))
    return _day(value.replace(day=1))


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def income_set(*, by, unit: Unit, month: datetime.date, amount, note="") -> UnitIncome:
    """FIN-7: the finance officer enters a unit's income of a month (again: it is
    changed, while the month's statement has not gone out)."""
    person = _finance(by)
    month = _month(month)
    try:
        amount = rules.parse_money(amount, positive=False, label=_("The income"))
    except rules.MoneyError as exc:
        raise FinanceError(str(exc)) from None
    if amount < 0:
        raise FinanceError(_("The income cannot be negative."))
    note = _text(note, SHORT_TEXT, required=False)
    with transaction.atomic():
        if Statement.objects.filter(
            unit=unit, month=month, sent_at__isnull=False
        ).exists():
            raise FinanceError(
                _("%(unit)s's statement of %(month)s has gone out: it is not changed.")
                % {"unit": unit.name, "month": f"{month:%Y-%m}"}
            )
        income = UnitIncome.objects.select_for_update().filter(
            unit=unit, month=month
        ).first() or UnitIncome(unit=unit, month=month)
        income.amount = amount
        income.note = note
        income.entered_by = person
        _history_user(income, by)
        income.save()
    return income


def statement_figures(month: datetime.date) -> dict[int, dict]:
    """{unit id: {income, claims_paid, fund_uses, receptions}} of a month, in four
    grouped queries: income entered; claims paid that month (by the claimant's
    unit); uses of funds approved, needed that month (by the requester's unit);
    receptions settled, held that month, the part the bureau pays."""
    start = datetime.datetime.combine(month, datetime.time(), tzinfo=workdays.TZ)
    end = datetime.datetime.combine(
        _next_month(month), datetime.time(), tzinfo=workdays.TZ
    )
    zero = Decimal("0.00")
    figures: dict[int, dict] = defaultdict(
        lambda: {
            "income": zero,
            "claims_paid": zero,
            "fund_uses": zero,
            "receptions": zero,
        }
    )
    for row in UnitIncome.objects.filter(month=month).values("unit_id", "amount"):
        figures[row["unit_id"]]["income"] = row["amount"]
    for row in (
        Claim.objects.filter(
            status=Claim.Status.PAID, paid_at__gte=start, paid_at__lt=end
        )
        .values("claimant__unit_id")
        .annotate(total=Sum("total"))
    ):
        figures[row["claimant__unit_id"]]["claims_paid"] = row["total"]
    for row in (
        Spending.objects.filter(
            kind=Spending.Kind.FUND_USE,
            status=Spending.Status.APPROVED,
            needed_on__gte=month,
            needed_on__lt=_next_month(month),
        )
        .values("requester__unit_id")
        .annotate(total=Sum("amount"))
    ):
        figures[row["requester__unit_id"]]["fund_uses"] = row["total"]
    for row in (
        Reception.objects.filter(
            status=Reception.Status.SETTLED, on__gte=month, on__lt=_next_month(month)
        )
        .values("unit_id")
        .annotate(
            total=Sum(F("actual_total") - F("borne_by_person")),
        )
    ):
        figures[row["unit_id"]]["receptions"] = row["total"]
    return figures


def statements_generate(*, by, month: datetime.date) -> list[Statement]:
    """FIN-7: the month's statement of every unit, generated (again) from the
    income entered and the month's expense; a statement that has gone out stays as
    sent. The totals are stored once."""
    person = _finance(by)
    month = _month(month)
    now = timezone.now()
    with transaction.atomic():
        figures = statement_figures(month)
        existing = {
            s.unit_id: s
            for s in Statement.objects.select_for_update().filter(month=month)
        }
        done = []
        for unit in Unit.objects.order_by("order", "name"):
            statement = existing.get(unit.pk) or Statement(unit=unit, month=month)
            if statement.sent_at:
                done.append(statement)
                continue
            f = figures[unit.pk]
            statement.income = f["income"]
            statement.claims_paid = f["claims_paid"]
            statement.fund_uses = f["fund_uses"]
            statement.receptions = f["receptions"]
            statement.expense = f["claims_paid"] + f["fund_uses"] + f["receptions"]
            statement.generated_at = now
            statement.generated_by = person
            _history_user(statement, by)
            statement.save()
            done.append(statement)
    return done


def statement_send(*, statement: Statement, by) -> tuple[Statement, bool]:
    """FIN-7: the finance officer sends a unit's statement to its head (recorded,
    notified). Sending again changes nothing: (statement, False)."""
    person = _finance(by)
    with transaction.atomic():
        locked = (
            Statement.objects.select_for_update(of=("self",))
            .select_related("unit__head")
            .get(pk=statement.pk)
        )
        if locked.sent_at:
            return locked, False
        head = locked.unit.head
        if head is None or not head.is_active:
            raise FinanceError(
                _("%(unit)s has no head to send the statement to.")
                % {"unit": locked.unit.name}
            )
        locked.sent_at = timezone.now()
        locked.sent_by = person
        locked.sent_to = head
        _history_user(locked, by)
        locked.save()
        notify_person(
            head,
            title=_("%(unit)s's income and expense statement of %(month)s")
            % {"unit": locked.unit.name, "month": f"{locked.month:%Y-%m}"},
            url=reverse("finance:statement", args=[locked.pk]),
        )
    return locked, True


def statements_unsent(month: datetime.date) -> list[Unit]:
    """The units with a head whose statement of `month` has not gone out (not
    generated counts as not sent; a unit without a head has nobody to send to)."""
    sent = Statement.objects.filter(month=month, sent_at__isnull=False).values(
        "unit_id"
    )
    return list(
        Unit.objects.filter(head__isnull=False, head__is_active=True)
        .exclude(pk__in=sent)
        .order_by("order", "name")
    )


def statement_reminders(*, today: datetime.date, commit: bool = False) -> list[Unit]:
    """FIN-7: once the due day (policy `finance.statement_due`, the 10th) has passed,
    remind the finance officers once for the month when last month's statements
    have not all gone out. Returns the units still waiting (a dry run unless
    `commit`)."""
    due = policy_in_force(STATEMENT_DUE, today).value["due_day"]
    month = rules.statement_month_due(today, due)
    if month is None:
        return []
    waiting = statements_unsent(month)
    if not waiting or not commit:
        return waiting
    key = f"finance.statement_reminder:{month:%Y-%m}"
    with transaction.atomic():
        _marker, created = DoneMarker.objects.get_or_create(key=key)
        if created:
            for officer in _finance_officers():
                notify_person(
                    officer,
                    title=_(
                        "%(n)s statements of %(month)s have not gone out "
                        "(due on the %(day)sth)"
                    )
                    % {"n": len(waiting), "month": f"{month:%Y-%m}", "day": due},
                    body="、".join(u.name for u in waiting),
                    url=reverse("finance:statements") + f"?month={month:%Y-%m}",
                )
    return waiting
