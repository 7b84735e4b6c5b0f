"""Factories and a small organisation for tests (factory_boy, in one place).

`small_org()` builds, through the models' own save paths:
  director; deputies dep_a (in charge of section A and unit U) and dep_b (section B);
  section A (comprehensive) with head_a and staff a1, a2 (a2 is the attendance clerk);
  section B with head_b and staff b1; subordinate unit U with unit_head and u1, u2;
  an inspector (section A staff with the discipline inspector duty).
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bureau.models import Organisation, Person, Position, Role, Section, Unit

_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("test-pass-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = "测试县计划生育局"
    short_name = "测试县计生局"
    doc_code = "测计生"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.LazyFunction(
        lambda: Organisation.current() or OrganisationFactory()
    )
    name = factory.Sequence(lambda n: f"单位{n}")
    code = factory.Sequence(lambda n: f"unit{n}")
    kind = Unit.Kind.SUBORDINATE


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    unit = factory.SubFactory(UnitFactory, kind=Unit.Kind.ORGAN)
    name = factory.Sequence(lambda n: f"股室{n}")
    code = factory.Sequence(lambda n: f"section{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"人员{n}")
    employee_no = factory.Sequence(lambda n: f"T{n:05d}")
    unit = factory.SubFactory(UnitFactory)
    position = Position.UNIT_STAFF


def make_person(username, *, unit, position, section=None, duties=(), name=None):
    user = UserFactory(username=username)
    person = Person(
        user=user,
        name=name or username,
        employee_no=f"S{next(_numbers):05d}",
        unit=unit,
        section=section,
        position=position,
    )
    person.save()
    if duties:
        user.groups.add(*[Group.objects.get_or_create(name=d)[0] for d in duties])
        person.save()
    return person


def small_org() -> SimpleNamespace:
    org = Organisation.objects.create(
        name="测试县计划生育局", short_name="测试县计生局", doc_code="测计生"
    )
    organ = Unit.objects.create(
        organisation=org, name="局机关", code="t-organ", kind=Unit.Kind.ORGAN
    )
    unit = Unit.objects.create(
        organisation=org, name="服务站", code="t-station", kind=Unit.Kind.SUBORDINATE
    )
    section_a = Section.objects.create(
        unit=organ, name="综合股", code="t-a", is_comprehensive=True
    )
    section_b = Section.objects.create(unit=organ, name="法规股", code="t-b")
    ns = SimpleNamespace(
        organisation=org,
        organ=organ,
        unit=unit,
        section_a=section_a,
        section_b=section_b,
    )
    ns.director = make_person("director", unit=organ, position=Position.DIRECTOR)
    ns.dep_a = make_person("dep_a", unit=organ, position=Position.DEPUTY)
    ns.dep_b = make_person("dep_b", unit=organ, position=Position.DEPUTY)
    section_a.deputy_in_charge = ns.dep_a
    section_b.deputy_in_charge = ns.dep_b
    unit.deputy_in_charge = ns.dep_a
    ns.head_a = make_person(
        "head_a", unit=organ, section=section_a, position=Position.SECTION_HEAD
    )
    ns.head_b = make_person(
        "head_b", unit=organ, section=section_b, position=Position.SECTION_HEAD
    )
    section_a.head = ns.head_a
    section_b.head = ns.head_b
    section_a.save()
    section_b.save()
    ns.a1 = make_person(
        "a1", unit=organ, section=section_a, position=Position.SECTION_STAFF
    )
    ns.a2 = make_person(
        "a2",
        unit=organ,
        section=section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.ATTENDANCE_CLERK],
    )
    ns.inspector = make_person(
        "inspector",
        unit=organ,
        section=section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DISCIPLINE_INSPECTOR],
    )
    ns.b1 = make_person(
        "b1", unit=organ, section=section_b, position=Position.SECTION_STAFF
    )
    ns.unit_head = make_person("unit_head", unit=unit, position=Position.UNIT_HEAD)
    unit.head = ns.unit_head
    unit.save()
    ns.u1 = make_person("u1", unit=unit, position=Position.UNIT_STAFF)
    ns.u2 = make_person("u2", unit=unit, position=Position.UNIT_STAFF)
    ns.admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return ns
