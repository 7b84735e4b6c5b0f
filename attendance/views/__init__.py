from attendance.views.clerk import (
    away_new,
    month_close_view,
    month_reopen_view,
    record_correct_view,
    report,
    report_csv,
    report_xlsx,
    sheet,
)
from attendance.views.report_exports import (
    report_export_download,
    report_export_new,
    report_export_progress,
)
from attendance.views.staff import (
    board,
    board_index,
    going_out_list,
    going_out_new,
    going_out_return_view,
    mine,
    sign_in,
    sign_out,
)
from attendance.views.study import (
    study_detail,
    study_leave_view,
    study_list,
    study_notes_view,
    study_take_view,
)

__all__ = [
    "away_new",
    "board",
    "board_index",
    "going_out_list",
    "going_out_new",
    "going_out_return_view",
    "mine",
    "month_close_view",
    "month_reopen_view",
    "record_correct_view",
    "report",
    "report_csv",
    "report_export_download",
    "report_export_new",
    "report_export_progress",
    "report_xlsx",
    "sheet",
    "sign_in",
    "sign_out",
    "study_detail",
    "study_leave_view",
    "study_list",
    "study_notes_view",
    "study_take_view",
]
