"""Pages every staff member uses: sign in/out, my records, going out, the board."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import rules, services
from attendance.board_notices import board_notices
from attendance.excuses import excuses_for
from attendance.forms import GoingOutForm
from attendance.models import (
    APPROVAL_PREFETCH,
    Arrival,
    GoingOut,
    SessionRecord,
    StudyAttendance,
)
from attendance.plan import day_plan
from attendance.policies import BOARD_REFRESH
from attendance.selectors import (
    current_going_outs,
    decided_subjects,
    going_outs_visible_to,
    leave_kind_visible_ids,
    units_visible_to,
    waiting_subjects,
)
from bureau.access import person_of
from bureau.confirm import confirm_page, confirmed
from bureau.models import Person
from bureau.params import (
    flag_param,
    month_param,
    next_param,
)
from bureau.policies import policy_value
from bureau.workdays import TZ


def _back(request, default="home"):
    target = next_param(request)
    return HttpResponseRedirect(target) if target else redirect(default)


def _person_or_403(request):
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied
    return person


@require_POST
def sign_in(request):
    """ATT-1: the one big button; the server's time, for oneself only."""
    back = _back(request)  # a bad `next` is refused (400) before anything is saved
    try:
        record, created = services.record_sign_in(by=request.user)
    except services.AttendanceError as exc:
        messages.error(request, str(exc))
        return back
    at = record.signed_in_at.astimezone(TZ).strftime("%H:%M:%S")
    if not created:
        messages.info(request, _("You signed in already at %(at)s.") % {"at": at})
    elif record.arrival == Arrival.ON_TIME:
        messages.success(request, _("Signed in at %(at)s: on time.") % {"at": at})
    elif record.arrival == Arrival.LATE:
        messages.warning(request, _("Signed in at %(at)s: late.") % {"at": at})
    else:
        messages.error(
            request,
            _("Signed in at %(at)s: more than the late limit, a half-day absence.")
            % {"at": at},
        )
    return back


@require_POST
def sign_out(request):
    """ATT-4/5: a sign-out that would record early leave or an absence first says
    so (how many minutes, what it becomes, what counts it) and asks again."""
    back = _back(request)  # a bad `next` is refused (400) before anything is saved
    if not confirmed(request):
        consequence = services.sign_out_consequence(by=request.user)
        if consequence is not None:
            return _sign_out_confirm(request, consequence)
    try:
        record, changed = services.record_sign_out(by=request.user)
    except services.AttendanceError as exc:
        messages.error(request, str(exc))
        return back
    at = record.signed_out_at.astimezone(TZ).strftime("%H:%M:%S")
    if not changed:
        messages.info(request, _("You signed out already at %(at)s.") % {"at": at})
    else:
        messages.success(
            request,
            _("Signed out at %(at)s: %(result)s.")
            % {"at": at, "result": record.get_departure_display()},
        )
    return back


def _sign_out_confirm(request, consequence):
    now = timezone.now().astimezone(TZ)
    values = {
        "at": now.strftime("%H:%M"),
        "end": consequence.session_end.astimezone(TZ).strftime("%H:%M"),
        "minutes": consequence.minutes_early,
        "limit": consequence.early_limit_minutes,
    }
    if consequence.departure == rules.EARLY:
        lines = [
            _(
                "Now (%(at)s) is %(minutes)s minutes before the session ends at "
                "%(end)s: this sign-out is recorded as early leave."
            )
            % values,
            _(
                "Early leave counts as one incident toward this month's attendance "
                "allowance and toward the year's attendance discipline tally."
            ),
        ]
        help_text = _(
            "Rules: ATT-4 (early leave), ATT-10 (monthly allowance), "
            "ATT-11 (discipline ladder)."
        )
    else:
        lines = [
            _(
                "Now (%(at)s) is %(minutes)s minutes before the session ends at "
                "%(end)s, more than %(limit)s minutes early: this session is "
                "recorded as half a day's absence."
            )
            % values,
            _(
                "Half a day's absence counts toward this month's attendance "
                "allowance (absence days) and toward the year's attendance "
                "discipline tally."
            ),
        ]
        help_text = _(
            "Rules: ATT-5 (leaving too early is an absence), ATT-8 (absence), ATT-10 "
            "(monthly allowance), ATT-11 (discipline ladder)."
        )
    lines.append(
        _("If you are going out on business, report going out instead of signing out.")
    )
    target = next_param(request) or reverse("home")
    return confirm_page(
        request,
        title=_("Sign out early?"),
        consequences=lines,
        help_text=help_text,
        action=reverse("attendance:sign_out"),
        fields={"next": next_param(request) or ""},
        button=_("Sign out and record it"),
        cancel=target,
    )


def _month_arg(request):
    return month_param(
        request.GET, "month", default=timezone.localdate().replace(day=1)
    )


@require_GET
def mine(request):
    """My own records of a month (ATT access: staff see their own)."""
    person = _person_or_403(request)
    first = _month_arg(request)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    records = SessionRecord.objects.filter(
        person=person, date__gte=first, date__lt=following
    ).order_by("date", "part")
    # ATT-9: study sessions and collective activities count as work time too.
    study = (
        StudyAttendance.objects.filter(
            person=person,
            session__starts_at__date__gte=first,
            session__starts_at__date__lt=following,
        )
        .select_related("session")
        .order_by("session__starts_at")
    )
    return render(
        request,
        "attendance/mine.html",
        {
            "records": records,
            "study": study,
            "first": first,
            "previous": (first - datetime.timedelta(days=1)).replace(day=1),
            "following": following,
        },
    )


