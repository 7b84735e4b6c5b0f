"""Staff pages: ask for a car and my requests; a trip (dispatch, bump, cancel,
withdraw, the driver's trip sheet); the printable dispatch slip; the dispatcher's
board; the 公示 list and its export; misuse found afterwards; fuel purchases."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from bureau.access import has_role, person_of
from bureau.exports import csv_bytes, xlsx_bytes, xlsx_row
from bureau.models import Role
from bureau.params import choice_param, date_param, month_param, year_param
from bureau.policies import policy_in_force
from numbering.selectors import number_of, numbers_of
from vehicles import selectors, services
from vehicles.forms import (
    AccidentForm,
    BumpForm,
    CancelForm,
    DepartForm,
    DispatchForm,
    FaultForm,
    FineForm,
    FuelForm,
    InspectionForm,
    MisuseForm,
    RepairActionForm,
    RequestForm,
    ReturnForm,
)
from vehicles.models import Trip, Vehicle
from vehicles.policies import FUEL


def _visible(request, pk) -> Trip:
    return get_object_or_404(
        selectors.with_related(selectors.trips_visible_to(request.user)), pk=pk
    )


def _dispatcher_only(request) -> None:
    if not selectors.is_dispatcher(request.user):
        raise PermissionDenied


def _month_of(request):
    first = month_param(request.GET, default=timezone.localdate().replace(day=1))
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, following


@require_GET
def mine(request):
    person = person_of(request.user)
    if person is None:
        raise Http404
    asked = selectors.with_related(Trip.objects.filter(requester=person)).order_by(
        "-starts_at"
    )[:50]
    driving = selectors.with_related(
        Trip.objects.filter(driver__person=person).exclude(
            status__in=[Trip.Status.WITHDRAWN, Trip.Status.CANCELLED]
        )
    ).order_by("-starts_at")[:50]
    return render(
        request,
        "vehicles/mine.html",
        {
            "asked": asked,
            "driving": driving,
            "is_driver": selectors.driver_of(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def new(request):
    if person_of(request.user) is None:
        raise Http404
    if request.method == "GET":
        return render(request, "vehicles/new.html", {"form": RequestForm()})
    form = RequestForm(request.POST)
    if not form.is_valid():
        return render(request, "vehicles/new.html", {"form": form}, status=400)
    try:
        trip = services.trip_request(by=request.user, **form.cleaned_data)
    except services.VehicleError as exc:
        form.add_error(None, str(exc))
        return render(request, "vehicles/new.html", {"form": form}, status=400)
    messages.success(request, _("Your request was sent to the comprehensive section."))
    return redirect("vehicles:trip", pk=trip.pk)


@require_GET
def trip(request, pk):
    item = _visible(request, pk)
    dispatcher = selectors.is_dispatcher(request.user)
    person = person_of(request.user)
    context = {
        "trip": item,
        "is_mine": person is not None and item.requester_id == person.pk,
        "is_driver": person is not None
        and item.driver_id is not None
        and item.driver.person_id == person.pk,
        "dispatcher": dispatcher,
        "number": number_of(item, services.SLIP_SERIES),
        "bumps": item.bumps.select_related("for_trip", "vehicle", "offered_vehicle"),
        "approval": item.current_approval,
    }
    if dispatcher and item.status == Trip.Status.REQUESTED:
        vehicle, driver = selectors.suggestion_for(item)
        context["suggested"] = (vehicle, driver)
        context["dispatch_form"] = DispatchForm(
            initial={"vehicle": vehicle, "driver": driver}
        )
        lower = selectors.with_related(
            selectors.booked_between(item.starts_at, item.ends_at).filter(
                status=Trip.Status.DISPATCHED, priority__lt=item.priority
            )
        )
        context["bumpable"] = lower
        context["bump_form"] = BumpForm()
        context["bump_form"].fields["bumped"].queryset = lower
    if dispatcher and item.status in (Trip.Status.REQUESTED, Trip.Status.DISPATCHED):
        context["cancel_form"] = CancelForm()
    if item.status == Trip.Status.DISPATCHED:
        context["depart_form"] = DepartForm(
            initial={"odometer": item.vehicle.odometer_km}
        )
    if item.status == Trip.Status.OUT:
        context["return_form"] = ReturnForm(initial={"odometer": item.odometer_out})
    return render(request, "vehicles/trip.html", context)


def _back(request, trip, exc=None, done=None):
    if exc is not None:
        messages.error(request, str(exc))
    elif done:
        messages.success(request, done)
    return redirect("vehicles:trip", pk=trip.pk)


@require_POST
def withdraw(request, pk):
    item = _visible(request, pk)
    try:
        services.trip_withdraw(trip=item, by=request.user)
    except services.VehicleError as exc:
        return _back(request, item, exc)
    return _back(request, item, done=_("The request was withdrawn."))


@require_POST
def dispatch(request, pk):
    _dispatcher_only(request)
    item = _visible(request, pk)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a vehicle and a driver."))
        return redirect("vehicles:trip", pk=item.pk)
    try:
        services.trip_dispatch(trip=item, by=request.user, **form.cleaned_data)
    except services.VehicleError as exc:
        return _back(request, item, exc)
    nxt = request.POST.get("from_board")
    messages.success(request, _("Dispatched: %(trip)s.") % {"trip": item})
    if nxt:
        return redirect("vehicles:board")
    return redirect("vehicles:trip", pk=item.pk)


@require_POST
def bump(request, pk):
    """VEH-2: asks for confirmation first, saying what will be recorded."""
    _dispatcher_only(request)
    item = _visible(request, pk)
    form = BumpForm(request.POST)
    form.fields["bumped"].queryset = selectors.with_related(
        Trip.objects.filter(status=Trip.Status.DISPATCHED)
    )
    if not form.is_valid():
        messages.error(request, _("Choose the trip that gives way and the reason."))
        return redirect("vehicles:trip", pk=item.pk)
    data = form.cleaned_data
    if not data["confirm"]:
        return render(
            request,
            "vehicles/bump_confirm.html",
            {"trip": item, "bumped": data["bumped"], "reason": data["reason"]},
        )
    try:
        services.trip_bump(
            trip=data["bumped"], for_trip=item, reason=data["reason"], by=request.user
        )
    except services.VehicleError as exc:
        return _back(request, item, exc)
    return _back(
        request,
        item,
        done=_("The car was given to this trip; the other requester was told."),
    )


@require_POST
def cancel(request, pk):
    _dispatcher_only(request)
    item = _visible(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for cancelling."))
        return redirect("vehicles:trip", pk=item.pk)
    try:
        services.trip_cancel(trip=item, by=request.user, **form.cleaned_data)
    except services.VehicleError as exc:
        return _back(request, item, exc)
    return _back(request, item, done=_("The trip was cancelled; its slot is free."))


@require_POST
def depart(request, pk):
    item = _visible(request, pk)
    form = DepartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the odometer and the check before the trip."))
        return redirect("vehicles:trip", pk=item.pk)
    try:
        services.trip_depart(trip=item, by=request.user, **form.cleaned_data)
    except services.VehicleError as exc:
        return _back(request, item, exc)
    return _back(request, item, done=_("Departure recorded."))


@require_POST
def return_(request, pk):
    item = _visible(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Enter the odometer and the maintenance after the trip.")
        )
        return redirect("vehicles:trip", pk=item.pk)
    data = form.cleaned_data
    try:
        services.trip_return(
            trip=item,
            by=request.user,
            odometer=data["odometer"],
            maintenance_after=data["maintenance_after"],
            other_cost=data["other_cost"] or 0,
        )
    except services.VehicleError as exc:
        return _back(request, item, exc)
    return _back(request, item, done=_("Return recorded; the trip is closed."))


@require_GET
def slip(request, pk):
    """The printable dispatch slip (派车单); only a dispatched trip has one."""
    item = _visible(request, pk)
    number = number_of(item, services.SLIP_SERIES)
    if number is None or item.vehicle_id is None:
        raise Http404
    return render(request, "vehicles/slip.html", {"trip": item, "number": number})


@require_GET
def board(request):
    """The dispatcher's day or week board (VEH-1)."""
    _dispatcher_only(request)
    today = timezone.localdate()
    first = date_param(request.GET, "date", default=today)
    span = choice_param(request.GET, "span", ["day", "week"], default="week")
    days = 7 if span == "week" else 1
    if span == "week":
        first -= datetime.timedelta(days=first.weekday())
    waiting = list(selectors.waiting_requests()[:30])
    context = selectors.board(first, days)
    suggestions = selectors.suggestions_for(waiting, leave=context.pop("leave"))
    context.update(
        {
            "span": span,
            "first": first,
            "previous": first - datetime.timedelta(days=days),
            "next": first + datetime.timedelta(days=days),
            "waiting": [
                (trip, suggestions[trip.pk][0], suggestions[trip.pk][1])
                for trip in waiting
            ],
            "awaiting": selectors.awaiting_approval()[:30],
            "licences": selectors.licences_to_warn(today),
            "form": DispatchForm(),
        }
    )
    return render(request, "vehicles/board.html", context)


