"""The documents chapter's numbers and chains, as policies with effective dates."""

from django.utils.translation import gettext_lazy

from bureau.policies import register
from documents.rules import (
    validate_monthly_report_policy,
    validate_outgoing_chains,
    validate_retention_policy,
)

OUTGOING_CHAINS = "documents.outgoing_chains"
MONTHLY_REPORT = "documents.monthly_report"
RETENTION = "documents.retention"


def _step(action, who):
    return {"action": action, "who": who}


DEFAULT_OUTGOING_CHAINS = {
    # DOC-1: checked by the deputy in charge (核稿), signed off by the director (签发).
    "bureau": {
        "steps": [_step("agree", "deputy_in_charge"), _step("approve", "director")],
        "top": "director",
    },
    # DOC-1: section-level documents are signed off by the deputy in charge.
    "section": {
        "steps": [_step("approve", "deputy_in_charge")],
        "top": "director",
    },
    # DOC-1: drafts for the county party committee, government or leading group go
    # through the director to the county's signatories (recorded by the clerk).
    "county": {
        "steps": [
            _step("agree", "deputy_in_charge"),
            _step("agree", "director"),
            _step("external", "county_magistrate"),
        ],
        "top": "director",
    },
}

register(
    OUTGOING_CHAINS,
    DEFAULT_OUTGOING_CHAINS,
    rule="DOC-1",
    description=(
        gettext_lazy(
            "DOC-1: who checks (核稿) and signs off (签发) an outgoing document, per "
            "level: bureau, section, county."
        )
    ),
    validator=validate_outgoing_chains,
    label=gettext_lazy("Outgoing document chains"),
)

register(
    MONTHLY_REPORT,
    {"due_day": 5},
    rule="DOC-5",
    description=(
        gettext_lazy(
            "DOC-5: section heads send the month's summary and next month's plan by "
            "this day of the next month (1–28)."
        )
    ),
    validator=validate_monthly_report_policy,
    label=gettext_lazy("Monthly report due day"),
)

register(
    RETENTION,
    {
        "default": 30,
        "by_type": {
            "resolution": 0,
            "decision": 0,
            "order": 0,
            "communique": 0,
            "announcement": 0,
            "notice": 10,
            "circular": 10,
            "letter": 10,
        },
        "incoming": 10,
    },
    rule="DOC-3",
    description=(
        gettext_lazy(
            "DOC-3: years an archived document is kept (0: permanently): by the code "
            "of its type, otherwise one number for every other type; incoming "
            "documents have a number of their own."
        )
    ),
    validator=validate_retention_policy,
    label=gettext_lazy("Archive retention (years)"),
)
