"""Every change in finance: claims (FIN-3..5), purchases and use of funds (FIN-2,
FIN-6), reimbursement batches (FIN-8), fixed assets and handovers (FIN-1, FIN-4).

Keyword-only, taking the acting user as `by`, each in one transaction; a refusal
raises `FinanceError` (the message is for the user) before anything is written, or
rolls everything back: nothing is half-saved or half-paid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
from bureau.models import Person, Position, Role
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
    Spending,
)
from finance.policies import (
    CLAIM_CHAINS,
    CLAIM_THRESHOLDS,
    FUND_USE,
    PAYDAY,
    PURCHASE,
    PURCHASE_VALUABLE,
    SPENDING_CHAINS,
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
    approval = current_approval_of(claim)
    if approval is None or not approval.is_open:
        raise FinanceError(_("This claim is not waiting for approval."))
    try:
        approval_withdraw(request=approval, by=by)
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc
    claim.refresh_from_db()
    return claim


def claim_decide(*, claim: Claim, by, decision: str, comment: str = "") -> Claim:
    """The current approver (or stand-in) decides, through the engine."""
    approval = current_approval_of(claim)
    if approval is None or not approval.is_open:
        raise FinanceError(_("This claim is not waiting for a decision."))
    try:
        approval_decide(request=approval, by=by, decision=decision, comment=comment)
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc
    claim.refresh_from_db()
    return claim


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
                title=_("Report: claim rejected as untrue or unlawful (FIN-5)"),
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
    approval = current_approval_of(spending)
    if approval is None or not approval.is_open:
        raise FinanceError(_("This request is not waiting for approval."))
    try:
        approval_withdraw(request=approval, by=by)
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc
    spending.refresh_from_db()
    return spending


def spending_decide(*, spending: Spending, by, decision: str, comment="") -> Spending:
    approval = current_approval_of(spending)
    if approval is None or not approval.is_open:
        raise FinanceError(_("This request is not waiting for a decision."))
    try:
        approval_decide(request=approval, by=by, decision=decision, comment=comment)
    except ApprovalError as exc:
        raise FinanceError(str(exc)) from exc
    spending.refresh_from_db()
    return spending


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
    approval = current_approval_of(spending)
    if approval is None or not approval.is_open:
        raise FinanceError(_("This request is not waiting for a decision."))
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
