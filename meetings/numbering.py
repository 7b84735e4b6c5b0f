"""Minutes numbers, per kind and year, gap-free: the one function to switch.

`take_minutes_number` is the only place that gives a number. It runs inside the
transaction that records the meeting (a rolled-back recording takes none) and locks
the kind's counter row for the year, so two clerks recording at once get 1 and 2.
When the bureau's numbering series land, this body becomes one call to them.
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext as _

from meetings.models import MeetingKind, MinutesCounter


class NumberingError(Exception):
    """A number asked for outside a transaction; the message is for the user."""


def take_minutes_number(*, kind: MeetingKind, year: int) -> int:
    """The next minutes number of `kind` in `year` (1, 2, …), in the caller's
    transaction."""
    if not connection.in_atomic_block:
        raise NumberingError(
            _(
                "A minutes number is taken inside the transaction that records the meeting."
            )
        )
    counter, _created = MinutesCounter.objects.get_or_create(kind=kind, year=year)
    counter = MinutesCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
