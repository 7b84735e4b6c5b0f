from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from bureau.access import person_of
from bureau.params import LONG_TEXT, clean_text, validate_date_in_bounds
from bureau.scoping import is_clerk  # noqa: F401 - attendance's callers use it here
from bureau.workdays import TZ


class AttendanceError(Exception):
    """A move the rules do not allow; the message is shown to the user."""


def check_input(*, moments=(), texts=(), max_length=LONG_TEXT) -> None:
    """Dates and times within the bureau's bounds, texts of a bounded length, before
    anything is judged or written (bureau.params): no sign-in moved to 1900."""
    try:
        for value in moments:
            validate_date_in_bounds(value)
        for value in texts:
            clean_text(value, max_length=max_length)
    except ValidationError as exc:
        raise AttendanceError(exc.messages[0]) from None


class RejudgeInterrupted(Exception):
    """A re-judge stopped by the database (a lock not granted, a deadlock, a lost
    connection) and rolled back: the task retries it (attendance.tasks)."""


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(TZ).date()


def now_or(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def require_person(user):
    from django.utils.translation import gettext as _

    person = person_of(user)
    if person is None:
        raise AttendanceError(_("This login is not linked to a person."))
    return person
