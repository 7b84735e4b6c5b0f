"""SVC-3: appointments on the calendar's working days within a window's capacity
per service and half day; whoever is at the window sees and keeps them; a
missed appointment by the bureau is recorded with its reason."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bureau.models import CalendarDay
from bureau.workdays import TZ
from window import selectors, services
from window.models import Appointment, Capacity, Matter
from window.tests.conftest import NOW

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2026, 11, 12)


def _accepted(org, visitor="张三"):
    return services.contact_log(
        window=org.window,
        visitor=visitor,
        summary="办证",
        outcome="accepted",
        service=org.service,
        by=org.u1.user,
    ).matter


def _book(org, matter, day=THURSDAY, part="am", who=None):
    return services.appointment_book(
        matter=matter, day=day, part=part, by=(who or org.u1).user
    )


def test_svc3_capacity_at_its_boundary(win, frozen):
    """Capacity 2 per half day: the 2nd is given, the 3rd refused (nothing
    saved); the afternoon and another day are free."""
    Capacity.objects.create(window=win.window, service=win.service, per_half_day=2)
    _book(win, _accepted(win, "甲"))
    second = _book(win, _accepted(win, "乙"))
    assert second.capacity == 2
    third = _accepted(win, "丙")
    with pytest.raises(services.WindowError, match="约满"):
        _book(win, third)
    assert Appointment.objects.count() == 2
    assert _book(win, third, part="pm").part == "pm"


def test_svc3_policy_default_capacity_without_a_row(win, frozen):
    appointment = _book(win, _accepted(win))
    assert appointment.capacity == 4
    assert appointment.policy_id is not None


@pytest.mark.parametrize(
    "day, message",
    [
        (datetime.date(2026, 11, 10), "以后"),  # today
        (datetime.date(2026, 11, 14), "工作日"),  # Saturday
        (datetime.date(2026, 12, 31), "范围"),  # beyond 20 days ahead
    ],
)
def test_svc3_refused_on_a_day_that_cannot_be_booked(win, frozen, day, message):
    matter = _accepted(win)
    with pytest.raises(services.WindowError, match=message):
        _book(win, matter, day=day)
    assert not Appointment.objects.exists()


def test_svc3_refused_on_a_holiday_of_the_calendar(win, frozen):
    """A weekday the calendar makes a holiday is refused; a make-up Saturday is a
    working day."""
    CalendarDay.objects.update_or_create(
        date=THURSDAY,
        defaults={"is_working_day": False, "kind": "bureau_rest", "name": "休息"},
    )
    matter = _accepted(win)
    with pytest.raises(services.WindowError, match="工作日"):
        _book(win, matter)
    saturday = datetime.date(2026, 11, 14)
    CalendarDay.objects.update_or_create(
        date=saturday,
        defaults={"is_working_day": True, "kind": "makeup", "name": "补班"},
    )
    assert _book(win, matter, day=saturday).day == saturday


def test_svc3_only_an_accepted_matter_once_by_the_windows_posts(win, frozen):
    matter = _accepted(win)
    with pytest.raises(services.WindowError):
        _book(win, matter, who=win.a1)
    _book(win, matter)
    with pytest.raises(services.WindowError, match="已有预约"):
        _book(win, matter, day=THURSDAY + datetime.timedelta(days=1))


def test_svc3_the_next_person_on_the_window_sees_it_and_keeps_it(
    win, frozen, client_for
):
    """A books it; on the day B sees it in the queue and keeps it: the matter is
    handled."""
    appointment = _book(win, _accepted(win))
    on_the_day = datetime.datetime(2026, 11, 12, 9, 0, tzinfo=TZ)
    with time_machine.travel(on_the_day, tick=False):
        assert appointment in selectors.queue_for(win.u2, on_the_day)["appointments"]
        client = client_for(win.u2)
        page = client.get(reverse("window:queue")).content.decode()
        assert f'data-appointment="{appointment.pk}"' in page
        response = client.post(
            reverse("window:appointment_close", args=[appointment.pk]),
            {"outcome": "kept"},
        )
        assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.KEPT
    assert appointment.closed_by == win.u2
    assert appointment.matter.status == Matter.Status.HANDLED
    assert appointment.matter.handled_on == THURSDAY


def test_svc3_kept_only_on_its_day_missed_only_from_it(win, frozen):
    appointment = _book(win, _accepted(win))
    with pytest.raises(services.WindowError):
        services.appointment_close(
            appointment=appointment, outcome="kept", by=win.u1.user
        )
    with pytest.raises(services.WindowError):
        services.appointment_close(
            appointment=appointment, outcome="missed_visitor", by=win.u1.user
        )


def test_svc3_missed_by_the_bureau_says_why(win, frozen):
    appointment = _book(win, _accepted(win))
    later = datetime.datetime(2026, 11, 13, 9, 0, tzinfo=TZ)
    with time_machine.travel(later, tick=False):
        with pytest.raises(services.WindowError):
            services.appointment_close(
                appointment=appointment, outcome="missed_bureau", by=win.u1.user
            )
        closed = services.appointment_close(
            appointment=appointment,
            outcome="missed_bureau",
            note="系统故障未能办理",
            by=win.u1.user,
        )
    assert closed.status == Appointment.Status.MISSED_BY_BUREAU
    assert closed.matter.status == Matter.Status.ACCEPTED


def test_svc3_booking_through_the_matter_page(win, frozen, client_for):
    matter = _accepted(win)
    url = reverse("window:appointment_book", args=[matter.pk])
    assert (
        client_for(win.a2).post(url, {"day": "2026-11-12", "part": "am"}).status_code
        == 404
    )
    response = client_for(win.u1).post(url, {"day": "2026-11-14", "part": "am"})
    assert response.status_code == 302
    assert not Appointment.objects.exists()
    client_for(win.u1).post(url, {"day": "2026-11-12", "part": "am"})
    assert Appointment.objects.get().day == THURSDAY
    assert NOW.date() < THURSDAY
