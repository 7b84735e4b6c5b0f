from __future__ import annotations

import datetime

from django.utils import timezone

from bureau.access import person_of
from bureau.scoping import is_clerk  # noqa: F401 - attendance's callers use it here
from bureau.workdays import TZ


class AttendanceError(Exception):
    """A move the rules do not allow; the message is shown to the user."""


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
