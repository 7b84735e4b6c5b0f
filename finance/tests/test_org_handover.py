"""FIN-1: when a person changes post or leaves, the handover list of every asset they
hold is prepared by itself (bureau.org_changes), to the head of what they left."""

import pytest

from bureau.models import Person
from finance import services
from finance.models import Handover
from finance.tests.conftest import MONDAY


@pytest.fixture
def staff(fin, frozen):
    return fin


def holds(staff, person, n=2):
    for i in range(n):
        services.asset_register(
            by=staff.finance.user,
            name=f"电脑{i}",
            category="equipment",
            value="4000.00",
            acquired_on=MONDAY,
            custodian=person,
            place="办公室",
        )


def test_fin1_change_of_section_prepares_the_handover_list(
    staff, django_capture_on_commit_callbacks
):
    holds(staff, staff.a1)
    person = Person.objects.get(pk=staff.a1.pk)
    with django_capture_on_commit_callbacks(execute=True):
        person.section = staff.section_b
        person.save()
    handover = Handover.objects.get()
    assert handover.from_person == staff.a1
    assert handover.to_person == staff.head_a  # the head of the section left
    assert handover.created_by is None and handover.assets.count() == 2
    assert staff.finance.notifications.filter(url__contains=str(handover.pk)).exists()
    assert staff.head_a.notifications.exists() and staff.a1.notifications.exists()
    # both sign: the ledger moves the assets
    services.handover_sign(handover=handover, by=staff.a1.user)
    services.handover_sign(handover=handover, by=staff.head_a.user)
    assert list(services.assets_held_by(staff.head_a).values_list("name", flat=True))


def test_fin1_leaving_prepares_the_list_once_and_nothing_without_assets(
    staff, django_capture_on_commit_callbacks
):
    holds(staff, staff.u1, n=1)
    person = Person.objects.get(pk=staff.u1.pk)
    with django_capture_on_commit_callbacks(execute=True):
        person.is_active = False
        person.save()
    handover = Handover.objects.get()
    assert handover.to_person == staff.unit_head and handover.reason
    # a second change while the list is open adds nothing
    with django_capture_on_commit_callbacks(execute=True):
        person.is_active = True
        person.save()
        person.position = "unit_head"
        person.save()
    assert Handover.objects.count() == 1
    other = Person.objects.get(pk=staff.b1.pk)
    with django_capture_on_commit_callbacks(execute=True):
        other.section = staff.section_a
        other.save()
    assert Handover.objects.count() == 1


def test_fin1_a_section_head_who_moves_hands_over_to_the_comprehensive_head(
    staff, django_capture_on_commit_callbacks
):
    holds(staff, staff.head_b, n=1)
    person = Person.objects.get(pk=staff.head_b.pk)
    with django_capture_on_commit_callbacks(execute=True):
        person.section = staff.section_a
        person.position = "section_staff"
        person.save()
    handover = Handover.objects.get()
    # head_b heads the section left: the organ's unit head is nobody, so the
    # comprehensive section's head receives
    assert handover.to_person == staff.head_a
