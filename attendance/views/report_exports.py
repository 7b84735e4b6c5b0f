"""The month's report prepared in the background (issue 17): ask, follow, download.

Only who may see the report may ask; only who asked sees the progress page and the
file (anyone else: 404, as for a record not theirs)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import services
from attendance.models import ReportExport
from attendance.views.clerk import XLSX_TYPE, _report_month, _require_others

# Seconds between two refreshes of the progress page while the worker runs.
REFRESH_SECONDS = 2


def _own_export(request, pk) -> ReportExport:
    return get_object_or_404(ReportExport, pk=pk, requested_by=request.user)


@require_POST
def report_export_new(request):
    """Queue the month's xlsx for the asker and open its progress page."""
    _require_others(request)
    year, month = _report_month(request)
    try:
        export = services.report_export_request(by=request.user, year=year, month=month)
    except services.AttendanceError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('attendance:report')}?month={year}-{month:02d}")
    return redirect("attendance:report_export", pk=export.pk)


@require_GET
def report_export_progress(request, pk):
    """Where the export stands; refreshes itself (no script) until it is done."""
    _require_others(request)
    export = _own_export(request, pk)
    return render(
        request,
        "attendance/report_export.html",
        {
            "export": export,
            "refresh": REFRESH_SECONDS if export.is_running else None,
            "month_arg": f"{export.year}-{export.month:02d}",
        },
    )


@require_GET
def report_export_download(request, pk):
    _require_others(request)
    export = _own_export(request, pk)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404(_("The file is not ready."))
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"attendance-{export.year}-{export.month:02d}.xlsx",
        content_type=XLSX_TYPE,
    )
