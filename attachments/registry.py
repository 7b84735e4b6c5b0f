"""Which records may carry attachments, and who may see or add them: each chapter
registers its model once, in its AppConfig.ready():

    from attachments.registry import register_owner

    register_owner(
        "leave.leaverequest",
        visible_to=leave_requests_visible_to,        # (user) -> QuerySet
        may_attach=leave.services.may_attach,        # (user, obj) -> bool, optional
        purposes=[("sick_note", _("Sick note")), ("other", _("Other material"))],
    )

`on_download(request, attachment)`, optional, is called on every download the
scope allowed, before the file is sent (a chapter that must log who read a file).

Every download, list and upload asks `visible_to(user)` whether the record is in the
user's scope (the chapter's own selector: the same answer as its pages and admin).
A model nobody registered has attachments only a superuser reaches. Without
`may_attach`, nobody adds files through the shared pages and admin (the chapter's
own services may still call attachments.services.attachment_add with a user whom
it has checked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Owner:
    label: str  # "app_label.modelname"
    visible_to: Callable[[Any], QuerySet]
    may_attach: Callable[[Any, Model], bool] | None = None
    purposes: tuple[tuple[str, Any], ...] = field(default_factory=tuple)
    # (request, attachment) -> None: called on every download the owner's scope
    # allowed, before the file is sent (PET-7 logs who read a petitioner's letter).
    on_download: Callable[[Any, Any], None] | None = None

    def purpose_label(self, code: str):
        return dict(self.purposes).get(code, code)


_OWNERS: dict[str, Owner] = {}


def label_of(model_or_instance) -> str:
    meta = model_or_instance._meta
    return f"{meta.app_label}.{meta.model_name}"


def register_owner(
    label: str,
    *,
    visible_to: Callable[[Any], QuerySet],
    may_attach: Callable[[Any, Model], bool] | None = None,
    purposes: Iterable[tuple[str, Any]] = (),
    on_download: Callable[[Any, Any], None] | None = None,
) -> Owner:
    owner = Owner(label.lower(), visible_to, may_attach, tuple(purposes), on_download)
    existing = _OWNERS.get(owner.label)
    if existing is not None and existing != owner:
        raise ValueError(f"attachment owner {label!r} is registered twice, differently")
    _OWNERS[owner.label] = owner
    return owner


def unregister_owner(label: str) -> None:
    """Forget an owner: a model registered for a test is taken away again."""
    _OWNERS.pop(label.lower(), None)


def owner_for(model_or_label) -> Owner | None:
    label = (
        model_or_label if isinstance(model_or_label, str) else label_of(model_or_label)
    )
    return _OWNERS.get(label.lower())


def owners() -> list[Owner]:
    return list(_OWNERS.values())