@require_GET
def public(request):
    """VEH-5: the month's trips as the bureau posts them (公示)."""
    first, following = _month_of(request)
    rows = selectors.public_list(request.user, first, following)
    numbers = numbers_of([r["trip"] for r in rows], services.SLIP_SERIES)
    for row in rows:
        row["number"] = numbers.get(row["trip"].pk)
    return render(request, "vehicles/public.html", {"rows": rows, "month": first})


def _public_rows(rows, numbers):
    for row in rows:
        trip = row["trip"]
        number = numbers.get(trip.pk)
        yield [
            number.text if number else "",
            timezone.localtime(trip.departed_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(trip.returned_at).strftime("%Y-%m-%d %H:%M"),
            trip.get_purpose_display(),
            trip.destination,
            trip.requester.name,
            trip.vehicle.plate,
            trip.driver.person.name,
            row["km"],
            row["litres"] or 0,
            row["fuel_amount"] or 0,
            trip.other_cost,
            row["cost"],
        ]


@require_GET
def public_export(request):
    first, following = _month_of(request)
    fmt = choice_param(request.GET, "format", ["xlsx", "csv"], default="xlsx")
    rows = selectors.public_list(request.user, first, following)
    numbers = numbers_of([r["trip"] for r in rows], services.SLIP_SERIES)
    header = [
        _("Slip"),
        _("Departed"),
        pgettext("trip", "Returned"),
        _("Purpose"),
        _("Destination"),
        _("Asked by"),
        _("Vehicle"),
        _("Driver"),
        _("Distance (km)"),
        _("Fuel (L)"),
        _("Fuel (yuan)"),
        _("Tolls and parking (yuan)"),
        _("Cost (yuan)"),
    ]
    name = f"trips-{first:%Y-%m}"
    if fmt == "csv":
        body = csv_bytes(header, _public_rows(rows, numbers))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=f"{first:%Y-%m}")
    xlsx_row(sheet, header, bold=True)
    for values in _public_rows(rows, numbers):
        xlsx_row(sheet, values)
    response = HttpResponse(
        xlsx_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def misuse(request):
    """VEH-5: the dispatcher records a trip without dispatch, a private trip or
    an unauthorised loan against the driver; confirmed first."""
    _dispatcher_only(request)
    recent = selectors.misuses_visible_to(request.user).select_related(
        "vehicle", "driver__person"
    )[:50]
    if request.method == "GET":
        return render(
            request, "vehicles/misuse.html", {"form": MisuseForm(), "recent": recent}
        )
    form = MisuseForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "vehicles/misuse.html",
            {"form": form, "recent": recent},
            status=400,
        )
    data = form.cleaned_data
    if not data.pop("confirm"):
        return render(
            request,
            "vehicles/misuse.html",
            {"form": form, "recent": recent, "confirming": data},
        )
    try:
        services.misuse_record(by=request.user, **data)
    except services.VehicleError as exc:
        form.add_error(None, str(exc))
        return render(
            request,
            "vehicles/misuse.html",
            {"form": form, "recent": recent},
            status=400,
        )
    messages.success(request, _("Recorded; the driver's violation is on their record."))
    return redirect("vehicles:misuse")


