"""PET-6: the Wednesday reception rota on the bureau's calendar, swaps recorded,
receptions recorded (confidential) and opening cases; the owning leader's panel."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bureau.models import CalendarDay
from petitions import rules, selectors, services
from petitions.models import Case, ReceptionDay
from petitions.tests.conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date


def test_pet6_reception_days_are_working_wednesdays():
    """PET-6: the Wednesdays of June 2026 and 30 September–7 October: 30 September
    is a working day, 7 October falls in the National Day holiday."""
    holidays = {D(2026, 10, 7): False}
    days = rules.reception_days(
        D(2026, 9, 28),
        D(2026, 10, 14),
        weekday=2,
        is_working=lambda d: holidays.get(d, d.weekday() < 5),
    )
    assert days == [D(2026, 9, 30), D(2026, 10, 14)]
    assert rules.rotate(days, ["a", "b", "c"], start=2) == [
        (D(2026, 9, 30), "c"),
        (D(2026, 10, 14), "a"),
    ]


def test_pet6_plan_uses_the_calendar_and_carries_the_turn_on(pet):
    """PET-6: a Wednesday the bureau's calendar marks as a rest day gets no
    reception; planning again keeps the days planned and continues the turn."""
    org = pet.org
    CalendarDay.objects.update_or_create(
        date=D(2026, 6, 10),
        defaults={"is_working_day": False, "kind": "bureau_rest", "name": "调休"},
    )
    with time_machine.travel(at(D(2026, 6, 1)), tick=False):
        first = services.rota_plan(
            by=pet.officer.user, start=D(2026, 6, 1), end=D(2026, 6, 21)
        )
    assert [d.date for d in first] == [D(2026, 6, 3), D(2026, 6, 17)]
    assert [d.leader for d in first] == [org.director, org.dep_a]
    with time_machine.travel(at(D(2026, 6, 1)), tick=False):
        more = services.rota_plan(
            by=pet.officer.user, start=D(2026, 6, 1), end=D(2026, 7, 1)
        )
    assert [(d.date, d.leader) for d in more] == [
        (D(2026, 6, 24), org.dep_b),
        (D(2026, 7, 1), org.director),
    ]
    with pytest.raises(services.PetitionError):
        services.rota_plan(by=org.b1.user, start=D(2026, 7, 1), end=D(2026, 7, 30))


def test_pet6_swap_is_recorded_and_the_new_leader_told(pet):
    org = pet.org
    with time_machine.travel(at(D(2026, 6, 1)), tick=False):
        (day,) = services.rota_plan(
            by=pet.officer.user, start=D(2026, 6, 1), end=D(2026, 6, 5)
        )
        services.rota_swap(
            day=day, by=pet.officer.user, leader=org.dep_b, reason="外出开会"
        )
    day.refresh_from_db()
    assert (day.leader, day.swapped_from, day.swap_reason) == (
        org.dep_b,
        org.director,
        "外出开会",
    )
    assert day.history.count() == 2
    with pytest.raises(services.PetitionError):
        services.rota_swap(day=day, by=pet.officer.user, leader=org.head_a, reason="x")


def test_pet6_reception_recorded_by_the_leader_opens_a_case_they_own(pet, client_for):
    org = pet.org
    with time_machine.travel(at(D(2026, 6, 3)), tick=False):
        (day,) = services.rota_plan(
            by=pet.officer.user, start=D(2026, 6, 1), end=D(2026, 6, 5)
        )
        reception = services.reception_record(
            day=day,
            by=org.director.user,
            visitor="赵六",
            phone="13812345678",
            matter="反映扶助金停发",
            promised="一周内答复",
            category=pet.policy,
        )
        with pytest.raises(services.PetitionError):
            services.reception_record(
                day=day, by=org.dep_a.user, visitor="x", phone="", matter="y"
            )
    case = reception.case
    assert case.channel == "visit" and case.owner == org.director
    assert case.identity.name == "赵六" and case.officer == pet.officer
    assert selectors.cases_owned_by(org.director) == [case]
    with time_machine.travel(at(D(2026, 6, 3)), tick=False):
        home = client_for(org.director).get(reverse("home")).content.decode()
        assert case.number in home and "赵六" not in home
        page = client_for(org.dep_a).get(reverse("petitions:rota")).content.decode()
        assert "赵六" not in page
        assert (
            "赵六"
            in client_for(org.director).get(reverse("petitions:rota")).content.decode()
        )
        assert (
            "赵六"
            in client_for(pet.officer).get(reverse("petitions:rota")).content.decode()
        )


def test_pet6_rota_is_published_on_the_public_page(pet, client):
    with time_machine.travel(at(D(2026, 6, 1)), tick=False):
        services.rota_plan(by=pet.officer.user, start=D(2026, 6, 1), end=D(2026, 6, 20))
        body = client.get(reverse("petitions_public:submit")).content.decode()
    assert pet.org.director.name in body and "2026-06-03" in body
    assert ReceptionDay.objects.count() == 3
    assert Case.objects.count() == 0
