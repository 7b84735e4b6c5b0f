"""A small streaming xlsx writer for the bureau's largest exports.

openpyxl's write-only mode (with lxml) still builds an object per cell and
serialises it through its own writer: at 10,000 people × 14 columns that is most
of the monthly report's xlsx time (issue 17). This module writes the sheet XML
as text, a chunk of rows at a time, straight into the zip member, so time is a
few string joins per row and memory stays flat whatever the number of rows.

It writes only what the exports need: text (inline strings), numbers, booleans,
dates and datetimes, a bold header row, a frozen pane, and several sheets. The
safety rule of ``bureau.exports`` holds: every text is a string cell, never a
formula; a text that a spreadsheet would read as a formula also gets Excel's quote
prefix (style), so that editing the cell keeps it text. Control characters that
XML cannot carry are replaced, as ``bureau.exports.xlsx_cell`` does.

    with open(path, "wb") as handle:
        write_xlsx(handle, [XlsxSheet("2026-11", header, rows, freeze="C2")])

The file opens in Excel, LibreOffice and openpyxl (the tests read it back).
"""

from __future__ import annotations

import datetime
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bureau.exports import looks_like_formula

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (indexes into styles.xml's cellXfs).
PLAIN, BOLD, QUOTED, DATE, DATETIME, BOLD_QUOTED = range(6)
STYLES = (
    HEAD + f'<styleSheet xmlns="{MAIN_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
EPOCH = datetime.datetime(1899, 12, 30)
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
ROWS_PER_CHUNK = 500


@dataclass
class XlsxSheet:
    """One sheet: its title, a bold header row, the rows (any iterable of
    sequences, consumed once), and the cell the frozen pane starts at."""

    title: str
    header: list[Any]
    rows: Iterable[Iterable[Any]]
    freeze: str | None = None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace() or "\n" in value:
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


def _cell(ref: str, value: Any, bold: bool) -> str:
    if value is None or value == "":
        return f'<c r="{ref}" s="{BOLD}"/>' if bold else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{_s(bold)}><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{_s(bold)}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        serial = (value - EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial}</v></c>'
    if isinstance(value, datetime.date):
        serial = (value - EPOCH.date()).days
        return f'<c r="{ref}" s="{DATE}"><v>{serial}</v></c>'
    value = str(value)
    if looks_like_formula(value):
        style = BOLD_QUOTED if bold else QUOTED
        return f'<c r="{ref}" t="inlineStr" s="{style}"><is>{_text(value)}</is></c>'
    return f'<c r="{ref}" t="inlineStr"{_s(bold)}><is>{_text(value)}</is></c>'


def _s(bold: bool) -> str:
    return f' s="{BOLD}"' if bold else ""


def _row(number: int, letters: list[str], values, bold=False) -> str:
    cells = "".join(
        _cell(f"{letters[i]}{number}", value, bold) for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _pane(freeze: str | None) -> str:
    if not freeze or freeze == "A1":
        return ""
    match = re.fullmatch(r"([A-Z]+)(\d+)", freeze)
    column = 0
    for char in match.group(1):
        column = column * 26 + ord(char) - 64
    x, y = column - 1, int(match.group(2)) - 1
    active = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
    split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return (
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane{split} topLeftCell="{freeze}" activePane="{active}" state="frozen"/>'
        f'<selection pane="{active}"/></sheetView></sheetViews>'
    )


def _sheet_name(title: str, taken: set[str]) -> str:
    name = SHEET_NAME_FORBIDDEN.sub("_", title).strip("'")[:31] or "Sheet"
    base, n = name, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    taken.add(name.lower())
    return name


def _attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def write_xlsx(
    file, sheets: Iterable[XlsxSheet], *, progress: Callable[[int], Any] | None = None
):
    """Write `sheets` as an xlsx file into `file` (a binary file object open for
    writing). `progress(n)` is called every few hundred data rows of the first
    sheet and at its end, with the number of rows written so far."""
    names: list[str] = []
    taken: set[str] = set()
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for number, sheet in enumerate(sheets, start=1):
            names.append(_sheet_name(str(sheet.title), taken))
            width = max(len(sheet.header), 1)
            letters = [column_letter(i) for i in range(width)]
            member = f"xl/worksheets/sheet{number}.xml"
            with zf.open(member, "w", force_zip64=True) as out:
                out.write(
                    (
                        HEAD
                        + f'<worksheet xmlns="{MAIN_NS}">'
                        + _pane(sheet.freeze)
                        + "<sheetData>"
                        + _row(1, letters, sheet.header, bold=True)
                    ).encode()
                )
                chunk: list[str] = []
                row_number = 1
                for values in sheet.rows:
                    values = list(values)
                    if len(values) > len(letters):
                        letters += [
                            column_letter(i) for i in range(len(letters), len(values))
                        ]
                    row_number += 1
                    chunk.append(_row(row_number, letters, values))
                    if len(chunk) >= ROWS_PER_CHUNK:
                        out.write("".join(chunk).encode())
                        chunk = []
                        if progress is not None and number == 1:
                            progress(row_number - 1)
                out.write(("".join(chunk) + "</sheetData></worksheet>").encode())
                if progress is not None and number == 1:
                    progress(row_number - 1)
        sheet_entries = "".join(
            f'<sheet name="{_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        zf.writestr(
            "xl/workbook.xml",
            HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f"<sheets>{sheet_entries}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        styles_id = len(names) + 1
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            HEAD + f'<Relationships xmlns="{PKG_REL_NS}">{rels}'
            f'<Relationship Id="rId{styles_id}" Type="{REL_NS}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        zf.writestr("xl/styles.xml", STYLES)
        zf.writestr(
            "_rels/.rels",
            HEAD + f'<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        zf.writestr(
            "[Content_Types].xml",
            HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
    return file


def xlsx_file(sheets: Iterable[XlsxSheet], file=None, *, progress=None):
    """`sheets` written to `file` (a new temporary file by default), rewound:
    what a FileResponse streams or a FileField saves; the temporary file is gone
    when it is closed."""
    if file is None:
        file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
    write_xlsx(file, sheets, progress=progress)
    file.seek(0)
    return file
