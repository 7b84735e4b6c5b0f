"""The chapter's violation kind and ladder (discipline.registry), one call."""

from django.utils.translation import gettext_lazy as _

from discipline import registry
from discipline.rules import ADMONITION, BASIC, CRITICISM, EFFICIENCY_WARNING, rung

LADDER = registry.Ladder(
    "toy_car_trips",  # stored on each violation: never rename
    rule="TOY-2",
    label=_("Car trips (TOY-2)"),
    short_label=_("Car trips"),
    policy_key="toy_cars.ladder.trips",
    default={
        "steps": [
            rung([CRITICISM]),
            rung([ADMONITION]),
            rung([EFFICIENCY_WARNING], BASIC),  # the 3rd and every later one
        ]
    },
    description=_("TOY-2: trips without a dispatch per calendar year."),
    order=90,
)
TRIP_WITHOUT_DISPATCH = "toy_cars.trip_without_dispatch"
KINDS = [
    registry.ViolationKind(
        TRIP_WITHOUT_DISPATCH,
        _("Trip without a dispatch"),
        "TOY-2",
        LADDER.code,
    )
]


def register_violations() -> None:
    registry.register("toy_cars", kinds=KINDS, ladders=[LADDER])
