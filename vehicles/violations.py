"""VEH-5's violation kinds and their ladder (discipline.registry), one call."""

from django.utils.translation import gettext_lazy as _

from discipline import registry
from discipline.rules import ADMONITION, BASIC, CRITICISM, EFFICIENCY_WARNING, rung

LADDER = registry.Ladder(
    "vehicle_trips",  # stored on each violation: never rename
    rule="VEH-5",
    label=_("Vehicle use (VEH-5)"),
    short_label=_("Vehicle use"),
    policy_key="vehicles.ladder.trips",
    default={
        "steps": [
            rung([CRITICISM]),
            rung([ADMONITION]),
            rung([EFFICIENCY_WARNING], BASIC),  # the 3rd and every later one
        ]
    },
    description=(
        _(
            "VEH-5: trips without a dispatch, private trips and loans nobody approved, "
            "per calendar year: outcomes and caps."
        )
    ),
    order=60,
)
NO_DISPATCH = "vehicles.trip_without_dispatch"
PRIVATE = "vehicles.private_trip"
LOAN = "vehicles.unauthorised_loan"
INSPECTION = "vehicles.inspection_finding"
KINDS = [
    registry.ViolationKind(
        NO_DISPATCH, _("Trip without a dispatch"), "VEH-5", LADDER.code
    ),
    registry.ViolationKind(
        PRIVATE, _("Private trip in a bureau car"), "VEH-5", LADDER.code
    ),
    registry.ViolationKind(
        LOAN, _("Car lent without a leader's approval"), "VEH-5", LADDER.code
    ),
    # VEH-11: an inspection's finding that calls for a disciplinary measure.
    registry.ViolationKind(
        INSPECTION, _("Vehicle inspection finding"), "VEH-11", LADDER.code
    ),
]
# Misuse.Kind -> the violation kind recorded against the driver.
KIND_OF_MISUSE = {"no_dispatch": NO_DISPATCH, "private": PRIVATE, "loan": LOAN}


def register_violations() -> None:
    registry.register("vehicles", kinds=KINDS, ladders=[LADDER])
