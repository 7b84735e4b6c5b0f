"""The worked example of docs/new_chapter.md, end to end: a chapter that plugs into
the approval engine, discipline and the scoping vocabulary without editing them.

Ask for a car → the supervisor agrees → the dispatcher's stand-in dispatches and the
step hook assigns the car → a trip made without a dispatch is a violation whose
ladder gives its outcome → the scoping selector hides the trips from another section
→ the admin's history pages are in scope and read-only.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from approvals.models import ApprovalRequest, ApprovalStep, Notification
from bureau.models import OutboxMessage
from discipline import registry
from discipline.models import Outcome, Violation
from discipline.rules import ADMONITION, BASIC, CRITICISM, EFFICIENCY_WARNING, RANK
from tests.toy_chapter import selectors
from tests.toy_chapter.models import Trip
from tests.toy_chapter.services import (
    TripError,
    trip_dispatch,
    trip_record_undispatched,
    trip_resubmit,
)
from tests.toy_chapter.tests.conftest import DAY

pytestmark = pytest.mark.django_db

CAR = "赣C·12345"


def steps_of(trip):
    approval = trip.current_approval
    return list(approval.steps.order_by("order"))


def test_toy1_trip_goes_supervisor_then_dispatchers_stand_in_who_assigns_the_car(
    cars, ask, client_for, django_capture_on_commit_callbacks
):
    """TOY-1: a 30 km trip is agreed by the section head, then dispatched by the
    dispatcher's stand-in (ORG-2) on the chapter's page; the hook assigns the car,
    the trip mirrors the outcome, the requester is notified and e-mailed after
    commit through the outbox."""
    cars.a1.user.email = "a1@example.org"
    cars.a1.user.save()
    trip = ask(cars.a1)
    assert trip.status == Trip.Status.REQUESTED
    assert trip.rule == "TOY-1" and trip.chain_policy_id is not None
    first, second = steps_of(trip)
    assert (first.relation, first.approver) == ("supervisor", cars.head_a)
    assert (second.relation, second.hook) == ("toy_dispatcher", "assign_car")
    assert (second.approver, second.acting_for) == (cars.stand_in, cars.dispatcher)

    trip_dispatch(trip=trip, by=cars.head_a.user, decision="approve")
    client = client_for(cars.stand_in)
    url = reverse("toy_cars:decide", args=[trip.pk])
    # Without a car the hook refuses the decision: nothing is saved.
    response = client.post(url, {"decision": "approve", "car": ""})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REQUESTED and trip.car == ""
    assert steps_of(trip)[1].status == ApprovalStep.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "car": CAR})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert (trip.status, trip.car) == (Trip.Status.DISPATCHED, CAR)
    decided = steps_of(trip)[1]
    assert (decided.decided_by, decided.acting_for) == (cars.stand_in, cars.dispatcher)
    assert trip.current_approval.status == ApprovalRequest.Status.APPROVED
    assert Notification.objects.filter(
        recipient=cars.a1, request=trip.current_approval
    ).exists()
    row = OutboxMessage.objects.get(
        key=f"toy_cars.dispatched:{trip.current_approval.pk}"
    )
    assert row.state == "sent"
    assert any(CAR in m.subject for m in mail.outbox)
    # The history of the trip names who changed it.
    assert trip.history.filter(car=CAR).first().history_user == cars.stand_in.user


def test_toy1_100_km_and_more_goes_to_the_director_99_9_does_not(cars, ask):
    """TOY-1 tiers through the engine (approvals.tiers): 100公里以上 ("at_least")
    adds the director; 99.9 km stays with the dispatcher."""
    short = ask(cars.a1, km="99.9")
    long = ask(cars.a2, km=100)
    assert [s.relation for s in steps_of(short)] == ["supervisor", "toy_dispatcher"]
    assert [s.relation for s in steps_of(long)] == [
        "supervisor",
        "toy_dispatcher",
        "director",
    ]


def test_toy1_directors_own_trip_goes_to_the_bureaus_top_not_the_county(cars, ask):
    """End of chain "director": nobody is above the director, so the supervisor's
    step goes to the deputy in charge of the comprehensive section (bureau_top);
    no county step is made."""
    trip = ask(cars.director)
    steps = steps_of(trip)
    assert [(s.relation, s.approver) for s in steps] == [
        ("bureau_top", cars.dep_a),
        ("toy_dispatcher", cars.stand_in),
    ]
    assert not any(s.external_role for s in steps)


def test_toy1_dispatcher_asking_goes_to_the_director(cars, ask):
    """ORG-3 through the registered relation: the only dispatcher asking for a car
    escalates to the director (escalates_to="director")."""
    cars.away.delete()
    trip = ask(cars.dispatcher)
    last = steps_of(trip)[-1]
    assert (last.relation, last.approver) == ("toy_dispatcher", cars.director)


def test_toy1_the_car_is_not_assigned_twice_on_one_day(cars, ask):
    """The hook refuses a car already assigned that day: the decision is not
    saved and the step still waits."""
    one, two = ask(cars.a1), ask(cars.a2)
    for trip in (one, two):
        trip_dispatch(trip=trip, by=cars.head_a.user, decision="approve")
    trip_dispatch(trip=one, by=cars.stand_in.user, decision="approve", car=CAR)
    with pytest.raises(TripError, match=CAR):
        trip_dispatch(trip=two, by=cars.stand_in.user, decision="approve", car=CAR)
    two.refresh_from_db()
    assert (two.status, two.car) == (Trip.Status.REQUESTED, "")
    assert steps_of(two)[1].status == ApprovalStep.Status.PENDING


def test_toy1_a_refused_trip_asked_again_is_a_second_round(cars, ask):
    """Rounds: refused by the dispatcher's stand-in, asked again; round 2 is the
    current approval and starts from the first step."""
    trip = ask(cars.a1)
    trip_dispatch(trip=trip, by=cars.head_a.user, decision="approve")
    trip_dispatch(
        trip=trip, by=cars.stand_in.user, decision="refuse", comment="车辆检修"
    )
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REFUSED
    with pytest.raises(TripError):
        trip_resubmit(trip=trip, by=cars.a2.user)
    again = trip_resubmit(trip=trip, by=cars.a1.user)
    assert again.status == Trip.Status.REQUESTED
    assert [a.round for a in trip.approvals.order_by("round")] == [1, 2]
    assert again.current_approval.round == 2
    assert again.current_approval.current_step().relation == "supervisor"
    with pytest.raises(TripError):
        trip_resubmit(trip=again, by=cars.a1.user)  # round 2 is open


def test_toy2_trips_without_dispatch_climb_the_registered_ladder(cars, frozen):
    """TOY-2 (a ladder the chapter registered): the 1st trip without a dispatch is a
    criticism, the 2nd an admonition, the 3rd an efficiency warning capping the
    year at 基本称职 — recorded with the trip, judged in the same transaction."""
    assert registry.find_ladder("toy_car_trips").rule == "TOY-2"
    assert registry.check_registry() == []
    days = [datetime.date(2026, 3, 2), datetime.date(2026, 5, 6), DAY]
    for day in days:
        trip_record_undispatched(
            person=cars.u1,
            date=day,
            destination="县城",
            car=CAR,
            evidence="出车登记无派车单",
            by=cars.dispatcher.user,
        )
    violations = Violation.objects.filter(person=cars.u1).order_by("occurred_on")
    assert [v.kind for v in violations] == ["toy_cars.trip_without_dispatch"] * 3
    assert all(v.ladder == "toy_car_trips" for v in violations)
    outcomes = Outcome.objects.filter(person=cars.u1, rule="TOY-2").order_by("step")
    by_step = {}
    for outcome in outcomes:
        by_step.setdefault(outcome.step, set()).add(outcome.kind)
    assert by_step[1] == {CRITICISM}
    assert by_step[2] == {ADMONITION}
    assert EFFICIENCY_WARNING in by_step[3]
    caps = [o.cap_rank for o in outcomes if o.cap_rank]
    assert caps == [RANK[BASIC]]
    # Idempotent per (kind, source): the trip is the source.
    trip = Trip.objects.filter(person=cars.u1).first()
    assert Violation.objects.filter(source_id=trip.pk).count() == 1


def test_toy_scope_hides_a_trip_from_another_section(cars, ask, client_for):
    """The scoping selector: the person, those in whose charge they are, the
    deciders the chain has reached (not future steps) and the dispatcher see the
    trip; another section's
    head, its deputy and a unit's staff do not — in lists and by URL (404)."""
    trip = ask(cars.a1)
    stand_in = cars.stand_in.user  # b1, of section B, on the second step (ORG-2)
    assert not selectors.trips_visible_to(stand_in, on=DAY).filter(pk=trip.pk)
    trip_dispatch(trip=trip, by=cars.head_a.user, decision="approve")
    seeing = [cars.a1, cars.head_a, cars.dep_a, cars.director, cars.dispatcher]
    seeing.append(cars.stand_in)  # once the chain reached them
    for person in seeing:
        assert (
            selectors.trips_visible_to(person.user, on=DAY).filter(pk=trip.pk).exists()
        ), person
    for person in (cars.head_b, cars.dep_b, cars.u1, cars.unit_head):
        assert (
            not selectors.trips_visible_to(person.user, on=DAY)
            .filter(pk=trip.pk)
            .exists()
        ), person
    change = reverse("admin:toy_cars_trip_change", args=[trip.pk])
    assert client_for(cars.head_a).get(change).status_code == 200
    assert client_for(cars.head_b).get(change).status_code == 404


