"""Organisation changes announced to the chapters (FIN-1 and any rule that follows a
person's post).

When a person's unit, section or position changes, or they leave (`is_active`
becomes false), `Person.save` announces a `PostChange` **after the transaction
commits** to every callback registered with `register_post_change(key, callback)`.
A chapter registers from its `AppConfig.ready()` (finance prepares the handover list
of the assets the person holds). The bureau does not import the chapters: this
module imports no model, so `bureau.models.org` imports it at the top.

- Keys are the chapter's (`finance.handover`); registering the same key with the same
  callback again is idempotent, with another callback it is refused.
- A callback takes the `PostChange` and runs outside the saving transaction (after
  commit): it opens its own, and an exception in it is logged, never undoes the
  person's save nor stops the other callbacks.
- Only saves through the model announce: `QuerySet.update()` writes no change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrgPlace:
    """Where a person stands in the organisation."""

    unit_id: int | None
    section_id: int | None
    position: str
    is_active: bool


@dataclass(frozen=True)
class PostChange:
    person_id: int
    before: OrgPlace
    after: OrgPlace

    @property
    def left(self) -> bool:
        """The person has left (was active, is no longer)."""
        return self.before.is_active and not self.after.is_active

    @property
    def moved(self) -> bool:
        """Another unit, section or position."""
        return (self.before.unit_id, self.before.section_id, self.before.position) != (
            self.after.unit_id,
            self.after.section_id,
            self.after.position,
        )


_CALLBACKS: dict[str, Callable[[PostChange], None]] = {}


def register_post_change(key: str, callback: Callable[[PostChange], None]) -> None:
    known = _CALLBACKS.get(key)
    if known is not None and known != callback:
        raise ValueError(f"post-change callback {key!r} is registered already")
    _CALLBACKS[key] = callback


def unregister_post_change(key: str) -> None:
    _CALLBACKS.pop(key, None)


def place_of(person) -> OrgPlace:
    return OrgPlace(
        person.unit_id, person.section_id, person.position, bool(person.is_active)
    )


def announce(person_id: int, before: OrgPlace | None, after: OrgPlace) -> None:
    """Called by `Person.save`: when the place changed (or the person left), run
    every callback after commit. A new person (no `before`) announces nothing."""
    if before is None or before == after:
        return
    change = PostChange(person_id, before, after)
    if not (change.left or (after.is_active and change.moved)):
        return
    transaction.on_commit(lambda: _run(change))


def _run(change: PostChange) -> None:
    for key, callback in list(_CALLBACKS.items()):
        try:
            callback(change)
        except Exception:  # a chapter's failure never undoes the move
            logger.exception("post-change callback %s failed for %s", key, change)
