"""Minutes numbers, per kind and year, gap-free: one numbering series per kind.

`take_minutes_number` is the only place that gives a number. It takes it from the
bureau's numbering series "meetings.minutes.<kind code>" (numbering/), inside the
transaction that records the meeting: a rolled-back recording takes none, two clerks
recording at once get 1 and 2, the register keeps it with the meeting as its owner
and `manage.py numbering_audit` checks it like any other series.
"""

from __future__ import annotations

import datetime

from numbering.registry import get_series, register_series, unregister_series
from numbering.services import NumberingError, number_take

__all__ = ["NumberingError", "minutes_series", "take_minutes_number"]


def minutes_series(kind) -> str:
    """The kind's series, registered on first use (kinds are data: an administrator
    may add one); its template follows the kind's name of the minutes."""
    key = f"meetings.minutes.{kind.code}"
    template = f"{kind.minutes_name}〔{{year}}〕{{n}}号"
    existing = get_series(key)
    if existing is not None and existing.template != template:
        # The minutes were renamed: numbers given keep their stored text.
        unregister_series(key)
    register_series(key, label=kind.minutes_name, template=template)
    return key


def take_minutes_number(*, meeting, on: datetime.date, by=None) -> int:
    """The minutes number of `meeting` in the year of `on` (1, 2, …), in the
    caller's transaction; asking again for the same meeting gives the same number."""
    return number_take(
        series=minutes_series(meeting.kind), owner=meeting, by=by, on=on
    ).n
