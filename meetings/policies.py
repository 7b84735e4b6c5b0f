"""MTG-1's parameters, as policies with effective dates.

`meetings.item_chain`: the chain an item (議題) goes through before it may go on a
meeting's agenda — "向分管领导提出议题": one step, the deputy in charge of the
proposing section or unit. An item proposed by the director himself has nobody above
him in the bureau: it is accepted at once (`top: "acknowledged"`).

The materials' limits are registered by meetings.materials (`meetings.materials`).
"""

from django.utils.translation import gettext_lazy

from approvals.chains import validate_chain
from bureau.policies import register
from meetings import materials  # noqa: F401  (registers meetings.materials)

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
        "The chain of a meeting item before it goes on an agenda: the deputy in "
        "charge of the proposing section or unit."
    ),
    validator=validate_chain,
)