@require_GET
def going_out_list(request):
    """My reports; and, for a supervisor or stand-in, the reports waiting for them
    in the approval engine's queue (decided through `approvals:decide`)."""
    person = _person_or_403(request)
    today = timezone.localdate()
    visible = going_outs_visible_to(request.user, on=today)

    def rows(qs):
        return qs.select_related("person").prefetch_related(*APPROVAL_PREFETCH)

    return render(
        request,
        "attendance/going_out_list.html",
        {
            "mine": rows(visible.filter(person=person))[:30],
            "to_decide": rows(waiting_subjects(person, GoingOut, today)).order_by(
                "leaves_at"
            ),
            "decided": rows(decided_subjects(person, GoingOut)).order_by("-leaves_at")[
                :20
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def going_out_new(request):
    _person_or_403(request)
    now = timezone.now().astimezone(TZ)
    form = GoingOutForm(
        request.POST or None,
        initial={
            "leaves_at": now.strftime("%Y-%m-%dT%H:%M"),
            "expected_return": (now + datetime.timedelta(hours=2)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            going_out = services.going_out_report(by=request.user, **form.cleaned_data)
        except services.AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            if going_out.approver is not None:
                messages.success(
                    request,
                    _("Reported to %(who)s.") % {"who": going_out.approver},
                )
            else:
                messages.success(request, _("Recorded."))
            return redirect("attendance:going_out_list")
    return render(request, "attendance/going_out_form.html", {"form": form})


@require_POST
def going_out_return_view(request, pk):
    going_out = get_object_or_404(going_outs_visible_to(request.user), pk=pk)
    try:
        services.going_out_return(by=request.user, going_out_id=going_out.pk)
    except services.AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Return logged."))
    return _back(request, "attendance:going_out_list")


@require_GET
def board_index(request):
    units = list(units_visible_to(request.user))
    if len(units) == 1:
        return redirect("attendance:board", unit_id=units[0].pk)
    return render(request, "attendance/board_index.html", {"units": units})


BOARD_BADGE = {
    rules.IN: "ok",
    rules.BUSINESS: "info",
    rules.LEAVE: "info",
    rules.MISSING: "bad",
    rules.NOT_YET: "",
    rules.LEFT: "",
}
BOARD_LABEL = {
    rules.IN: gettext_lazy("In"),
    rules.BUSINESS: gettext_lazy("Out on business"),
    rules.LEAVE: gettext_lazy("On leave"),
    rules.MISSING: gettext_lazy("Absent"),
    rules.NOT_YET: gettext_lazy("Not yet in"),
    rules.LEFT: gettext_lazy("Gone"),
}


@require_GET
def board(request, unit_id):
    """ATT-6: where everyone of a unit is now; refreshes itself (wall screen)."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_id)
    now = timezone.now()
    today = timezone.localdate()
    plan = day_plan(unit.pk, today)
    # The session people are signing in for (from an hour before its start), else
    # the last one that started today: between sessions the board shows who left.
    current = rules.session_open_for_sign_in(plan.sessions, now, plan.thresholds)
    if current is None:
        started = [s for s in plan.sessions if s.start <= now]
        current = started[-1] if started else None
    people = list(
        Person.objects.active()
        .filter(unit=unit)
        .select_related("section")
        .order_by("section__order", "section_id", "employee_no")
    )
    ids = [p.pk for p in people]
    part = current.part if current else None
    records = {}
    if part:
        records = {
            r.person_id: r
            for r in SessionRecord.objects.filter(
                person_id__in=ids, date=today, part=part
            )
        }
    excuses = excuses_for(ids, today, today) if part else {}
    # Facts about a place, not a person (e.g. a service window with neither post
    # present, SVC-4), from the chapters that registered a provider.
    notices = board_notices(unit, today, part) if part else []
    outs = current_going_outs(ids, now)
    # The kind of leave is private: the wall screen shows none, a colleague sees
    # "on leave", the person, their leaders and the clerk see which leave.
    wall = flag_param(request.GET, "wall")
    kind_visible = (
        frozenset()
        if wall or not excuses
        else leave_kind_visible_ids(request.user, ids)
    )
    tiles = []
    counts = {}
    for person in people:
        record = records.get(person.pk)
        excuse = excuses.get((person.pk, today, part)) if part else None
        going_out = outs.get(person.pk)
        out_until = None
        if going_out and going_out.returned_at is None:
            out_until = going_out.expected_return
        status = rules.whereabouts(
            now=now,
            session=current,
            signed_in_at=record.signed_in_at if record else None,
            signed_out_at=record.signed_out_at if record else None,
            excuse_kind=excuse.kind if excuse else None,
            out_until=out_until,
            t=plan.thresholds,
        )
        if going_out and out_until:
            detail = _("%(place)s until %(until)s") % {
                "place": going_out.destination,
                "until": out_until.astimezone(TZ).strftime("%H:%M"),
            }
        elif excuse is not None and (
            status != rules.LEAVE or person.pk in kind_visible
        ):
            detail = str(excuse.label)
        else:
            detail = ""
        counts[status] = counts.get(status, 0) + 1
        tiles.append(
            {
                "person": person,
                "status": status,
                "label": BOARD_LABEL[status],
                "badge": BOARD_BADGE[status],
                "detail": detail,
            }
        )
    summary = [
        (BOARD_LABEL[k], BOARD_BADGE[k], counts[k]) for k in BOARD_LABEL if k in counts
    ]
    return render(
        request,
        "attendance/board.html",
        {
            "unit": unit,
            "tiles": tiles,
            "summary": summary,
            "notices": notices,
            "now": now,
            "session": current,
            "refresh": policy_value(BOARD_REFRESH, today),
            "units": units_visible_to(request.user),
            "wall": wall,
        },
    )
