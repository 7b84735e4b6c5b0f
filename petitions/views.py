"""Staff pages: the open list (overdue first), register, a case (masked, or with
the identity — every such view logged, PET-7), the moves of a case (each a POST
through its service), the extension's page, the register export (with names,
logged) and the access log."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from approvals.selectors import current_approval_of
from bureau.exports import xlsx_bytes, xlsx_row
from bureau.params import choice_param, page_param, year_param
from bureau.policies import policy_value
from deadlines.services import calendar_exceptions
from petitions import forms, policies, reports, rules, selectors, services
from petitions.models import (
    Case,
    Channel,
    Extension,
    IdentityAccess,
    ReceptionDay,
    WorkRecord,
)


def _case(request, pk) -> Case:
    today = timezone.localdate()
    case = (
        selectors.with_details(selectors.cases_visible_to(request.user, on=today))
        .select_related("identity", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _done(request, case, message):
    messages.success(request, message)
    return redirect("petitions:detail", pk=case.pk)


def _refused(request, case, exc):
    messages.error(request, str(exc))
    return redirect("petitions:detail", pk=case.pk)


@require_GET
def case_list(request):
    today = timezone.localdate()
    status = choice_param(request.GET, "status", Case.Status.values, default="")
    rows = selectors.open_list(request.user, today)
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(page_param(request.GET))
    for case in page.object_list:
        case.overdue = case.next_due is not None and case.next_due < today
    return render(
        request,
        "petitions/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Case.Status.choices,
            "is_officer": selectors.is_officer(request.user),
            "today": today,
        },
    )


def _register_initial():
    return {"received_on": timezone.localdate(), "channel": Channel.LETTER}


@require_http_methods(["GET", "POST"])
def register(request):
    if not selectors.is_officer(request.user):
        raise Http404
    if request.method == "GET":
        form = forms.RegisterForm(initial=_register_initial())
        return render(request, "petitions/register.html", {"form": form})
    form = forms.RegisterForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "petitions/register.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        case = services.case_register(
            by=request.user,
            channel=data["channel"],
            received_on=data["received_on"],
            summary=data["summary"],
            category=data["category"],
            township=data["township"],
            anonymous=data["anonymous"],
            petitioner=services.Petitioner(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                address=data["address"],
                email=data["email"],
                report=data["report"],
                subject=data["subject"],
            ),
            higher_organ=data["higher_organ"],
            higher_due=data["higher_due"],
            report_due=data["report_due"],
            scan=data["scan"],
        )
    except services.PetitionError as exc:
        form.add_error(None, str(exc))
        return render(request, "petitions/register.html", {"form": form}, status=400)
    messages.success(request, _("Registered: %(no)s.") % {"no": case.number})
    return redirect("petitions:detail", pk=case.pk)


def _history(case):
    return list(
        case.history.select_related("history_user__person").order_by("history_id")
    )


@require_GET
def detail(request, pk):
    case = _case(request, pk)
    user = request.user
    today = timezone.localdate()
    sees_identity = selectors.may_see_identity(user, case)
    is_officer = selectors.is_officer(user)
    handles = selectors.may_handle(user, case)
    context = {
        "case": case,
        "today": today,
        "sees_identity": sees_identity,
        "is_officer": is_officer,
        "handles": handles,
        "deadlines": [(d, d.light_on(today)) for d in selectors.deadlines_of(case)],
        "routings": list(
            case.routings.select_related("section", "township", "handler")
        ),
        "extensions": list(case.extensions.all()),
        "replies": list(case.replies.all()),
        "reviews": list(case.reviews.all()),
        "merged": [(m, _history(m)) for m in case.merged_cases.all()],
        "history": _history(case),
    }
    if sees_identity:
        identity = case.identity
        context["identity"] = identity
        context["statements"] = list(identity.statements.all())
        services.identity_access_log(
            case=case, by=user, request=request, action=IdentityAccess.Action.VIEW
        )
        context["statement_form"] = forms.StatementForm(
            initial={"taken_on": today}, auto_id="statement_%s"
        )
    if is_officer and case.open:
        window = policy_value(policies.DUPLICATES, case.received_on)["days"]
        context["duplicates"] = list(selectors.likely_duplicates(case, window)[:10])
        context["route_form"] = forms.RouteForm(
            initial={"section": case.section_id, "handler": case.handler_id},
            auto_id="route_%s",
        )
        context["owner_form"] = forms.OwnerForm(
            initial={"owner": case.owner_id, "major": case.major}, auto_id="owner_%s"
        )
        context["merge_form"] = forms.MergeForm(auto_id="merge_%s")
        context["deliver_form"] = forms.DeliverForm(
            initial={"delivered_on": today}, auto_id="deliver_%s"
        )
        context["review_form"] = forms.ReviewForm(
            initial={"requested_on": today}, auto_id="review_%s"
        )
        context["outcome_form"] = forms.ReviewOutcomeForm(
            initial={"on": today}, auto_id="outcome_%s"
        )
        context["report_form"] = forms.ReportForm(
            initial={"on": today}, auto_id="report_%s"
        )
        context["close_form"] = forms.CloseForm(auto_id="close_%s")
    if case.status == Case.Status.ROUTED and handles:
        context["object_form"] = forms.ObjectForm(auto_id="object_%s")
        context["decide_form"] = forms.DecideForm(
            initial={"on": today}, auto_id="decide_%s"
        )
        routing = case.routings.order_by("-pk").first()
        version = policy_value(policies.OBJECTION, routing.routed_on)
        context["objection_until"] = rules.objection_last_day(
            routed_on=routing.routed_on,
            working_days=version["working_days"],
            exceptions=calendar_exceptions(routing.routed_on),
        )
    if case.status == Case.Status.ACCEPTED and handles:
        outcome = Case.Outcome.SUPPORT
        templates = policy_value(policies.TEMPLATES, today)
        context["templates"] = {
            key: rules.fill_template(templates[key], services.template_values(case))
            for key in Case.Outcome.values
        }
        context["conclude_form"] = forms.ConcludeForm(
            initial={
                "on": today,
                "outcome": outcome,
                "text": context["templates"][outcome],
            },
            auto_id="conclude_%s",
        )
        context["extension_form"] = forms.ExtensionForm(
            initial={
                "days": policy_value(policies.EXTENSION, case.received_on)["max_days"]
            },
            auto_id="extension_%s",
        )
    return render(request, "petitions/detail.html", context)


def _post(request, pk, form_class, apply, done):
    """One move of a case: a form, the service, the case's page again. A form that
    does not validate is a 400 and changes nothing; the service's refusal comes back
    as a message."""
    case = _case(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return render(
            request,
            "petitions/refused.html",
            {"case": case, "form": form},
            status=400,
        )
    try:
        apply(case, form.cleaned_data)
    except services.PetitionError as exc:
        return _refused(request, case, exc)
    return _done(request, case, done)


@require_POST
def route(request, pk):
    return _post(
        request,
        pk,
        forms.RouteForm,
        lambda case, d: services.case_route(
            case=case,
            by=request.user,
            section=d["section"],
            township=d["township"],
            handler=d["handler"],
            note=d["note"],
        ),
        _("Routed."),
    )


@require_POST
def object_routing(request, pk):
    return _post(
        request,
        pk,
        forms.ObjectForm,
        lambda case, d: services.routing_object(
            case=case, by=request.user, reason=d["reason"]
        ),
        _("Objection recorded; the petition officer will route the case again."),
    )


@require_POST
def decide(request, pk):
    return _post(
        request,
        pk,
        forms.DecideForm,
        lambda case, d: services.case_decide(
            case=case,
            by=request.user,
            decision=d["decision"],
            text=d["text"],
            on=d["on"],
        ),
        _("Decision recorded."),
    )


@require_POST
def conclude(request, pk):
    return _post(
        request,
        pk,
        forms.ConcludeForm,
        lambda case, d: services.case_conclude(
            case=case, by=request.user, outcome=d["outcome"], text=d["text"], on=d["on"]
        ),
        _("Concluded; the petition officer delivers the reply."),
    )


@require_POST
def extend(request, pk):
    return _post(
        request,
        pk,
        forms.ExtensionForm,
        lambda case, d: services.extension_request(
            case=case, by=request.user, days=d["days"], reason=d["reason"]
        ),
        _("Extension asked; it waits for the bureau's approval."),
    )


@require_POST
def deliver(request, pk):
    return _post(
        request,
        pk,
        forms.DeliverForm,
        lambda case, d: services.reply_deliver(
            case=case,
            by=request.user,
            method=d["method"],
            delivered_on=d["delivered_on"],
            note=d["note"],
        ),
        _("Delivery recorded; the review window runs from that day."),
    )


@require_POST
def review(request, pk):
    return _post(
        request,
        pk,
        forms.ReviewForm,
        lambda case, d: services.review_request(
            case=case,
            by=request.user,
            level=d["level"],
            organ=d["organ"],
            requested_on=d["requested_on"],
        ),
        _("Review request recorded."),
    )


@require_POST
def review_outcome(request, pk):
    return _post(
        request,
        pk,
        forms.ReviewOutcomeForm,
        lambda case, d: services.review_outcome(
            case=case, by=request.user, outcome=d["outcome"], on=d["on"]
        ),
        _("Outcome recorded."),
    )


@require_POST
def close(request, pk):
    return _post(
        request,
        pk,
        forms.CloseForm,
        lambda case, d: services.case_close(case=case, by=request.user),
        _("The case is closed."),
    )


@require_POST
def merge(request, pk):
    def apply(case, data):
        into = selectors.cases_visible_to(request.user).filter(pk=data["into"]).first()
        if into is None:
            raise services.PetitionError(_("There is no such case."))
        services.case_merge(case=case, into=into, by=request.user)

    return _post(request, pk, forms.MergeForm, apply, _("Merged."))


@require_POST
def owner(request, pk):
    return _post(
        request,
        pk,
        forms.OwnerForm,
        lambda case, d: services.case_set_owner(
            case=case, by=request.user, owner=d["owner"], major=d["major"]
        ),
        _("Owning leader recorded."),
    )


@require_POST
def statement(request, pk):
    return _post(
        request,
        pk,
        forms.StatementForm,
        lambda case, d: services.statement_add(
            case=case,
            by=request.user,
            witness=d["witness"],
            text=d["text"],
            taken_on=d["taken_on"],
        ),
        _("Statement recorded."),
    )


@require_POST
def report(request, pk):
    return _post(
        request,
        pk,
        forms.ReportForm,
        lambda case, d: services.report_record(case=case, by=request.user, on=d["on"]),
        _("Closing report recorded."),
    )


@require_GET
def extension(request, pk):
    """The extension's page for its deciders: the case's clock, the days, the
    reason, the chain (no names of the petitioner)."""
    visible = selectors.cases_visible_to(request.user, on=timezone.localdate())
    ext = get_object_or_404(
        Extension.objects.select_related("case__category", "requested_by__person"),
        pk=pk,
        case__in=visible,
    )
    conclude = selectors.deadline_of(ext.case, "petitions.conclude")
    return render(
        request,
        "petitions/extension.html",
        {"ext": ext, "approval": current_approval_of(ext), "conclude": conclude},
    )


@require_GET
def export(request):
    """The officer's register (信访登记簿) with the petitioners' names: every case
    exported is written to the access log (PET-7)."""
    if not selectors.is_officer(request.user):
        raise Http404
    today = timezone.localdate()
    since = today - datetime.timedelta(days=366)
    rows = list(
        selectors.with_details(selectors.cases_visible_to(request.user))
        .filter(received_on__gte=since)
        .select_related("identity")
        .order_by("received_on", "pk")[:5000]
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Register"))
    xlsx_row(
        sheet,
        [
            _("Registration number"),
            _("Received on"),
            _("Channel"),
            _("Petitioner"),
            _("Contact number"),
            _("Category"),
            _("Township"),
            _("Matter"),
            _("Status"),
        ],
        bold=True,
    )
    for case in rows:
        xlsx_row(
            sheet,
            [
                case.number,
                case.received_on,
                case.get_channel_display(),
                _("(anonymous)") if case.anonymous else case.identity.name,
                case.identity.phone,
                str(case.category),
                str(case.township or ""),
                case.summary,
                case.get_status_display(),
            ],
        )
    services.identity_exports_log(cases=rows, by=request.user, request=request)
    response = HttpResponse(
        xlsx_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="petitions-{today}.xlsx"'
    return response


@require_GET
def access_log(request):
    if not selectors.reads_access_log(request.user):
        raise Http404
    rows = selectors.access_log_visible_to(request.user)
    page = Paginator(rows, 100).get_page(page_param(request.GET))
    return render(request, "petitions/access_log.html", {"page": page})


@require_POST
def summary(request, pk):
    return _post(
        request,
        pk,
        forms.SummaryForm,
        lambda case, d: services.case_summarise(
            case=case, by=request.user, summary=d["summary"]
        ),
        _("Matter updated."),
    )


@require_GET
def rota(request):
    """PET-6: the reception rota (every working Wednesday), swaps, and — for the
    officer and the day's leader — who came and what was promised."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=42)
    days = list(selectors.rota(start, today + datetime.timedelta(days=120)))
    receptions = {}
    for r in selectors.receptions_visible_to(request.user).filter(day__in=days):
        receptions.setdefault(r.day_id, []).append(r)
    person = request.user.person
    for day in days:
        day.visible_receptions = receptions.get(day.pk, [])
        day.may_record = day.date <= today and (
            selectors.is_officer(request.user) or day.leader_id == person.pk
        )
    return render(
        request,
        "petitions/rota.html",
        {
            "days": days,
            "today": today,
            "is_officer": selectors.is_officer(request.user),
            "plan_form": forms.RotaPlanForm(
                initial={"start": today, "end": today + datetime.timedelta(days=90)}
            ),
            "swap_form": forms.RotaSwapForm(auto_id=False),
            "reception_form": forms.ReceptionForm(auto_id=False),
        },
    )