@require_http_methods(["GET", "POST"])
def fuel(request):
    """VEH-10: the driver (or the dispatcher) logs a fuel purchase."""
    vehicles = selectors.vehicles_visible_to(request.user)
    if not (selectors.is_dispatcher(request.user) or selectors.driver_of(request.user)):
        raise PermissionDenied
    recent = (
        selectors.fuel_visible_to(request.user)
        .select_related("vehicle", "station")
        .order_by("-bought_at")[:30]
    )
    if request.method == "GET":
        form = FuelForm(vehicles=vehicles, initial={"bought_at": timezone.localtime()})
        return render(request, "vehicles/fuel.html", {"form": form, "recent": recent})
    form = FuelForm(request.POST, vehicles=vehicles)
    if not form.is_valid():
        return render(
            request, "vehicles/fuel.html", {"form": form, "recent": recent}, status=400
        )
    try:
        services.fuel_record(by=request.user, **form.cleaned_data)
    except services.VehicleError as exc:
        form.add_error(None, str(exc))
        return render(
            request, "vehicles/fuel.html", {"form": form, "recent": recent}, status=400
        )
    messages.success(request, _("Fuel purchase logged."))
    return redirect("vehicles:fuel")


# --- VEH-7..9: repairs, accidents, fines -----------------------------------------------


