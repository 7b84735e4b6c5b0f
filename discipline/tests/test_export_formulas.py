"""DIS tallies export: evidence and names that look like formulas stay text
(issue 8, hole 4)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bureau.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("evidence", ["+1+1", "-2", "@SUM(A1)", "=1+1", "\t=1"])
def test_dis_tallies_xlsx_writes_formula_like_text_as_text(
    org, record, client_for, evidence
):
    """Every text cell of the workbook is a string cell, none a formula; the
    counts stay numbers."""
    Person.objects.filter(pk=org.a1.pk).update(name='=HYPERLINK("http://x","y")')
    record(org.a1, "2026-03-02", evidence=evidence)
    response = client_for(org.inspector).get(
        reverse("discipline:export") + "?year=2026"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    records = book.worksheets[1]
    header = [c.value for c in records[1]]
    row = records[2]
    evidence_cell = row[len(header) - 2]
    assert evidence_cell.value == evidence
    assert evidence_cell.data_type == "s" and evidence_cell.quotePrefix
    assert row[2].data_type == "s" and row[2].quotePrefix  # the name
    assert row[7].data_type == "n"  # the ladder step
    people = book.worksheets[0]
    person = next(r for r in people.iter_rows(min_row=2) if r[1].value.startswith("="))
    assert person[1].data_type == "s" and person[3].data_type == "n"
