"""What attendance plugs into discipline: its violation kinds (ATT-3, ATT-4, ATT-5,
ATT-12), the ATT-11 ladder that counts them and the ATT-12 dismissal rule, registered
in one call from AttendanceConfig.ready().

The policy keys keep their "discipline." prefix: versions stored under them stay in
force. Readings of ATT-11 and ATT-12 are in docs/discipline.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from discipline import registry
from discipline.rules import (
    BASIC,
    CRITICISM,
    EFFICIENCY_WARNING,
    SANCTION_PROPOSAL,
    SELF_EXAM_ALL_STAFF,
    SELF_EXAM_SECTION,
    rung,
)

LATE = "attendance.late"
EARLY_LEAVE = "attendance.early_leave"
ABSENCE = "attendance.absence"
LONG_ABSENCE = "attendance.long_absence"
LADDER = "attendance"

KINDS = [
    registry.ViolationKind(LATE, _("Late arrival"), "ATT-3", LADDER),
    registry.ViolationKind(EARLY_LEAVE, _("Early leave"), "ATT-4", LADDER),
    registry.ViolationKind(ABSENCE, _("Absence"), "ATT-5", LADDER),
    registry.ViolationKind(LONG_ABSENCE, _("Long absence"), "ATT-12", LADDER),
]

ATTENDANCE_LADDER = registry.Ladder(
    LADDER,
    rule="ATT-11",
    label=_("Attendance (ATT-11)"),
    short_label=_("Attendance"),
    policy_key="discipline.ladder.attendance",
    default={
        "steps": [
            rung([CRITICISM]),
            rung([SELF_EXAM_SECTION]),
            rung([SELF_EXAM_ALL_STAFF, EFFICIENCY_WARNING]),
            # Reading of ATT-11: the 4th incident is treated like the 3rd.
            rung([SELF_EXAM_ALL_STAFF, EFFICIENCY_WARNING]),
            rung([SANCTION_PROPOSAL], BASIC),
        ],
        # Cumulative absence days -> the least step reached (ATT-11's brackets).
        "absence_floors": [[0.5, 2], [1, 3], [1.5, 5]],
    },
    description=(
        _(
            "Attendance ladder per calendar year: step outcomes and caps; and the "
            "least step that a number of absence days in the year reaches."
        )
    ),
    order=10,
    dismissal=registry.Dismissal(
        rule="ATT-12",
        policy_key="discipline.att12.dismissal",
        default={"dismissal_kinds": [LONG_ABSENCE], "max_days_per_year": 30},
        description=(
            _(
                "Kinds that propose dismissal at once (long absence), and the yearly "
                "absence days beyond which dismissal is proposed."
            )
        ),
    ),
)


def register_violations() -> None:
    registry.register("attendance", kinds=KINDS, ladders=[ATTENDANCE_LADDER])
