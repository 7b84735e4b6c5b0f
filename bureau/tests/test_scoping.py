"""ORG-1, ORG-2: "the people in the charge of this person on this day", the one
scoping vocabulary (bureau.scoping), for each role; the deputy in charge of a unit
and that unit's staff, read as the approval chains read it; and each chapter's
selector agreeing with the vocabulary.

The small organisation (bureau.testing.small_org): 综合股 (section a: head_a, a1, the
all-units clerk a2, the inspector; deputy dep_a) and 法规股 (section b: head_b, b1;
deputy dep_b) in the organ; the service station (unit_head, u1, u2; deputy dep_a).
"""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Q

from approvals.selectors import subjects_reached
from approvals.services import approval_decide
from attendance import selectors as attendance_selectors
from bureau.models import (
    ActingAssignment,
    ClerkAssignment,
    Person,
    Position,
    Role,
    Section,
)
from bureau.resolver import Relation, resolve
from bureau.scoping import (
    NOTHING,
    Scope,
    clerk_people_scope,
    in_charge_q,
    people_in_charge_of,
    sees_everyone,
    sees_others,
)
from bureau.testing import make_person
from bureau.workdays import TZ
from discipline import selectors as discipline_selectors
from leave import selectors as leave_selectors
from leave.models import LeaveRequest
from leave.services import leave_submit

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)
FRIDAY = datetime.date(2026, 3, 6)


def fresh(who):
    """The login afresh (roles and clerk units are remembered on the user object)."""
    user = getattr(who, "user", who)
    return get_user_model().objects.get(pk=user.pk)


def charge(who, **options) -> set[str]:
    """Usernames of the people in `who`'s charge (options as in_charge_q)."""
    return set(
        people_in_charge_of(fresh(who), **options).values_list(
            "user__username", flat=True
        )
    )


def everyone() -> set[str]:
    return set(Person.objects.values_list("user__username", flat=True))


@pytest.fixture
def unit_clerk(org):
    """u2 made the service station's clerk (a clerk of one unit)."""
    org.u2.user.groups.add(Group.objects.get_or_create(name=Role.ATTENDANCE_CLERK)[0])
    org.u2.save()  # the staff flag follows the duty
    ClerkAssignment.objects.create(person=org.u2, unit=org.unit)
    return org.u2


@pytest.fixture
def stand_in(org):
    """a1 stands in for head_b (法规股) from Monday to Friday."""
    ActingAssignment.objects.create(
        principal=org.head_b, stand_in=org.a1, starts_on=MONDAY, ends_on=FRIDAY
    )
    return org.a1


# --- the vocabulary, role by role ---------------------------------------------------


def test_org1_section_head_has_their_section(org):
    """A section head: the people of their section (themself among them)."""
    assert charge(org.head_a) == {"head_a", "a1", "a2", "inspector"}
    assert charge(org.head_b) == {"head_b", "b1"}
    assert sees_others(fresh(org.head_a))


def test_org1_unit_head_has_their_unit(org):
    """A unit head: the people of their unit."""
    assert charge(org.unit_head) == {"unit_head", "u1", "u2"}
    assert sees_others(fresh(org.unit_head))


def test_org1_deputy_has_their_sections_and_units(org):
    """A deputy: the sections and the units they are in charge of, not themself
    (a leader answers to the director) unless the chapter includes the self."""
    assert charge(org.dep_a) == {
        "head_a",
        "a1",
        "a2",
        "inspector",
        "unit_head",
        "u1",
        "u2",
    }
    assert charge(org.dep_b) == {"head_b", "b1"}
    assert charge(org.dep_b, include_self=True) == {"dep_b", "head_b", "b1"}
    assert sees_others(fresh(org.dep_b))


