"""The leave chapter's parameters, as policies with effective dates.

`leave.chains` holds LV-1..6: for each position, tiers by duration (`up_to` days,
inclusive; the last tier open-ended), each an approval chain (approvals.chains).
"""

from django.utils.translation import gettext_lazy

from bureau.policies import register
from leave.rules import validate_annual_days, validate_chains


def _step(action, who):
    return {"action": action, "who": who}


DEFAULT_CHAINS = {
    "section_staff": {
        "rule": "LV-1",
        "tiers": [
            {"up_to": 0.5, "steps": [_step("approve", "section_head")]},
            {
                "up_to": 1,
                "steps": [
                    _step("agree", "section_head"),
                    _step("approve", "deputy_in_charge"),
                    _step("inform", "director"),
                ],
            },
            {
                "up_to": None,
                "steps": [
                    _step("agree", "section_head"),
                    _step("agree", "deputy_in_charge"),
                    _step("approve", "director"),
                ],
            },
        ],
    },
    "section_head": {
        "rule": "LV-2",
        "tiers": [
            {"up_to": 0.5, "steps": [_step("approve", "deputy_in_charge")]},
            {
                "up_to": None,
                "steps": [
                    _step("agree", "deputy_in_charge"),
                    _step("approve", "director"),
                ],
            },
        ],
    },
    "director": {
        "rule": "LV-3",
        "tiers": [
            {
                "up_to": None,
                "steps": [
                    _step("external", "county_leader_in_charge"),
                    _step("external", "county_magistrate"),
                    _step("external", "county_party_secretary"),
                ],
            }
        ],
    },
    "deputy": {
        "rule": "LV-4",
        "tiers": [
            {"up_to": 1, "steps": [_step("approve", "director")]},
            {
                "up_to": 2,
                "steps": [
                    _step("agree", "director"),
                    _step("external", "county_leader_in_charge"),
                ],
            },
            {
                "up_to": None,
                "steps": [
                    _step("agree", "director"),
                    _step("external", "county_leader_in_charge"),
                    _step("external", "county_magistrate"),
                ],
            },
        ],
    },
    "unit_head": {
        "rule": "LV-5",
        "tiers": [
            {"up_to": 0.5, "steps": [_step("approve", "deputy_in_charge")]},
            {
                "up_to": None,
                "steps": [
                    _step("agree", "deputy_in_charge"),
                    _step("approve", "director"),
                ],
            },
        ],
    },
    "unit_staff": {
        "rule": "LV-6",
        "tiers": [
            {"up_to": 2, "steps": [_step("approve", "unit_head")]},
            {
                "up_to": 3,
                "steps": [
                    _step("agree", "unit_head"),
                    _step("approve", "deputy_in_charge"),
                ],
            },
            {
                "up_to": None,
                "steps": [
                    _step("agree", "unit_head"),
                    _step("agree", "deputy_in_charge"),
                    _step("approve", "director"),
                ],
            },
        ],
    },
}

register(
    "leave.chains",
    DEFAULT_CHAINS,
    label=gettext_lazy("Leave approval chains"),
    rule="LV-1",
    description=gettext_lazy("LV-1..6: approval chains by position and duration tier."),
    validator=validate_chains,
)
register(
    "leave.retroactive_days",
    7,
    label=gettext_lazy("Leave asked afterwards within (days)"),
    rule="LV-8",
    description=gettext_lazy(
        "LV-8: leave may be filed afterwards within this many days of its start."
    ),
)
register(
    "leave.form_over_days",
    1,
    label=gettext_lazy("Leave form needed over (days)"),
    rule="LV-7",
    description=gettext_lazy(
        "LV-7: leave longer than this many days needs the leave form (请假单)."
    ),
)
register(
    "leave.annual_days_default",
    5,
    label=gettext_lazy("Annual leave days by default"),
    rule="LV-11",
    description=(
        gettext_lazy(
            "LV-11: annual leave (年休假) days per year when the administrator has set no "
            "entitlement for the person and year (national rule: 5 days for 1-10 years of "
            "service, 10 for 10-20, 15 for 20 and more)."
        )
    ),
    validator=validate_annual_days,
)
