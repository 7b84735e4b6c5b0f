""" "Why" pages: every judgement links to the rule and the policy version it used.

A chapter registers, for each kind of record that judges someone (a lateness, an
allowance outcome, a chain, a violation, a grade cap), a resolver:

    register_why("attendance.record", _("attendance record"), resolve)

`resolve(user, object_id, params)` (params: the page's query, e.g. the month of an
allowance outcome, which has no row of its own) returns a `Judgement` for a record the user may see —
through the chapter's own selector — and None otherwise (the page answers 404, so
nobody learns that another person's record exists). The page `/rules/why/<kind>/<id>/`
shows what was judged, the rule's text from the rulebook, and each policy version the
record stored with its values in words, beside the version in force today when a
later one replaced it. Links come from `why_url(kind, id)` (or the `why` template
tag of `bureau_tags`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

# (label, value) lines of what the record shows, in words.
Fact = tuple[Any, Any]


@dataclass
class Judgement:
    """What a why page shows for one record."""

    title: Any  # what was judged, in words: "迟到：2026-11-03 上午"
    person: Any  # whose record
    date: datetime.date  # the date the record was judged by
    rules: list[str]  # rule IDs
    # The policy versions the record stored: {policy key: version id or None}.
    # None: judged by the rulebook default before any version was stored.
    versions: dict[str, int | None] = field(default_factory=dict)
    # Stored version ids whose policy key the record does not keep: the key is read
    # from the version itself.
    version_ids: list[int] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    # Where a policy's value holds more than this record used (the leave chains of
    # every position): {policy key: the entry of the value to show}.
    parts: dict[str, str] = field(default_factory=dict)
    back_url: str = ""
    note: Any = ""  # a sentence on how the rule was applied, where it helps


@dataclass(frozen=True)
class WhyKind:
    key: str
    label: Any
    resolve: Callable[[Any, int, Any], Judgement | None]


_KINDS: dict[str, WhyKind] = {}


def register_why(key: str, label, resolve) -> None:
    existing = _KINDS.get(key)
    # ready() can run twice with the same function; another meaning is a bug.
    if existing is not None and getattr(existing.resolve, "__qualname__", "") != (
        getattr(resolve, "__qualname__", "")
    ):
        raise ValueError(f"why kind {key!r} is registered twice, differently")
    _KINDS[key] = WhyKind(key, label, resolve)


def unregister_why(key: str) -> None:
    _KINDS.pop(key, None)


def why_kind(key: str) -> WhyKind | None:
    return _KINDS.get(key)


def why_kinds() -> list[WhyKind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)


def why_url(kind: str, object_id: int, query: str = "") -> str:
    url = reverse("rules:why", args=[kind, object_id])
    return f"{url}?{query}" if query else url


def versions_of(mapping: dict | None, keys: Iterable[str] | None = None) -> dict:
    """A record's stored `policy_versions` ({key: id}), limited to `keys`."""
    mapping = mapping or {}
    if keys is None:
        return dict(mapping)
    return {key: mapping.get(key) for key in keys}


def chain_why(
    visible_to, *, person: str, version_fields=("chain_policy_id",), url=None
):
    """A resolver for an approval subject that stores its rule (`rule`) and the
    version of the chain policy it was routed by: what most chapters keep.
    `visible_to(user)` is the chapter's selector; `person` the field of whose
    request it is; `url(obj)` the record's page."""

    def resolve(user, object_id: int, params) -> Judgement | None:
        obj = visible_to(user).filter(pk=object_id).first()
        if obj is None:
            return None
        created = getattr(obj, "created_at", None)
        return Judgement(
            title=_("Approval chain: %(record)s") % {"record": obj},
            person=getattr(obj, person, "") or "",
            date=timezone.localdate(created) if created else timezone.localdate(),
            rules=[obj.rule] if getattr(obj, "rule", "") else [],
            version_ids=[
                pk for pk in (getattr(obj, f, None) for f in version_fields) if pk
            ],
            facts=[(_("Status"), obj.get_status_display())]
            if hasattr(obj, "get_status_display")
            else [],
            back_url=url(obj) if url else "",
        )

    return resolve