def test_org1_director_and_administrator_see_everyone(org):
    """The director, a superuser and the administrator role: everyone, in every
    chapter (`sees_everyone` defined once)."""
    admin_role = make_person(
        "admin_role",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.ADMINISTRATOR],
    )
    for who in (org.director, org.admin, admin_role):
        assert sees_everyone(fresh(who))
        assert in_charge_q(fresh(who)) == Q()
        assert charge(who) == everyone()
        assert sees_others(fresh(who))


def test_org1_all_units_clerk_sees_everyone_where_clerks_count(org):
    """The attendance clerk without assignments (a2): everyone where a chapter counts
    clerks (attendance), nobody but themself where it does not (discipline)."""
    assert sees_everyone(fresh(org.a2), clerks=True)
    assert charge(org.a2, clerks=True) == everyone()
    assert not sees_everyone(fresh(org.a2))
    assert charge(org.a2, include_self=True) == {"a2"}
    assert sees_others(fresh(org.a2), clerks=True)
    assert not sees_others(fresh(org.a2))


def test_org1_unit_clerk_keeps_their_units(org, unit_clerk):
    """A clerk with ClerkAssignment rows: those units where clerks count."""
    assert not sees_everyone(fresh(unit_clerk), clerks=True)
    assert charge(unit_clerk, clerks=True) == {"unit_head", "u1", "u2"}
    assert charge(unit_clerk) == set()
    assert sees_others(fresh(unit_clerk), clerks=True)
    assert clerk_people_scope(fresh(unit_clerk)) == Q(unit_id__in=[org.unit.pk])


def test_org1_inspector_sees_everyone_where_the_chapter_says(org):
    """The discipline inspector: everyone where a chapter names the role in `also`
    (discipline), nobody else's records elsewhere."""
    also = {Role.DISCIPLINE_INSPECTOR}
    assert sees_everyone(fresh(org.inspector), also=also)
    assert charge(org.inspector, also=also) == everyone()
    assert charge(org.inspector, include_self=True) == {"inspector"}
    assert not sees_others(fresh(org.inspector))
    assert Scope(also=also).sees_others(fresh(org.inspector))


def test_org1_staff_see_only_themself(org):
    """Section and unit staff have nobody in their charge; a chapter's scope holds
    their own records."""
    for who in (org.a1, org.b1, org.u1):
        assert in_charge_q(fresh(who)) == NOTHING
        assert charge(who) == set()
        assert charge(who, include_self=True) == {who.user.username}
        assert not sees_others(fresh(who), clerks=True, acting=True)
        assert Scope().people(fresh(who)).get() == who


def test_org1_anonymous_and_person_less_logins_see_nobody(org):
    """An anonymous user, or a login without a person, has nobody in charge."""
    assert in_charge_q(AnonymousUser(), include_self=True) == NOTHING
    loose = get_user_model().objects.create_user("loose")
    assert in_charge_q(loose, include_self=True, clerks=True) == NOTHING
    assert not sees_everyone(AnonymousUser())
    assert not sees_others(AnonymousUser())


# --- stand-ins (ORG-2) --------------------------------------------------------------


def test_org2_stand_in_has_the_principals_section_on_the_acting_days(org, stand_in):
    """a1 stands in for head_b Monday to Friday: with `acting`, 法规股 is in their
    charge on those days only; without it (attendance, discipline), never."""
    for day in (MONDAY, FRIDAY):
        assert charge(stand_in, on=day, acting=True) == {"head_b", "b1"}
        assert sees_others(fresh(stand_in), day, acting=True)
    for day in (MONDAY - datetime.timedelta(days=1), FRIDAY + datetime.timedelta(3)):
        assert charge(stand_in, on=day, acting=True) == set()
        assert not sees_others(fresh(stand_in), day, acting=True)
    assert charge(stand_in, on=MONDAY) == set()
    assert not sees_others(fresh(stand_in), MONDAY)


