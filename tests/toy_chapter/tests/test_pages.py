"""The chapter's pages: permission by URL, parameters through bureau.params (a bad
month is the 400 page), only named decisions, a formula-safe export, and the same
number of queries at 2 and at 20 trips."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.toy_chapter.models import Trip
from tests.toy_chapter.services import trip_dispatch

pytestmark = pytest.mark.django_db


def test_toy_pages_by_url_for_each_role(cars, ask, client_for):
    """The list is everyone's (their own scope); the export is the dispatcher's
    (404 for others); deciding is for whom the step waits (404 for others)."""
    trip = ask(cars.a1)
    trips = reverse("toy_cars:trips")
    export = reverse("toy_cars:export")
    decide = reverse("toy_cars:decide", args=[trip.pk])
    for person in (cars.a1, cars.head_b, cars.u1, cars.dispatcher):
        assert client_for(person).get(trips).status_code == 200
    assert client_for(cars.dispatcher).get(export).status_code == 200
    for person in (cars.a1, cars.head_a, cars.director):
        assert client_for(person).get(export).status_code == 404
    for person in (cars.a1, cars.head_b, cars.dispatcher):
        response = client_for(person).post(decide, {"decision": "approve"})
        assert response.status_code == 404, person
    assert client_for(cars.head_a).post(
        decide, {"decision": "approve"}
    ).status_code == (302)


def test_toy_list_shows_only_the_scope(cars, ask, client_for):
    ask(cars.a1, destination="甲地")
    ask(cars.b1, destination="乙地")
    page = client_for(cars.head_a).get(reverse("toy_cars:trips")).content.decode()
    assert "甲地" in page and "乙地" not in page


def test_toy_bad_month_is_the_400_page_and_an_unknown_decision_changes_nothing(
    cars, ask, client_for
):
    """bureau.params: ?month=2026-13 and a month beyond the date bounds are 400
    pages naming the parameter; a decision other than the named two is a 400 and
    the step still waits."""
    client = client_for(cars.a1)
    for month in ("2026-13", "9999-01", "abc"):
        response = client.get(reverse("toy_cars:trips"), {"month": month})
        assert response.status_code == 400, month
    trip = ask(cars.a1)
    response = client_for(cars.head_a).post(
        reverse("toy_cars:decide", args=[trip.pk]), {"decision": "yes"}
    )
    assert response.status_code == 400
    assert trip.current_approval.current_step().order == 1


def test_toy_export_keeps_text_text(cars, ask, client_for):
    """bureau.exports.csv_bytes: a destination typed as a formula stays text."""
    ask(cars.a1, destination="=HYPERLINK(1)")
    body = client_for(cars.dispatcher).get(reverse("toy_cars:export")).content
    assert b"'=HYPERLINK(1)" in body


def test_toy_list_costs_the_same_at_2_and_20_trips(cars, ask, client_for):
    """No query per row: the chain is prefetched (selectors.with_chain)."""
    client = client_for(cars.head_a)
    url = reverse("toy_cars:trips")

    def cost(n):
        for _ in range(n - Trip.objects.count()):
            trip = ask(cars.a1)
            trip_dispatch(trip=trip, by=cars.head_a.user, decision="approve")
        client.get(url)  # warm the per-process caches (policies, content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert cost(2) == cost(20)


def test_toy_admin_action_decides_through_the_service(cars, ask, client_for):
    """The admin action (permission "decide", form_action): each selected trip goes
    through trip_dispatch; what the service refuses is reported, not applied."""
    mine, not_mine = ask(cars.a1), ask(cars.a2)
    trip_dispatch(trip=not_mine, by=cars.head_a.user, decision="approve")
    response = client_for(cars.head_a).post(
        reverse("admin:toy_cars_trip_changelist"),
        {
            "action": "decide",
            "_selected_action": [mine.pk, not_mine.pk],
            "apply": "1",
            "decision": "approve",
            "car": "",
            "comment": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any("1" in t for t in texts) and len(texts) == 2
    assert mine.current_approval.current_step().order == 2
    assert not_mine.current_approval.current_step().order == 2
    # No "decide" action for a person without the engine's decide permission.
    # The dispatcher (a registered admin role) reads the list but decides on the
    # chapter's page, where the car is chosen.
    page = client_for(cars.dispatcher).get(reverse("admin:toy_cars_trip_changelist"))
    assert page.status_code == 200
    assert 'value="decide"' not in page.content.decode()
