"""The clerk's and leaders' pages: sheets, corrections, absence from post, the
monthly report with its exports, closing and reopening a month."""

from __future__ import annotations

import datetime
import html

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import charts, exports, services
from attendance.forms import AwayForm, CorrectionForm, ReasonForm
from attendance.models import Part
from attendance.selectors import (
    SCOPE,
    clerk_keeps,
    clerk_people_scope,
    keeps_all_units,
    month_has_sheets,
    monthly_report,
    people_visible_to,
    records_visible_to,
    units_visible_to,
)
from attendance.services.common import is_clerk
from bureau.access import person_of
from bureau.params import (
    choice_param,
    date_param,
    flag_param,
    month_param,
    object_param,
    text_param,
)
from bureau.why import why_url
from bureau.workdays import TZ


def _require_others(request):
    if not SCOPE.sees_others(request.user):
        raise PermissionDenied


def _require_clerk(request):
    if not is_clerk(request.user):
        raise PermissionDenied


@require_GET
def sheet(request):
    """A day's sign-in sheet (ATT-6), scoped to whom the user may see."""
    _require_others(request)
    today = timezone.localdate()
    day = date_param(request.GET, "date", default=today)
    part = choice_param(
        request.GET,
        "part",
        Part.values,
        default=Part.AM if timezone.localtime().hour < 12 else Part.PM,
    )
    units = list(units_visible_to(request.user))
    # An id that is not one, or a unit the user does not see: 404.
    unit = object_param(request.GET, "unit", units_visible_to(request.user))
    records = (
        records_visible_to(request.user)
        .filter(date=day, part=part)
        .select_related("person", "unit", "section")
        .order_by(
            "unit__order",
            "unit_id",
            "section__order",
            "section_id",
            "person__employee_no",
        )
    )
    if unit is not None:
        records = records.filter(unit=unit)
    clerk = is_clerk(request.user)
    records = list(records)
    counts = {}
    for record in records:
        key = record.get_sheet_status_display()
        counts[key] = counts.get(key, 0) + 1
        # The clerk corrects the records of the units they keep, never their own.
        record.can_correct = (
            clerk
            and record.person.user_id != request.user.pk
            and clerk_keeps(request.user, record.person)
        )
    return render(
        request,
        "attendance/sheet.html",
        {
            "records": records,
            "day": day,
            "part": part,
            "parts": Part.choices,
            "units": units,
            "unit_id": unit.pk if unit else None,
            "counts": counts,
            "is_clerk": clerk,
            "previous": day - datetime.timedelta(days=1),
            "following": day + datetime.timedelta(days=1),
        },
    )


