"""Kinds of violation, declared by the chapter that detects them.

A kind is a code like "attendance.late"; the discipline app keeps the ladders
(policy data) that turn the n-th violation of a ladder in a year into an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class ViolationKind:
    code: str
    label: str
    rule: str  # e.g. "ATT-3"
    ladder: str  # which ladder counts it, e.g. "attendance" (ATT-11), "efficiency"
    needs_decision: bool = False  # complaint-based: the inspector upholds or dismisses
    apology_required: bool = False  # DIS-1, DIS-2: an apology to the person served
    needs_reference: bool = False  # DIS-5: the meeting decision's reference


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


def find_kind(code: str) -> ViolationKind | None:
    return _KINDS.get(code)


# Other chapters may register plain-string labels; their Chinese is kept here too.
FOREIGN_LABELS = [
    gettext_noop("Late arrival"),
    gettext_noop("Early leave"),
    gettext_noop("Absence"),
    gettext_noop("Long absence"),
]


def label_of(code: str) -> str:
    """The kind's label in the current language (plain strings translated too)."""
    from django.utils.translation import gettext

    kind = _KINDS.get(code)
    if kind is None:
        return code
    label = kind.label
    return gettext(label) if isinstance(label, str) else str(label)


def all_kinds() -> list[ViolationKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def register_discipline_kinds() -> None:
    """The chapter's own kinds (DIS-1, DIS-2, DIS-3, DIS-5); called from ready()."""
    from django.utils.translation import gettext_lazy as _

    own = [
        ViolationKind(
            "discipline.first_inquiry",
            _("First-inquiry responsibility breached"),
            "DIS-1",
            "first_inquiry",
            apology_required=True,
        ),
        ViolationKind(
            "discipline.one_time_notice",
            _("One-time notification breached (complaint)"),
            "DIS-2",
            "one_time_notice",
            needs_decision=True,
            apology_required=True,
        ),
        ViolationKind(
            "discipline.efficiency.idle",
            _("Playing, chatting or private business at work"),
            "DIS-3",
            "efficiency",
        ),
        ViolationKind(
            "discipline.efficiency.rule_breach",
            _("Efficiency rules broken without bad effect"),
            "DIS-3",
            "efficiency",
        ),
        ViolationKind(
            "discipline.efficiency.not_handled",
            _("Complete, compliant request not handled at once"),
            "DIS-3",
            "efficiency",
        ),
        ViolationKind(
            "discipline.efficiency.missed_deadline",
            _("Deadline missed without explanation"),
            "DIS-3",
            "efficiency",
        ),
        ViolationKind(
            "discipline.efficiency.come_twice",
            _("Made someone come twice or more"),
            "DIS-3",
            "efficiency",
        ),
        ViolationKind(
            "discipline.meeting_warning",
            _("Efficiency warning decided by the bureau affairs meeting"),
            "DIS-5",
            "meeting",
            needs_reference=True,
        ),
    ]
    for kind in own:
        if find_kind(kind.code) is None:
            register_kind(kind)
