"""PET-8: half-yearly petition meeting (through meetings/), township assessment,
training; the reminder when a half-year is about to end without one, sent once.
And the statistics (no names, overdue first)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from approvals.models import Notification
from meetings.models import Meeting, MeetingKind
from petitions import rules, services
from petitions.tests.conftest import DAY0, at, decide, register, route

pytestmark = pytest.mark.django_db
D = datetime.date


def test_pet8_half_year_and_what_is_missing():
    assert rules.half_year(D(2026, 6, 30)) == (1, D(2026, 1, 1), D(2026, 6, 30))
    assert rules.half_year(D(2026, 7, 1)) == (2, D(2026, 7, 1), D(2026, 12, 31))
    required = {"meeting": 1, "assessment": 1, "training": 1}
    assert rules.pet8_missing({"meeting": 1, "training": 2}, required) == ["assessment"]
    assert rules.pet8_remind_now(
        today=D(2026, 6, 15), half_end=D(2026, 6, 30), days_before=15
    )
    assert not rules.pet8_remind_now(
        today=D(2026, 6, 14), half_end=D(2026, 6, 30), days_before=15
    )


def test_pet8_reminder_once_per_half_year_and_kind(pet):
    """PET-8: on 15 June (15 days before the half-year ends) the officer and the
    director are told what is missing; a held petition work meeting in meetings/
    counts by itself; the reminder is not sent twice."""
    org = pet.org
    kind = MeetingKind.objects.get(code="petition_work")
    Meeting.objects.create(
        kind=kind,
        title="上半年信访工作会议",
        planned_on=D(2026, 5, 6),
        chair=org.dep_a,
        status=Meeting.Status.HELD,
        held_on=D(2026, 5, 6),
        created_by=org.admin,
    )
    with time_machine.travel(at(D(2026, 6, 14)), tick=False):
        assert services.pet8_remind(today=D(2026, 6, 14), commit=True) == []
        services.work_record_add(
            by=pet.officer.user,
            kind="training",
            held_on=D(2026, 6, 10),
            title="信访业务培训",
        )
    with time_machine.travel(at(D(2026, 6, 15)), tick=False):
        assert services.pet8_remind(today=D(2026, 6, 15), commit=True) == ["assessment"]
        assert services.pet8_remind(today=D(2026, 6, 16), commit=True) == []
    notes = Notification.objects.filter(title__contains="2026-06-30")
    assert {n.recipient for n in notes} == {pet.officer, org.director}
    with pytest.raises(services.PetitionError):
        services.work_record_add(
            by=org.b1.user, kind="training", held_on=D(2026, 6, 1), title="x"
        )


def test_pet8_work_page_is_the_officers(pet, client_for):
    with time_machine.travel(at(D(2026, 6, 15)), tick=False):
        assert (
            client_for(pet.org.head_a).get(reverse("petitions:work")).status_code == 404
        )
        client = client_for(pet.officer)
        response = client.post(
            reverse("petitions:work"),
            {
                "kind": "assessment",
                "held_on": "2026-06-12",
                "title": "乡镇信访目标考核",
            },
        )
        assert response.status_code == 302
        assert (
            client.post(reverse("petitions:work"), {"kind": "party"}).status_code == 400
        )


def test_statistics_count_without_names_and_list_overdue_first(pet, client_for):
    """Statistics: by channel, category, township, month, on time vs late; the
    overdue list first; never a petitioner's name; the officer and leaders only."""
    late = register(pet)
    route(pet, late)
    on_time = register(pet, channel="visit", on=DAY0 + datetime.timedelta(days=1))
    route(pet, on_time, on=DAY0 + datetime.timedelta(days=1))
    decide(pet, on_time, on=DAY0 + datetime.timedelta(days=3))
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=20)), tick=False):
        body = (
            client_for(pet.org.director)
            .get(reverse("petitions:stats"), {"year": 2026})
            .content.decode()
        )
        assert late.number in body and "张三" not in body
        assert body.index(late.number) < body.index('id="total"')
        response = client_for(pet.org.director).get(
            reverse("petitions:stats_xlsx"), {"year": 2026}
        )
        assert response.status_code == 200
        assert client_for(pet.org.b1).get(reverse("petitions:stats")).status_code == 404
