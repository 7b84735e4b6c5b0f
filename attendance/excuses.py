"""The one question attendance asks of other chapters (ATT-8, LV-9, ATT-7, ATT-9):
"is this person excused from this session, and why?"

Apps that excuse sessions (leave, going out on business, study leave) register a
provider here in their AppConfig.ready(). Attendance asks in bulk, so that closing
the sheet for 10,000 people costs one query per provider, not one per person.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Excuse:
    """Why a session is excused. `kind` is e.g. "leave", "business", "study_leave"."""

    kind: str
    label: str  # shown on the sheet and the whereabouts board, e.g. "病假"
    source_app: str  # app_label.model of the record that excuses
    source_id: int
    until: datetime.datetime | None = None  # e.g. expected return of a going-out


# A provider answers for many people over a date range:
#   provider(person_ids, start, end) -> {(person_id, date, part): Excuse}
# where part is "am" or "pm" (a whole day excused appears under both parts).
Provider = Callable[[Iterable[int], datetime.date, datetime.date], dict]

_PROVIDERS: dict[str, Provider] = {}


def register_excuse_provider(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def excuses_for(
    person_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, datetime.date, str], Excuse]:
    """Every excuse of these people between start and end (both included)."""
    ids = list(person_ids)
    found: dict[tuple[int, datetime.date, str], Excuse] = {}
    for name in sorted(_PROVIDERS):
        for key, excuse in _PROVIDERS[name](ids, start, end).items():
            found.setdefault(key, excuse)
    return found


def excuse_for(person_id: int, day: datetime.date, part: str) -> Excuse | None:
    return excuses_for([person_id], day, day).get((person_id, day, part))
