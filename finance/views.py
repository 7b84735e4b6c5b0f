"""Finance staff pages: claims, purchases and use of funds, reimbursement batches,
fixed assets and handovers. Views are thin: parameters through bureau.params, records
from the selectors (another's record is a 404), every change through a service."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from approvals.chains import Action
from approvals.selectors import can_record_external, can_record_meeting
from bureau.access import person_of
from bureau.confirm import confirm_page, confirmed
from bureau.exports import xlsx_bytes, xlsx_row
from bureau.models import Organisation, Person, Unit
from bureau.params import month_param
from bureau.responses import bad_request
from finance import forms, rules, selectors, services
from finance.models import (
    Batch,
    Claim,
    ClaimLine,
    Handover,
    Reception,
    Spending,
    Statement,
    UnitIncome,
)
from meetings.models import BUREAU_AFFAIRS
from meetings.selectors import citable_decisions

LIST_LIMIT = 100
RECENT_LIMIT = 30  # "claims I may see": the most recent (the director, finance: all)
# The claims page (the finance officer's queue) shows the newest of each list: the
# time of the page is the rows it renders (bench/finance_bench.py); the whole queue
# is on the batch pages, a claim by its number.
QUEUE_LIMIT = 25


def _me(request):
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied
    return person


def _finance_only(request):
    if not selectors.is_finance_officer(request.user):
        raise PermissionDenied
    return _me(request)


def _claims(request):
    return selectors.claims_visible_to(request.user, on=timezone.localdate())


def _claim_rows(queryset):
    return queryset.select_related("claimant", "approver", "batch")


# --- Claims -------------------------------------------------------------------------


@require_GET
def claims(request):
    me = _me(request)
    today = timezone.localdate()
    visible = _claim_rows(_claims(request))
    context = {
        "mine": _claim_rows(Claim.objects.filter(claimant=me))[:QUEUE_LIMIT],
        "waiting": _claim_rows(selectors.waiting_for_me(request.user, Claim, today))[
            :LIST_LIMIT
        ],
        "others": visible.exclude(claimant=me)[:QUEUE_LIMIT],
        "queue_limit": QUEUE_LIMIT,
        "is_finance": selectors.is_finance_officer(request.user),
    }
    if context["is_finance"]:
        context["to_pay"] = _claim_rows(services.claims_to_pay())[:QUEUE_LIMIT]
        context["pay_on"] = services.pay_day(today)
    return render(request, "finance/claims.html", context)


def _line_inputs(formset) -> list[services.LineInput]:
    lines = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or not data.get("item"):
            continue
        lines.append(
            services.LineInput(
                item=data["item"],
                unit=data["unit"],
                quantity=data["quantity"],
                unit_price=data["unit_price"],
                voucher=data["voucher"],
                invoice_code=data.get("invoice_code", ""),
                invoice_number=data.get("invoice_number", ""),
                fixed_asset=data.get("fixed_asset", False),
            )
        )
    return lines


def _claim_form_page(request, claim=None):
    me = _me(request)
    if request.method == "GET":
        if claim is None:
            form = forms.ClaimForm(
                initial={"handler": me, "expense_date": timezone.localdate()}
            )
            formset = forms.line_formset()
        else:
            form = forms.ClaimForm(
                initial={
                    "purpose": claim.purpose,
                    "payee": claim.payee,
                    "expense_date": claim.expense_date,
                    "payment_method": claim.payment_method,
                    "handler": claim.handler,
                    "witness": claim.witness,
                }
            )
            formset = forms.line_formset(
                initial=[
                    {
                        "item": line.item,
                        "unit": line.unit,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                        "voucher": line.voucher,
                        "invoice_code": line.invoice_code,
                        "invoice_number": line.invoice_number,
                        "fixed_asset": line.fixed_asset,
                    }
                    for line in claim.lines.all()
                ],
                extra=1,
            )
        return render(
            request,
            "finance/claim_form.html",
            {"form": form, "formset": formset, "claim": claim},
        )
    form = forms.ClaimForm(request.POST)
    formset = forms.line_formset(data=request.POST)
    context = {"form": form, "formset": formset, "claim": claim}
    if not (form.is_valid() and formset.is_valid()):
        return render(request, "finance/claim_form.html", context, status=400)
    submit = "submit" in request.POST
    try:
        saved, findings = services.claim_save(
            by=request.user,
            claim=claim,
            lines=_line_inputs(formset),
            submit=submit,
            **form.cleaned_data,
        )
    except services.FinanceError as exc:
        # The form is shown again with what was typed; nothing was saved.
        form.add_error(None, str(exc))
        return render(request, "finance/claim_form.html", context, status=400)
    if submit:
        messages.success(request, _("The claim is submitted for approval."))
    else:
        messages.success(request, _("The claim is saved (not yet submitted)."))
    return redirect("finance:claim", saved.pk)


@require_http_methods(["GET", "POST"])
def claim_new(request):
    return _claim_form_page(request)


@require_http_methods(["GET", "POST"])
def claim_edit(request, pk):
    me = _me(request)
    claim = get_object_or_404(Claim.objects.filter(claimant=me), pk=pk)
    if not claim.is_editable:
        messages.error(
            request,
            _("This claim is %(status)s: it cannot be changed.")
            % {"status": claim.get_status_display()},
        )
        return redirect("finance:claim", claim.pk)
    return _claim_form_page(request, claim)


def _claim_for_page(request, pk):
    return get_object_or_404(
        selectors.with_chain(
            _claim_rows(_claims(request)).select_related(
                "handler", "witness", "finance_by"
            )
        ).prefetch_related(
            Prefetch(
                "lines",
                queryset=ClaimLine.objects.select_related("received_by").order_by(
                    "position"
                ),
            )
        ),
        pk=pk,
    )


def _waiting_step(request, record):
    """The current step when it waits for this user (as approver or stand-in)."""
    today = timezone.localdate()
    if not selectors.waiting_for_me(request.user, type(record), today).filter(
        pk=record.pk
    ):
        return None
    approval = record.current_approval
    return approval.current_step() if approval else None


@require_GET
def claim(request, pk):
    record = _claim_for_page(request, pk)
    me = person_of(request.user)
    findings = services.claim_findings(record)
    lines = list(record.lines.all())
    by_line = {}
    for finding in findings:
        if finding.line is not None:
            by_line.setdefault(finding.line, []).append(finding)
    rows = [(line, by_line.get(index, [])) for index, line in enumerate(lines)]
    is_finance = selectors.is_finance_officer(request.user)
    return render(
        request,
        "finance/claim.html",
        {
            "claim": record,
            "rows": rows,
            "claim_findings": [f for f in findings if f.line is None],
            "blocking": any(f.blocks for f in findings),
            "approval": record.current_approval,
            "is_mine": me is not None and record.claimant_id == me.pk,
            "may_decide": _waiting_step(request, record) is not None,
            "decide_form": forms.DecideForm(),
            "is_finance": is_finance,
            "check_form": forms.CheckForm(),
            "receive_form": forms.ReceiveForm(),
            "capitals": rules.rmb_upper(record.total),
        },
    )


@require_POST
def claim_submit(request, pk):
    me = _me(request)
    record = get_object_or_404(Claim.objects.filter(claimant=me), pk=pk)
    try:
        services.claim_submit(claim=record, by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The claim is submitted for approval."))
    return redirect("finance:claim", pk)


@require_POST
def claim_withdraw(request, pk):
    me = _me(request)
    record = get_object_or_404(Claim.objects.filter(claimant=me), pk=pk)
    try:
        services.claim_withdraw(claim=record, by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The claim is withdrawn."))
    return redirect("finance:claim", pk)


@require_POST
def claim_decide(request, pk):
    record = get_object_or_404(
        selectors.waiting_for_me(request.user, Claim, timezone.localdate()), pk=pk
    )
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Choose a decision."))
    try:
        services.claim_decide(claim=record, by=request.user, **form.cleaned_data)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decided."))
    return redirect("finance:claim", pk)


@require_POST
def claim_check(request, pk):
    """The finance officer sends back or rejects (FIN-5): a confirmation page says
    what will be recorded; the second POST (confirm) records it."""
    _finance_only(request)
    record = get_object_or_404(_claim_rows(_claims(request)), pk=pk)
    form = forms.CheckForm(request.POST)
    if not form.is_valid():
        return render(
            request, "finance/claim_check.html", {"claim": record, "form": form}, 400
        )
    if "confirm" not in request.POST:
        return render(
            request, "finance/claim_check.html", {"claim": record, "form": form}
        )
    action = (
        services.claim_send_back
        if form.cleaned_data["action"] == "send_back"
        else services.claim_reject
    )
    try:
        action(claim=record, by=request.user, reason=form.cleaned_data["reason"])
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded; the claimant sees the reason."))
    return redirect("finance:claim", pk)


@require_POST
def line_receive(request, pk):
    _finance_only(request)
    line = get_object_or_404(
        ClaimLine.objects.filter(claim__in=_claims(request)).select_related("claim"),
        pk=pk,
    )
    form = forms.ReceiveForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Enter the place."))
    try:
        assets = services.claim_line_receive(
            line=line, by=request.user, **form.cleaned_data
        )
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Checked on arrival; %(n)s fixed assets registered.")
            % {"n": len(assets)},
        )
    return redirect("finance:claim", line.claim_id)


@require_GET
def claim_print(request, pk):
    record = _claim_for_page(request, pk)
    return render(
        request,
        "finance/claim_print.html",
        {
            "claim": record,
            "lines": record.lines.all(),
            "approval": record.current_approval,
            "capitals": rules.rmb_upper(record.total),
            "organisation": Organisation.current(),
        },
    )


# --- Purchases and use of funds ----------------------------------------------------


def _spendings(request):
    return selectors.spendings_visible_to(request.user, on=timezone.localdate())


@require_GET
def spendings(request):
    me = _me(request)
    today = timezone.localdate()
    rows = _spendings(request).select_related("requester", "meeting_decision")
    waiting = selectors.waiting_for_me(request.user, Spending, today).select_related(
        "requester"
    )
    recorder = can_record_meeting(request.user) or can_record_external(request.user)
    to_record = Spending.objects.none()
    if recorder:
        to_record = (
            rows.filter(status=Spending.Status.PENDING)
            .filter(
                approvals__status="pending",
                approvals__steps__status="pending",
                approvals__steps__action__in=[Action.MEETING, Action.EXTERNAL],
            )
            .distinct()
        )
    return render(
        request,
        "finance/spendings.html",
        {
            "mine": rows.filter(requester=me)[:LIST_LIMIT],
            "waiting": waiting[:LIST_LIMIT],
            "to_record": to_record[:LIST_LIMIT],
            "others": rows.exclude(requester=me)[:LIST_LIMIT],
        },
    )


@require_http_methods(["GET", "POST"])
def spending_new(request):
    _me(request)
    if request.method == "GET":
        form = forms.SpendingForm(initial={"needed_on": timezone.localdate()})
        return render(request, "finance/spending_form.html", {"form": form})
    form = forms.SpendingForm(request.POST)
    if not form.is_valid():
        return render(request, "finance/spending_form.html", {"form": form}, status=400)
    try:
        record = services.spending_submit(by=request.user, **form.cleaned_data)
    except services.FinanceError as exc:
        form.add_error(None, str(exc))
        return render(request, "finance/spending_form.html", {"form": form}, status=400)
    messages.success(request, _("Submitted for approval."))
    return redirect("finance:spending", record.pk)


@require_GET
def spending(request, pk):
    record = get_object_or_404(
        selectors.with_chain(
            _spendings(request).select_related(
                "requester", "meeting_decision__meeting__kind"
            )
        ),
        pk=pk,
    )
    me = person_of(request.user)
    approval = record.current_approval
    step = approval.current_step() if approval and approval.is_open else None
    may_record = step is not None and (
        (step.action == Action.MEETING and can_record_meeting(request.user))
        or (step.action == Action.EXTERNAL and can_record_external(request.user))
    )
    record_form = None
    if may_record:
        record_form = forms.RecordForm(
            decisions=citable_decisions(request.user, kind=BUREAU_AFFAIRS)
        )
    return render(
        request,
        "finance/spending.html",
        {
            "spending": record,
            "approval": approval,
            "step": step,
            "is_mine": me is not None and record.requester_id == me.pk,
            "may_decide": _waiting_step(request, record) is not None,
            "decide_form": forms.DecideForm(),
            "amount_form": forms.AmountForm(initial={"amount": record.amount}),
            "record_form": record_form,
            "capitals": rules.rmb_upper(record.amount),
        },
    )


@require_POST
def spending_decide(request, pk):
    record = get_object_or_404(
        selectors.waiting_for_me(request.user, Spending, timezone.localdate()), pk=pk
    )
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Choose a decision."))
    try:
        services.spending_decide(spending=record, by=request.user, **form.cleaned_data)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decided."))
    return redirect("finance:spending", pk)


@require_POST
def spending_record(request, pk):
    record = get_object_or_404(_spendings(request), pk=pk)
    if not (can_record_meeting(request.user) or can_record_external(request.user)):
        raise PermissionDenied
    form = forms.RecordForm(
        request.POST, decisions=citable_decisions(request.user, kind=BUREAU_AFFAIRS)
    )
    if not form.is_valid():
        return bad_request(request, _("Check the decision recorded."))
    try:
        services.spending_record(spending=record, by=request.user, **form.cleaned_data)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("finance:spending", pk)


@require_POST
def spending_amount(request, pk):
    me = _me(request)
    record = get_object_or_404(Spending.objects.filter(requester=me), pk=pk)
    form = forms.AmountForm(request.POST)
    if not form.is_valid():
        return bad_request(
            request, _("Enter the amount in yuan, two decimals at most.")
        )
    try:
        services.spending_change_amount(
            spending=record, by=request.user, amount=form.cleaned_data["amount"]
        )
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Amount changed: the approval starts again."))
    return redirect("finance:spending", pk)


@require_POST
def spending_withdraw(request, pk):
    me = _me(request)
    record = get_object_or_404(Spending.objects.filter(requester=me), pk=pk)
    try:
        services.spending_withdraw(spending=record, by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Withdrawn."))
    return redirect("finance:spending", pk)


# --- Reimbursement batches ---------------------------------------------------------


def _batches(request):
    visible = selectors.batches_visible_to(request.user)
    if not selectors.sees_all_finance(request.user):
        raise PermissionDenied
    return visible


@require_GET
def batches(request):
    rows = _batches(request).select_related("created_by", "paid_by")[:LIST_LIMIT]
    to_pay = _claim_rows(services.claims_to_pay())
    waiting = list(to_pay[:LIST_LIMIT])
    return render(
        request,
        "finance/batches.html",
        {
            "batches": rows,
            "to_pay": waiting,
            "to_pay_total": rules.claim_total(c.total for c in waiting),
            "pay_on": services.pay_day(timezone.localdate()),
            "is_finance": selectors.is_finance_officer(request.user),
        },
    )


@require_POST
def batch_new(request):
    _finance_only(request)
    try:
        batch = services.batch_create(by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
        return redirect("finance:batches")
    messages.success(request, _("Batch %(n)s made.") % {"n": batch.number})
    return redirect("finance:batch", batch.pk)


def _batch_page(request, pk):
    return get_object_or_404(
        _batches(request)
        .select_related("created_by", "paid_by")
        .prefetch_related(
            Prefetch(
                "claims",
                queryset=Claim.objects.select_related("claimant", "approver").order_by(
                    "pk"
                ),
            )
        ),
        pk=pk,
    )


@require_GET
def batch(request, pk):
    record = _batch_page(request, pk)
    return render(
        request,
        "finance/batch.html",
        {
            "batch": record,
            "capitals": rules.rmb_upper(record.total),
            "is_finance": selectors.is_finance_officer(request.user),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def batch_pay(request, pk):
    """GET: what paying will record; POST: record it (once)."""
    _finance_only(request)
    record = _batch_page(request, pk)
    if request.method == "GET":
        return render(
            request,
            "finance/batch_pay.html",
            {"batch": record, "capitals": rules.rmb_upper(record.total)},
        )
    was_paid = record.status == Batch.Status.PAID
    try:
        services.batch_pay(batch=record, by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        if was_paid:
            messages.info(request, _("This batch was paid already: nothing changed."))
        else:
            messages.success(request, _("Batch paid."))
    return redirect("finance:batch", pk)


@require_GET
def batch_print(request, pk):
    record = _batch_page(request, pk)
    return render(
        request,
        "finance/batch_print.html",
        {
            "batch": record,
            "capitals": rules.rmb_upper(record.total),
            "organisation": Organisation.current(),
        },
    )


# --- Fixed assets and handovers ----------------------------------------------------


def _assets(request):
    return selectors.assets_visible_to(request.user, on=timezone.localdate())


@require_GET
def assets(request):
    _me(request)
    rows = list(_assets(request)[: LIST_LIMIT * 5])
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in={a.current_custodian_id for a in rows if a.current_custodian_id}
        )
    }
    for asset in rows:
        asset.custodian = people.get(asset.current_custodian_id)
    return render(
        request,
        "finance/assets.html",
        {
            "assets": rows,
            "is_finance": selectors.is_finance_officer(request.user),
            "form": forms.AssetForm(initial={"acquired_on": timezone.localdate()}),
        },
    )


@require_POST
def asset_new(request):
    _finance_only(request)
    form = forms.AssetForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Check the asset's details."))
    try:
        asset = services.asset_register(by=request.user, **form.cleaned_data)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
        return redirect("finance:assets")
    messages.success(request, _("Registered %(asset)s.") % {"asset": asset})
    return redirect("finance:asset", asset.pk)


@require_GET
def asset(request, pk):
    record = get_object_or_404(_assets(request), pk=pk)
    ledger = record.custody.select_related(
        "custodian", "recorded_by", "handover"
    ).order_by("pk")
    return render(
        request,
        "finance/asset.html",
        {
            "asset": record,
            "ledger": ledger,
            "custodian": ledger.last().custodian if ledger else None,
            "is_finance": selectors.is_finance_officer(request.user),
            "form": forms.CustodyForm(initial={"on": timezone.localdate()}),
        },
    )


@require_POST
def asset_custody(request, pk):
    _finance_only(request)
    record = get_object_or_404(_assets(request), pk=pk)
    form = forms.CustodyForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Check the custody entry."))
    try:
        services.custody_record(asset=record, by=request.user, **form.cleaned_data)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded in the custody ledger."))
    return redirect("finance:asset", pk)


@require_GET
def handovers(request):
    _me(request)
    rows = selectors.handovers_visible_to(request.user).select_related(
        "from_person", "to_person"
    )[:LIST_LIMIT]
    is_finance = selectors.is_finance_officer(request.user)
    return render(
        request,
        "finance/handovers.html",
        {
            "handovers": rows,
            "is_finance": is_finance,
            "left": selectors.holders_who_left()[:LIST_LIMIT] if is_finance else [],
            "form": forms.HandoverForm(),
        },
    )


@require_POST
def handover_new(request):
    _finance_only(request)
    form = forms.HandoverForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Name both people and the reason."))
    try:
        record = services.handover_prepare(by=request.user, **form.cleaned_data)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
        return redirect("finance:handovers")
    messages.success(request, _("Handover list prepared: both sides sign it."))
    return redirect("finance:handover", record.pk)


@require_GET
def handover(request, pk):
    record = get_object_or_404(
        selectors.handovers_visible_to(request.user).select_related(
            "from_person", "to_person", "created_by"
        ),
        pk=pk,
    )
    me = person_of(request.user)
    assets_listed = selectors.with_custody(record.assets.all())
    may_sign = (
        me is not None
        and record.status == Handover.Status.OPEN
        and (
            (me.pk == record.from_person_id and not record.from_signed_at)
            or (me.pk == record.to_person_id and not record.to_signed_at)
        )
    )
    return render(
        request,
        "finance/handover.html",
        {
            "handover": record,
            "assets": assets_listed,
            "may_sign": may_sign,
            "organisation": Organisation.current(),
        },
    )


@require_POST
def handover_sign(request, pk):
    record = get_object_or_404(selectors.handovers_visible_to(request.user), pk=pk)
    try:
        services.handover_sign(handover=record, by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Signed."))
    return redirect("finance:handover", pk)


# --- Reception (FIN-9) -------------------------------------------------------------


def _receptions(request):
    return selectors.receptions_visible_to(request.user, on=timezone.localdate())


def _reception_rows(queryset):
    return queryset.select_related("requester", "unit")


@require_GET
def receptions(request):
    me = _me(request)
    today = timezone.localdate()
    return render(
        request,
        "finance/receptions.html",
        {
            "mine": _reception_rows(Reception.objects.filter(requester=me))[
                :LIST_LIMIT
            ],
            "waiting": _reception_rows(
                selectors.waiting_for_me(request.user, Reception, today)
            )[:LIST_LIMIT],
            "to_settle": _reception_rows(
                Reception.objects.filter(status=Reception.Status.APPROVED)
            )[:LIST_LIMIT]
            if selectors.is_finance_officer(request.user)
            else [],
            "others": _reception_rows(_receptions(request).exclude(requester=me))[
                :RECENT_LIMIT
            ],
        },
    )


def _reception_input(cleaned) -> services.ReceptionInput:
    return services.ReceptionInput(
        kind=cleaned["kind"],
        guest_unit=cleaned["guest_unit"],
        guests=cleaned["guests"],
        guest_level=cleaned["guest_level"],
        purpose=cleaned["purpose"],
        guest_count=cleaned["guest_count"],
        companion_count=cleaned["companion_count"],
        place=cleaned["place"],
        on=cleaned["on"],
        estimated_cost=cleaned["estimated_cost"],
        companions=list(cleaned["companions"]),
    )


@require_http_methods(["GET", "POST"])
def reception_new(request):
    _me(request)
    if request.method == "GET":
        form = forms.ReceptionForm(initial={"on": timezone.localdate()})
        return render(request, "finance/reception_form.html", {"form": form})
    form = forms.ReceptionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "finance/reception_form.html", {"form": form}, status=400
        )
    try:
        record = services.reception_submit(
            by=request.user, data=_reception_input(form.cleaned_data)
        )
    except services.FinanceError as exc:
        form.add_error(None, str(exc))
        return render(
            request, "finance/reception_form.html", {"form": form}, status=400
        )
    messages.success(
        request,
        _("Submitted for approval. Attach the sending unit's letter on this page."),
    )
    return redirect("finance:reception", record.pk)


def _reception_page(request, pk):
    return get_object_or_404(
        selectors.with_chain(
            _receptions(request)
            .select_related("requester", "unit", "settled_by")
            .prefetch_related("companions", "items")
        ),
        pk=pk,
    )


def _reception_context(request, record, **extra):
    me = person_of(request.user)
    approval = record.current_approval
    limit = rules.reception_limit(
        record.standard_per_head, record.heads, record.estimated_cost
    )
    context = {
        "reception": record,
        "approval": approval,
        "is_mine": me is not None and record.requester_id == me.pk,
        "may_settle": selectors.is_finance_officer(request.user)
        and record.status == Reception.Status.APPROVED,
        "settle_items": forms.settle_formset(),
        "limit": limit,
        "ceiling": (record.standard_per_head * record.heads).quantize(rules.CENT),
        "capitals": rules.rmb_upper(record.estimated_cost),
        "decision_url": approval_url(approval) if approval else "",
    }
    context.update(extra)
    return context


def approval_url(approval) -> str:
    return reverse("approvals:detail", args=[approval.pk])


@require_GET
def reception(request, pk):
    record = _reception_page(request, pk)
    return render(
        request, "finance/reception.html", _reception_context(request, record)
    )


@require_POST
def reception_withdraw(request, pk):
    record = _reception_page(request, pk)
    me = _me(request)
    if record.requester_id != me.pk:
        raise PermissionDenied
    try:
        services.reception_withdraw(reception=record, by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Withdrawn."))
    return redirect("finance:reception", pk)


@require_POST
def reception_settle(request, pk):
    """The finance officer's settlement: first the confirmation saying what will be
    recorded (the total and the part borne by the person), then, confirmed, it."""
    _finance_only(request)
    record = _reception_page(request, pk)
    items = forms.settle_formset(data=request.POST)
    if not items.is_valid():
        return render(
            request,
            "finance/reception.html",
            _reception_context(request, record, settle_items=items),
            status=400,
        )
    entries = [
        services.ItemInput(
            item=form.cleaned_data.get("item") or "",
            amount=form.cleaned_data.get("amount") or "",
            approved=form.cleaned_data.get("approved", False),
        )
        for form in items
        if form.cleaned_data.get("item")
    ]
    if not entries:
        return render(
            request,
            "finance/reception.html",
            _reception_context(
                request,
                record,
                settle_items=items,
                settle_error=_("List the actual items of the reception."),
            ),
            status=400,
        )
    if not confirmed(request):
        settlement = rules.settle_reception(
            [(e.amount, e.approved) for e in entries],
            rules.reception_limit(
                record.standard_per_head, record.heads, record.estimated_cost
            ),
        )
        bureau_pays = settlement.actual_total - settlement.borne_by_person
        return confirm_page(
            request,
            title=_("Settle the reception"),
            consequences=[
                _("Actual cost: %(total)s yuan (%(capitals)s) in %(n)s items.")
                % {
                    "total": settlement.actual_total,
                    "capitals": rules.rmb_upper(settlement.actual_total),
                    "n": len(entries),
                },
                _("Items not on the approved form, borne by %(who)s: %(amount)s yuan.")
                % {"who": record.requester.name, "amount": settlement.not_approved},
                _(
                    "Over the approved estimate within the standard, borne by %(who)s: %(amount)s yuan."
                )
                % {"who": record.requester.name, "amount": settlement.over_standard},
                _("Borne by %(who)s in all: %(amount)s yuan (%(capitals)s).")
                % {
                    "who": record.requester.name,
                    "amount": settlement.borne_by_person,
                    "capitals": rules.rmb_upper(settlement.borne_by_person),
                },
                _("The bureau pays %(amount)s yuan (%(capitals)s); %(who)s is told.")
                % {
                    "amount": bureau_pays,
                    "capitals": rules.rmb_upper(bureau_pays),
                    "who": record.requester.name,
                },
            ],
            action=reverse("finance:reception_settle", args=[pk]),
            button=_("Settle"),
            cancel=reverse("finance:reception", args=[pk]),
            help_text="FIN-9",
            fields=request.POST,
            danger=False,
        )
    try:
        services.reception_settle(reception=record, by=request.user, items=entries)
    except services.FinanceError as exc:
        return render(
            request,
            "finance/reception.html",
            _reception_context(
                request, record, settle_items=items, settle_error=str(exc)
            ),
            status=400,
        )
    messages.success(request, _("Reception settled."))
    return redirect("finance:reception", pk)


@require_GET
def reception_print(request, pk):
    record = _reception_page(request, pk)
    return render(
        request,
        "finance/reception_print.html",
        _reception_context(request, record, organisation=Organisation.current()),
    )


# --- Monthly statements (FIN-7) ----------------------------------------------------


def _statements(request):
    return selectors.statements_visible_to(request.user)


@require_GET
def statements(request):
    _me(request)
    month = month_param(
        request.GET,
        default=(
            timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        ).replace(day=1),
    )
    is_finance = selectors.is_finance_officer(request.user)
    context = {"month": month, "is_finance": is_finance}
    if is_finance:
        by_unit = {
            s.unit_id: s
            for s in Statement.objects.filter(month=month).select_related("sent_to")
        }
        incomes = {i.unit_id: i for i in UnitIncome.objects.filter(month=month)}
        context["rows"] = [
            {
                "unit": unit,
                "statement": by_unit.get(unit.pk),
                "income": incomes.get(unit.pk),
            }
            for unit in Unit.objects.select_related("head").order_by("order", "name")
        ]
        context["income_form"] = forms.IncomeForm()
    context["visible"] = _statements(request).select_related("unit", "sent_to")[
        :LIST_LIMIT
    ]
    return render(request, "finance/statements.html", context)


@require_POST
def statement_income(request):
    _finance_only(request)
    month = month_param(request.POST)
    form = forms.IncomeForm(request.POST)
    if not form.is_valid():
        return bad_request(
            request, " ".join(str(e) for errs in form.errors.values() for e in errs)
        )
    try:
        services.income_set(by=request.user, month=month, **form.cleaned_data)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Income recorded."))
    return redirect(reverse("finance:statements") + f"?month={month:%Y-%m}")


@require_POST
def statements_generate(request):
    _finance_only(request)
    month = month_param(request.POST)
    try:
        done = services.statements_generate(by=request.user, month=month)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s statements generated.") % {"n": len(done)})
    return redirect(reverse("finance:statements") + f"?month={month:%Y-%m}")


def _statement_page(request, pk):
    return get_object_or_404(
        _statements(request).select_related(
            "unit", "unit__head", "sent_to", "sent_by", "generated_by"
        ),
        pk=pk,
    )


def _statement_context(record) -> dict:
    return {
        "statement": record,
        "claims": selectors.statement_claims(record),
        "organisation": Organisation.current(),
        "capitals_income": rules.rmb_upper(record.income),
        "capitals_expense": rules.rmb_upper(record.expense),
    }


@require_GET
def statement(request, pk):
    record = _statement_page(request, pk)
    context = _statement_context(record)
    context["is_finance"] = selectors.is_finance_officer(request.user)
    return render(request, "finance/statement.html", context)


@require_GET
def statement_print(request, pk):
    record = _statement_page(request, pk)
    return render(request, "finance/statement_print.html", _statement_context(record))


@require_GET
def statement_xlsx(request, pk):
    record = _statement_page(request, pk)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Statement"))
    xlsx_row(
        sheet,
        [
            _("%(unit)s · income and expense statement of %(month)s")
            % {"unit": record.unit.name, "month": f"{record.month:%Y-%m}"}
        ],
        bold=True,
    )
    xlsx_row(sheet, [_("Item"), _("Amount (yuan)")], bold=True)
    for label, amount in (
        (_("Income"), record.income),
        (_("Claims paid"), record.claims_paid),
        (_("Use of funds"), record.fund_uses),
        (_("Receptions"), record.receptions),
        (_("Expense"), record.expense),
        (_("Balance"), record.balance),
    ):
        xlsx_row(sheet, [label, amount])
    xlsx_row(sheet, [])
    xlsx_row(
        sheet,
        [_("Paid on"), _("Claimant"), _("Purpose"), _("Payee"), _("Amount (yuan)")],
        bold=True,
    )
    for claim in selectors.statement_claims(record):
        xlsx_row(
            sheet,
            [
                timezone.localtime(claim.paid_at).date(),
                claim.claimant.name,
                claim.purpose,
                claim.payee,
                claim.total,
            ],
        )
    response = HttpResponse(
        xlsx_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{record.unit.code}-{record.month:%Y-%m}.xlsx"'
    )
    return response


@require_POST
def statement_send(request, pk):
    """FIN-7: first the confirmation (to whom, what), then sent once."""
    _finance_only(request)
    record = _statement_page(request, pk)
    if record.sent_at:
        messages.info(
            request, _("This statement has gone out already: nothing changed.")
        )
        return redirect("finance:statement", pk)
    if not confirmed(request):
        head = record.unit.head
        return confirm_page(
            request,
            title=_("Send the statement"),
            consequences=[
                _(
                    "%(unit)s's statement of %(month)s goes to %(head)s, who is notified."
                )
                % {
                    "unit": record.unit.name,
                    "month": f"{record.month:%Y-%m}",
                    "head": head.name if head else _("(no head)"),
                },
                _("Income %(income)s yuan, expense %(expense)s yuan: frozen once sent.")
                % {"income": record.income, "expense": record.expense},
            ],
            action=reverse("finance:statement_send", args=[pk]),
            button=_("Send"),
            cancel=reverse("finance:statement", args=[pk]),
            help_text="FIN-7",
            danger=False,
        )
    try:
        _sent, changed = services.statement_send(statement=record, by=request.user)
    except services.FinanceError as exc:
        messages.error(request, str(exc))
    else:
        if changed:
            messages.success(request, _("Statement sent."))
        else:
            messages.info(
                request, _("This statement has gone out already: nothing changed.")
            )
    return redirect("finance:statement", pk)
