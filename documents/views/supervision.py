"""Staff pages of supervised tasks and the monthly summary and plan (DOC-5)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bureau.access import has_role, person_of
from bureau.models import Role
from bureau.params import choice_param, month_param, page_param
from bureau.policies import policy_in_force
from documents import rules, selectors, services
from documents.forms import CheckForm, MonthlyForm, NoteForm, ReportForm, TaskForm
from documents.models import Instruction, MonthlyReport, SupervisionTask
from documents.policies import MONTHLY_REPORT
from meetings.selectors import citable_decisions


def _task(request, pk) -> SupervisionTask:
    return get_object_or_404(
        selectors.tasks_visible_to(request.user).select_related(
            "section", "supervisor"
        ),
        pk=pk,
    )


@require_GET
def task_list(request):
    status = choice_param(request.GET, "status", SupervisionTask.Status.values)
    rows = selectors.task_list(request.user, status=status)
    page = Paginator(rows, 50).get_page(page_param(request.GET))
    today = timezone.localdate()
    lights = selectors.task_lights(list(page), today)
    for task in page:
        task.light = lights.get(task.pk, "")
    return render(
        request,
        "documents/task_list.html",
        {
            "page": page,
            "status": status or "",
            "statuses": SupervisionTask.Status.choices,
            "may_register": selectors.registers_tasks(request.user),
        },
    )


def _task_form(request, data=None):
    return TaskForm(
        data,
        instructions=Instruction.objects.filter(
            incoming__in=selectors.incoming_visible_to(request.user).values("pk")
        ).select_related("incoming", "leader"),
        decisions=citable_decisions(request.user),
        initial={"due_on": timezone.localdate() + datetime.timedelta(days=30)},
    )


@require_http_methods(["GET", "POST"])
def task_new(request):
    if not selectors.registers_tasks(request.user):
        raise PermissionDenied
    form = _task_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_register(by=request.user, **form.cleaned_data)
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The task is assigned; the section head is told.")
            )
            return redirect(task)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/task_form.html", {"form": form}, status=status)


@require_GET
def task_detail(request, pk):
    task = _task(request, pk)
    today = timezone.localdate()
    works_on = selectors.works_on_task(request.user, task)
    in_section = selectors.in_task_section(request.user, task)
    # DOC-6: the colleague covering the head or the supervisor, for them.
    acting_for = (
        None if works_on else selectors.covers_for_task(request.user, task, today)
    )
    return render(
        request,
        "documents/task_detail.html",
        {
            "task": task,
            "light": services.task_light(task, today),
            "notes": task.notes.select_related("by", "acting_for").order_by("at", "pk"),
            "acting_for": acting_for,
            "works_on": works_on or acting_for is not None,
            "in_section": in_section
            or (acting_for is not None and acting_for.pk == task.section.head_id),
            "checks": selectors.checks_task(request.user, task),
            "note_form": NoteForm(),
            "report_form": ReportForm(),
            "check_form": CheckForm(),
        },
    )


def _apply(request, pk, form_class, call, done):
    task = _task(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(task)
    try:
        call(task, form.cleaned_data)
    except services.DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(task)


@require_POST
def task_note(request, pk):
    return _apply(
        request,
        pk,
        NoteForm,
        lambda task, data: services.task_follow_up(task=task, by=request.user, **data),
        _("The progress is recorded."),
    )


@require_POST
def task_report(request, pk):
    return _apply(
        request,
        pk,
        ReportForm,
        lambda task, data: services.task_report(task=task, by=request.user, **data),
        _("Reported back: the supervisors will check it."),
    )


@require_POST
def task_check(request, pk):
    return _apply(
        request,
        pk,
        CheckForm,
        lambda task, data: services.task_check(task=task, by=request.user, **data),
        _("The check is recorded."),
    )


def _last_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@require_GET
def monthly(request):
    """The month's summaries and plans: who has sent, who has not (DOC-5)."""
    today = timezone.localdate()
    month = month_param(request.GET, default=_last_month(today))
    board = selectors.sees_monthly_board(request.user)
    reports = selectors.monthly_reports_visible_to(request.user).filter(month=month)
    due_day = policy_in_force(MONTHLY_REPORT, today).value["due_day"]
    return render(
        request,
        "documents/monthly.html",
        {
            "month": month,
            "reports": reports.select_related("section", "sent_by").order_by(
                "section__order", "section__name"
            ),
            "missing": selectors.sections_without_report(month) if board else [],
            "board": board,
            "due_on": rules.report_due_on(month, due_day),
            "is_head": has_role(request.user, Role.SECTION_HEAD),
        },
    )


@require_http_methods(["GET", "POST"])
def monthly_send(request):
    person = person_of(request.user)
    if person is None or not has_role(request.user, Role.SECTION_HEAD):
        raise PermissionDenied
    today = timezone.localdate()
    month = month_param(request.GET, default=_last_month(today))
    existing = MonthlyReport.objects.filter(
        section_id=person.section_id, month=month
    ).first()
    initial = {"summary": existing.summary, "plan": existing.plan} if existing else {}
    form = MonthlyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.monthly_report_send(
                by=request.user, month=month, **form.cleaned_data
            )
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Sent."))
            return redirect(f"{request.path}?month={month:%Y-%m}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/monthly_form.html",
        {"form": form, "month": month, "existing": existing},
        status=status,
    )