@require_http_methods(["GET", "POST"])
def record_correct_view(request, pk):
    """The clerk corrects a record with a reason; nobody corrects their own."""
    record = get_object_or_404(
        records_visible_to(request.user).select_related("person"), pk=pk
    )
    _require_clerk(request)
    me = person_of(request.user)
    if me is not None and me.pk == record.person_id:
        raise PermissionDenied(_("Nobody corrects their own record."))
    if not clerk_keeps(request.user, record.person):
        raise PermissionDenied

    def local(value):
        return value.astimezone(TZ).strftime("%Y-%m-%dT%H:%M") if value else ""

    form = CorrectionForm(
        request.POST or None,
        initial={
            "signed_in_at": local(record.signed_in_at),
            "signed_out_at": local(record.signed_out_at),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_correct(
                by=request.user,
                record_id=record.pk,
                signed_in_at=form.cleaned_data["signed_in_at"],
                signed_out_at=form.cleaned_data["signed_out_at"],
                reason=form.cleaned_data["reason"],
            )
        except services.AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Record corrected."))
            url = reverse("attendance:sheet")
            return redirect(f"{url}?date={record.date}&part={record.part}")
    history = record.history.select_related("history_user").order_by("-history_date")[
        :20
    ]
    return render(
        request,
        "attendance/record_correct.html",
        {"record": record, "form": form, "history": history},
    )


@require_http_methods(["GET", "POST"])
def away_new(request):
    """ATT-7/5: the clerk records an unreported absence from post."""
    _require_clerk(request)
    people = (
        people_visible_to(request.user)
        .filter(clerk_people_scope(request.user))
        .active()
        .order_by("employee_no")
    )
    me = person_of(request.user)
    if me is not None:
        people = people.exclude(pk=me.pk)
    form = AwayForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            away = services.away_record(
                by=request.user,
                person_id=form.cleaned_data["person"].pk,
                left_at=form.cleaned_data["left_at"],
                returned_at=form.cleaned_data["returned_at"],
                note=form.cleaned_data["note"],
            )
        except services.AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Recorded: %(person)s away for %(minutes)s minutes.")
                % {"person": away.person, "minutes": away.minutes},
            )
            return redirect("attendance:sheet")
    return render(request, "attendance/away_form.html", {"form": form})


def _report_month(request):
    today = timezone.localdate()
    # On the first of a month the report opens on the month just ended.
    default = (today - datetime.timedelta(days=1 if today.day == 1 else 0)).replace(
        day=1
    )
    first = month_param(request.GET, "month", default=default)
    return first.year, first.month


# Beyond this many people the page shows totals and charts and asks for a unit;
# the exports always hold every row.
PAGE_ROWS = 1000


@require_GET
def report(request):
    """ATT-6/10/13: the monthly report, scoped; `?print=1` for the printable view."""
    _require_others(request)
    year, month = _report_month(request)
    data = monthly_report(request.user, year, month)
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    units = sorted({row.unit for row in data.rows})
    unit = text_param(request.GET, "unit")
    rows = [row for row in data.rows if row.unit == unit] if unit else data.rows
    has_data = month_has_sheets(year, month)
    if not has_data:
        # No sheet kept: the rows would read as a month of perfect attendance.
        rows = []
    too_many = not unit and len(rows) > PAGE_ROWS
    context = {
        "report": data,
        "rows_html": ""
        if too_many
        else report_rows_html(rows, why_query=f"month={year}-{month:02d}"),
        "rows": rows,  # the rows shown (rows_html), for whoever reads the context
        "row_count": 0 if too_many else len(rows),
        "too_many": too_many,
        "units": units,
        "unit": unit,
        "month_arg": f"{year}-{month:02d}",
        "why_query": f"month={year}-{month:02d}",
        "previous": previous,
        "following": following,
        "chart_days": charts.bar_chart_by_day(
            data.late_by_day, title=_("Late arrivals by day")
        ),
        "chart_sections": charts.bar_chart_by_name(
            data.late_by_section, title=_("Late arrivals by section")
        ),
        # Closing and reopening a month is the all-units clerk's work.
        "is_clerk": keeps_all_units(request.user),
        "close_form": ReasonForm(),
        "printing": flag_param(request.GET, "print"),
        "month_ended": following <= timezone.localdate(),
        "has_data": has_data,
    }
    return render(request, "attendance/report.html", context)


def report_rows_html(rows, why_query: str = "") -> str:
    """The report's table rows as HTML, built once in Python.

    The same markup the template wrote row by row; at 6,667 rows the template's
    per-cell lookups and number formats were most of the page (issue 17). Text is
    escaped; each distinct number is localized once; the outcome badges are
    translated once.
    """
    numbers: dict = {}
    escaped: dict = {}

    def esc(value) -> str:
        # What django.utils.html.escape gives (html.escape of the text), without
        # its lazy-string wrapper on each of ~60,000 cells, and each distinct text
        # (a unit, a section, a reason) escaped once.
        text = escaped.get(value)
        if text is None:
            text = escaped[value] = html.escape(str(value))
        return text

    def num(value):
        # Keyed by type and text: Decimal("1.0") == 1 but is shown "1.0".
        key = value if type(value) is int else str(value)
        text = numbers.get(key)
        if text is None:
            text = numbers[key] = formats.localize(value)
        return text

    no_deduction = f'<span class="muted">{escape(_("No deduction"))}</span>'
    badges = {code: escape(exports.outcome_text(code)) for code in exports.OUTCOME_TEXT}
    # The "why" link of each allowance outcome (bureau.why), reversed once.
    why_href = why_url("attendance.allowance", 0, why_query)
    why_prefix, why_suffix = why_href.split("/0/", 1)
    why_title = escape(_("The rule and the policy version this was judged by"))
    why_label = escape(_("Why?"))
    plain = html.escape
    parts = []
    for row in rows:
        if row.outcome == "none":
            outcome = no_deduction
        else:
            tone = "warn" if row.outcome == "half_deducted" else "bad"
            outcome = (
                f'<span class="badge {tone}">{badges[row.outcome]}</span> '
                f'<span class="muted" title="{esc(row.reason)}">'
                f"{esc(row.reason_text)}</span>"
            )
        parts.append(
            # Numbers and names differ on every row: escaped as they come.
            f'<tr data-person="{row.person_id}"><td>{plain(row.employee_no)}</td>'
            f'<td class="nowrap">{plain(row.name)}</td>'
            f'<td class="nowrap">{esc(row.unit)}</td>'
            f'<td class="nowrap">{esc(row.section)}</td>'
            f'<td class="num">{num(row.due)}</td>'
            f'<td class="num">{num(row.worked)}</td>'
            f'<td class="num">{num(row.lates)}</td>'
            f'<td class="num">{num(row.early)}</td>'
            f'<td class="num">{num(row.absence_days)}</td>'
            f"<td>{esc(row.leave_text)}</td>"
            f'<td class="num">{num(row.business)}</td>\n<td>{outcome} '
            f'<a class="why" href="{why_prefix}/{row.person_id}/{why_suffix}" '
            f'title="{why_title}">{why_label}</a></td></tr>\n'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def report_xlsx(request):
    _require_others(request)
    year, month = _report_month(request)
    data = monthly_report(request.user, year, month)
    # Streamed from a temporary file (write-only book, lxml): memory stays flat.
    return FileResponse(
        exports.as_xlsx_file(data),
        as_attachment=True,
        filename=f"attendance-{year}-{month:02d}.xlsx",
        content_type=XLSX_TYPE,
    )


@require_GET
def report_csv(request):
    _require_others(request)
    year, month = _report_month(request)
    data = monthly_report(request.user, year, month)
    return _download(
        exports.as_csv(data), f"attendance-{year}-{month:02d}.csv", "text/csv"
    )


def _month_change(request, service, done):
    _require_clerk(request)
    year, month = _report_month(request)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is needed."))
    else:
        try:
            _close, changed = service(
                by=request.user,
                year=year,
                month=month,
                reason=form.cleaned_data["reason"],
            )
        except services.AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            if changed:
                messages.success(request, done)
    return redirect(f"{reverse('attendance:report')}?month={year}-{month:02d}")


@require_POST
def month_close_view(request):
    return _month_change(request, services.month_close, _("The month is closed."))


@require_POST
def month_reopen_view(request):
    return _month_change(request, services.month_reopen, _("The month is reopened."))
