"""The petition chapter's numbers, as policies with effective dates (PET-1..5).

The clocks' own numbers (15 days, 60 days, the review window) are the deadline
engine's policies, registered with the kinds in apps.py (deadlines.petitions_*).
"""

from django.utils.translation import gettext_lazy

from approvals.chains import validate_chain
from bureau import resolver
from bureau.policies import register
from petitions import rules

DUPLICATES = "petitions.duplicate_window"
OBJECTION = "petitions.objection"
EXTENSION = "petitions.extension"
EXTENSION_CHAIN = "petitions.extension_chain"
ESCALATION = "petitions.escalation"
TEMPLATES = "petitions.reply_templates"

register(
    DUPLICATES,
    {"days": 90},
    rule="PET-1",
    description=(
        gettext_lazy(
            "PET-1: a new case from the same petitioner (ID number), or the same phone "
            "about the same category, within this many days of another is shown as a "
            "likely duplicate."
        )
    ),
    validator=rules.validate_duplicate_window,
    label=gettext_lazy("Duplicate window"),
)
register(
    OBJECTION,
    {"working_days": 3, "restart_clock": False},
    rule="PET-1",
    description=(
        gettext_lazy(
            "PET-1: the section or township a case is routed to may object within the "
            "set number of working days; and whether the 15-day clock counts again "
            "from the re-routing."
        )
    ),
    validator=rules.validate_objection,
    label=gettext_lazy("Objection to routing"),
)
register(
    EXTENSION,
    {"max_days": 30, "max_times": 1},
    rule="PET-2",
    description=gettext_lazy(
        "PET-2: a complex matter may be extended once, by at most 30 days."
    ),
    validator=rules.validate_extension,
    label=gettext_lazy("Extension limits"),
)
register(
    EXTENSION_CHAIN,
    {
        "steps": [
            {"action": "agree", "who": "deputy_in_charge"},
            {"action": "approve", "who": "director"},
        ],
        "top": "director",
    },
    rule="PET-2",
    description=(
        gettext_lazy(
            "PET-2: who approves an extension for the bureau (an approval chain: the "
            "deputy in charge agrees, the director approves)."
        )
    ),
    validator=validate_chain,
    label=gettext_lazy("Extension approval chain"),
)


def _validate_ladder(value) -> None:
    rules.validate_ladder(value, relations=resolver.relation_keys())


register(
    ESCALATION,
    {
        "ladder": [
            {"after_days": 0, "to": "section_head"},
            {"after_days": 3, "to": "deputy_in_charge"},
            {"after_days": 7, "to": "director"},
        ]
    },
    rule="PET-5",
    description=(
        gettext_lazy(
            "PET-5: overdue petition clocks climb handler → section head → deputy in "
            "charge → director; each rung is told once, on the day the case is overdue "
            "by more than that rung's number of days."
        )
    ),
    validator=_validate_ladder,
    label=gettext_lazy("Overdue escalation"),
)
register(
    TEMPLATES,
    {
        "support": (
            "关于{number}的处理意见：您于{received_on}反映的“{matter}”一事，经调查核实，"
            "您反映的问题属实，我局支持您的诉求，并已作如下处理：……"
            "如对本处理意见不服，可自收到之日起30日内向上一级行政机关申请复查。"
        ),
        "explain": (
            "关于{number}的处理意见：您于{received_on}反映的“{matter}”一事，现将有关"
            "政策和情况解释说明如下：……"
            "如对本处理意见不服，可自收到之日起30日内向上一级行政机关申请复查。"
        ),
        "reject": (
            "关于{number}的处理意见：您于{received_on}反映的“{matter}”一事，经调查核实，"
            "您的诉求缺乏政策依据，我局不予支持，理由如下：……"
            "如对本处理意见不服，可自收到之日起30日内向上一级行政机关申请复查。"
        ),
        "not_accepted": (
            "关于{number}的告知：您于{received_on}反映的“{matter}”一事，经审查，"
            "不予受理，理由如下：{reason}"
        ),
    },
    rule="PET-4",
    description=(
        gettext_lazy(
            "PET-4: the written replies by outcome (支持, 解释说明, 不予支持) and the "
            "notice of non-acceptance; {number}, {received_on}, {matter}, {reason} are "
            "filled in."
        )
    ),
    validator=rules.validate_templates,
    label=gettext_lazy("Reply templates"),
)

ROTA = "petitions.reception_rota"
register(
    ROTA,
    {"weekday": 2},
    rule="PET-6",
    description=(
        gettext_lazy(
            "PET-6: the weekday of the leaders' reception (2: Wednesday); a day the "
            "calendar marks as a rest day has no reception."
        )
    ),
    validator=rules.validate_rota,
    label=gettext_lazy("Leaders' reception day"),
)

PET8 = "petitions.half_year_work"
register(
    PET8,
    {
        "required": {"meeting": 1, "assessment": 1, "training": 1},
        "remind_days": 15,
        "meeting_kind": "petition_work",
    },
    rule="PET-8",
    description=(
        gettext_lazy(
            "PET-8: per half-year, a petition work meeting (a held meeting of the "
            "chosen kind in the meetings chapter, or one recorded here), the township "
            "target assessment and training; the officer and the director are reminded "
            "the set number of days before the half-year ends without one."
        )
    ),
    validator=rules.validate_pet8,
    label=gettext_lazy("Half-year petition work"),
)