def _rota_post(request, form_class, apply, done, day=None):
    form = form_class(request.POST)
    if not form.is_valid():
        return render(
            request, "petitions/rota_refused.html", {"form": form}, status=400
        )
    try:
        apply(form.cleaned_data)
    except services.PetitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("petitions:rota")


@require_POST
def rota_plan(request):
    if not selectors.is_officer(request.user):
        raise Http404
    return _rota_post(
        request,
        forms.RotaPlanForm,
        lambda d: services.rota_plan(by=request.user, start=d["start"], end=d["end"]),
        _("Rota planned."),
    )


@require_POST
def rota_swap(request, pk):
    if not selectors.is_officer(request.user):
        raise Http404
    day = get_object_or_404(ReceptionDay, pk=pk)
    return _rota_post(
        request,
        forms.RotaSwapForm,
        lambda d: services.rota_swap(
            day=day, by=request.user, leader=d["leader"], reason=d["reason"]
        ),
        _("Swap recorded."),
    )


@require_POST
def reception_new(request, pk):
    day = get_object_or_404(ReceptionDay, pk=pk)
    person = request.user.person
    if not (selectors.is_officer(request.user) or day.leader_id == person.pk):
        raise Http404
    return _rota_post(
        request,
        forms.ReceptionForm,
        lambda d: services.reception_record(day=day, by=request.user, **d),
        _("Reception recorded."),
    )


