"""The home page's "交接给我的事项" panel and the handover beside a decision."""

from __future__ import annotations

from django.template.loader import render_to_string

from handovers import selectors
from handovers.models import Handover
from handovers.registry import open_matters


def home_panel(request, person, today):
    """Handovers waiting for me to acknowledge; for those in charge, the
    unacknowledged ones of their people. Nothing shown when both are empty."""
    if person is None:
        return None
    mine = list(selectors.waiting_for(person)[:10])
    in_charge = list(selectors.waiting_in_charge(request.user)[:10])
    if not mine and not in_charge:
        return None
    return {"mine": mine, "in_charge": in_charge}


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
