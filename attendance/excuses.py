"""The one question attendance asks of other chapters (ATT-8, LV-9, ATT-7, ATT-9):
"is this person excused from this session, and why?"

Apps that excuse sessions (leave, going out on business, study leave) register a
provider here in their AppConfig.ready(). Attendance asks in bulk, so that closing
the sheet for 10,000 people costs one query per provider, not one per person.

When a provider's answer changes for days that may be settled already (leave
approved afterwards, LV-8; leave shortened by an early return, LV-9; a going-out
acknowledged late, ATT-7), the provider says so here:

    announce_excuses_changed([person_id], start, end, reason="leave approved")

and attendance (the listener it registered) re-judges those sessions after commit,
in a task. The provider never imports attendance's services.
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


# A listener hears: listener(person_ids, start, end, reason=...) -> None.
ChangeListener = Callable[..., None]

_LISTENERS: dict[str, ChangeListener] = {}


def register_change_listener(name: str, listener: ChangeListener) -> None:
    """Who reacts when excuses change (attendance: the re-judge after commit)."""
    _LISTENERS[name] = listener


def announce_excuses_changed(
    person_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    reason: str = "excuse changed",
) -> None:
    """A provider's excuses of these people changed between start and end (both
    included). Call it inside the transaction that changed them: the listeners
    act after commit (a rollback announces nothing)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    for name in sorted(_LISTENERS):
        _LISTENERS[name](ids, start, end, reason=reason)
