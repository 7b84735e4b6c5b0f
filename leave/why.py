""" "Why" page of a leave request (bureau.why): the chain it was routed by (LV-1..6),
with the version of the chains policy stored on the request, LV-7 and LV-8."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.why import Judgement, register_why
from leave.selectors import leave_requests_visible_to, needs_form

REQUEST = "leave.request"


def request_why(user, object_id: int, params) -> Judgement | None:
    leave = (
        leave_requests_visible_to(user)
        .select_related("person")
        .filter(pk=object_id)
        .first()
    )
    if leave is None:
        return None
    rules = [leave.rule] if leave.rule else []
    versions: dict = {"leave.chains": leave.chain_policy_id}
    if leave.is_retroactive:
        rules.append("LV-8")
        versions["leave.retroactive_days"] = None
    if needs_form(leave):
        rules.append("LV-7")
        versions["leave.form_over_days"] = None
    return Judgement(
        title=_("Approval chain of a leave request, %(start)s – %(end)s")
        % {
            "start": date_format(leave.start_date, "Y-m-d"),
            "end": date_format(leave.end_date, "Y-m-d"),
        },
        person=leave.person.name,
        date=leave.start_date,
        rules=rules,
        versions=versions,
        parts={"leave.chains": leave.person.position},
        facts=[
            (_("Leave type"), leave.get_leave_type_display()),
            (_("Working days"), leave.days),
            (_("Position"), leave.person.get_position_display()),
            (_("Status"), leave.get_status_display()),
        ],
        back_url=reverse("leave:detail", args=[leave.pk]),
        note=_(
            "The chain is chosen by the applicant's position and the number of "
            "working days; a length between two tiers falls in the stricter tier."
        ),
    )


def register() -> None:
    register_why(REQUEST, gettext_lazy("leave request"), request_why)
