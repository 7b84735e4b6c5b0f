"""The service window's parameters, as policies with effective dates."""

from django.utils.translation import gettext as _

from bureau.policies import register
from window.rules import DAY_TYPES

TIME_LIMITS = "window.time_limits"


def _validate_time_limits(value) -> None:
    if not isinstance(value, dict) or set(value) != {"day_type"}:
        raise ValueError(_("The value needs “day_type”."))
    if value["day_type"] not in DAY_TYPES:
        raise ValueError(_("The day type is “working” or “calendar”."))


register(
    TIME_LIMITS,
    {"day_type": "working"},
    rule="SVC-2",
    description=(
        "SVC-2: how the catalogue's time limits are counted on the acceptance "
        "receipt: `working` days of the bureau's calendar or `calendar` days."
    ),
    validator=_validate_time_limits,
)
