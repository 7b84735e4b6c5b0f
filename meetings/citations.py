"""What cites a decision: chapters register their "citers" (a model with a foreign
key to meetings.Decision) so that a decision's page lists the records citing it,
each through the chapter's own selector (the reader sees only what they may see).

    from meetings.citations import register_citer
    register_citer(
        "discipline.violation",
        label=_("Violations (DIS-5)"),
        model="discipline.Violation",
        field="meeting_decision",
        visible_to=discipline.selectors.violations_visible_to,   # (user) -> QuerySet
        describe=lambda v: f"{v.person} · {v.kind_label}",
        url=lambda v: reverse("discipline:person", args=[v.person_id]),
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from bureau.rulebook import plain_label


@dataclass(frozen=True)
class Citer:
    key: str
    label: Any
    model: str  # "app_label.Model"
    field: str  # its foreign key to meetings.Decision
    visible_to: Callable  # (user) -> QuerySet of the model
    describe: Callable  # (obj) -> str
    url: Callable | None = None  # (obj) -> str
    select_related: tuple[str, ...] = ()


@dataclass
class CitationGroup:
    label: Any
    rows: list = field(default_factory=list)  # [(text, url or "")]
    hidden: int = 0  # records citing it that the reader may not open


_CITERS: dict[str, Citer] = {}


def register_citer(
    key: str,
    *,
    label,
    model: str,
    field: str,
    visible_to: Callable,
    describe: Callable,
    url: Callable | None = None,
    select_related: tuple[str, ...] = (),
) -> Citer:
    # Rule IDs are help text: the group reads "Violations", not "Violations (DIS-5)".
    citer = Citer(
        key, plain_label(label), model, field, visible_to, describe, url, select_related
    )
    _CITERS[key] = citer
    return citer


def unregister_citer(key: str) -> None:
    _CITERS.pop(key, None)


def citers() -> list[Citer]:
    return [_CITERS[key] for key in sorted(_CITERS)]


def citations_of(decision, user, *, limit: int = 200) -> list[CitationGroup]:
    """The records citing `decision`, per citer: those `user` may see (with their
    link) and how many others cite it. Two queries per citer."""
    groups = []
    for citer in citers():
        model = apps.get_model(citer.model)
        citing = model._default_manager.filter(**{citer.field: decision.pk})
        total = citing.count()
        if not total:
            continue
        visible = citer.visible_to(user).filter(**{citer.field: decision.pk})
        if citer.select_related:
            visible = visible.select_related(*citer.select_related)
        rows = [
            (citer.describe(obj), citer.url(obj) if citer.url else "")
            for obj in visible.order_by("pk")[:limit]
        ]
        groups.append(CitationGroup(citer.label, rows, max(total - len(rows), 0)))
    return groups
