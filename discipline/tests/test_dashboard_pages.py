"""Issue 17: the dashboard shows what a person reads — the people on record a page
at a time, the worst first — while its totals stay over everyone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.testing import PersonFactory
from discipline import views
from discipline.tests.test_views import YEAR, url

pytestmark = pytest.mark.django_db


def _people(org, record, n, per_person=1):
    people = []
    for i in range(n):
        person = PersonFactory(unit=org.unit)
        for j in range(per_person):
            record(person, datetime.date(YEAR, 1 + (i + j) % 12, 3 + j))
        people.append(person)
    return people


def test_dis_dashboard_pages_people_worst_first_totals_over_everyone(
    org, record, client_for, monkeypatch
):
    """With 7 people on record and pages of 3: page 1 holds the 3 worst (most
    violations first), page 3 the last one; the total, the people count and the
    highlighted count are those of all 7 on every page; rows link to the person."""
    monkeypatch.setattr(views, "DASHBOARD_PAGE", 3)
    light = _people(org, record, 5, per_person=1)
    heavy = _people(org, record, 2, per_person=2)
    client = client_for(org.inspector)
    first = client.get(url("dashboard", year=YEAR))
    shown = [t.id for t in first.context["page"]]
    assert set(shown[:2]) == {p.pk for p in heavy}
    assert len(shown) == 3
    html = first.content.decode()
    assert 'data-total="9"' in html
    assert first.context["people_count"] == 7
    assert f'href="/discipline/people/{shown[0]}/?year={YEAR}"' in html
    assert 'id="people-pages"' in html
    last = client.get(url("dashboard", year=YEAR, page=3))
    assert [t.id for t in last.context["page"]] == [
        t.id for t in last.context["tallies"].people[6:]
    ]
    assert 'data-total="9"' in last.content.decode()
    everyone = {t.id for t in first.context["tallies"].people}
    assert everyone == {p.pk for p in light + heavy}
    # A page number beyond the last shows the last page.
    assert client.get(url("dashboard", year=YEAR, page=99)).status_code == 200


def test_dis_dashboard_renders_one_page_whatever_the_people_on_record(
    org, record, client_for
):
    """The page renders at most a page of people: 60 people on record give 50 rows
    and the same number of queries as 2."""
    client = client_for(org.inspector)
    _people(org, record, 2)
    client.get(url("dashboard", year=YEAR))
    with CaptureQueriesContext(connection) as few:
        page = client.get(url("dashboard", year=YEAR))
    assert page.content.count(b" data-person=") == 2
    _people(org, record, 58)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("dashboard", year=YEAR))
    assert len(many) == len(few)
    assert page.content.count(b" data-person=") == views.DASHBOARD_PAGE
