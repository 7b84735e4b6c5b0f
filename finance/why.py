""" "Why" pages of finance (bureau.why): the chain a claim or a use of funds was
routed by (FIN-2, FIN-5, FIN-6), with the policy versions stored on it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.why import chain_why, register_why
from finance.selectors import claims_visible_to, spendings_visible_to


def register() -> None:
    register_why(
        "finance.claim",
        _("claim"),
        chain_why(
            claims_visible_to,
            person="handler",
            version_fields=("chain_policy_id", "thresholds_policy_id"),
            url=lambda claim: reverse("finance:claim", args=[claim.pk]),
        ),
    )
    register_why(
        "finance.spending",
        _("use of funds"),
        chain_why(
            spendings_visible_to,
            person="requester",
            version_fields=("chain_policy_id", "valuable_policy_id"),
            url=lambda spending: reverse("finance:spending", args=[spending.pk]),
        ),
    )
