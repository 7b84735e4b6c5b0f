"""Reading what a request sends: query and form parameters, date bounds, text limits.

Every view reads its parameters through these helpers, never with `int(...)` or
`date.fromisoformat(...)` on `request.GET` by hand. Each helper returns a clean value
(the default when the parameter is absent or empty) or raises `BadParameter`, which
`ParameterGuardMiddleware` turns into a 400 page with the message in the bureau's
language. Ids are read with `object_param`, which answers 404 for an id that is not
one, does not exist or is not the user's to see.

Dates a person can enter or ask for lie within `bureau.date_bounds` (a policy): from
its `earliest` date to the last day of the year `years_ahead` years from now. Forms use
`BoundedDateField` (bureau.forms) or the validators below; models whose dates people
enter carry `validate_date_in_bounds` / `validate_year_in_bounds`.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.policies import policy_value, register

DATE_BOUNDS = "bureau.date_bounds"

# Lengths of what people type. A TextField is unlimited in the database; these are
# what the forms and services accept (a 2 MB "evidence" is nobody's evidence).
SHORT_TEXT = 200
LONG_TEXT = 2000
EVIDENCE_TEXT = 4000
# Query parameters are short: a name, a code, a filter.
PARAM_TEXT = 100

# Control characters other than tab, line feed and carriage return. PostgreSQL
# refuses NUL in text outright; the others have no business in a name or a reason.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _validate_date_bounds(value) -> None:
    if not isinstance(value, dict) or set(value) != {"earliest", "years_ahead"}:
        raise ValueError(_("Give the earliest date and the years ahead."))
    try:
        earliest = datetime.date.fromisoformat(value["earliest"])
    except (TypeError, ValueError):
        raise ValueError(_("The earliest date is a date (YYYY-MM-DD).")) from None
    if earliest.year < 1900:
        raise ValueError(_("The earliest date cannot be before 1900."))
    years = value["years_ahead"]
    if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= 50:
        raise ValueError(_("The years ahead are a whole number from 0 to 50."))


register(
    DATE_BOUNDS,
    {"earliest": "2000-01-01", "years_ahead": 5},
    label=gettext_lazy("Dates that can be entered"),
    rule="SYS",
    description=(
        gettext_lazy(
            "Not from the rulebook: dates that can be entered or asked for: from the "
            "earliest date to the end of the year the set number of years from today "
            "(leave, violations, corrections, calendar entries, appraisal years, "
            "report months)."
        )
    ),
    validator=_validate_date_bounds,
)


# --- Bounds --------------------------------------------------------------------------


def date_bounds(
    today: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest date anyone may enter or ask for, as of `today`."""
    today = today or timezone.localdate()
    value = policy_value(DATE_BOUNDS, today)
    earliest = datetime.date.fromisoformat(value["earliest"])
    latest_year = min(today.year + int(value["years_ahead"]), datetime.MAXYEAR - 1)
    return earliest, datetime.date(latest_year, 12, 31)


def _bounds_message(earliest, latest) -> str:
    return _("Dates must fall between %(earliest)s and %(latest)s.") % {
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
    }


def validate_date_in_bounds(value) -> None:
    """A validator for dates and datetimes (datetimes judged by their local date)."""
    if value is None:
        return
    earliest, latest = date_bounds()
    if isinstance(value, datetime.datetime):
        try:
            if timezone.is_aware(value):
                value = timezone.localtime(value)
        except OverflowError:  # at the edge of year 1 or 9999
            raise ValidationError(
                _bounds_message(earliest, latest), code="date_bounds"
            ) from None
        value = value.date()
    if not earliest <= value <= latest:
        raise ValidationError(_bounds_message(earliest, latest), code="date_bounds")


def validate_year_in_bounds(value) -> None:
    if value is None:
        return
    earliest, latest = date_bounds()
    if not earliest.year <= value <= latest.year:
        raise ValidationError(
            _("The year must be between %(earliest)s and %(latest)s.")
            % {"earliest": earliest.year, "latest": latest.year},
            code="year_bounds",
        )


def year_in_bounds_or_404(year: int) -> int:
    """For a year taken from the URL: a year outside the bounds is no page at all."""
    try:
        validate_year_in_bounds(year)
    except ValidationError:
        raise Http404 from None
    return year


# --- Text ----------------------------------------------------------------------------


def validate_clean_text(value) -> None:
    """No NUL or other control characters (tab and line breaks are allowed)."""
    if value and _CONTROL.search(value):
        raise ValidationError(
            _("The text contains control characters that cannot be stored."),
            code="control_characters",
        )


def clean_text(value: str, *, max_length: int, multiline: bool = True) -> str:
    """The text, checked for control characters and length (services use this for
    text that does not come through a form)."""
    value = value or ""
    pattern = _CONTROL if multiline else _SINGLE_LINE_CONTROL
    if pattern.search(value):
        raise ValidationError(
            _("The text contains control characters that cannot be stored."),
            code="control_characters",
        )
    if len(value) > max_length:
        raise ValidationError(
            _("The text is too long: at most %(n)s characters.") % {"n": max_length},
            code="max_length",
        )
    return value


