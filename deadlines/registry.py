"""The kinds of deadline, registered by the chapters that own the records.

A chapter registers a kind once, in its AppConfig.ready():

    from deadlines.registry import register_deadline_kind
    register_deadline_kind(
        "leave.return",
        rule="LV-9",
        legal_basis=_("…"),
        label=_("Report back from leave"),
        policy_key="deadlines.leave.return",
        default={"length": 1, "day_type": "working", "remind_days": 1,
                 "escalate_to": ""},
        responsible=lambda leave: leave.person,
        url=lambda object_id: reverse("leave:detail", args=[object_id]),
    )

The kind's numbers are a policy (bureau.policies) registered here with the kind's
rule ID, so an administrator changes a period with an effective date and the open
deadlines are computed again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from bureau import resolver
from bureau.policies import register as register_policy
from bureau.policies import registry as policy_registry
from deadlines import rules


@dataclass(frozen=True)
class DeadlineKind:
    key: str
    rule: str
    legal_basis: Any  # a lazy translation
    label: Any  # a lazy translation
    policy_key: str
    default: dict
    # record -> the Person who answers for the deadline (None: nobody yet)
    responsible: Callable
    # object id -> the record's page
    url: Callable[[int], str]
    # record -> the text shown for it in lists and messages
    describe: Callable = str
    # Whether the responsible person (or a leader over them) may stop and restart
    # the clock by hand on the deadline's page, with a reason (e.g. waiting for a
    # petitioner's supplement). Chapters pause in their own services either way.
    pausable: bool = False
    # user -> the ids of the records whose deadlines of this kind the user may see
    # (a queryset of pks or a list), or None for no limit beyond the deadline
    # engine's own scope. A chapter whose records are confidential (petitions,
    # PET-7) says here who may know that a record exists: the dashboards, lists
    # and pages of the deadline engine show nobody else its clocks, however high
    # their post.
    visible_to: Callable | None = None


_KINDS: dict[str, DeadlineKind] = {}


def _validator(value) -> None:
    rules.validate_policy_value(value, relations=resolver.relation_keys())


def register_deadline_kind(
    key: str,
    *,
    rule: str,
    legal_basis,
    label,
    policy_key: str,
    default: dict,
    responsible: Callable,
    url: Callable[[int], str],
    describe: Callable = str,
    pausable: bool = False,
    visible_to: Callable | None = None,
) -> DeadlineKind:
    """Register a kind of deadline and its policy (rule ID, default, validator).
    `pausable`: the clock may be paused and resumed by hand on its page.
    `visible_to(user)`: the ids of the records whose clocks the user may see (the
    owner chapter's own scope), for records whose existence is confidential."""
    rules.validate_policy_value(default)
    kind = DeadlineKind(
        key,
        rule,
        legal_basis,
        label,
        policy_key,
        dict(default),
        responsible,
        url,
        describe,
        bool(pausable),
        visible_to,
    )
    existing = _KINDS.get(key)
    # The callables may be new lambdas when ready() runs again: the kind is the
    # same if its rule, policy and default are.
    if (
        existing is not None
        and (
            existing.rule,
            existing.policy_key,
            existing.default,
        )
        != (kind.rule, kind.policy_key, kind.default)
        or (existing is not None and existing.pausable != kind.pausable)
    ):
        raise ValueError(f"deadline kind {key!r} is registered twice, differently")
    register_policy(
        policy_key,
        dict(default),
        rule=rule,
        description=format_lazy(
            gettext_lazy(
                "Deadline “{}”: how long it is, in which days it is counted, how "
                "many days before it the reminder comes and to whom it is escalated."
            ),
            label,
        ),
        validator=_validator,
        label=label,
    )
    _KINDS[key] = kind
    return kind


def unregister_deadline_kind(key: str) -> None:
    """Take a kind out again (tests that register a toy kind)."""
    kind = _KINDS.pop(key, None)
    if kind is not None:
        policy_registry.unregister(kind.policy_key)


def kind_of(key: str) -> DeadlineKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise KeyError(f"unknown deadline kind {key!r}") from None


def kinds() -> list[DeadlineKind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)


def kinds_for_policy(policy_key: str) -> list[str]:
    return [k.key for k in _KINDS.values() if k.policy_key == policy_key]


def label_of(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind is not None else key


def pausable(key: str) -> bool:
    kind = _KINDS.get(key)
    return kind is not None and kind.pausable


def url_of(key: str, object_id: int) -> str:
    kind = _KINDS.get(key)
    return kind.url(object_id) if kind is not None else ""


def restricted_kinds() -> list[DeadlineKind]:
    """The kinds whose owner chapter limits who may see their clocks."""
    return [k for k in kinds() if k.visible_to is not None]
