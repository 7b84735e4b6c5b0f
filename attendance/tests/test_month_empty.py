"""ATT-13: an empty month is not a month of perfect attendance — the report says
there is no data and the month cannot be closed; a month with sheets closes."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from attendance import services
from attendance.models import MonthClose
from attendance.tests.conftest import at

pytestmark = pytest.mark.django_db

DECEMBER = datetime.date(2026, 12, 5)


def test_att13_empty_month_says_there_is_no_data_and_offers_no_close(org, client_for):
    """ATT-13: October without a sheet: a notice, no rows, no close button."""
    with time_machine.travel(at(DECEMBER, 10), tick=False):
        page = (
            client_for(org.a2)
            .get(reverse("attendance:report") + "?month=2026-10")
            .content.decode()
        )
    assert 'id="month-no-data"' in page and 'id="month-empty-note"' in page
    assert reverse("attendance:month_close") not in page
    assert f'data-person="{org.a1.pk}"' not in page


def test_att13_empty_month_cannot_be_closed(org):
    """ATT-13: the service refuses to close a month with no sheet; nothing saved."""
    with pytest.raises(services.AttendanceError, match="签到表|sign-in sheet"):
        services.month_close(
            by=org.a2.user, year=2026, month=10, reason="发布", today=DECEMBER
        )
    assert not MonthClose.objects.exists()


def test_att13_month_with_sheets_shows_rows_and_closes(org, monday, client_for):
    """ATT-13: November has a closed sheet: rows, the close button, and it closes."""
    services.sheets_close(day=monday, now=at(monday, 8, 11))
    with time_machine.travel(at(DECEMBER, 10), tick=False):
        page = (
            client_for(org.a2)
            .get(reverse("attendance:report") + "?month=2026-11")
            .content.decode()
        )
    assert 'id="month-no-data"' not in page
    assert reverse("attendance:month_close") in page
    close, changed = services.month_close(
        by=org.a2.user, year=2026, month=11, reason="发布", today=DECEMBER
    )
    assert changed and close.is_closed
