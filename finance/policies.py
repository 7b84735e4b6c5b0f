"""Finance's numbers and chains, as policies with effective dates (bureau.policies).

- `finance.claim_thresholds` (FIN-3): 200 yuan and more needs a formal invoice;
  a payment of 1,000 yuan and more is not made in cash.
- `finance.claim_chains` (FIN-5): who approves a claim (the approver it names).
- `finance.spending_chains` (FIN-2, FIN-6): purchases and use of funds, tiers by
  amount. 以上/以下 include the number, 超過 excludes it: "≤ 5000 → director"
  keeps 5,000.00 in the first tier (boundary "over"), 5,000.01 goes up.
- `finance.valuable_equipment` (FIN-2): categories, or an amount, needing the
  bureau affairs meeting.
- `finance.payday` (FIN-8): the weekday reimbursements are paid together.
- `finance.reception_chains` (FIN-9): who approves a reception, by its kind.
- `finance.reception_standards` (FIN-9): the standard per head by the guests'
  level, and the companions allowed (10 guests or fewer: 3; more: a third).
- `finance.statement_due` (FIN-7): the day of the month by which last month's
  statements have gone out (the reminder comes the day after).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.tiers import validate_tier_table
from bureau.policies import register
from bureau.readable import term
from finance import rules
from finance.rules import validate_thresholds, validate_valuable

CLAIM_THRESHOLDS = "finance.claim_thresholds"
CLAIM_CHAINS = "finance.claim_chains"
SPENDING_CHAINS = "finance.spending_chains"
VALUABLE = "finance.valuable_equipment"
PAYDAY = "finance.payday"
RECEPTION_CHAINS = "finance.reception_chains"
RECEPTION_STANDARDS = "finance.reception_standards"
STATEMENT_DUE = "finance.statement_due"

# The spending chain keys: use of funds; a purchase; a purchase of valuable equipment.
FUND_USE, PURCHASE, PURCHASE_VALUABLE = "fund_use", "purchase", "purchase_valuable"


def _step(action, who, hook=None):
    step = {"action": action, "who": who}
    if hook:
        step["hook"] = hook
    return step


MEETING = _step("meeting", "bureau_affairs_meeting", "record_citation")
COUNTY = _step("external", "county_leader_in_charge", "record_citation")
COMPREHENSIVE = "finance_comprehensive_head"

DEFAULT_THRESHOLDS = {"invoice_from": "200.00", "transfer_from": "1000.00"}

DEFAULT_CLAIM_CHAINS = {
    "default": {
        "rule": "FIN-5",
        "tiers": [
            {
                "up_to": None,
                "steps": [_step("agree", "supervisor"), _step("approve", "director")],
                "top": "director",
            }
        ],
    }
}

DEFAULT_SPENDING_CHAINS = {
    FUND_USE: {
        "rule": "FIN-6",
        "tiers": [
            # ≤ 5000 (5000 included): the director approves.
            {
                "up_to": 5000,
                "boundary": "over",
                "steps": [_step("approve", "director")],
                "top": "director",
            },
            # > 5000 and ≤ 10000: the bureau affairs meeting, then the director.
            {
                "up_to": 10000,
                "boundary": "over",
                "steps": [MEETING, _step("approve", "director")],
                "top": "director",
            },
            # > 10000: the county leader in charge consents (recorded), after the
            # director agrees to ask.
            {
                "up_to": None,
                "steps": [_step("agree", "director"), COUNTY],
                "top": "director",
            },
        ],
    },
    PURCHASE: {
        "rule": "FIN-2",
        "tiers": [
            # Through the comprehensive section, the deputy in charge approves;
            # more than 300 (超过300元) also the director.
            {
                "up_to": 300,
                "boundary": "over",
                "steps": [
                    _step("agree", COMPREHENSIVE),
                    _step("approve", "deputy_in_charge"),
                ],
                "top": "director",
            },
            {
                "up_to": None,
                "steps": [
                    _step("agree", COMPREHENSIVE),
                    _step("agree", "deputy_in_charge"),
                    _step("approve", "director"),
                ],
                "top": "director",
            },
        ],
    },
    PURCHASE_VALUABLE: {
        "rule": "FIN-2",
        "tiers": [
            {
                "up_to": None,
                "steps": [
                    _step("agree", COMPREHENSIVE),
                    _step("agree", "deputy_in_charge"),
                    MEETING,
                    _step("approve", "director"),
                ],
                "top": "director",
            }
        ],
    },
}

DEFAULT_VALUABLE = {"categories": ["vehicle"], "at_least": "5000.00"}
DEFAULT_PAYDAY = {"weekday": 1}  # Tuesday


def _reception_chain(who):
    return {
        "rule": "FIN-9",
        "tiers": [{"up_to": None, "steps": [_step("approve", who)], "top": "director"}],
    }


# FIN-9: a township work meal → the deputy in charge; visitors from higher or peer
# levels → a bureau leader (the bureau's top); a unit's reception → its head.
DEFAULT_RECEPTION_CHAINS = {
    "work_meal": _reception_chain("deputy_in_charge"),
    "visitors": _reception_chain("bureau_top"),
    "unit_reception": _reception_chain("unit_head"),
}

# FIN-9: the county's standard per head (yuan) by the guests' level, and the
# companions allowed: up to `small_group` guests, at most `small_group_companions`;
# more guests, at most one in `large_group_share` (rounded down).
DEFAULT_RECEPTION_STANDARDS = {
    "per_head": {
        "township_level": "30.00",
        "county_level": "40.00",
        "city_level": "50.00",
        "province_level": "60.00",
    },
    "small_group": 10,
    "small_group_companions": 3,
    "large_group_share": 3,
}

DEFAULT_STATEMENT_DUE = {"due_day": 10}


def validate_payday(value) -> None:
    if not isinstance(value, dict) or value.get("weekday") not in range(7):
        raise ValueError(_("The weekday is 0 (Monday) to 6 (Sunday)."))


register(
    CLAIM_THRESHOLDS,
    DEFAULT_THRESHOLDS,
    rule="FIN-3",
    description=gettext_lazy(
        "FIN-3: invoice from this amount (included); no cash from this amount."
    ),
    validator=validate_thresholds,
    label=gettext_lazy("Invoice and transfer thresholds"),
)
register(
    CLAIM_CHAINS,
    DEFAULT_CLAIM_CHAINS,
    rule="FIN-5",
    description=gettext_lazy("FIN-5: who approves a claim (the approver it names)."),
    validator=validate_tier_table,
    label=gettext_lazy("Claim approval chains"),
)
register(
    SPENDING_CHAINS,
    DEFAULT_SPENDING_CHAINS,
    rule="FIN-6",
    description=gettext_lazy(
        "FIN-2, FIN-6: purchases and use of funds, chains by amount."
    ),
    validator=validate_tier_table,
    label=gettext_lazy("Purchase and fund-use chains"),
)
register(
    VALUABLE,
    DEFAULT_VALUABLE,
    rule="FIN-2",
    description=gettext_lazy(
        "FIN-2: valuable equipment (categories, or from this amount)."
    ),
    validator=validate_valuable,
    label=gettext_lazy("Valuable equipment"),
)
register(
    PAYDAY,
    DEFAULT_PAYDAY,
    rule="FIN-8",
    description=gettext_lazy(
        "FIN-8: the weekday reimbursements are paid together (1 = Tuesday)."
    ),
    validator=validate_payday,
    label=gettext_lazy("Reimbursement payday"),
)


def validate_reception_standards(value) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("per_head"), dict):
        raise ValueError(_("Give the standard per head for each level."))
    for level in ("township_level", "county_level", "city_level", "province_level"):
        rules.parse_money(value["per_head"].get(level), label=term(level))
    for key in ("small_group", "small_group_companions", "large_group_share"):
        if not isinstance(value.get(key), int) or value[key] < 1:
            raise ValueError(
                _("“%(field)s” is a whole number from 1.") % {"field": term(key)}
            )


def validate_statement_due(value) -> None:
    if not isinstance(value, dict) or value.get("due_day") not in range(1, 29):
        raise ValueError(_("The due day is a day of the month from 1 to 28."))


register(
    RECEPTION_CHAINS,
    DEFAULT_RECEPTION_CHAINS,
    rule="FIN-9",
    description=gettext_lazy("FIN-9: who approves a reception, by kind."),
    validator=validate_tier_table,
    label=gettext_lazy("Reception approval chains"),
)
register(
    RECEPTION_STANDARDS,
    DEFAULT_RECEPTION_STANDARDS,
    rule="FIN-9",
    description=gettext_lazy(
        "FIN-9: standard per head by guests' level; companions allowed."
    ),
    validator=validate_reception_standards,
    label=gettext_lazy("Reception standards per head and companions"),
)
register(
    STATEMENT_DUE,
    DEFAULT_STATEMENT_DUE,
    rule="FIN-7",
    description=gettext_lazy(
        "FIN-7: last month's statements go out by this day of the month."
    ),
    validator=validate_statement_due,
    label=gettext_lazy("Monthly statements due day"),
)
