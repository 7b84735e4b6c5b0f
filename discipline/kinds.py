"""The discipline chapter's own violation kinds and ladders (DIS-1, DIS-2, DIS-3,
DIS-5), registered through `discipline.registry` like any chapter's; called from
DisciplineConfig.ready(). DIS-4 (warning caps) and DIS-7 (window appraisal) are
policies of their own (`discipline.policies`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from discipline import registry
from discipline.rules import (
    ADMONITION,
    BASIC,
    EFFICIENCY_WARNING,
    SANCTION_PROPOSAL,
    SELF_CRITICISM,
    UNFIT,
    rung,
)

LADDERS = [
    registry.Ladder(
        "first_inquiry",
        rule="DIS-1",
        label=_("First inquiry (DIS-1)"),
        short_label=_("First inquiry"),
        policy_key="discipline.ladder.first_inquiry",
        default={
            "steps": [
                rung([SELF_CRITICISM, ADMONITION]),
                rung([EFFICIENCY_WARNING], BASIC),
                rung([SANCTION_PROPOSAL], UNFIT),
            ]
        },
        description=_("First-inquiry violations per calendar year: outcomes and caps."),
        order=20,
    ),
    registry.Ladder(
        "one_time_notice",
        rule="DIS-2",
        label=_("One-time notification (DIS-2)"),
        short_label=_("One-time notification"),
        policy_key="discipline.ladder.one_time_notice",
        default={
            "steps": [
                rung([EFFICIENCY_WARNING], BASIC),
                rung([SANCTION_PROPOSAL], UNFIT),
            ]
        },
        description=_("Upheld one-time-notification complaints: outcomes and caps."),
        order=30,
    ),
    registry.Ladder(
        "efficiency",
        rule="DIS-3",
        label=_("Efficiency (DIS-3)"),
        short_label=_("Efficiency"),
        policy_key="discipline.ladder.efficiency",
        default={"steps": [rung([ADMONITION]), rung([EFFICIENCY_WARNING])]},
        description=_("Efficiency violations per calendar year: outcomes."),
        order=40,
    ),
    registry.Ladder(
        "meeting",
        rule="DIS-5",
        label=_("Meeting decisions (DIS-5)"),
        short_label=_("Meeting"),
        policy_key="discipline.ladder.meeting",
        default={"steps": [rung([EFFICIENCY_WARNING])]},
        description=_("Warnings decided by the bureau affairs meeting."),
        order=50,
    ),
]

KINDS = [
    registry.ViolationKind(
        "discipline.first_inquiry",
        _("First-inquiry responsibility breached"),
        "DIS-1",
        "first_inquiry",
        apology_required=True,
    ),
    registry.ViolationKind(
        "discipline.one_time_notice",
        _("One-time notification breached (complaint)"),
        "DIS-2",
        "one_time_notice",
        needs_decision=True,
        apology_required=True,
    ),
    registry.ViolationKind(
        "discipline.efficiency.idle",
        _("Playing, chatting or private business at work"),
        "DIS-3",
        "efficiency",
    ),
    registry.ViolationKind(
        "discipline.efficiency.rule_breach",
        _("Efficiency rules broken without bad effect"),
        "DIS-3",
        "efficiency",
    ),
    registry.ViolationKind(
        "discipline.efficiency.not_handled",
        _("Complete, compliant request not handled at once"),
        "DIS-3",
        "efficiency",
    ),
    registry.ViolationKind(
        "discipline.efficiency.missed_deadline",
        _("Deadline missed without explanation"),
        "DIS-3",
        "efficiency",
    ),
    registry.ViolationKind(
        "discipline.efficiency.come_twice",
        _("Made someone come twice or more"),
        "DIS-3",
        "efficiency",
    ),
    registry.ViolationKind(
        "discipline.meeting_warning",
        _("Efficiency warning decided by the bureau affairs meeting"),
        "DIS-5",
        "meeting",
        needs_reference=True,
    ),
]


def register_discipline_kinds() -> None:
    registry.register("discipline", kinds=KINDS, ladders=LADDERS)
