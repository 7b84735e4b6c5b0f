"""Staff pages of the archives (DOC-3): the catalogue (printable, exportable),
filing a year, loans and returns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from bureau.exports import csv_bytes, xlsx_bytes, xlsx_row
from bureau.params import choice_param, year_param
from documents import selectors, services
from documents.forms import ConfirmForm, LoanForm, ReturnForm


def _require_clerk(request):
    if not selectors.is_document_clerk(request.user):
        raise PermissionDenied


def _entries(request, year):
    return (
        selectors.archive_visible_to(request.user).filter(year=year).order_by("item_no")
    )


@require_GET
def archive(request):
    today = timezone.localdate()
    year = year_param(request.GET, "year", default=today.year - 1)
    entries = list(_entries(request, year))
    clerk = selectors.is_document_clerk(request.user)
    return render(
        request,
        "documents/archive.html",
        {
            "year": year,
            "entries": entries,
            "clerk": clerk,
            "may_file_year": clerk and year < today.year,
            "confirm_form": ConfirmForm(),
            "loan_form": LoanForm(
                entries=_entries(request, year),
                initial={
                    "lent_on": today,
                    "due_on": today + timezone.timedelta(days=14),
                },
            )
            if clerk
            else None,
        },
    )


def _rows(entries):
    for e in entries:
        yield [
            e.item_no,
            e.get_kind_display(),
            e.doc_type,
            e.number,
            e.title,
            e.dated.isoformat(),
            e.retention_label,
        ]


@require_GET
def archive_export(request):
    year = year_param(request.GET, "year", default=timezone.localdate().year - 1)
    fmt = choice_param(request.GET, "format", ["csv", "xlsx"], default="xlsx")
    entries = _entries(request, year)
    header = [
        _("Item number"),
        _("Kind"),
        _("Type"),
        pgettext("document number", "Number"),
        _("Title"),
        _("Dated"),
        _("Retention"),
    ]
    name = f"archive-{year}.{fmt}"
    if fmt == "csv":
        body = csv_bytes(header, _rows(entries))
        content_type = "text/csv; charset=utf-8"
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(year))
        xlsx_row(sheet, header, bold=True)
        for row in _rows(entries):
            xlsx_row(sheet, row)
        body = xlsx_bytes(book)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def archive_file(request):
    _require_clerk(request)
    year = year_param(request.GET, "year", default=timezone.localdate().year - 1)
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the confirmation first: nothing was recorded."))
    else:
        try:
            made = services.archive_year(year=year, by=request.user)
        except services.DocumentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("%(n)s documents added to the catalogue.") % {"n": len(made)}
            )
    return redirect(f"{reverse('documents:archive')}?year={year}")


@require_POST
def loan_new(request):
    _require_clerk(request)
    year = year_param(request.GET, "year", default=timezone.localdate().year - 1)
    form = LoanForm(request.POST, entries=selectors.archive_visible_to(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.loan_register(by=request.user, **form.cleaned_data)
        except services.DocumentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The loan is registered."))
    return redirect(f"{reverse('documents:archive')}?year={year}")


@require_GET
def loans(request):
    rows = (
        selectors.loans_visible_to(request.user)
        .select_related("entry", "borrower")
        .order_by("returned_on", "due_on", "pk")[:500]
    )
    return render(
        request,
        "documents/loans.html",
        {
            "loans": rows,
            "clerk": selectors.is_document_clerk(request.user),
            "return_form": ReturnForm(initial={"returned_on": timezone.localdate()}),
            "today": timezone.localdate(),
        },
    )


@require_POST
def loan_return(request, pk):
    _require_clerk(request)
    loan = get_object_or_404(selectors.loans_visible_to(request.user), pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day it came back."))
    else:
        try:
            services.loan_return(
                loan=loan, by=request.user, on=form.cleaned_data["returned_on"]
            )
        except services.DocumentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The return is recorded."))
    return redirect("documents:loans")
