"""Staff pages of duty (DUTY-1). Reads through `selectors`, changes through
`services`; a roster, day or swap outside the reader's scope is 404, a page of
another duty 403. A form sent back keeps what was typed."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bureau.access import person_of
from bureau.params import (
    choice_param,
    month_param,
    next_param,
    object_param,
    page_param,
)
from bureau.policies import policy_in_force
from bureau.responses import bad_request
from duty import selectors, services
from duty.forms import DaysForm, LogForm, RosterForm, SwapDecisionForm, SwapForm
from duty.models import Assignment, LogEntry, Roster, Swap
from duty.policies import ROTATION


def _roster(request, pk) -> Roster:
    return get_object_or_404(
        selectors.rosters_visible_to(request.user).select_related(
            "unit", "created_by", "filed_by", "acknowledged_by"
        ),
        pk=pk,
    )


@require_GET
def roster_list(request):
    today = timezone.localdate()
    person = person_of(request.user)
    rosters = (
        selectors.rosters_visible_to(request.user)
        .select_related("unit")
        .order_by("-starts_on", "-pk")
    )
    page = Paginator(rosters, 50).get_page(page_param(request.GET))
    ahead = today + datetime.timedelta(days=60)
    arranger = selectors.is_arranger(request.user)
    return render(
        request,
        "duty/list.html",
        {
            "page": page,
            "mine": list(selectors.my_duties(person, today, ahead)) if person else [],
            "led": list(selectors.days_led_by(person, today, ahead)) if person else [],
            "swaps_for_me": (
                list(
                    Swap.objects.filter(taker=person, status=Swap.Status.PROPOSED)
                    .select_related("roster", "giver")
                    .order_by("given_date")
                )
                if person
                else []
            ),
            "may_create": selectors.arrangeable_units(request.user).exists(),
            "arranger": arranger,
            "to_acknowledge": (
                list(
                    Roster.objects.filter(filing=Roster.Filing.FILED)
                    .select_related("unit")
                    .order_by("filed_at")
                )
                if arranger
                else []
            ),
        },
    )


def _new_form(request, unit):
    people = list(selectors.unit_people(unit))
    leaders = list(selectors.leaders())
    return RosterForm(
        request.POST or None,
        people=people,
        leaders=leaders,
        initial={"kind": choice_param(request.GET, "kind", Roster.Kind.values)},
    )


@require_http_methods(["GET", "POST"])
def roster_new(request):
    units = selectors.arrangeable_units(request.user).order_by("order", "name")
    first = units.first()
    if first is None:
        raise PermissionDenied
    unit = object_param(request.GET, "unit", units, default=first)
    form = _new_form(request, unit)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roster = services.roster_create(
                by=request.user,
                kind=data["kind"],
                unit=unit,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                people=form.rotation(),
                leaders=form.leader_rotation(),
                confirm=data["confirm"],
            )
        except services.NeedsConfirmation as exc:
            warnings = exc.messages
        except services.DutyError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The roster is saved."))
            return redirect(roster)
    return render(
        request,
        "duty/roster_form.html",
        {"form": form, "unit": unit, "units": units, "warnings": warnings},
    )


@require_GET
def roster_detail(request, pk):
    roster = _roster(request, pk)
    days = selectors.roster_days(roster)
    person = person_of(request.user)
    arranges = selectors.may_arrange(request.user, roster)
    log_days = set(
        selectors.days_with_log_visible_to(request.user)
        .filter(roster=roster)
        .values_list("pk", flat=True)
    )
    swaps = list(
        selectors.swaps_visible_to(request.user)
        .filter(roster=roster)
        .select_related("giver", "taker", "proposed_by", "decided_by")
        .order_by("-proposed_at")[:100]
    )
    day_ids = {d.date.isoformat(): d.pk for d in days}
    on_it = person is not None and any(
        a.person_id == person.pk for d in days for a in d.assignments.all()
    )
    return render(
        request,
        "duty/roster.html",
        {
            "roster": roster,
            # Each flag with its day, for the 依据 link (duty.why).
            "flags_now": [
                (services.flag_text(row), day_ids.get(row["date"]))
                for row in roster.flags
            ],
            "days": days,
            "log_days": log_days,
            "swaps": swaps,
            "person": person,
            "arranges": arranges,
            "may_swap": arranges or on_it,
            "may_file": selectors.may_file(request.user, roster),
            "may_acknowledge": selectors.may_acknowledge(request.user, roster),
            "today": timezone.localdate(),
        },
    )


def _month_dates(roster, month):
    first = max(roster.starts_on, month)
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last = min(roster.ends_on, following - datetime.timedelta(days=1))
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


def _months(roster):
    months, month = [], roster.starts_on.replace(day=1)
    while month <= roster.ends_on:
        months.append(month)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


@require_http_methods(["GET", "POST"])
def roster_edit(request, pk):
    roster = _roster(request, pk)
    if not selectors.may_arrange(request.user, roster):
        raise PermissionDenied
    month = month_param(request.GET, default=roster.starts_on.replace(day=1))
    if not roster.starts_on.replace(day=1) <= month <= roster.ends_on:
        month = roster.starts_on.replace(day=1)
    dates = _month_dates(roster, month)
    slots = policy_in_force(ROTATION, roster.starts_on).value["max_per_day"]
    current = services.roster_plan(roster, dates)
    initial = {}
    for day in dates:
        entry = current.get(day)
        if entry is None:
            continue
        for slot, pid in enumerate(entry.people[:slots], start=1):
            initial[DaysForm.key(day, slot)] = pid
        initial[DaysForm.key(day, "leader")] = entry.leader
    form = DaysForm(
        request.POST or None,
        initial=initial,
        dates=dates,
        people=selectors.unit_people(roster.unit),
        leaders=selectors.leaders(),
        slots=slots,
        with_leader=roster.needs_leader,
    )
    warnings = []
    if request.method == "POST" and form.is_valid():
        plan = {
            day: services.DayPlan(people, leader)
            for day, (people, leader) in form.plan().items()
        }
        try:
            services.roster_days_set(
                by=request.user,
                roster=roster,
                plan=plan,
                confirm=form.cleaned_data["confirm"],
            )
        except services.NeedsConfirmation as exc:
            warnings = exc.messages
        except services.DutyError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The roster is saved."))
            return redirect(roster)
    return render(
        request,
        "duty/roster_edit.html",
        {
            "roster": roster,
            "form": form,
            "month": month,
            "months": _months(roster),
            "warnings": warnings,
        },
    )


@require_POST
def roster_file(request, pk):
    roster = _roster(request, pk)
    try:
        services.roster_file(by=request.user, roster=roster)
    except services.DutyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Filed with the comprehensive section."))
    return redirect(roster)


@require_POST
def roster_acknowledge(request, pk):
    roster = _roster(request, pk)
    if not selectors.is_arranger(request.user):
        raise PermissionDenied
    try:
        services.roster_acknowledge(by=request.user, roster=roster)
    except services.DutyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The roster is acknowledged."))
    return redirect(roster)


@require_http_methods(["GET", "POST"])
def swap_new(request, pk):
    roster = _roster(request, pk)
    person = person_of(request.user)
    arranger = selectors.may_arrange(request.user, roster)
    if person is None:
        raise PermissionDenied
    people = list(selectors.unit_people(roster.unit))
    form = SwapForm(request.POST or None, people=people, arranger=arranger)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {p.pk: p for p in people}
        try:
            if arranger and data.get("giver"):
                swap = services.swap_record(
                    by=request.user,
                    roster=roster,
                    giver=by_id[data["giver"]],
                    given_date=data["given_date"],
                    taker=by_id[data["taker"]],
                    returned_date=data["returned_date"],
                    reason=data["reason"],
                    confirm=data.get("confirm", False),
                )
            else:
                swap = services.swap_propose(
                    by=request.user,
                    roster=roster,
                    given_date=data["given_date"],
                    taker=by_id[data["taker"]],
                    returned_date=data["returned_date"],
                    reason=data["reason"],
                )
        except services.NeedsConfirmation as exc:
            warnings = exc.messages
        except services.DutyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The duties are swapped.")
                if swap.status == Swap.Status.DONE
                else _("Your colleague is asked to agree."),
            )
            return redirect(roster)
    return render(
        request,
        "duty/swap_form.html",
        {"roster": roster, "form": form, "warnings": warnings},
    )


@require_POST
def swap_decide(request, pk):
    swap = get_object_or_404(selectors.swaps_visible_to(request.user), pk=pk)
    form = SwapDecisionForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Agree, decline or withdraw."))
    decision = form.cleaned_data["decision"]
    try:
        if decision == "withdraw":
            services.swap_withdraw(by=request.user, swap=swap)
        else:
            services.swap_decide(by=request.user, swap=swap, agree=decision == "agree")
    except services.DutyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done."))
    return redirect(next_param(request) or swap.roster.get_absolute_url())


@require_http_methods(["GET", "POST"])
def day_log(request, pk):
    day = get_object_or_404(
        selectors.days_with_log_visible_to(request.user).select_related(
            "roster__unit", "leader"
        ),
        pk=pk,
    )
    writes = selectors.may_write_log(request.user, day)
    form = LogForm(
        request.POST or None,
        initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST":
        if not writes:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.log_record(by=request.user, day=day, **form.cleaned_data)
            except services.DutyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Recorded in the duty log."))
                return redirect("duty:log", pk=day.pk)
    entries = (
        LogEntry.objects.filter(day=day)
        .select_related("recorded_by", "leader_notified")
        .order_by("occurred_at", "pk")
    )
    on_duty = list(day.assignments.select_related("person").order_by("slot"))
    return render(
        request,
        "duty/log.html",
        {
            "day": day,
            "entries": entries,
            "on_duty": on_duty,
            "form": form if writes else None,
            "leader": selectors.leader_on_duty(day),
        },
    )


@require_POST
def arrive(request, pk):
    person = person_of(request.user)
    assignment = get_object_or_404(
        Assignment.objects.filter(person=person)
        if person
        else Assignment.objects.none(),
        pk=pk,
    )
    try:
        assignment = services.duty_arrive(by=request.user, assignment=assignment)
    except services.DutyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Arrival recorded: %(judgement)s.")
            % {"judgement": assignment.get_arrival_display()},
        )
    return redirect(next_param(request) or "home")
