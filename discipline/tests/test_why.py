"""Why pages of discipline (issue 16 item 6): a violation, its outcome and the
year's grade cap show the rule and the ladder version; the person and their leader
see them, another staff member gets 404."""

import datetime

import pytest
from django.urls import reverse

from discipline.models import Outcome

pytestmark = pytest.mark.django_db


def _lates(org, record, n):
    return [
        record(org.a1, datetime.date(2026, 3, day), "attendance.late")
        for day in range(2, 2 + n)
    ]


def test_att11_why_violation_and_outcome(org, record, client_for):
    (violation,) = _lates(org, record, 1)
    outcome = Outcome.objects.get(violation=violation)
    for kind, pk in (
        ("discipline.violation", violation.pk),
        ("discipline.outcome", outcome.pk),
    ):
        url = reverse("rules:why", args=[kind, pk])
        page = client_for(org.a1).get(url)
        assert page.status_code == 200, kind
        assert "批评教育" in page.text  # ATT-11's text
        assert client_for(org.head_a).get(url).status_code == 200
        assert client_for(org.b1).get(url).status_code == 404


def test_dis6_why_grade_cap_lists_what_set_it(org, record, client_for):
    _lates(org, record, 5)
    url = reverse("rules:why", args=["discipline.cap", org.a1.pk]) + "?year=2026"
    page = client_for(org.a1).get(url)
    assert page.status_code == 200
    assert "基本称职" in page.text
    assert client_for(org.b1).get(url).status_code == 404


def test_discipline_record_links_to_why(org, record, client_for):
    (violation,) = _lates(org, record, 1)
    page = client_for(org.a1).get(
        reverse("discipline:person", args=[org.a1.pk]) + "?year=2026"
    )
    assert reverse("rules:why", args=["discipline.violation", violation.pk]) in (
        page.text
    )
