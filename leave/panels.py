"""The home page's "my requests" panel (the foundation's "my day") and the leave
panel beside an approval on the deciders' pages."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string

from leave import selectors
from leave.models import LeaveRequest


def my_requests_panel(request, person, today):
    """Requests still waiting, and approved leave not over yet: at most five."""
    if person is None:
        return None
    items = list(
        selectors.my_requests(person)
        .filter(
            Q(status=LeaveRequest.Status.PENDING)
            | Q(status=LeaveRequest.Status.APPROVED, end_date__gte=today)
        )
        .order_by("start_date")[:5]
    )
    return {"items": items}


def approval_leave_panel(request, approvals) -> dict[int, str]:
    """Everything a decider needs about a leave request, beside its approval on the
    decision page and the admin's detail: the period with its halves, working days,
    reason, handover, the annual balance, the person's other leave this year and who
    else of the same section is away then (the conflict warning). Registered with
    approvals.hooks.register_subject_panel; a page shows one approval, so a few
    queries per leave request shown are what it costs."""
    label = ContentType.objects.get_for_model(LeaveRequest)
    ids = {a.object_id: a.pk for a in approvals if a.content_type_id == label.pk}
    if not ids:
        return {}
    panels = {}
    leaves = LeaveRequest.objects.filter(pk__in=ids).select_related(
        "person", "person__section", "person__unit"
    )
    for leave in leaves:
        away = list(selectors.colleagues_away(leave))
        panels[ids[leave.pk]] = render_to_string(
            "leave/_decision_panel.html",
            {
                "leave": leave,
                "balance": selectors.annual_balance(
                    leave.person, leave.start_date.year
                ),
                "others": list(selectors.other_leave_in_year(leave)),
                "away": away,
                "group": leave.person.section or leave.person.unit,
                "needs_form": selectors.needs_form(leave),
            },
        )
    return panels
