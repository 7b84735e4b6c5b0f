"""The chapter's numbers, as policies with effective dates (bureau.policies).
Each record stores the version it was judged by (`Trip.policy_id`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.chains import validate_chain
from bureau.policies import register

REQUESTS = "vehicles.requests"
PURPOSES = "vehicles.purposes"
PRIORITY = "vehicles.priority"
LENDING_CHAIN = "vehicles.lending_chain"
LICENCE = "vehicles.licence_warning"
REPAIR_CHAIN = "vehicles.repair_chain"
FUEL = "vehicles.fuel"


def _validate_requests(value) -> None:
    for key in ("past_window_minutes", "max_days"):
        number = value.get(key)
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ValueError(
                _(
                    "The minutes a start may lie in the past and the most days of a "
                    "trip are whole numbers, zero or more."
                )
            )
    if value["max_days"] < 1:
        raise ValueError(_("A trip lasts at most 1 day or more."))


# The purposes of vehicles.models.Trip.Purpose (a test keeps the two equal).
PURPOSE_CODES = frozenset(
    {
        "countryside",
        "urgent",
        "confidential",
        "liaison",
        "cash",
        "lending",
        "ordinary_countryside",
    }
)


def _validate_purposes(value) -> None:
    refused = value.get("refused")
    if not isinstance(refused, list):
        raise ValueError(_("Give the list of purposes that are refused."))
    unknown = set(refused) - PURPOSE_CODES
    if unknown:
        raise ValueError(_("A purpose in the list is not known."))


def _validate_priority(value) -> None:
    levels = [value.get(k) for k in ("leaders", "organ", "units")]
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in levels):
        raise ValueError(
            _(
                "The priorities of leaders, the organ and the units are whole "
                "numbers, zero or more."
            )
        )


def _validate_days(value) -> None:
    days = value.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
        raise ValueError(_("The days are a whole number from 0 to 366."))


def _validate_repair_chain(value) -> None:
    for key in ("organ", "unit"):
        if key not in value:
            raise ValueError(_("Give the chains of the organ and of the units."))
        try:
            validate_chain(value[key])
        except ValueError as exc:
            where = _("The organ") if key == "organ" else _("The units")
            raise ValueError(
                _("%(where)s: %(problem)s") % {"where": where, "problem": exc}
            ) from exc


def _validate_fuel(value) -> None:
    percent = value.get("over_baseline_percent")
    if isinstance(percent, bool) or not isinstance(percent, (int, float)):
        raise ValueError(_("The percentage over the baseline is a number."))
    if not 0 <= percent <= 500:
        raise ValueError(_("The percentage over the baseline is from 0 to 500."))


register(
    REQUESTS,
    {"past_window_minutes": 60, "max_days": 7},
    rule="VEH-1",
    description=(
        gettext_lazy(
            "VEH-1: requests go to the comprehensive section in advance: a start more "
            "than the set number of minutes ago is refused; a trip lasts at most the "
            "set number of days."
        )
    ),
    validator=_validate_requests,
    label=gettext_lazy("Vehicle requests"),
)
register(
    PURPOSES,
    {"refused": ["ordinary_countryside"]},
    rule="VEH-3",
    description=(
        gettext_lazy(
            "VEH-3: purposes that get no dedicated car (ordinary countryside work: "
            "travel costs are reimbursed instead)."
        )
    ),
    validator=_validate_purposes,
    label=gettext_lazy("Purposes without a car"),
)
register(
    PRIORITY,
    {"leaders": 3, "organ": 2, "units": 1},
    rule="VEH-2",
    description=(
        gettext_lazy(
            "VEH-2: priority of a trip by who asks (bureau leaders, the bureau organ, "
            "the units); a higher one may bump a lower one."
        )
    ),
    validator=_validate_priority,
    label=gettext_lazy("Trip priority"),
)
register(
    LENDING_CHAIN,
    {"steps": [{"action": "approve", "who": "deputy_in_charge"}], "top": "director"},
    rule="VEH-4",
    description=(
        gettext_lazy(
            "VEH-4: lending a car to another organisation needs a bureau leader's "
            "approval first (the requester's deputy in charge; the director above)."
        )
    ),
    validator=validate_chain,
    label=gettext_lazy("Vehicle lending chain"),
)
register(
    LICENCE,
    {"days": 30},
    rule="VEH-6",
    description=gettext_lazy(
        "VEH-6: a driver's licence is warned about this many days ahead."
    ),
    validator=_validate_days,
    label=gettext_lazy("Licence expiry warning"),
)
register(
    REPAIR_CHAIN,
    {
        "organ": {
            "steps": [{"action": "approve", "who": "deputy_in_charge"}],
            "top": "director",
        },
        "unit": {
            "steps": [{"action": "approve", "who": "unit_head"}],
            "top": "director",
        },
    },
    rule="VEH-8",
    description=(
        gettext_lazy(
            "VEH-8: who approves a repair before it is done: for a vehicle of the "
            "bureau organ the deputy in charge of the reporter, for a unit's vehicle "
            "the unit head."
        )
    ),
    validator=_validate_repair_chain,
    label=gettext_lazy("Repair approval chain"),
)
register(
    FUEL,
    {"over_baseline_percent": 15},
    rule="VEH-10",
    description=(
        gettext_lazy(
            "VEH-10: a vehicle's month is flagged for the inspection when its fuel use "
            "is more than this percentage over its baseline."
        )
    ),
    validator=_validate_fuel,
    label=gettext_lazy("Fuel check"),
)
