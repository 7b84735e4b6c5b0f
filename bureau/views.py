import calendar as month_calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.db import connection
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language

from bureau import workdays
from bureau.access import person_of
from bureau.models import ActingAssignment, CalendarDay
from bureau.navigation import panels
from bureau.params import flag_param, int_param, year_param
from bureau.roles import role_label
from bureau.services import person_notifications_set


@require_GET
def home(request):
    """My day: today's sessions, my requests, what waits for my decision."""
    today = timezone.localdate()
    now = timezone.now()
    person = person_of(request.user)
    sessions = workdays.person_sessions_on(person, today) if person else []
    # Outside working hours: when the next session opens.
    upcoming = (
        workdays.next_session(person.unit_id, now)
        if person and not workdays.in_session(sessions, now)
        else None
    )
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
            "next_session": upcoming,
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


@require_http_methods(["GET", "POST"])
def profile(request):
    """My details, my roles, who stands in for me and for whom I stand in, the
    password, and e-mail copies of my notifications on or off."""
    person = person_of(request.user)
    if request.method == "POST":
        if person is None:
            raise Http404
        email = flag_param(request.POST, "email_notifications")
        if person_notifications_set(by=request.user, email=email):
            messages.success(
                request,
                _("Notifications are now also sent by e-mail.")
                if email
                else _("Notifications are no longer sent by e-mail."),
            )
        return redirect("profile")
    today = timezone.localdate()
    acting = (
        ActingAssignment.objects.filter(ends_on__gte=today)
        .filter(Q(principal=person) | Q(stand_in=person))
        .select_related("principal", "stand_in")
        .order_by("starts_on")
        if person
        else []
    )
    roles = sorted(
        str(role_label(name))
        for name in request.user.groups.values_list("name", flat=True)
    )
    return render(
        request,
        "bureau/profile.html",
        {"person": person, "roles": roles, "acting": acting, "today": today},
    )


@require_http_methods(["GET", "POST"])
def logout_view(request):
    """GET shows a page with the logout button (a link to log out must not log
    out by itself: Django's logout is POST only); POST logs out."""
    if request.method == "POST":
        return LogoutView.as_view()(request)
    return render(request, "registration/logout_confirm.html")


@login_not_required
@require_GET
def favicon(request):
    return redirect(static("bureau/favicon.svg"), permanent=True)
