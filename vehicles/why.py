""" "Why" pages of vehicles (bureau.why): the chain a lending request or a repair was
routed by (VEH-4, VEH-8), with the policy version stored on it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.why import chain_why, register_why
from vehicles.selectors import repairs_visible_to, trips_visible_to


def register() -> None:
    register_why(
        "vehicles.trip",
        _("car request"),
        chain_why(
            trips_visible_to,
            person="requester",
            version_fields=("policy_id",),
            url=lambda trip: reverse("vehicles:trip", args=[trip.pk]),
        ),
    )
    register_why(
        "vehicles.repair",
        _("repair"),
        chain_why(
            repairs_visible_to,
            person="driver",
            version_fields=("policy_id",),
            url=lambda repair: reverse("vehicles:repair", args=[repair.pk]),
        ),
    )
