"""ATT-4/5: a sign-out that would record early leave or an absence asks first and
names the consequence; confirmed, it records; on time, it records at once."""

import pytest
import time_machine
from django.urls import reverse

from attendance import services
from attendance.models import Departure
from attendance.tests.conftest import at

pytestmark = pytest.mark.django_db


def _signed_in(org, monday):
    with time_machine.travel(at(monday, 8, 0), tick=False):
        services.record_sign_in(by=org.a1.user)


def test_att5_sign_out_28_minutes_early_asks_and_names_half_day_absence(
    org, monday, client_for
):
    """ATT-5: at 11:32 the page says 28 minutes early → half a day's absence, names
    the rules only in the help text, and records nothing yet."""
    _signed_in(org, monday)
    client = client_for(org.a1)
    with time_machine.travel(at(monday, 11, 32), tick=False):
        response = client.post(reverse("attendance:sign_out"), {"next": "/"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "28" in text and "11:32" in text and "12:00" in text
    assert 'name="confirm" value="1"' in text
    assert "ATT-5" in text.split('class="help')[1]
    assert "ATT-" not in text.split('class="help')[0]
    record = org.a1.attendance_records.get()
    assert record.signed_out_at is None


def test_att4_sign_out_10_minutes_early_asks_and_names_early_leave(
    org, monday, client_for
):
    """ATT-4: 10 minutes early is early leave; the page says so before recording."""
    _signed_in(org, monday)
    client = client_for(org.a1)
    with time_machine.travel(at(monday, 11, 50), tick=False):
        response = client.post(reverse("attendance:sign_out"))
    assert response.status_code == 200
    assert "ATT-4" in response.content.decode()
    assert org.a1.attendance_records.get().signed_out_at is None


def test_att4_confirmed_sign_out_records_early_leave(org, monday, client_for):
    """ATT-4: with confirm=1 the sign-out is recorded as early leave."""
    _signed_in(org, monday)
    client = client_for(org.a1)
    with time_machine.travel(at(monday, 11, 50), tick=False):
        response = client.post(reverse("attendance:sign_out"), {"confirm": "1"})
    assert response.status_code == 302
    assert org.a1.attendance_records.get().departure == Departure.EARLY


def test_att4_on_time_sign_out_records_without_asking(org, monday, client_for):
    """ATT-4: signing out at the end is recorded at once, no question."""
    _signed_in(org, monday)
    client = client_for(org.a1)
    with time_machine.travel(at(monday, 12, 0), tick=False):
        response = client.post(reverse("attendance:sign_out"))
    assert response.status_code == 302
    assert org.a1.attendance_records.get().departure == Departure.ON_TIME


def test_att4_consequence_is_none_without_a_sign_in(org, monday):
    """ATT-4: nothing signed in, nothing to warn about: the service answers."""
    with time_machine.travel(at(monday, 11, 0), tick=False):
        assert services.sign_out_consequence(by=org.a1.user) is None


def test_att4_consequence_boundary_15_minutes_is_early_leave(org, monday):
    """ATT-4/5 boundary: 15 minutes early is early leave, 15:01 an absence."""
    _signed_in(org, monday)
    with time_machine.travel(at(monday, 11, 45), tick=False):
        c = services.sign_out_consequence(by=org.a1.user)
    assert c.departure == "early_leave" and c.minutes_early == 15
    with time_machine.travel(at(monday, 11, 44, 59), tick=False):
        c = services.sign_out_consequence(by=org.a1.user)
    assert c.departure == "absent" and c.minutes_early == 16
