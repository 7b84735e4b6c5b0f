"""The monthly report as a spreadsheet (xlsx) or CSV: the same rows as the page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from attendance.selectors import MonthlyReport
from bureau.exports import csv_bytes, xlsx_bytes, xlsx_file, xlsx_row

OUTCOME_TEXT = {
    "none": gettext_lazy("No deduction"),
    "half_deducted": gettext_lazy("Half of the attendance allowance deducted"),
    "cancelled": gettext_lazy("Attendance allowance cancelled"),
    "welfare_deducted": gettext_lazy(
        "Allowance cancelled and welfare subsidy deducted"
    ),
}


def outcome_text(code: str) -> str:
    return str(OUTCOME_TEXT[code])


def header() -> list[str]:
    return [
        _("Employee number"),
        _("Full name"),
        _("Unit"),
        _("Section"),
        _("Sessions due"),
        _("Sessions worked"),
        _("Late"),
        _("Early leave"),
        _("Absence days"),
        _("Leave days"),
        _("Leave by type"),
        _("Out on business (sessions)"),
        _("Allowance (ATT-10)"),
        _("Reason"),
    ]


def rows(report: MonthlyReport):
    # Each outcome translated once, not once per person.
    outcomes = {code: outcome_text(code) for code in OUTCOME_TEXT}
    for row in report.rows:
        yield [
            row.employee_no,
            row.name,
            row.unit,
            row.section,
            row.due,
            row.worked,
            row.lates,
            row.early,
            float(row.absence_days),
            float(row.leave_days),
            row.leave_text,
            row.business,
            outcomes[row.outcome],
            row.reason_text,
        ]


def as_csv(report: MonthlyReport) -> bytes:
    # Names and reasons are people's text: never a formula (bureau.exports).
    return csv_bytes(header(), rows(report))


def as_xlsx(report: MonthlyReport) -> bytes:
    return xlsx_bytes(workbook(report))


def as_xlsx_file(report: MonthlyReport, file=None, *, progress=None):
    """The xlsx in a (temporary) file, rewound: what the page streams and the
    background export keeps (bureau.exports.xlsx_file). `progress(n)` is called
    after each row written."""
    return xlsx_file(workbook(report, progress=progress), file)


def workbook(report: MonthlyReport, *, progress=None) -> Workbook:
    # write_only (with lxml): rows are streamed to disk as they are appended, so
    # memory stays flat whatever the number of people. Every text is a string
    # cell, never a formula (bureau.exports).
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{report.year}-{report.month:02d}")
    sheet.freeze_panes = "C2"
    sheet.append(xlsx_row(sheet, header(), bold=True))
    for done, row in enumerate(rows(report), start=1):
        sheet.append(xlsx_row(sheet, row))
        if progress is not None:
            progress(done)
    totals = book.create_sheet(_("Totals"))
    totals.append(
        xlsx_row(
            totals,
            [
                _("Unit / section"),
                _("People"),
                _("Late"),
                _("Early leave"),
                _("Absence days"),
            ],
            bold=True,
        )
    )
    for group in [*report.by_unit, *report.by_section]:
        totals.append(
            xlsx_row(
                totals,
                [
                    group.name,
                    group.people,
                    group.lates,
                    group.early,
                    float(group.absence_days),
                ],
            )
        )
    return book
