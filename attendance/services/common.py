from __future__ import annotations

import datetime

from django.utils import timezone

from bureau.access import has_role, is_administrator, person_of
from bureau.models import Role
from bureau.workdays import TZ


class AttendanceError(Exception):
    """A move the rules do not allow; the message is shown to the user."""


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


def is_clerk(user) -> bool:
    return is_administrator(user) or has_role(user, Role.ATTENDANCE_CLERK)