# --- Query and form parameters -------------------------------------------------------


class BadParameter(SuspiciousOperation):
    """A parameter that cannot be read. A SuspiciousOperation, so that even without
    the middleware it is a 400 and never a 500; with it, a page that says why."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def _raw(params, name) -> str:
    """The parameter's text ('' when absent), refusing control characters."""
    value = params.get(name, "")
    if not isinstance(value, str):
        raise BadParameter(name, _("The value cannot be read."))
    if _SINGLE_LINE_CONTROL.search(value):
        raise BadParameter(name, _("The value contains control characters."))
    return value.strip()


def text_param(params, name, *, default="", max_length=PARAM_TEXT, multiline=False):
    """Free text: no control characters (tab and line breaks when `multiline`), at
    most `max_length` characters."""
    value = params.get(name, "")
    if not isinstance(value, str):
        raise BadParameter(name, _("The value cannot be read."))
    pattern = _CONTROL if multiline else _SINGLE_LINE_CONTROL
    if pattern.search(value):
        raise BadParameter(name, _("The value contains control characters."))
    if len(value) > max_length:
        raise BadParameter(
            name,
            _("The value is too long: at most %(n)s characters.") % {"n": max_length},
        )
    return value if value != "" else default


def int_param(params, name, *, default=None, minimum=None, maximum=None):
    raw = _raw(params, name)
    if raw == "":
        return default
    if not re.fullmatch(r"-?\d{1,18}", raw):
        raise BadParameter(name, _("The value must be a whole number."))
    value = int(raw)
    if (minimum is not None and value < minimum) or (
        maximum is not None and value > maximum
    ):
        raise BadParameter(
            name,
            _("The value must be between %(min)s and %(max)s.")
            % {"min": minimum, "max": maximum},
        )
    return value


def page_param(params, name="page"):
    """A page number for a Paginator: Paginator.get_page clamps it to the last page."""
    return int_param(params, name, default=1, minimum=1, maximum=1_000_000)


def flag_param(params, name) -> bool:
    """A yes/no switch sent as `name=1`."""
    return choice_param(params, name, ["0", "1"], default="0") == "1"


def choice_param(params, name, choices, *, default=None):
    raw = _raw(params, name)
    if raw == "":
        return default
    if raw not in {str(c) for c in choices}:
        raise BadParameter(name, _("The value is not one of the choices offered."))
    return raw


def date_param(params, name, *, default=None):
    """An ISO date (YYYY-MM-DD) within the date bounds."""
    raw = _raw(params, name)
    if raw == "":
        return default
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError
        value = datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, _("The value must be a date (YYYY-MM-DD).")) from None
    earliest, latest = date_bounds()
    if not earliest <= value <= latest:
        raise BadParameter(name, _bounds_message(earliest, latest))
    return value


def month_param(params, name="month", *, default=None):
    """A month (YYYY-MM) within the date bounds, as the date of its first day."""
    raw = _raw(params, name)
    if raw == "":
        return default
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    try:
        if match is None:
            raise ValueError
        value = datetime.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise BadParameter(name, _("The value must be a month (YYYY-MM).")) from None
    earliest, latest = date_bounds()
    if not earliest.replace(day=1) <= value <= latest:
        raise BadParameter(name, _bounds_message(earliest, latest))
    return value


def year_param(params, name="year", *, default=None):
    """A year within the date bounds."""
    raw = _raw(params, name)
    if raw == "":
        return default
    if not re.fullmatch(r"\d{4}", raw):
        raise BadParameter(name, _("The value must be a year (YYYY)."))
    value = int(raw)
    earliest, latest = date_bounds()
    if not earliest.year <= value <= latest.year:
        raise BadParameter(
            name,
            _("The year must be between %(earliest)s and %(latest)s.")
            % {"earliest": earliest.year, "latest": latest.year},
        )
    return value


def next_param(request, name="next") -> str | None:
    """Where to go back to: a path on this site, or None. (Never a view name:
    `redirect("0")` would look for a view called "0".)"""
    target = text_param(request.POST, name, max_length=2000)
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def object_param(params, name, queryset, *, default=None):
    """The object whose id is sent, from `queryset` (the user's scope): 404 when the
    value is not an id or names nothing the user may see."""
    raw = _raw(params, name)
    if raw == "":
        return default
    if not re.fullmatch(r"\d{1,18}", raw):
        raise Http404
    obj = queryset.filter(pk=int(raw)).first()
    if obj is None:
        raise Http404
    return obj


def id_list_param(params, name) -> list[int]:
    """Several ids sent under one name (checkboxes)."""
    values = params.getlist(name)
    ids = []
    for value in values:
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,18}", value.strip()):
            raise BadParameter(name, _("The value must be a list of ids."))
        ids.append(int(value))
    return ids
