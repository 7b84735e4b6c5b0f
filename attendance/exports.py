"""The monthly report as a spreadsheet (xlsx) or CSV: the same rows as the page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from attendance.selectors import MonthlyReport
from bureau.exports import csv_bytes
from bureau.xlsx import XlsxSheet, xlsx_file

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
    with as_xlsx_file(report) as handle:
        return handle.read()


def as_xlsx_file(report: MonthlyReport, file=None, *, progress=None):
    """The xlsx in a (temporary) file, rewound: what the page streams and the
    background export keeps. Written by `bureau.xlsx` (sheet XML as text, a chunk
    of rows at a time: flat memory, about a fifth of openpyxl's time at 10,000
    people); every text is a string cell, never a formula. `progress(n)` is
    called every few hundred rows with the rows written so far."""
    return xlsx_file(sheets(report), file, progress=progress)


def sheets(report: MonthlyReport) -> list[XlsxSheet]:
    totals = [
        [group.name, group.people, group.lates, group.early, float(group.absence_days)]
        for group in [*report.by_unit, *report.by_section]
    ]
    return [
        XlsxSheet(
            f"{report.year}-{report.month:02d}", header(), rows(report), freeze="C2"
        ),
        XlsxSheet(
            _("Totals"),
            [
                _("Unit / section"),
                pgettext("count", "People"),
                _("Late"),
                _("Early leave"),
                _("Absence days"),
            ],
            totals,
        ),
    ]
