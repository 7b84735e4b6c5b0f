"""The finance officer's home panel: approved claims waiting for a batch."""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string

from bureau.policies import policy_in_force
from finance import rules, selectors, services
from finance.models import Reception
from finance.policies import RECEPTION_STANDARDS


def to_pay_panel(request, person, today):
    """Nothing (and no query) for anyone but the finance officer."""
    if person is None or not selectors.is_finance_officer(request.user):
        return None
    waiting = services.claims_to_pay()
    return {"count": waiting.count(), "pay_on": services.pay_day(today)}


def approval_reception_panel(request, approvals) -> dict[int, str]:
    """FIN-9: everything a decider needs about a reception approval form, beside its
    approval on the decision page: guests with their posts and level, purpose, the
    sending unit's letter, numbers against the companions allowed, place and date,
    the standard per head and the estimate against the ceiling."""
    label = ContentType.objects.get_for_model(Reception)
    ids = {a.object_id: a.pk for a in approvals if a.content_type_id == label.pk}
    if not ids:
        return {}
    panels = {}
    receptions = (
        Reception.objects.filter(pk__in=ids)
        .select_related("requester", "unit")
        .prefetch_related("companions")
    )
    for reception in receptions:
        # The standards in force on the reception's day: those it was judged by.
        standards = policy_in_force(RECEPTION_STANDARDS, reception.on).value
        panels[ids[reception.pk]] = render_to_string(
            "finance/_reception_panel.html",
            {
                "reception": reception,
                "ceiling": (reception.standard_per_head * reception.heads).quantize(
                    rules.CENT
                ),
                "companions_allowed": rules.companions_allowed(
                    reception.guest_count, standards
                ),
                "capitals": rules.rmb_upper(reception.estimated_cost),
            },
            request=request,
        )
    return panels