def _stats(request):
    if not reports.reads_statistics(request.user):
        raise Http404
    today = timezone.localdate()
    year = year_param(request.GET, default=today.year)
    return reports.statistics_for(request.user, year, today), today


@require_GET
def stats(request):
    data, today = _stats(request)
    peak = max([n for _m, n in data.by_month] or [0]) or 1
    bars = [(m, n, round(100 * n / peak)) for m, n in data.by_month]
    return render(
        request,
        "petitions/stats.html",
        {"stats": data, "bars": bars, "today": today},
    )


@require_GET
def stats_xlsx(request):
    data, today = _stats(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Overdue"))
    xlsx_row(
        sheet,
        [_("Case"), _("Clock"), _("Due"), _("Days overdue"), _("Section")],
        bold=True,
    )
    for label, kind, due, late, section, _pk, _clock in data.overdue:
        xlsx_row(sheet, [label, kind, due, late, str(section or "")])
    for title, rows in [
        (_("By channel"), data.by_channel),
        (_("By category"), data.by_category),
        (_("By township"), data.by_township),
        (_("By outcome"), data.by_outcome),
        (_("By month"), data.by_month),
    ]:
        sheet = book.create_sheet(title)
        xlsx_row(sheet, [title, _("Cases")], bold=True)
        for label, n in rows:
            xlsx_row(sheet, [str(label), n])
    sheet = book.create_sheet(_("On time"))
    xlsx_row(
        sheet, [_("Clock"), _("On time"), pgettext("petition clock", "Late")], bold=True
    )
    for label, met, missed in data.timeliness:
        xlsx_row(sheet, [label, met, missed])
    response = HttpResponse(
        xlsx_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="petitions-statistics-{data.year}.xlsx"'
    )
    return response


@require_http_methods(["GET", "POST"])
def work(request):
    """PET-8: the half-year's petition work (meeting, township assessment,
    training) and what is still missing."""
    if not selectors.is_officer(request.user):
        raise Http404
    today = timezone.localdate()
    form = forms.WorkRecordForm(initial={"held_on": today})
    status = 200
    if request.method == "POST":
        form = forms.WorkRecordForm(request.POST)
        if form.is_valid():
            try:
                services.work_record_add(by=request.user, **form.cleaned_data)
            except services.PetitionError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("Recorded."))
                return redirect("petitions:work")
        else:
            status = 400
    value = policy_value(policies.PET8, today)
    half, start, end = rules.half_year(today)
    counts = selectors.pet8_counts(start, end, value["meeting_kind"])
    labels = dict(WorkRecord.Kind.choices)
    progress = [
        (labels[kind], counts.get(kind, 0), n) for kind, n in value["required"].items()
    ]
    return render(
        request,
        "petitions/work.html",
        {
            "form": form,
            "records": selectors.work_records(
                start.replace(month=1) - datetime.timedelta(days=366)
            ),
            "progress": progress,
            "half": half,
            "end": end,
        },
        status=status,
    )