def test_toy_admin_history_is_in_scope_and_read_only(cars, ask, client_for):
    """ScopedHistoryAdmin: the history of another section's trip is 404; a version
    page shows every field read-only and refuses a POST (405), for everyone; the
    add, change and delete pages refuse (403) and write nothing."""
    trip = ask(cars.a1)
    version = trip.history.order_by("history_id").first()
    history = reverse("admin:toy_cars_trip_history", args=[trip.pk])
    page = reverse(
        "admin:toy_cars_trip_simple_history", args=[trip.pk, version.history_id]
    )
    head_a = client_for(cars.head_a)
    assert head_a.get(history).status_code == 200
    shown = head_a.get(page)
    assert shown.status_code == 200
    assert b"<select" not in shown.content and b'name="destination"' not in (
        shown.content
    )
    assert head_a.post(page, {"destination": "别处"}).status_code == 405
    assert client_for(cars.admin).post(page, {}).status_code == 405
    assert client_for(cars.head_b).get(history).status_code == 404
    # Nobody adds, changes or deletes a trip in the admin (the service owns it).
    head_a = client_for(cars.head_a)  # one test client: log in again
    change = reverse("admin:toy_cars_trip_change", args=[trip.pk])
    delete = reverse("admin:toy_cars_trip_delete", args=[trip.pk])
    for url in (reverse("admin:toy_cars_trip_add"), change, delete):
        assert head_a.post(url, {"destination": "别处", "post": "yes"}).status_code == (
            403
        )
    trip.refresh_from_db()
    assert trip.destination == "乡镇服务站"
    assert trip.history.count() == 2  # created, then routed


