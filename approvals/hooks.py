"""How a subject app learns the outcome of its approval request.

A chapter registers its subject model once, in its AppConfig.ready():

    from approvals.hooks import register_subject
    register_subject(
        "leave.leaverequest",
        on_outcome=leave.services.leave_on_outcome,   # (approval, outcome) -> None
        url=lambda object_id: reverse("leave:detail", args=[object_id]),
    )

`on_outcome` runs inside the engine's transaction, right after the approval request
row has its final status, so the subject's state changes atomically with the
decision (a failure rolls both back). `outcome` is "approved", "refused" or
"withdrawn". `url(object_id)` is where the requester sees the subject (used in
notifications; it takes the id so that no query is needed). The handler receives the ApprovalRequest; the subject is
`approval.content_type` + `approval.object_id` (lock it with select_for_update).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectHooks:
    label: str  # "app_label.modelname"
    on_outcome: Callable
    url: Callable | None = None


_SUBJECTS: dict[str, SubjectHooks] = {}


def register_subject(
    label: str, *, on_outcome: Callable, url: Callable | None = None
) -> None:
    _SUBJECTS[label.lower()] = SubjectHooks(label.lower(), on_outcome, url)


def hooks_for(label: str) -> SubjectHooks | None:
    return _SUBJECTS.get(label.lower())


def label_of(model_or_instance) -> str:
    meta = model_or_instance._meta
    return f"{meta.app_label}.{meta.model_name}"
