"""The month's report as a background export (issue 17, province scale): asked for
on the report page, built by a Celery worker through the outbox, followed on a
self-refreshing progress page and downloaded by who asked."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import exports
from attendance.models import ReportExport
from attendance.selectors import SCOPE, monthly_report
from attendance.services.common import AttendanceError
from bureau import outbox

logger = logging.getLogger(__name__)

BUILD_TASK = "attendance.tasks.build_report_export"
# Progress is written every this many rows (one small UPDATE each).
PROGRESS_EVERY = 5000


def report_export_request(*, by, year: int, month: int) -> ReportExport:
    """Queue the month's xlsx for `by`, built with their scope when it runs.

    Asking again while the same month's export is still running returns that one
    (two clicks make one file)."""
    if not SCOPE.sees_others(by):
        raise AttendanceError(_("Only who may see the report may export it."))
    with transaction.atomic():
        # Lock the asker's row so that two clicks at once queue one export.
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        running = (
            ReportExport.objects.filter(
                requested_by=by,
                year=year,
                month=month,
                status__in=ReportExport.RUNNING,
            )
            .order_by("-created_at")
            .first()
        )
        if running is not None:
            return running
        export = ReportExport.objects.create(requested_by=by, year=year, month=month)
        outbox.enqueue_after_commit(
            BUILD_TASK, export.pk, key=f"attendance-report-export:{export.pk}"
        )
    return export


def _mark(export_id: int, **fields) -> None:
    ReportExport.objects.filter(pk=export_id).update(**fields)


def _read_month(user, year: int, month: int):
    """The month's report for the worker. On PostgreSQL its aggregate over the
    month's records (4.2 million rows at 100,000 staff) gets more working memory
    for this transaction only (`BUREAU_EXPORT_WORK_MEM`, 64MB by default): with
    the server's default 4MB its hash aggregate spilled to disk (4.5 → 3.5 s at
    100,000 staff, docs/scale.md)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('work_mem', %s, true)",
                    [settings.BUREAU_EXPORT_WORK_MEM],
                )
        return monthly_report(user, year, month)


def report_export_build(*, export_id: int) -> ReportExport | None:
    """The worker's part: read the month with the asker's scope, write the sheet
    to a file, record progress as it goes. A done or failed export is left as it
    is (the task may be delivered twice); None when the row is gone."""
    export = (
        ReportExport.objects.select_related("requested_by").filter(pk=export_id).first()
    )
    if export is None or not export.is_running:
        return export
    user = export.requested_by
    if not user.is_active or not SCOPE.sees_others(user):
        # The asker lost the right to see the report since asking.
        _mark(
            export_id,
            status=ReportExport.Status.FAILED,
            message=_("You may no longer see the report."),
            finished_at=timezone.now(),
        )
        return ReportExport.objects.get(pk=export_id)
    _mark(export_id, status=ReportExport.Status.READING, rows_done=0)
    try:
        report = _read_month(user, export.year, export.month)
        total = len(report.rows)
        _mark(export_id, status=ReportExport.Status.WRITING, rows_total=total)

        def progress(done: int) -> None:
            if done % PROGRESS_EVERY == 0:
                _mark(export_id, rows_done=done)

        with exports.as_xlsx_file(report, progress=progress) as handle:
            export.file.save(
                f"attendance-{export.year}-{export.month:02d}-{export.pk}.xlsx",
                File(handle, name="report.xlsx"),
                save=False,
            )
    except Exception:
        logger.exception("attendance: report export %s failed", export_id)
        _mark(
            export_id,
            status=ReportExport.Status.FAILED,
            message=_("The export failed; ask again or tell the administrator."),
            finished_at=timezone.now(),
        )
        raise
    _mark(
        export_id,
        status=ReportExport.Status.DONE,
        rows_done=total,
        file=export.file.name,
        finished_at=timezone.now(),
    )
    return ReportExport.objects.get(pk=export_id)
