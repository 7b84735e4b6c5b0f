"""ORG-1..3: who is a person's section head, unit head, deputy in charge, director."""

import datetime

import pytest

from bureau.models import ActingAssignment
from bureau.resolver import Relation, resolve

DAY = datetime.date(2026, 11, 26)


def who(person, relation, on=DAY):
    approver = resolve(person, relation, on)
    return None if approver is None else approver.person


@pytest.mark.parametrize(
    "requester, relation, expected",
    [
        ("a1", Relation.SECTION_HEAD, "head_a"),
        ("a1", Relation.DEPUTY_IN_CHARGE, "dep_a"),
        ("a1", Relation.DIRECTOR, "director"),
        ("b1", Relation.SECTION_HEAD, "head_b"),
        ("b1", Relation.DEPUTY_IN_CHARGE, "dep_b"),
        ("u1", Relation.UNIT_HEAD, "unit_head"),
        ("u1", Relation.DEPUTY_IN_CHARGE, "dep_a"),
        ("unit_head", Relation.DEPUTY_IN_CHARGE, "dep_a"),
        ("head_b", Relation.DEPUTY_IN_CHARGE, "dep_b"),
        ("dep_a", Relation.DEPUTY_IN_CHARGE, "director"),
        ("dep_b", Relation.DIRECTOR, "director"),
    ],
)
def test_org1_resolver_for_every_role(org, requester, relation, expected):
    """ORG-1: the resolver names the post holder for each role and relation."""
    assert who(getattr(org, requester), relation) == getattr(org, expected)


@pytest.mark.parametrize(
    "requester, expected",
    [
        ("a1", "head_a"),  # section staff -> section head
        ("head_a", "dep_a"),  # section head -> deputy in charge
        ("unit_head", "dep_a"),  # unit head -> deputy in charge
        ("dep_b", "director"),  # deputy -> director
        ("u1", "unit_head"),  # unit staff -> unit head
    ],
)
def test_org1_att7_supervisor_by_position(org, requester, expected):
    """ORG-1 / ATT-7: the person one reports to follows the position."""
    assert who(getattr(org, requester), Relation.SUPERVISOR) == getattr(org, expected)


def test_org1_director_reports_outside_the_bureau(org):
    """ORG-1: the director's supervisor is a county leader: None, not a bureau person."""
    assert resolve(org.director, Relation.SUPERVISOR, DAY) is None
    assert resolve(org.director, Relation.DIRECTOR, DAY) is None


def test_org2_acting_assignment_puts_the_stand_in_in_place(org):
    """ORG-2: during the assignment the stand-in decides; the answer names both."""
    ActingAssignment.objects.create(
        principal=org.head_a,
        stand_in=org.a2,
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=2),
    )
    approver = resolve(org.a1, Relation.SECTION_HEAD, DAY)
    assert approver.person == org.a2
    assert approver.acting_for == org.head_a
    assert approver.principal == org.head_a
    assert "head_a" in str(approver)


def test_org2_acting_assignment_only_within_its_dates(org):
    """ORG-2: the day before and the day after the range, the principal decides."""
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a2, starts_on=DAY, ends_on=DAY
    )
    assert who(org.a1, Relation.SECTION_HEAD, DAY - datetime.timedelta(days=1)) == (
        org.head_a
    )
    assert who(org.a1, Relation.SECTION_HEAD, DAY) == org.a2
    assert who(org.a1, Relation.SECTION_HEAD, DAY + datetime.timedelta(days=1)) == (
        org.head_a
    )


def test_org2_chained_absences_follow_to_the_last_stand_in(org):
    """ORG-2: the director is away to dep_a, who is away to dep_b: dep_b decides."""
    ActingAssignment.objects.create(
        principal=org.director, stand_in=org.dep_a, starts_on=DAY, ends_on=DAY
    )
    ActingAssignment.objects.create(
        principal=org.dep_a, stand_in=org.dep_b, starts_on=DAY, ends_on=DAY
    )
    approver = resolve(org.a1, Relation.DIRECTOR, DAY)
    assert approver.person == org.dep_b
    assert approver.acting_for == org.director


def test_org3_section_head_never_approves_own_request(org):
    """ORG-3: a section head's section-head step goes to the deputy in charge."""
    approver = resolve(org.head_a, Relation.SECTION_HEAD, DAY)
    assert approver.person == org.dep_a
    assert approver.relation == Relation.DEPUTY_IN_CHARGE


def test_org3_stand_in_who_is_the_requester_goes_up(org):
    """ORG-3: a1 stands in for head_a, but a1's own request goes to the deputy."""
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a1, starts_on=DAY, ends_on=DAY
    )
    assert who(org.a1, Relation.SECTION_HEAD, DAY) == org.dep_a
    assert who(org.a2, Relation.SECTION_HEAD, DAY) == org.a1


def test_org3_deputy_in_charge_of_own_section_goes_to_director(org):
    """ORG-3: the deputy in charge asking their own deputy step goes to the director."""
    assert who(org.dep_a, Relation.DEPUTY_IN_CHARGE, DAY) == org.director


def test_org1_vacant_post_goes_to_the_next_person_up(org):
    """A vacant section head post: the step goes to the deputy in charge."""
    org.section_b.head = None
    org.section_b.save()
    org.b1.refresh_from_db()
    assert who(org.b1, Relation.SECTION_HEAD, DAY) == org.dep_b


def test_org1_inactive_holder_is_skipped(org):
    """A person who has left no longer decides: the next person up does."""
    org.head_b.is_active = False
    org.head_b.save()
    org.b1.refresh_from_db()
    assert who(org.b1, Relation.SECTION_HEAD, DAY) == org.dep_b


def test_org1_roles_follow_position_and_duties(org):
    """ORG-1: position groups are kept in step; deciders and clerks reach the admin."""
    assert org.a2.has_role("attendance_clerk")
    assert org.a2.user.is_staff
    assert not org.a1.user.is_staff
    assert org.head_a.user.is_staff
    org.a1.position = "section_head"
    org.a1.save()
    groups = set(org.a1.user.groups.values_list("name", flat=True))
    assert groups == {"section_head"}
    assert org.a1.user.is_staff
