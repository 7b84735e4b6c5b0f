"""The chapter's numbers, as policies with effective dates (bureau.policies).

`toy_cars.chains` is the approval chain as data: tiers by the trip's distance, each
a chain of the approval engine. The dispatcher is a relation this chapter registers
(setup.py); "supervisor" is the bureau's (the relation of the person's position).
"""

from django.utils.translation import gettext_lazy

from approvals.tiers import validate_tier_table
from bureau.policies import register

CHAINS = "toy_cars.chains"
RULE = "TOY-1"

DEFAULT_CHAINS = {
    "default": {
        "rule": RULE,
        "tiers": [
            {
                # 100公里以上 needs the director: 100 km itself goes up (at_least).
                "up_to": 100,
                "boundary": "at_least",
                "steps": [
                    {"action": "agree", "who": "supervisor"},
                    {
                        "action": "approve",
                        "who": "toy_dispatcher",
                        "hook": "assign_car",
                    },
                ],
                # The director's own trip: the bureau's top decides, not the county.
                "top": "director",
            },
            {
                "up_to": None,
                "steps": [
                    {"action": "agree", "who": "supervisor"},
                    {"action": "agree", "who": "toy_dispatcher", "hook": "assign_car"},
                    {"action": "approve", "who": "director"},
                ],
                "top": "director",
            },
        ],
    }
}

register(
    CHAINS,
    DEFAULT_CHAINS,
    # What the administrator reads in the policy list (the key is for code).
    label=gettext_lazy("Car trip chains"),
    rule=RULE,
    description=gettext_lazy(
        "TOY-1: who agrees to and dispatches a car trip, by distance."
    ),
    validator=validate_tier_table,
)
