"""The home page's "交接给我的事项" panel and the handover beside a decision."""

from __future__ import annotations

from django.db.models import Q
from django.template.loader import render_to_string

from handovers import selectors
from handovers.models import Handover
from handovers.registry import open_matters


def home_panel(request, person, today):
    """Handovers waiting for me to acknowledge, and those I have acknowledged
    while they are in force (DOC-6: their matters are mine to open and act on
    until the last day, linked from here); for those in charge, the
    unacknowledged ones of their people. One query; nothing shown when empty."""
    if person is None:
        return None
    waiting = Q(status=Handover.Status.WAITING)
    wanted = Q(colleague=person) & (waiting | selectors.in_force_q(today))
    if selectors.SCOPE.sees_others(request.user):
        wanted |= (
            selectors.SCOPE.q(request.user, "person__") & ~Q(person=person) & waiting
        )
    rows = list(
        Handover.objects.filter(wanted)
        .select_related("person", "colleague")
        .order_by("start_date", "pk")[:20]
    )
    if not rows:
        return None
    mine = [h for h in rows if h.colleague_id == person.pk]
    return {
        "mine": [h for h in mine if h.is_waiting],
        "covering": [h for h in mine if not h.is_waiting],
        "in_charge": [h for h in rows if h.colleague_id != person.pk and h.is_waiting],
    }


def decision_panel(request, approvals) -> dict[int, str]:
    """DOC-6 beside a decision: the handover of the record decided (a leave
    request) — the colleague, whether acknowledged, and the matters open now. One
    query for the handovers and one per provider, whatever the approvals shown."""
    keys = {(a.content_type_id, a.object_id): a.pk for a in approvals}
    if not keys:
        return {}
    rows = (
        Handover.objects.filter(
            subject_type_id__in={k[0] for k in keys},
            subject_id__in={k[1] for k in keys},
        )
        .exclude(status=Handover.Status.CANCELLED)
        .select_related("colleague", "colleague__section")
    )
    rows = [h for h in rows if (h.subject_type_id, h.subject_id) in keys]
    if not rows:
        return {}
    matters = open_matters({h.person_id for h in rows})
    return {
        keys[(h.subject_type_id, h.subject_id)]: render_to_string(
            "handovers/_decision_panel.html",
            {
                "handover": h,
                "matters": h.matters
                if h.status == Handover.Status.ACKNOWLEDGED
                else [m.as_dict() for m in matters.get(h.person_id, [])],
            },
        )
        for h in rows
    }
