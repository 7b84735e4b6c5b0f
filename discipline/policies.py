"""The chapter's parameters as policies with effective dates (DIS-1..5, DIS-7,
ATT-11, ATT-12). Imported by DisciplineConfig.ready(); defaults from RULES.md."""

from bureau.policies import register
from discipline import rules

register(
    "discipline.ladder.attendance",
    rules.DEFAULT_LADDERS["attendance"],
    rule="ATT-11",
    description=(
        "Attendance ladder per calendar year: step outcomes and caps; "
        "absence_floors map cumulative absence days to the least step."
    ),
    validator=rules.validate_ladder,
)
register(
    "discipline.ladder.first_inquiry",
    rules.DEFAULT_LADDERS["first_inquiry"],
    rule="DIS-1",
    description="First-inquiry violations per calendar year: outcomes and caps.",
    validator=rules.validate_ladder,
)
register(
    "discipline.ladder.one_time_notice",
    rules.DEFAULT_LADDERS["one_time_notice"],
    rule="DIS-2",
    description="Upheld one-time-notification complaints: outcomes and caps.",
    validator=rules.validate_ladder,
)
register(
    "discipline.ladder.efficiency",
    rules.DEFAULT_LADDERS["efficiency"],
    rule="DIS-3",
    description="Efficiency violations per calendar year: outcomes.",
    validator=rules.validate_ladder,
)
register(
    "discipline.ladder.meeting",
    rules.DEFAULT_LADDERS["meeting"],
    rule="DIS-5",
    description="Warnings decided by the bureau affairs meeting.",
    validator=rules.validate_ladder,
)
register(
    rules.DIS4_KEY,
    rules.DEFAULT_DIS4,
    rule="DIS-4",
    description=(
        "Efficiency warnings in a year -> grade cap; from sanction_from warnings on, "
        "an administrative warning or heavier is proposed."
    ),
    validator=rules.validate_dis4,
)
register(
    rules.ATT12_KEY,
    rules.DEFAULT_ATT12,
    rule="ATT-12",
    description=(
        "Kinds that propose dismissal at once (long absence), and the yearly "
        "absence days beyond which dismissal is proposed."
    ),
    validator=rules.validate_att12,
)
register(
    rules.WINDOW_KEY,
    rules.DEFAULT_WINDOW,
    rule="DIS-7",
    description="Township window appraisal: weights of the inputs and grade thresholds.",
    validator=rules.validate_window,
)
