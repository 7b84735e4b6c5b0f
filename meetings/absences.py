"""The one question meetings ask of other chapters: "is this person away, with
leave, at this meeting?" — an approved leave shows as excused (MTG-1).

A chapter that excuses people registers a provider in its AppConfig.ready(), as
leave does; meetings never import the chapter (the same shape as attendance's
excuse registry, attendance.excuses):

    from meetings.absences import register_absence_provider
    register_absence_provider("leave", leave.excuses.leave_absences)

A provider answers for many people at once (one query):
    provider(person_ids, day, part) -> {person_id: reason}
where `part` is "am" or "pm" and `reason` is shown on the minutes (e.g. "病假").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

Provider = Callable[[Iterable[int], datetime.date, str], dict]

_PROVIDERS: dict[str, Provider] = {}


def register_absence_provider(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def unregister_absence_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def absences_on(person_ids: Iterable[int], day: datetime.date, part: str) -> dict:
    """{person_id: reason} of the people excused on `day` (`part` of it)."""
    ids = sorted(set(person_ids))
    found: dict[int, str] = {}
    if not ids:
        return found
    for name in sorted(_PROVIDERS):
        for person_id, reason in _PROVIDERS[name](ids, day, part).items():
            found.setdefault(person_id, str(reason))
    return found
