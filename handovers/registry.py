"""The one question a handover asks of other chapters (DOC-6): "which matters are in
this person's hands right now?"

A chapter with matters a person can leave waiting (documents: open drafts, incoming
documents waiting on them, supervised tasks; petitions: the cases they handle)
registers a provider in its AppConfig.ready(); the handover never imports the
chapter (the same shape as attendance's excuse registry):

    from handovers.registry import register_open_matters_provider
    register_open_matters_provider("petitions", petitions.handover.open_cases)

A provider answers for many people at once (one query or a few, never one per
person):
    provider(person_ids) -> {person_id: [Matter, ...]}
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

Provider = Callable[[list[int]], dict]


@dataclass(frozen=True)
class Matter:
    """One matter in progress, as the colleague taking it over reads it."""

    kind: str  # what it is, shown to people, e.g. "公文草稿"
    label: str  # e.g. the title or number
    url: str = ""
    state: str = ""  # e.g. "核稿中", "待阅"
    due: datetime.date | None = None

    def as_dict(self) -> dict:
        found = asdict(self)
        found["kind"] = str(self.kind)
        found["state"] = str(self.state)
        found["due"] = self.due.isoformat() if self.due else ""
        return found


_PROVIDERS: dict[str, Provider] = {}


def register_open_matters_provider(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def unregister_open_matters_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def provider_names() -> list[str]:
    return sorted(_PROVIDERS)


def open_matters(person_ids: Iterable[int]) -> dict[int, list[Matter]]:
    """{person_id: [Matter]} of every registered provider, in the providers' name
    order; a person with nothing open is absent."""
    ids = sorted(set(person_ids))
    found: dict[int, list[Matter]] = {}
    if not ids:
        return found
    for name in sorted(_PROVIDERS):
        for person_id, matters in _PROVIDERS[name](ids).items():
            found.setdefault(person_id, []).extend(matters)
    return found


def open_matters_of(person_id: int) -> list[Matter]:
    return open_matters([person_id]).get(person_id, [])
