"""Spreadsheet exports that never turn a person's text into a formula.

A name, reason or evidence that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read by Excel and LibreOffice as a formula when it sits in a csv
file, and openpyxl writes a string starting with ``=`` as a live formula in an xlsx
file (OWASP "CSV injection"). Every export of the bureau goes through the helpers
here, so text stays text and numbers and dates stay typed:

- csv: ``safe_row(values)`` (or ``safe_cell(value)``) puts a single quote before
  such a text; numbers, dates and other text are written as they are.
- xlsx (openpyxl, write-only sheets): ``xlsx_row(sheet, values)`` makes every text
  a string cell (``data_type "s"``, never ``"f"``), marked with Excel's quote prefix
  when it looks like a formula so that editing the cell keeps it text; the text
  itself is unchanged. Numbers and dates stay numbers and dates.
- a large xlsx (the monthly report): `bureau.xlsx` writes the sheet's XML itself,
  streamed, with the same rule (a string cell, the quote prefix on a formula-like
  text).
- django-import-export: resources inherit ``BureauResource`` and admins
  ``BureauImportExportMixin`` (formats ``SafeXLSX`` and ``SafeCSV``), which apply the
  same rule to every text column and leave numeric, boolean and date columns typed.

The package's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` is not used: in 4.4 it
only strips a leading ``=`` (a ``+``/``-``/``@`` formula passes), it changes the text
itself, and it turns every cell of the file, numbers included, into a string.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """True for a text that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value: Any) -> Any:
    """A csv cell: a formula-like text gets a leading single quote; others unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value


def unquote_cell(value: Any) -> Any:
    """A csv cell read back: the quote that ``safe_cell`` added is taken off."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and looks_like_formula(value[1:])
    ):
        return value[1:]
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def csv_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A UTF-8 csv with a BOM (so Excel reads the Chinese) and every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell(sheet, value: Any, *, bold: bool = False):
    """A value for a write-only sheet's row; text is a string cell, never a formula.

    Plain values are returned as they are (openpyxl types them: a number stays a
    number, a text not starting with ``=`` is a string); only a formula-like text
    or a bold cell needs a cell object, which keeps a 100,000-cell export fast.
    """
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        # Control characters make openpyxl refuse the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    formula_like = looks_like_formula(value)
    if not formula_like and not bold:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if formula_like:
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_row(sheet, values: Iterable[Any], *, bold: bool = False) -> list[Any]:
    return [xlsx_cell(sheet, value, bold=bold) for value in values]


def xlsx_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- django-import-export ---------------------------------------------------------

TYPED_WIDGETS = (
    widgets.NumberWidget,
    widgets.BooleanWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
)


class Text(str):
    """A cell's value that came from a text column: always written as text."""


class BureauResource(resources.ModelResource):
    """The base of every import-export resource of the bureau and its chapters.

    Values of text columns are marked ``Text`` so that the bureau's formats write
    them as text (csv: a quote before a formula-like text; xlsx: a string cell);
    numeric, boolean and date columns keep their values, negative numbers included.
    A csv cell that the export quoted is read back without its quote on import.
    """

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and not isinstance(field.widget, TYPED_WIDGETS):
            return Text(value)
        return value

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            row[key] = unquote_cell(value)
        super().before_import_row(row, **kwargs)


def _escape_for_csv(value: Any) -> Any:
    # Text columns always; any other string too unless it is a plain number
    # (a numeric column's value rendered as a string, e.g. "-2").
    if isinstance(value, Text) or (isinstance(value, str) and not _is_number(value)):
        return safe_cell(value)
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in {"nan", "inf", "-inf", "+inf"}


class SafeCSV(CSV):
    """import-export's csv format with every formula-like text quoted."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=safe_row(dataset.headers or []))
        for row in dataset:
            safe.append([_escape_for_csv(value) for value in row])
        return safe.export("csv", **kwargs)


class SafeXLSX(XLSX):
    """import-export's xlsx format, written with text cells that are never formulas."""

    def export_data(self, dataset, **kwargs):

        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(dataset.title or "Sheet1")[:31])
        sheet.freeze_panes = "A2"
        if dataset.headers:
            sheet.append(xlsx_row(sheet, [str(h) for h in dataset.headers], bold=True))
        for row in dataset:
            sheet.append(xlsx_row(sheet, row))
        return xlsx_bytes(book)


class BureauImportExportMixin(ImportExportMixin):
    """ImportExportMixin for the bureau's admins: the safe formats, typed xlsx cells."""

    formats = [SafeXLSX, SafeCSV]

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # The package types cells only for its own xlsx class (an exact type check).
        data = self.get_data_for_export(
            request,
            queryset,
            force_native_type=file_format.is_binary(),
            **kwargs,
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data
