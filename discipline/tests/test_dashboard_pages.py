"""Issue 17: the dashboard shows what a person reads — the people on record a page
at a time, the worst first — while its totals stay over everyone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.testing import PersonFactory
from discipline import views
from discipline.models import Violation
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


def _tallies_by_hand(people, year):
    """The dashboard's tallies read off the violations one by one: per person the
    upheld ones per ladder ("other" without one), the highest step per ladder, the
    pending complaints; per group, kind and month the upheld ones."""
    from collections import Counter

    from discipline import registry

    ids = {p.pk for p in people}
    rows = Violation.objects.filter(person_id__in=ids, occurred_on__year=year)
    per_person, by_group, by_kind, by_month = {}, Counter(), Counter(), Counter()
    for v in rows.select_related("person__section", "person__unit"):
        if v.status == Violation.Status.DISMISSED:
            continue
        group = v.person.section.name if v.person.section else v.person.unit.name
        mine = per_person.setdefault(
            v.person_id,
            {"by_ladder": {}, "positions": {}, "total": 0, "pending": 0, "group": ""},
        )
        mine["group"] = group
        by_group[group] += 0
        if v.status == Violation.Status.PENDING:
            mine["pending"] += 1
            continue
        ladder = v.ladder or registry.OTHER
        mine["by_ladder"][ladder] = mine["by_ladder"].get(ladder, 0) + 1
        mine["total"] += 1
        if v.ladder_step:
            mine["positions"][ladder] = max(
                mine["positions"].get(ladder, 0), v.ladder_step
            )
        by_group[group] += 1
        by_kind[v.kind] += 1
        by_month[ladder, v.occurred_on.month] += 1
    return per_person, by_group, by_kind, by_month


@pytest.mark.parametrize("who", ["inspector", "head_a"])
def test_dis_dashboard_tallies_read_as_the_violations_one_by_one(
    org, record, client_for, who
):
    """Issue 17: the tallies counted by the database (a row per person, a column
    per ladder) are what the violations say one by one — ladders, steps, pending
    complaints, dismissed ones left out, groups, kinds and months — for who sees
    everyone and for a section head, whose tallies hold only their section."""
    from discipline import selectors
    from discipline.services import violation_decide

    today = datetime.date(YEAR, 12, 31)
    record(org.a1, datetime.date(YEAR, 1, 5))
    record(org.a1, datetime.date(YEAR, 2, 5))
    record(org.a1, datetime.date(YEAR, 3, 5), "discipline.first_inquiry")
    record(org.a2, datetime.date(YEAR, 4, 5), "discipline.one_time_notice")  # pending
    dismissed = record(org.a2, datetime.date(YEAR, 5, 5), "discipline.one_time_notice")
    violation_decide(
        violation=dismissed, upheld=False, by=org.inspector.user, note="no"
    )
    record(org.b1, datetime.date(YEAR, 6, 5), "discipline.first_inquiry")
    complaint = record(org.b1, datetime.date(YEAR, 6, 9), "discipline.one_time_notice")
    violation_decide(violation=complaint, upheld=True, by=org.inspector.user)
    record(org.b1, datetime.date(YEAR, 9, 9), "discipline.one_time_notice")  # pending
    record(org.u1, datetime.date(YEAR, 7, 5))
    record(org.u1, datetime.date(YEAR - 1, 7, 5))  # another year
    # A record no ladder counts (a kind registered without one): "other".
    unladdered = record(org.u1, datetime.date(YEAR, 8, 5), "discipline.first_inquiry")
    Violation.objects.filter(pk=unladdered.pk).update(ladder="", ladder_step=None)
    user = getattr(org, who).user
    tallies = selectors.year_tallies(user, YEAR, today=today)
    visible = selectors.people_visible_to(user)
    per_person, by_group, by_kind, by_month = _tallies_by_hand(visible, YEAR)
    got = {
        t.id: {
            "by_ladder": t.by_ladder,
            "positions": t.positions,
            "total": t.total,
            "pending": t.pending,
            "group": t.group,
        }
        for t in tallies.people
    }
    assert got == per_person
    assert dict(tallies.by_group) == dict(by_group)
    assert {code: n for code, _label, n in tallies.by_kind} == dict(by_kind)
    assert {
        (ladder, month + 1): n
        for ladder, counts in tallies.by_month.items()
        for month, n in enumerate(counts)
        if n
    } == dict(by_month)
    assert tallies.total == sum(by_kind.values())
    assert tallies.pending == sum(p["pending"] for p in per_person.values())
    if who == "head_a":
        assert set(got) == {org.a1.pk, org.a2.pk}
    else:
        assert set(got) == {org.a1.pk, org.a2.pk, org.b1.pk, org.u1.pk}
