import calendar as month_calendar
import datetime

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from bureau import workdays
from bureau.access import person_of
from bureau.models import CalendarDay
from bureau.navigation import panels
from bureau.params import int_param, year_param


@require_GET
def home(request):
    """My day: today's sessions, my requests, what waits for my decision."""
    today = timezone.localdate()
    person = person_of(request.user)
    sessions = workdays.person_sessions_on(person, today) if person else []
    day = CalendarDay.objects.filter(date=today).first()
    rendered = []
    for panel in panels():
        context = panel.context(request, person, today)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return render(
        request,
        "bureau/home.html",
        {
            "today": today,
            "person": person,
            "sessions": sessions,
            "calendar_day": day,
            "is_working_day": workdays.is_working_day(today),
            "panels": rendered,
        },
    )


@require_GET
def calendar_view(request):
    """A month of the working calendar: holidays, make-up working days, overrides."""
    today = timezone.localdate()
    year = year_param(request.GET, "year", default=today.year)
    month = int_param(request.GET, "month", default=today.month, minimum=1, maximum=12)
    first = datetime.date(year, month, 1)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    stored = {d.date: d for d in CalendarDay.objects.filter(date__range=(first, last))}
    weeks = []
    for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month
    ):
        row = []
        for day in week:
            entry = stored.get(day)
            working = entry.is_working_day if entry else day.weekday() < 5
            row.append(
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "working": working,
                    "entry": entry,
                    "today": day == today,
                }
            )
        weeks.append(row)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return render(
        request,
        "bureau/calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "previous": previous,
            "following": following,
            "warnings": workdays.arrangement_warnings(today),
            "working_count": workdays.working_days_between(first, last),
        },
    )


@login_not_required
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The language switch is also offered on the login page.
set_language_view = login_not_required(set_language)