def test_org2_stand_in_acting_defaults_to_today(org, stand_in):
    """Without a day, the vocabulary reads today."""
    with time_machine.travel(datetime.datetime(2026, 3, 4, 9, tzinfo=TZ)):
        assert charge(stand_in, acting=True) == {"head_b", "b1"}
    with time_machine.travel(datetime.datetime(2026, 3, 9, 9, tzinfo=TZ)):
        assert charge(stand_in, acting=True) == set()


def test_org2_stand_in_for_a_deputy_has_their_sections_and_units(org):
    """A stand-in for a deputy takes the sections and units in the deputy's charge,
    read as for the deputy."""
    ActingAssignment.objects.create(
        principal=org.dep_a, stand_in=org.b1, starts_on=MONDAY, ends_on=FRIDAY
    )
    assert charge(org.b1, on=MONDAY, acting=True) == charge(org.dep_a)


def test_org2_directors_stand_in_does_not_see_everyone(org):
    """The director's stand-in decides the director's steps (the approval engine),
    but seeing the whole bureau comes with the office: dep_b keeps their charge."""
    ActingAssignment.objects.create(
        principal=org.director, stand_in=org.dep_b, starts_on=MONDAY, ends_on=FRIDAY
    )
    assert charge(org.dep_b, on=MONDAY, acting=True) == {"head_b", "b1"}


def test_org2_acting_costs_no_query_of_its_own(
    org, stand_in, django_assert_num_queries
):
    """The acting assignments are a subquery of the one query that lists people."""
    user = fresh(stand_in)
    in_charge_q(user, MONDAY, acting=True)  # the roles and the person, once
    with django_assert_num_queries(1):
        list(people_in_charge_of(user, MONDAY, acting=True))


# --- the deputy in charge of a unit and its staff (the difference resolved) ---------


@pytest.fixture
def organ_in_charge(org):
    """dep_a is also in charge of the organ, which gains 档案室 (section c) without
    a deputy of its own; c1 works there."""
    org.organ.deputy_in_charge = org.dep_a
    org.organ.save()
    org.section_c = Section.objects.create(unit=org.organ, name="档案室", code="t-c")
    org.c1 = make_person(
        "c1", unit=org.organ, section=org.section_c, position=Position.SECTION_STAFF
    )
    return org


def test_org1_deputy_of_a_unit_oversees_its_staff_as_the_chains_read_it(
    organ_in_charge,
):
    """ORG-1 read once: the deputy in charge of a unit oversees the unit's staff —
    those outside a section, and those of a section without a deputy of its own
    (c1) — but not a section another deputy is in charge of (b1, dep_b's), nor the
    bureau's leaders in it (the director, dep_b: they answer to the director).

    Before, attendance gave dep_a b1 and the leaders too, and discipline did not
    give dep_a c1."""
    org = organ_in_charge
    assert charge(org.dep_a) == {
        "head_a",
        "a1",
        "a2",
        "inspector",
        "c1",
        "unit_head",
        "u1",
        "u2",
    }
    assert charge(org.dep_b) == {"head_b", "b1"}
    for scope in (attendance_selectors.SCOPE, discipline_selectors.SCOPE):
        visible = set(
            scope.people(fresh(org.dep_a)).values_list("user__username", flat=True)
        )
        assert "c1" in visible
        assert not visible & {"b1", "head_b", "director", "dep_b"}


def test_org1_deputy_charge_agrees_with_the_resolver(organ_in_charge):
    """For every deputy, the people in their charge are exactly those whose deputy
    in charge the approval chains name (bureau.resolver, without stand-ins)."""
    org = organ_in_charge
    people = list(Person.objects.select_related("section", "unit"))
    for deputy in Person.objects.filter(position=Position.DEPUTY):
        chains_say = {
            p.user.username
            for p in people
            if (approver := resolve(p, Relation.DEPUTY_IN_CHARGE, MONDAY))
            and approver.person == deputy
        }
        assert charge(deputy) == chains_say, deputy
    assert charge(org.dep_a)  # not vacuous


# --- each chapter's selector agrees with the vocabulary -----------------------------


