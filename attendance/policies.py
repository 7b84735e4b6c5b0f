"""The attendance chapter's parameters (ATT-2..12, STUDY-1), registered as policies.

Every number of the rulebook is a policy version with an effective date; a record
stores the ids of the versions it was judged by (`SessionRecord.policy_versions`).
Imported by AttendanceConfig.ready().
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.chains import validate_chain
from approvals.tiers import validate_tier_table
from attendance.rules import Thresholds, study_leave_relation
from bureau.models import Policy
from bureau.policies import (  # noqa: F401
    ORIGIN_DATE,
    PolicyVersion,
    policy_in_force,
    register,
    registry,
)
from bureau.policy_preview import register_impact
from bureau.readable import term

GRACE = "attendance.sign_in_grace_minutes"
LATE_LIMIT = "attendance.late_limit_minutes"
EARLY_LIMIT = "attendance.early_leave_limit_minutes"
AWAY_LIMIT = "attendance.away_from_post_limit_minutes"
SIGN_OUT_REQUIRED = "attendance.sign_out_required"
SIGN_IN_OPENS = "attendance.sign_in_opens_minutes_before"
SETTLE_AFTER = "attendance.settle_minutes_after_end"
SHEET_CLOSE = "attendance.sheet_close_offset_minutes"
ALLOWANCE_TABLE = "attendance.allowance_table"
LONG_ABSENCE = "attendance.long_absence"
STUDY_SCHEDULE = "attendance.study_schedule"
BOARD_REFRESH = "attendance.board_refresh_seconds"
GOING_OUT_CHAIN = "attendance.going_out_chain"
STUDY_LEAVE_CHAINS = "attendance.study_leave_chains"

# Outcomes of ATT-10, mildest first; the table names them.
ALLOWANCE_OUTCOMES = ("none", "half_deducted", "cancelled", "welfare_deducted")


def _non_negative(value):
    if value < 0:
        raise ValueError(_("The value is zero or more."))


def _validate_table(rows):
    if not rows:
        raise ValueError(_("The table needs at least one row."))
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ValueError(_("Row %(n)s is not a row of the table.") % {"n": number})
        if row.get("outcome") not in ALLOWANCE_OUTCOMES[1:]:
            raise ValueError(_("Row %(n)s: the outcome is not known.") % {"n": number})
        if "min_l" not in row and "min_a" not in row:
            raise ValueError(
                _("Row %(n)s: give the lates and early leaves, or the absence days.")
                % {"n": number}
            )
        for key in ("min_l", "min_a"):
            if key in row and not _positive(row[key]):
                raise ValueError(
                    _("Row %(n)s: “%(field)s” is a number above zero.")
                    % {"n": number, "field": term(key)}
                )


def _positive(value) -> bool:
    try:
        return value is not None and float(value) > 0
    except (TypeError, ValueError):
        return False


def _whole_positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _validate_long_absence(value):
    for key in ("consecutive_days", "year_days"):
        if not _whole_positive(value.get(key)):
            raise ValueError(
                _("“%(field)s” is a whole number above zero.") % {"field": term(key)}
            )


def _validate_study(value):
    weekday = value.get("weekday")
    if (
        not isinstance(weekday, int)
        or isinstance(weekday, bool)
        or not (0 <= weekday <= 6)
    ):
        raise ValueError(_("The weekday is 0 (Monday) to 6 (Sunday)."))
    try:
        start = datetime.time.fromisoformat(value["start"])
        end = datetime.time.fromisoformat(value["end"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(_("The start and the end are times of day (HH:MM).")) from None
    if end <= start:
        raise ValueError(_("The study session ends before it starts."))


register(
    GRACE,
    10,
    label=gettext_lazy("Sign-in grace (minutes)"),
    rule="ATT-2",
    description=gettext_lazy(
        "Minutes after a session starts within which a sign-in is on time."
    ),
    validator=_non_negative,
)
register(
    LATE_LIMIT,
    15,
    label=gettext_lazy("Late limit (minutes)"),
    rule="ATT-3",
    description=gettext_lazy(
        "Minutes after the start up to which a sign-in is late; later is "
        "a half-day absence (ATT-5)."
    ),
    validator=_non_negative,
)
register(
    EARLY_LIMIT,
    15,
    label=gettext_lazy("Early-leave limit (minutes)"),
    rule="ATT-4",
    description=gettext_lazy(
        "Leaving up to this many minutes before the end (inclusive) is early "
        "leave; earlier is a half-day absence (ATT-5)."
    ),
    validator=_non_negative,
)
register(
    AWAY_LIMIT,
    30,
    label=gettext_lazy("Away-from-post limit (minutes)"),
    rule="ATT-5",
    description=gettext_lazy(
        "Unreported absence from post for more than this many minutes is a "
        "half-day absence."
    ),
    validator=_non_negative,
)
register(
    SIGN_OUT_REQUIRED,
    True,
    label=gettext_lazy("Sign-out required"),
    rule="ATT-4",
    description=gettext_lazy(
        "Whether each session needs a sign-out; without one by settlement "
        "the session counts as an absence."
    ),
)
register(
    SIGN_IN_OPENS,
    60,
    label=gettext_lazy("Sign-in opens before the session (minutes)"),
    rule="ATT-1",
    description=gettext_lazy(
        "How many minutes before a session starts its sign-in opens."
    ),
    validator=_non_negative,
)
register(
    SETTLE_AFTER,
    30,
    label=gettext_lazy("Settlement after the session ends (minutes)"),
    rule="ATT-5",
    description=gettext_lazy(
        "Minutes after a session ends at which sign-out closes and the "
        "session is settled."
    ),
    validator=_non_negative,
)
register(
    SHEET_CLOSE,
    10,
    label=gettext_lazy("Sign-in sheet closes after the start (minutes)"),
    rule="ATT-6",
    description=gettext_lazy(
        "Minutes after a session starts at which the sign-in sheet is fixed."
    ),
    validator=_non_negative,
)
register(
    ALLOWANCE_TABLE,
    [
        # Harshest first: the first matching row applies (ATT-10 reading).
        {"outcome": "welfare_deducted", "min_l": 5, "min_a": 1.5},
        {"outcome": "cancelled", "min_l": 3, "min_a": 1.0},
        {"outcome": "half_deducted", "min_l": 2, "min_a": 0.5},
    ],
    label=gettext_lazy("Monthly attendance allowance table"),
    rule="ATT-10",
    description=gettext_lazy(
        "Monthly allowance outcome by unexcused lates and early leaves (L, at least "
        "the row's number) or absence days (A, at least the row's days)."
    ),
    validator=_validate_table,
)
register(
    LONG_ABSENCE,
    {"consecutive_days": 15, "year_days": 30},
    label=gettext_lazy("Long absence"),
    rule="ATT-12",
    description=gettext_lazy(
        "Dismissal is proposed for absence of MORE than these many "
        "consecutive working days, or days in a calendar year."
    ),
    validator=_validate_long_absence,
)
register(
    STUDY_SCHEDULE,
    {"weekday": 0, "start": "19:30", "end": "21:00"},
    label=gettext_lazy("Weekly study schedule"),
    rule="STUDY-1",
    description=gettext_lazy(
        "The weekly collective study: weekday (0 = Monday) and times."
    ),
    validator=_validate_study,
)
register(
    BOARD_REFRESH,
    60,
    label=gettext_lazy("Whereabouts board refresh (seconds)"),
    rule="ATT-6",
    description=gettext_lazy("Seconds between refreshes of the whereabouts board."),
    validator=_non_negative,
)


def _one_step(who: str) -> dict:
    # Nobody above in the bureau (the director's own report or study leave): the
    # step is recorded as acknowledged only, as it was before the engine took it.
    return {"steps": [{"action": "approve", "who": who}], "top": "acknowledged"}


def _validate_going_out_chain(value):
    validate_chain(value)


def _validate_study_leave_chains(value):
    validate_tier_table(value)
    missing = set(STUDY_LEAVE_LEVELS) - set(value)
    if missing:
        raise ValueError(
            _("Give the chains of: %(levels)s.")
            % {"levels": "、".join(term(level) for level in sorted(missing))}
        )


register(
    GOING_OUT_CHAIN,
    _one_step("supervisor"),
    label=gettext_lazy("Going-out report chain"),
    rule="ATT-7",
    description=gettext_lazy(
        "The approval chain of a going-out report: acknowledged by the "
        "supervisor by position (section staff → section head; section and unit heads "
        "→ deputy in charge; deputies → director; unit staff → unit head); the "
        "director's own report is recorded as acknowledged."
    ),
    validator=_validate_going_out_chain,
)

# ATT-9: the levels whose chains the study-leave table holds (rules.study_leave_level).
STUDY_LEAVE_LEVELS = ("general", "middle_level")


def _study_leave_table() -> dict:
    return {
        level: {
            "rule": "ATT-9",
            "tiers": [
                {"up_to": None, **_one_step(study_leave_relation(middle))},
            ],
        }
        for level, middle in zip(STUDY_LEAVE_LEVELS, (False, True), strict=True)
    }


register(
    STUDY_LEAVE_CHAINS,
    _study_leave_table(),
    label=gettext_lazy("Study leave chains"),
    rule="ATT-9",
    description=gettext_lazy(
        "The approval chain of leave from a study session, by level: "
        "general staff ask the deputy in charge, middle level and above the director."
    ),
    validator=_validate_study_leave_chains,
)

# The editor's preview: last month's report recomputed with a new version.
register_impact("attendance.", "attendance.preview.last_month")

JUDGEMENT_KEYS = (
    GRACE,
    LATE_LIMIT,
    EARLY_LIMIT,
    AWAY_LIMIT,
    SIGN_OUT_REQUIRED,
    SHEET_CLOSE,
    SETTLE_AFTER,
    SIGN_IN_OPENS,
)


def in_force_many(keys, day: datetime.date) -> dict:
    """Like `policy_in_force` for several keys at once, in one query."""
    chosen = {}
    rows = Policy.objects.filter(key__in=list(keys), effective_from__lte=day).order_by(
        "key", "effective_from"
    )
    for row in rows:
        chosen[row.key] = PolicyVersion(row.key, row.value, row.effective_from, row.pk)
    for key in keys:
        if key not in chosen:
            chosen[key] = PolicyVersion(
                key, registry.get(key).default, ORIGIN_DATE, None
            )
    return chosen


def judgement_policies(day: datetime.date):
    """(Thresholds, {key: version id}) in force on `day`."""
    versions = in_force_many(JUDGEMENT_KEYS, day)
    thresholds = Thresholds(
        grace_minutes=versions[GRACE].value,
        late_limit_minutes=versions[LATE_LIMIT].value,
        early_limit_minutes=versions[EARLY_LIMIT].value,
        away_limit_minutes=versions[AWAY_LIMIT].value,
        sign_out_required=bool(versions[SIGN_OUT_REQUIRED].value),
        sheet_close_minutes=versions[SHEET_CLOSE].value,
        settle_minutes=versions[SETTLE_AFTER].value,
        opens_minutes=versions[SIGN_IN_OPENS].value,
    )
    return thresholds, {key: v.id for key, v in versions.items()}


def registry_default_table() -> list:
    """The rulebook's ATT-10 table (the registered default)."""
    return registry.get(ALLOWANCE_TABLE).default
