"""LV-10 and access, "the clerk their units": an attendance clerk with ClerkAssignment
rows sees and files the leave of those units only (pages, printable form, admin and
its history, the filing action); the clerk with none (a2, 综合股) keeps every unit.
u2 of the service station is made its clerk. The vocabulary is bureau.scoping's,
shared with attendance."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from approvals.services import approval_decide
from bureau.models import ClerkAssignment, Position, Role
from bureau.scoping import clerk_people_scope, clerk_unit_ids
from bureau.testing import make_person
from leave.models import LeaveRequest
from leave.selectors import leave_requests_visible_to
from leave.services import LeaveError, leave_file
from leave.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db


def _changelist():
    return reverse("admin:leave_leaverequest_changelist")


def _approve_all(leave):
    approval = leave.approval
    while True:
        approval.refresh_from_db()
        if approval.current_order is None:
            break
        step = approval.steps.get(order=approval.current_order)
        approval_decide(request=approval, by=step.approver.user, decision="approve")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    return leave


@pytest.fixture
def unit_clerk(org):
    org.u2.user.groups.add(Group.objects.get_or_create(name=Role.ATTENDANCE_CLERK)[0])
    org.u2.save()  # the staff flag follows the duty
    ClerkAssignment.objects.create(person=org.u2, unit=org.unit)
    return org.u2


@pytest.fixture
def leaves(org, ask, unit_clerk):
    """Approved 2-day leave (with a printable form, LV-7) of b1 (局机关) and u1
    (the service station), with their history."""
    organ = _approve_all(ask(org.b1, 2))
    station = _approve_all(ask(org.u1, 2))
    return organ, station


def test_scoping_lives_on_the_ground_floor(org, unit_clerk):
    """bureau.scoping: the unit clerk keeps their unit, the all-units clerk and the
    administrator every unit (None), anyone else nobody."""
    assert clerk_unit_ids(org.u2.user) == {org.unit.pk}
    assert clerk_unit_ids(org.a2.user) is None
    assert clerk_unit_ids(org.admin) is None
    assert clerk_unit_ids(org.a1.user) == frozenset()
    assert clerk_people_scope(org.a2.user) == clerk_people_scope(org.admin)


def test_lv10_unit_clerk_sees_only_their_units_leave(org, leaves):
    """The selector: the unit clerk sees the station's approved leave, not the
    organ's; the all-units clerk sees both."""
    organ, station = leaves
    assert set(leave_requests_visible_to(org.u2.user)) == {station}
    assert {organ, station} <= set(leave_requests_visible_to(org.a2.user))


def test_lv10_unit_clerk_pages_of_another_unit_are_404(org, leaves, client_for):
    """Another unit's leave is 404 for the unit clerk on its page, its printable
    form, its admin change page and its history pages; their own unit's is 200."""
    organ, station = leaves
    client = client_for(org.u2)
    history_id = organ.history.order_by("history_id").first().history_id
    refused = [
        reverse("leave:detail", args=[organ.pk]),
        reverse("leave:form", args=[organ.pk]),
        reverse("admin:leave_leaverequest_change", args=[organ.pk]),
        reverse("admin:leave_leaverequest_history", args=[organ.pk]),
        reverse("admin:leave_leaverequest_simple_history", args=[organ.pk, history_id]),
    ]
    for url in refused:
        assert client.get(url).status_code == 404, url
    own_history = station.history.order_by("history_id").first().history_id
    allowed = [
        reverse("leave:detail", args=[station.pk]),
        reverse("leave:form", args=[station.pk]),
        reverse("admin:leave_leaverequest_change", args=[station.pk]),
        reverse("admin:leave_leaverequest_history", args=[station.pk]),
        reverse(
            "admin:leave_leaverequest_simple_history", args=[station.pk, own_history]
        ),
    ]
    for url in allowed:
        assert client.get(url).status_code == 200, url


def test_lv10_unit_clerk_list_holds_their_unit_only(org, leaves, client_for):
    """The admin list (also its "not filed" filter) holds the station's leave only."""
    organ, station = leaves
    client = client_for(org.u2)
    for query in ("", "?filed=no"):
        page = client.get(_changelist() + query)
        assert page.status_code == 200
        assert list(page.context["cl"].result_list) == [station]


def test_lv10_unit_clerk_cannot_file_another_units_leave(org, leaves, client_for):
    """The filing action with both ids selected files the station's leave only; the
    service itself refuses the organ's with a clear message."""
    organ, station = leaves
    versions = organ.history.count()
    client_for(org.u2).post(
        _changelist(),
        {
            "action": "record_filing",
            "_selected_action": [organ.pk, station.pk],
            "apply": "1",
            "reference": "备案",
            "filed_on": "2026-03-02",
        },
    )
    organ.refresh_from_db()
    station.refresh_from_db()
    assert organ.filed_on is None and organ.filed_by is None
    assert station.filed_by == org.u2
    with translation.override("en"), pytest.raises(LeaveError) as refused:
        leave_file(leave=organ, by=org.u2.user)
    assert "do not keep" in str(refused.value)
    organ.refresh_from_db()
    assert organ.filed_on is None
    assert organ.history.count() == versions


def test_lv10_all_units_clerk_still_sees_and_files_everyone(org, leaves, client_for):
    """a2 (综合股, no assignment) lists, opens and files both units' leave."""
    organ, station = leaves
    client = client_for(org.a2)
    page = client.get(_changelist())
    assert set(page.context["cl"].result_list) == {organ, station}
    for leave in leaves:
        assert client.get(reverse("leave:form", args=[leave.pk])).status_code == 200
        history = reverse("admin:leave_leaverequest_history", args=[leave.pk])
        assert client.get(history).status_code == 200
    client.post(
        _changelist(),
        {
            "action": "record_filing",
            "_selected_action": [organ.pk, station.pk],
            "apply": "1",
            "reference": "备案",
            "filed_on": "2026-03-02",
        },
    )
    assert LeaveRequest.objects.filter(filed_by=org.a2).count() == 2


def test_lv10_approvals_desk_shows_the_unit_clerk_no_other_leave(
    org, leaves, client_for
):
    """The approvals desk (where leave is decided) gives the unit clerk nothing of
    another unit's leave: neither listed nor its change or history page."""
    organ, _station = leaves
    client = client_for(org.u2)
    page = client.get(
        reverse("admin:approvals_approvalrequest_changelist") + "?waiting=all"
    )
    assert organ.approval.summary not in page.content.decode()
    change = reverse("admin:approvals_approvalrequest_change", args=[organ.approval.pk])
    assert client.get(change).status_code in (302, 403, 404)
    history = reverse(
        "admin:approvals_approvalrequest_history", args=[organ.approval.pk]
    )
    assert client.get(history).status_code in (403, 404)


def test_lv10_unit_clerk_list_costs_the_same_at_2_and_6_rows(
    org, ask, unit_clerk, client_for
):
    """The unit clerk's admin list: a constant number of queries."""
    people = [
        make_person(f"st{i}", unit=org.unit, position=Position.UNIT_STAFF)
        for i in range(6)
    ]

    def approve(batch):
        for person in batch:
            _approve_all(ask(person, (MONDAY, "am", MONDAY, "pm")))

    client = client_for(org.u2)
    approve(people[:2])
    client.get(_changelist())
    with CaptureQueriesContext(connection) as two:
        assert len(client.get(_changelist()).context["cl"].result_list) == 2
    approve(people[2:])
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(_changelist()).context["cl"].result_list) == 6
    assert len(two) == len(six)