def _usernames(queryset):
    return set(queryset.values_list("user__username", flat=True))


def _logins(org):
    return [
        org.director,
        org.dep_a,
        org.dep_b,
        org.head_a,
        org.head_b,
        org.a1,
        org.a2,
        org.inspector,
        org.b1,
        org.unit_head,
        org.u1,
        org.u2,
        org.admin,
    ]


def test_attendance_scope_is_the_vocabulary_with_clerks(org, unit_clerk, stand_in):
    """Attendance: one's own records, the people in one's charge and the clerk's
    units (the all-units clerk everyone); stand-ins do not widen it."""
    for who in _logins(org):
        user = fresh(who)
        expected = _usernames(
            people_in_charge_of(fresh(who), MONDAY, include_self=True, clerks=True)
        )
        assert _usernames(attendance_selectors.people_visible_to(user)) == expected
        assert attendance_selectors.SCOPE.sees_others(fresh(who)) == sees_others(
            fresh(who), clerks=True
        )
        assert attendance_selectors.SCOPE.sees_everyone(fresh(who)) == (
            sees_everyone(fresh(who), clerks=True)
        )


def test_discipline_scope_is_the_vocabulary_with_the_inspector(org, stand_in):
    """Discipline: one's own record, the people in one's charge; the inspector
    everyone; no clerks, no stand-ins."""
    also = {Role.DISCIPLINE_INSPECTOR}
    for who in _logins(org):
        expected = _usernames(
            people_in_charge_of(fresh(who), MONDAY, include_self=True, also=also)
        )
        assert _usernames(discipline_selectors.people_visible_to(fresh(who))) == (
            expected
        )
        assert discipline_selectors.SCOPE.sees_others(fresh(who)) == sees_others(
            fresh(who), also=also
        )
    assert _usernames(discipline_selectors.people_visible_to(fresh(org.a2))) == {"a2"}


def _approve_all(leave):
    approval = leave.approval
    while True:
        approval.refresh_from_db()
        if approval.current_order is None:
            break
        step = approval.steps.get(order=approval.current_order)
        approval_decide(request=approval, by=step.approver.user, decision="approve")
    leave.refresh_from_db()
    return leave


def test_leave_scope_is_own_reached_and_the_clerks_people(org, unit_clerk):
    """Leave reads no "people in my charge": one's own leave, the leave whose
    approval reached one (approvals.subjects_reached) and, for a clerk, the approved
    leave of the people they keep (bureau.scoping.clerk_people_scope)."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False):
        requests = []
        for person, days in ((org.b1, 2), (org.u1, 2), (org.a1, 1)):
            requests.append(
                leave_submit(
                    by=person.user,
                    leave_type="personal",
                    start_date=MONDAY + datetime.timedelta(days=2),
                    start_half="am",
                    end_date=MONDAY + datetime.timedelta(days=1 + days),
                    end_half="pm",
                    reason="家中有事",
                    handover_note="工作已交由同事处理",
                )
            )
        _approve_all(requests[0])
        _approve_all(requests[1])
        for who in _logins(org):
            user = fresh(who)
            person = who if isinstance(who, Person) else None
            expected = set(LeaveRequest.objects.all())
            if person is not None:
                expected = set(
                    LeaveRequest.objects.filter(
                        Q(person=person)
                        | Q(pk__in=subjects_reached(user, LeaveRequest, on=MONDAY))
                        | Q(status=LeaveRequest.Status.APPROVED)
                        & clerk_people_scope(user, "person__")
                    )
                )
            visible = set(leave_selectors.leave_requests_visible_to(user, on=MONDAY))
            assert visible == expected, who
        # The unit clerk files the station's approved leave, not the organ's.
        assert requests[1] in leave_selectors.leave_requests_visible_to(
            fresh(org.u2), on=MONDAY
        )
        assert requests[0] not in leave_selectors.leave_requests_visible_to(
            fresh(org.u2), on=MONDAY
        )
