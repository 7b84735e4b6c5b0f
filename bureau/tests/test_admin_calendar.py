"""CAL-1 in the admin: a whole year entered at once; the warning on admin pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bureau import workdays
from bureau.models import CalendarDay, HolidayArrangement

FORM = {
    "year": "2027",
    "document": "国办发明电〔2026〕7号",
    "holidays_text": "2027-01-01 元旦\n2027-02-06~2027-02-14 春节\n2027-10-01~2027-10-07 国庆节",
    "workdays_text": "2027-02-20 春节调休\n2027-10-09 国庆节调休",
}


@time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=workdays.TZ))
def test_cal1_admin_and_clerk_see_the_missing_year_warning(org, client_for):
    """CAL-1: from 1 November the admin's and the clerk's pages name the missing year."""
    page = client_for(org.admin).get(reverse("admin:index")).content.decode()
    assert "2027" in page and "节假日安排尚未录入" in page
    clerk_home = client_for(org.a2).get("/").content.decode()
    assert "节假日安排尚未录入" in clerk_home
    staff_home = client_for(org.a1).get("/").content.decode()
    assert "节假日安排尚未录入" not in staff_home


@time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=workdays.TZ))
def test_cal1_administrator_enters_a_whole_year_in_the_admin(org, client_for):
    """CAL-1: one form enters every holiday and make-up day; the warning goes away."""
    client = client_for(org.admin)
    response = client.post(reverse("admin:bureau_holidayarrangement_add"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidayArrangement.objects.filter(year=2027).exists()
    assert (
        CalendarDay.objects.filter(date__year=2027, is_working_day=False).count() == 17
    )
    assert workdays.is_working_day(datetime.date(2027, 2, 20))
    assert not workdays.is_working_day(datetime.date(2027, 10, 4))
    page = client.get(reverse("admin:index")).content.decode()
    assert "节假日安排尚未录入" not in page


def test_cal1_admin_form_with_a_bad_line_changes_nothing(org, client_for):
    """CAL-1: a weekday given as make-up day is refused with a message; nothing saved."""
    client = client_for(org.admin)
    data = {**FORM, "workdays_text": "2027-02-22 春节调休"}  # a Monday
    response = client.post(reverse("admin:bureau_holidayarrangement_add"), data)
    assert response.status_code == 200
    assert "只有周末才能作为调休上班日" in response.content.decode()
    assert not HolidayArrangement.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.parametrize("who", ["a1", "head_a", "a2"])
def test_cal1_only_the_administrator_enters_arrangements(org, client_for, who):
    response = client_for(getattr(org, who)).post(
        reverse("admin:bureau_holidayarrangement_add"), FORM
    )
    assert response.status_code in (302, 403)
    assert not HolidayArrangement.objects.filter(year=2027).exists()
