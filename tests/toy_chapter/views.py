"""Staff pages: the trips I may see (and what waits for me), decide a trip's step
(the dispatcher names the car), and the csv export of the month."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau.exports import csv_bytes
from bureau.params import month_param
from tests.toy_chapter import selectors, services
from tests.toy_chapter.forms import DispatchForm


def _month_of(request):
    """The month asked for (?month=YYYY-MM; a bad one is the 400 page), and the
    first day of the next."""
    first = month_param(request.GET, default=timezone.localdate().replace(day=1))
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, following


@require_GET
def trips(request):
    today = timezone.localdate()
    first, following = _month_of(request)
    visible = selectors.with_chain(
        selectors.trips_visible_to(request.user, on=today).filter(
            date__gte=first, date__lt=following
        )
    )
    waiting = selectors.with_chain(selectors.waiting_for_me(request.user, today))
    return render(
        request,
        "toy_cars/trips.html",
        {
            "items": visible[:200],
            "waiting": waiting[:50],
            "month": first,
            "form": DispatchForm(),
        },
    )


@require_POST
def decide(request, pk):
    # Only a trip waiting for this user can be decided here (404 otherwise).
    trip = get_object_or_404(
        selectors.waiting_for_me(request.user, timezone.localdate()), pk=pk
    )
    form = DispatchForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "toy_cars/trips.html",
            {"items": [], "waiting": [], "form": form, "month": None},
            status=400,
        )
    try:
        services.trip_dispatch(trip=trip, by=request.user, **form.cleaned_data)
    except services.TripError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decided: %(trip)s.") % {"trip": trip})
    return redirect("toy_cars:trips")


@require_GET
def export(request):
    if not (selectors.is_dispatcher(request.user) or request.user.is_superuser):
        raise Http404
    first, following = _month_of(request)
    rows = (
        selectors.trips_visible_to(request.user)
        .filter(date__gte=first, date__lt=following)
        .select_related("person")
        .order_by("date", "pk")
    )
    body = csv_bytes(
        [_("Date"), _("Person"), _("Destination"), _("Car"), _("Status")],
        (
            [t.date, t.person.name, t.destination, t.car, t.get_status_display()]
            for t in rows
        ),
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trips-{first:%Y-%m}.csv"'
    return response
