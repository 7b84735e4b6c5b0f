"""The service window's parameters, as policies with effective dates."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.policies import register
from window.rules import DAY_TYPES

TIME_LIMITS = "window.time_limits"


def _validate_time_limits(value) -> None:
    if not isinstance(value, dict) or set(value) != {"day_type"}:
        raise ValueError(_("Say how the days are counted."))
    if value["day_type"] not in DAY_TYPES:
        raise ValueError(_("The days are counted as working days or calendar days."))


register(
    TIME_LIMITS,
    {"day_type": "working"},
    rule="SVC-2",
    description=(
        gettext_lazy(
            "SVC-2: how the catalogue's time limits are counted on the acceptance "
            "receipt: in working days of the bureau's calendar or in calendar days."
        )
    ),
    validator=_validate_time_limits,
    label=gettext_lazy("Time limits counted in"),
)

APPOINTMENTS = "window.appointments"


def _validate_appointments(value) -> None:
    if not isinstance(value, dict) or set(value) != {"per_half_day", "days_ahead"}:
        raise ValueError(
            _(
                "Give the appointments per half day and how many days ahead one may "
                "be given."
            )
        )
    for key in ("per_half_day", "days_ahead"):
        number = value[key]
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(_("Each number must be a whole number of at least 1."))


register(
    APPOINTMENTS,
    {"per_half_day": 4, "days_ahead": 20},
    rule="SVC-3",
    description=(
        gettext_lazy(
            "SVC-3: appointments per half day of a window for a service where the "
            "administrator set no capacity, and how many calendar days ahead one may "
            "be given."
        )
    ),
    validator=_validate_appointments,
    label=gettext_lazy("Window appointments"),
)