def _repair_vehicles(request):
    if selectors.is_dispatcher(request.user):
        return Vehicle.objects.filter(active=True)
    driver = selectors.driver_of(request.user)
    if driver is None:
        return Vehicle.objects.none()
    return Vehicle.objects.filter(driver=driver)


@require_http_methods(["GET", "POST"])
def repairs(request):
    """Repairs I may see; the vehicle's driver or the dispatcher reports a fault."""
    if person_of(request.user) is None:
        raise Http404
    vehicles = _repair_vehicles(request)
    items = (
        selectors.repairs_visible_to(request.user)
        .select_related("vehicle", "reported_by", "shop")
        .order_by("-reported_at")[:100]
    )
    form = FaultForm(vehicles=vehicles)
    status = 200
    if request.method == "POST":
        form = FaultForm(request.POST, vehicles=vehicles)
        if form.is_valid():
            try:
                repair = services.repair_report(by=request.user, **form.cleaned_data)
            except services.VehicleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The fault was reported."))
                return redirect("vehicles:repair", pk=repair.pk)
        status = 400
    return render(
        request,
        "vehicles/repairs.html",
        {"items": items, "form": form, "may_report": vehicles.exists()},
        status=status,
    )


@require_GET
def repair(request, pk):
    item = get_object_or_404(
        selectors.repairs_visible_to(request.user).select_related(
            "vehicle__unit", "vehicle__driver__person", "reported_by", "shop"
        ),
        pk=pk,
    )
    return render(
        request,
        "vehicles/repair.html",
        {
            "repair": item,
            "approval": item.current_approval,
            "dispatcher": selectors.is_dispatcher(request.user),
            "form": RepairActionForm(
                initial={
                    "odometer": item.vehicle.odometer_km,
                    "shop": item.vehicle.repair_shop,
                }
            ),
        },
    )


@require_POST
def repair_act(request, pk):
    item = get_object_or_404(selectors.repairs_visible_to(request.user), pk=pk)
    form = RepairActionForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("vehicles:repair", pk=item.pk)
    data = form.cleaned_data
    action = data["action"]
    try:
        if action == "verify":
            if data["shop"] is None:
                raise services.VehicleError(_("Choose the designated repair shop."))
            services.repair_verify(
                repair=item,
                cause=data["cause"],
                estimate=data["estimate"],
                shop=data["shop"],
                by=request.user,
            )
        elif action == "done":
            services.repair_done(
                repair=item, by=request.user, odometer=data["odometer"]
            )
        elif action == "inspect":
            services.repair_inspect_parts(
                repair=item, note=data["note"], photo=data["photo"], by=request.user
            )
        elif action == "bill":
            services.repair_bill(repair=item, amount=data["amount"], by=request.user)
        else:
            services.repair_settle(repair=item, by=request.user, on=data["settled_on"])
    except services.VehicleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded."))
    return redirect("vehicles:repair", pk=item.pk)


@require_http_methods(["GET", "POST"])
def accidents(request):
    """VEH-7: the driver or the dispatcher reports an accident at once; the
    accidents and fines I may see."""
    if person_of(request.user) is None:
        raise Http404
    vehicles = _repair_vehicles(request)
    form = AccidentForm(vehicles=vehicles)
    status = 200
    if request.method == "POST":
        form = AccidentForm(request.POST, vehicles=vehicles)
        if form.is_valid():
            try:
                services.accident_report(by=request.user, **form.cleaned_data)
            except services.VehicleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Reported; the section head and the deputy in charge were told."),
                )
                return redirect("vehicles:accidents")
        status = 400
    return render(
        request,
        "vehicles/accidents.html",
        {
            "form": form,
            "may_report": vehicles.exists(),
            "fine_form": FineForm() if selectors.is_dispatcher(request.user) else None,
            "accidents": selectors.accidents_visible_to(request.user).select_related(
                "vehicle", "driver__person"
            )[:50],
            "fines": selectors.fines_visible_to(request.user).select_related(
                "vehicle", "driver__person"
            )[:50],
        },
        status=status,
    )


