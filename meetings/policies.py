"""MTG-1's parameters, as policies with effective dates.

`meetings.item_chain`: the chain an item (議題) goes through before it may go on a
meeting's agenda — "向分管领导提出议题": one step, the deputy in charge of the
proposing section or unit. An item proposed by the director himself has nobody above
him in the bureau: it is accepted at once (`top: "acknowledged"`).

An item's materials are attachments: their limits are the attachments app's policy
(`attachments.limits`), the same for every file the bureau keeps.
"""

from django.utils.translation import gettext_lazy

from approvals.chains import validate_chain
from bureau.policies import register

ITEM_CHAIN = "meetings.item_chain"

register(
    ITEM_CHAIN,
    {
        "steps": [{"action": "approve", "who": "deputy_in_charge"}],
        "top": "acknowledged",
    },
    label=gettext_lazy("Meeting item chain"),
    rule="MTG-1",
    description=(
        gettext_lazy(
            "The chain of a meeting item before it goes on an agenda: the deputy in "
            "charge of the proposing section or unit."
        )
    ),
    validator=validate_chain,
)
