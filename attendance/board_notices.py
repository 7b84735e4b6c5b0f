"""Notices other chapters put on the whereabouts board (ATT-6), above the tiles.

The board shows where each person of a unit is; some facts are about a place, not
a person — e.g. a service window with neither its A nor its B post present
(SVC-4). A chapter registers a provider in its AppConfig.ready(); attendance never
imports the chapter:

    from attendance.board_notices import register_board_notice_provider
    register_board_notice_provider("window", window.panels.board_notices)

A provider answers for one unit at one moment, in a constant number of queries:
    provider(unit, day, part) -> list[BoardNotice]
where `part` is the session being shown ("am" or "pm"). The board asks only while
a session of a working day is current (never on rest days or at night).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BoardNotice:
    text: str  # in words, translated by the provider
    level: str = "warn"  # "warn" (red on the board) or "info"
    url: str = ""  # where a staff member acts on it (not linked on the wall screen)


Provider = Callable[[object, datetime.date, str], list]

_PROVIDERS: dict[str, Provider] = {}


def register_board_notice_provider(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def unregister_board_notice_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def board_notices(unit, day: datetime.date, part: str) -> list[BoardNotice]:
    """Every provider's notices for `unit` on `day` (`part`), in provider order."""
    found: list[BoardNotice] = []
    for name in sorted(_PROVIDERS):
        found.extend(_PROVIDERS[name](unit, day, part))
    return found
