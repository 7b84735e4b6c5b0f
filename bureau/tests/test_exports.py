"""Exports write formula-like text as text (issue 8, hole 4): the helper itself,
import-export's formats, the roster export, and every import-export admin using them."""

import csv
import io

import pytest
import tablib
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ImportExportMixinBase
from openpyxl import Workbook, load_workbook

from bureau.exports import (
    BureauImportExportMixin,
    BureauResource,
    SafeCSV,
    SafeXLSX,
    Text,
    looks_like_formula,
    safe_cell,
    unquote_cell,
    xlsx_row,
)
from bureau.models import Person


@pytest.mark.parametrize(
    ("value", "formula"),
    [
        ("=1+1", True),
        ("+1+1", True),
        ("-2", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("\r=1", True),
        ('=HYPERLINK("http://x","y")', True),
        ("张三", False),
        ("a=b", False),
        ("", False),
        (-2, False),
        (1.5, False),
        (None, False),
    ],
)
def test_formula_like_values(value, formula):
    assert looks_like_formula(value) is formula
    if formula:
        assert safe_cell(value) == "'" + value
        assert unquote_cell(safe_cell(value)) == value
    else:
        assert safe_cell(value) == value


def test_xlsx_row_keeps_numbers_and_dates_typed_and_text_as_text():
    import datetime

    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    sheet.append(
        xlsx_row(sheet, ["=1+1", "-2", -2, 0.5, datetime.date(2026, 1, 2), "ok\x01"])
    )
    buffer = io.BytesIO()
    book.save(buffer)
    cells = load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    assert [c.data_type for c in cells] == ["s", "s", "n", "n", "d", "s"]
    assert cells[0].value == "=1+1" and cells[0].quotePrefix
    assert cells[2].value == -2
    assert cells[5].value == "ok\N{REPLACEMENT CHARACTER}"


def test_safe_csv_quotes_text_columns_and_keeps_numeric_ones():
    """A text column's "-2" is quoted; a numeric column's "-2" (rendered as a
    string by import-export) and a native -2 stay numbers."""
    dataset = tablib.Dataset(
        [Text("-2"), "-2", -2, Text("@SUM(A1)"), "=1+1"],
        headers=["reason", "amount", "native", "note", "other"],
    )
    row = list(csv.reader(io.StringIO(SafeCSV().export_data(dataset))))[1]
    assert row == ["'-2", "-2", "-2", "'@SUM(A1)", "'=1+1"]


def test_safe_xlsx_writes_text_cells():
    dataset = tablib.Dataset([Text("=1+1"), -2], headers=["name", "n"])
    sheet = load_workbook(io.BytesIO(SafeXLSX().export_data(dataset))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=1+1"
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == -2


NAME = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def formula_person(org):
    Person.objects.filter(pk=org.a1.pk).update(name=NAME, title="-2", phone="@SUM(A1)")
    return org.a1


def export(client, fmt_index):
    fields = {
        f"personresource_{name}": "on"
        for name in ["employee_no", "name", "unit", "title", "phone", "is_active"]
    }
    return client.post(
        reverse("admin:bureau_person_export"),
        {"format": fmt_index, "resource": "0", **fields},
    )


def test_roster_export_xlsx_writes_formula_like_text_as_text(
    org, formula_person, client_for
):
    response = export(client_for(org.admin), "0")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for r in sheet.iter_rows() for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[0].value == org.a1.employee_no
    )
    assert row[1].value == NAME and row[1].data_type == "s" and row[1].quotePrefix
    assert row[3].value == "-2" and row[3].data_type == "s"
    assert row[4].value == "@SUM(A1)" and row[4].data_type == "s"
    assert row[5].data_type == "b"  # active: a boolean cell, still typed


def test_roster_export_csv_quotes_formula_like_text(org, formula_person, client_for):
    response = export(client_for(org.admin), "1")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r[0] == org.a1.employee_no)
    assert row[1] == "'" + NAME and row[3] == "'-2" and row[4] == "'@SUM(A1)"
    assert not [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@")]


def test_every_import_export_admin_uses_the_safe_formats():
    """Future chapters inherit the escaping: every admin with import or export is
    a BureauImportExportMixin, every resource a BureauResource."""
    found = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ImportExportMixinBase)
    ]
    assert found
    for model_admin in found:
        assert isinstance(model_admin, BureauImportExportMixin), model_admin
        assert all(issubclass(f, SafeCSV | SafeXLSX) for f in model_admin.formats), (
            model_admin
        )
        for resource in model_admin.resource_classes:
            assert issubclass(resource, BureauResource), resource
