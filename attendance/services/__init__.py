"""Every change of attendance state (see the submodules); import from here."""

from attendance.services.closing import sheets_close
from attendance.services.common import AttendanceError
from attendance.services.going_out import (
    away_record,
    going_out_decide,
    going_out_report,
    going_out_return,
)
from attendance.services.judging import rejudge, rejudge_sessions
from attendance.services.month import month_close, month_reopen
from attendance.services.records import (
    record_correct,
    record_sign_in,
    record_sign_out,
    sign_out_consequence,
)
from attendance.services.report_export import (
    report_export_build,
    report_export_request,
)
from attendance.services.settling import sheets_settle
from attendance.services.sheet_day import SheetRun
from attendance.services.sheets import sheets_process_due
from attendance.services.study import (
    study_attendance_take,
    study_leave_ask,
    study_leave_decide,
    study_notes_save,
    study_sessions_schedule,
)

__all__ = [
    "AttendanceError",
    "SheetRun",
    "away_record",
    "going_out_decide",
    "going_out_report",
    "going_out_return",
    "month_close",
    "month_reopen",
    "record_correct",
    "record_sign_in",
    "record_sign_out",
    "rejudge",
    "report_export_build",
    "report_export_request",
    "rejudge_sessions",
    "sheets_close",
    "sheets_process_due",
    "sheets_settle",
    "sign_out_consequence",
    "study_attendance_take",
    "study_leave_ask",
    "study_leave_decide",
    "study_notes_save",
    "study_sessions_schedule",
]
