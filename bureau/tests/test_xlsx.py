"""bureau.xlsx: the streaming writer's files read back by openpyxl."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bureau.xlsx import XlsxSheet, column_letter, write_xlsx


def written(*sheets, progress=None):
    buffer = io.BytesIO()
    write_xlsx(buffer, list(sheets), progress=progress)
    buffer.seek(0)
    return buffer


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_values_keep_their_types_and_the_header_is_bold():
    rows = [
        ["B000001", "张三", 3, 1.5, Decimal("2.50"), True, None, ""],
        ["B000002", "李四 ", 0, 0.0, Decimal("0"), False, "x", "y"],
    ]
    book = load_workbook(written(XlsxSheet("2026-11", list("ABCDEFGH"), rows)))
    sheet = book["2026-11"]
    assert [c.value for c in sheet[1]] == list("ABCDEFGH")
    assert all(c.font.b for c in sheet[1])
    assert [c.value for c in sheet[2]] == [
        "B000001",
        "张三",
        3,
        1.5,
        2.5,
        True,
        None,
        None,
    ]
    assert [c.value for c in sheet[3]] == ["B000002", "李四 ", 0, 0, 0, False, "x", "y"]
    assert not sheet["A2"].font.b


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", '=HYPERLINK("x")']
)
def test_a_formula_like_text_stays_text_with_the_quote_prefix(text):
    book = load_workbook(written(XlsxSheet("s", ["h"], [[text]])))
    cell = book["s"]["A2"]
    assert cell.value == text.replace("\t", "\t")
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_xml_special_and_control_characters():
    text = 'a<b>&"c"\x01\x0b end'
    book = load_workbook(written(XlsxSheet("s", ["h"], [[text], ["  lead"], ["x\ny"]])))
    sheet = book["s"]
    assert (
        sheet["A2"].value
        == 'a<b>&"c"\N{REPLACEMENT CHARACTER}\N{REPLACEMENT CHARACTER} end'
    )
    assert sheet["A3"].value == "  lead"
    assert sheet["A4"].value == "x\ny"


def test_dates_and_datetimes_are_dates():
    day = datetime.date(2026, 11, 30)
    moment = datetime.datetime(2026, 11, 30, 8, 30)
    book = load_workbook(written(XlsxSheet("s", ["d", "t"], [[day, moment]])))
    sheet = book["s"]
    assert sheet["A2"].value == datetime.datetime(2026, 11, 30)
    assert sheet["A2"].is_date
    assert sheet["B2"].value == moment


def test_several_sheets_names_made_valid_and_unique_and_a_frozen_pane():
    buffer = written(
        XlsxSheet("2026-11", ["a"], [[1]], freeze="C2"),
        XlsxSheet("合计/汇总[1]", ["b"], [[2]]),
        XlsxSheet("合计/汇总[1]", ["c"], []),
    )
    book = load_workbook(buffer)
    assert book.sheetnames == ["2026-11", "合计_汇总_1_", "合计_汇总_1__2"]
    assert book["2026-11"].freeze_panes == "C2"
    assert book["合计_汇总_1__2"].max_row == 1


def test_rows_are_streamed_and_progress_is_reported():
    seen = []
    rows = ([i, f"人员{i}"] for i in range(1234))  # a generator: consumed once
    buffer = written(XlsxSheet("s", ["n", "name"], rows), progress=seen.append)
    assert seen[-1] == 1234
    assert seen == sorted(seen)
    book = load_workbook(buffer, read_only=True)
    values = list(book["s"].iter_rows(values_only=True))
    assert len(values) == 1235
    assert values[-1] == (1233, "人员1233")
    assert zipfile.ZipFile(buffer).testzip() is None