@require_POST
def fine(request):
    _dispatcher_only(request)
    form = FineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("vehicles:accidents")
    try:
        services.fine_record(by=request.user, **form.cleaned_data)
    except services.VehicleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Fine recorded."))
    return redirect("vehicles:accidents")


# --- VEH-10: the monthly consumption report; per-vehicle cost ---------------------------


def _fleet_reader(request) -> None:
    if not (
        selectors.sees_fleet(request.user)
        or has_role(request.user, Role.FINANCE_OFFICER)
    ):
        raise PermissionDenied


@require_GET
def fuel_report(request):
    """VEH-10: every vehicle's month, full fill to full fill, against its baseline;
    more than the policy's percentage over is flagged for the inspection."""
    _fleet_reader(request)
    first, following = _month_of(request)
    percent = policy_in_force(FUEL, first).value["over_baseline_percent"]
    rows = selectors.consumption_report(first, following, percent)
    return render(
        request,
        "vehicles/fuel_report.html",
        {"rows": rows, "month": first, "percent": percent},
    )


@require_GET
def costs(request):
    """Per-vehicle cost (fuel + repairs + other) for a month (?month=) or a year
    (?year=), on the page or exported (?format=xlsx|csv)."""
    _fleet_reader(request)
    year = year_param(request.GET, "year")
    if year is not None:
        first = datetime.date(year, 1, 1)
        following = datetime.date(year + 1, 1, 1)
        label = str(year)
    else:
        first, following = _month_of(request)
        label = f"{first:%Y-%m}"
    fmt = choice_param(request.GET, "format", ["html", "xlsx", "csv"], default="html")
    rows = selectors.costs(first, following)
    if fmt == "html":
        totals = {
            key: sum(r[key] for r in rows)
            for key in ("fuel", "repairs", "other", "total")
        }
        return render(
            request,
            "vehicles/costs.html",
            {
                "rows": rows,
                "label": label,
                "totals": totals,
                "year": year,
                "month": first,
            },
        )
    header = [
        _("Vehicle"),
        _("Unit"),
        _("Fuel (yuan)"),
        _("Repairs (yuan)"),
        _("Other (yuan)"),
        _("Total (yuan)"),
    ]
    values = (
        [
            r["vehicle"].plate,
            str(r["vehicle"].unit),
            r["fuel"],
            r["repairs"],
            r["other"],
            r["total"],
        ]
        for r in rows
    )
    name = f"vehicle-costs-{label}"
    if fmt == "csv":
        response = HttpResponse(
            csv_bytes(header, values), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=label)
    xlsx_row(sheet, header, bold=True)
    for row in values:
        xlsx_row(sheet, row)
    response = HttpResponse(
        xlsx_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def inspections(request):
    """VEH-11: the dispatcher records an inspection; a disciplinary measure asks
    for confirmation first. Others see the inspections that concern them."""
    if person_of(request.user) is None:
        raise Http404
    dispatcher = selectors.is_dispatcher(request.user)
    recent = selectors.inspections_visible_to(request.user).select_related(
        "vehicle", "driver__person"
    )[:50]
    context = {"recent": recent, "form": InspectionForm() if dispatcher else None}
    if request.method == "GET":
        return render(request, "vehicles/inspections.html", context)
    _dispatcher_only(request)
    form = InspectionForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "vehicles/inspections.html", context, status=400)
    data = form.cleaned_data
    confirm = data.pop("confirm")
    if data["measure"] == "disciplinary" and not confirm:
        context["confirming"] = data
        return render(request, "vehicles/inspections.html", context)
    try:
        services.inspection_record(by=request.user, **data)
    except services.VehicleError as exc:
        form.add_error(None, str(exc))
        return render(request, "vehicles/inspections.html", context, status=400)
    messages.success(request, _("Inspection recorded."))
    return redirect("vehicles:inspections")
