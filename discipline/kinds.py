"""Kinds of violation, declared by the chapter that detects them.

A kind is a code like "attendance.late"; the discipline app keeps the ladders
(policy data) that turn the n-th violation of a ladder in a year into an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViolationKind:
    code: str
    label: str
    rule: str  # e.g. "ATT-3"
    ladder: str  # which ladder counts it, e.g. "attendance" (ATT-11), "efficiency"
    needs_decision: bool = False  # complaint-based: the inspector upholds or dismisses


_KINDS: dict[str, ViolationKind] = {}


def register_kind(kind: ViolationKind) -> None:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"violation kind {kind.code!r} is registered twice")
    _KINDS[kind.code] = kind


def get_kind(code: str) -> ViolationKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise KeyError(f"unknown violation kind {code!r}") from None


def all_kinds() -> list[ViolationKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)
