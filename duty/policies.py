"""DUTY-1's parameters, as policies with effective dates.

`duty.arrival`: the person on duty arrives `earliest_minutes` to `latest_minutes`
before the day's first session (15 to 10: "提前10–15分钟到岗"); the home page reminds
them the day before and on the day until `show_until`.

`duty.rotation`: per kind of roster, whether a generated rotation skips rest days
(the bureau's calendar, CAL-1: a daily roster covers working days, a holiday roster
every day of the holiday), how many people a day, whether a day with nobody is an
error or a warning, and whether a leader on duty (带班领导) is required; the most
people a day can hold and the longest roster in days.
"""

from django.utils.translation import gettext_lazy

from bureau.policies import register
from duty.rules import validate_arrival, validate_rotation

ARRIVAL = "duty.arrival"
ROTATION = "duty.rotation"

register(
    ARRIVAL,
    {"earliest_minutes": 15, "latest_minutes": 10, "show_until": "12:00"},
    rule="DUTY-1",
    description=(
        gettext_lazy(
            "DUTY-1: the person on duty arrives this many minutes before the day's "
            "start (between the earliest and the latest set); the home page reminds "
            "them the day before, and on the day until the set time."
        )
    ),
    validator=validate_arrival,
    label=gettext_lazy("Duty arrival time"),
)
register(
    ROTATION,
    {
        "skip_rest_days": {"daily": True, "holiday": False, "event": False},
        "per_day": {"daily": 1, "holiday": 1, "event": 1},
        "max_per_day": 3,
        "max_days": 366,
        "nobody_is_error": {"daily": False, "holiday": True, "event": True},
        "leader_required": {"daily": False, "holiday": True, "event": True},
    },
    rule="DUTY-1",
    description=(
        gettext_lazy(
            "DUTY-1: per kind of roster (daily, holiday, event): generated rotations "
            "skip rest days or not, people per day, a day with nobody an error or a "
            "warning, a leader on duty required; the most people a day and the "
            "longest roster in days."
        )
    ),
    validator=validate_rotation,
    label=gettext_lazy("Duty rotation"),
)
