"""Staff pages: my deadlines, the leaders' dashboard of overdue items, and a
deadline's own page (its clock, its pause history, and — where its kind allows —
pausing and resuming by hand after a confirmation)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bureau.access import person_of
from deadlines import registry, rules, selectors, services
from deadlines.forms import HoldForm
from deadlines.models import Deadline

MINE_LIMIT = 200


@require_GET
def mine(request):
    """Every open deadline I answer for, soonest first."""
    today = timezone.localdate()
    person = person_of(request.user)
    items = (
        selectors.my_open_deadlines(person, today, limit=MINE_LIMIT) if person else []
    )
    return render(request, "deadlines/mine.html", {"items": items, "today": today})


@require_GET
def dashboard(request):
    """Leaders: overdue and soon-due deadlines per section of the people in their
    charge (the director and administrators: the whole bureau)."""
    if not selectors.sees_others(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "deadlines/dashboard.html",
        {
            "today": today,
            "sections": selectors.overdue_by_section(request.user, today),
            "items": selectors.overdue_items(request.user, today),
        },
    )


def _deadline(request, pk) -> Deadline:
    return get_object_or_404(
        selectors.deadlines_visible_to(request.user).select_related(
            "responsible", "section", "unit"
        ),
        pk=pk,
    )


@require_GET
def detail(request, pk):
    """The deadline: its rule, clock and due date, and its pause history."""
    deadline = _deadline(request, pk)
    today = timezone.localdate()
    deadline.light = deadline.light_on(today)
    return render(
        request,
        "deadlines/detail.html",
        {
            "item": deadline,
            "today": today,
            "events": selectors.events_of(deadline),
            "pausable": registry.pausable(deadline.kind),
            "may_pause": selectors.may_pause(request.user, deadline),
            "stopped": deadline.state == Deadline.State.OPEN
            and selectors.is_paused(deadline),
        },
    )


@require_http_methods(["GET", "POST"])
def hold(request, pk, action):
    """Pause (action "pause") or resume ("resume") the clock by hand: the form,
    then a confirmation saying what will be recorded and the new due date."""
    deadline = _deadline(request, pk)
    if not selectors.may_pause(request.user, deadline):
        raise PermissionDenied
    stopped = selectors.is_paused(deadline)
    if (action == rules.PAUSE) == stopped:
        messages.info(
            request,
            _("The clock is already stopped.")
            if stopped
            else _("The clock is running: there is nothing to resume."),
        )
        return redirect("deadlines:detail", pk=deadline.pk)
    today = timezone.localdate()
    form = HoldForm(request.POST or None, initial={"on": today})
    confirming, new_due = False, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        act = (
            services.deadline_pause_by_hand
            if action == rules.PAUSE
            else services.deadline_resume_by_hand
        )
        if "confirm" in request.POST:
            try:
                act(
                    deadline=deadline,
                    by=request.user,
                    reason=data["reason"],
                    on=data["on"],
                )
            except services.DeadlineError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("The clock is stopped.")
                    if action == rules.PAUSE
                    else _("The clock runs again."),
                )
                return redirect("deadlines:detail", pk=deadline.pk)
        elif data["on"] > today:
            form.add_error("on", _("The date cannot be in the future."))
        else:
            confirming = True
            if action == rules.RESUME:
                new_due = services.due_date_after(deadline, kind=action, on=data["on"])
    return render(
        request,
        "deadlines/hold.html",
        {
            "item": deadline,
            "action": action,
            "form": form,
            "confirming": confirming,
            "new_due": new_due,
        },
    )