def test_toy1_the_engines_inbox_links_a_hook_step_to_the_chapters_page(
    cars, ask, client_for
):
    """The one inbox lists the dispatcher's step with a link to the chapter's page
    (register_subject's decide_url) instead of yes/no buttons; a yes posted to the
    engine anyway is refused by the hook with its message and nothing is saved."""
    trip = ask(cars.a1)
    trip_dispatch(trip=trip, by=cars.head_a.user, decision="approve")
    client = client_for(cars.stand_in)
    inbox = client.get(reverse("approvals:inbox")).content.decode()
    assert trip.current_approval.summary in inbox
    assert f'href="{reverse("toy_cars:trips")}"' in inbox
    assert "到业务页面办理" in inbox
    assert reverse("approvals:decide", args=[trip.current_approval.pk]) not in inbox
    response = client.post(
        reverse("approvals:decide", args=[trip.current_approval.pk]),
        {"decision": "approve"},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("车辆" in t for t in texts), texts
    assert steps_of(trip)[1].status == ApprovalStep.Status.PENDING


def test_toy_dispatcher_is_a_registered_role(cars):
    """A chapter's duty registered with bureau.roles.register_role is a role like
    the bureau's: sync_groups creates its group with its grants, and its holder
    works in the admin (is_staff) without editing bureau."""
    from django.contrib.auth.models import Group

    from bureau import roles
    from tests.toy_chapter.setup import DISPATCHER

    roles.sync_groups()
    group = Group.objects.get(name=DISPATCHER)
    assert group.permissions.filter(codename="view_trip").exists()
    assert DISPATCHER in roles.role_codes()
    assert str(roles.role_label(DISPATCHER)) == "派车员"
    roles.sync_person_roles(cars.dispatcher)
    cars.dispatcher.user.refresh_from_db()
    assert cars.dispatcher.user.is_staff
