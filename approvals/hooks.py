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

A step of a chain may carry a hook (`{"action": "approve", "who": "dispatcher",
"hook": "assign_car"}`); the subject's chapter registers what it does:

    register_step_hook("vehicles.trip", "assign_car", vehicles.services.trip_assign_car)

The hook is called as `hook(approval=, step=, decision=, data=, by=)` inside the
transaction that decides the step — after the step has its decision ("agreed",
"approved", "refused"), before anything is saved — with `data`, the decision's extra
data (e.g. {"car": 3}). Raising ApprovalError (or the chapter's own domain error)
refuses the decision: nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class SubjectHooks:
    label: str  # "app_label.modelname"
    on_outcome: Callable
    url: Callable | None = None
    # Where a step carrying a hook is decided (the hook needs the chapter's input,
    # e.g. the car): decide_url(object_id) -> the chapter's page. The one inbox
    # links there instead of offering buttons the hook would refuse.
    decide_url: Callable | None = None


_SUBJECTS: dict[str, SubjectHooks] = {}


def register_subject(
    label: str,
    *,
    on_outcome: Callable,
    url: Callable | None = None,
    decide_url: Callable | None = None,
) -> None:
    _SUBJECTS[label.lower()] = SubjectHooks(label.lower(), on_outcome, url, decide_url)


def decide_elsewhere(approval) -> str:
    """The chapter's page where the approval's current step is decided, when that
    step carries a hook and its chapter registered a `decide_url`; "" otherwise
    (decided in the inbox and the admin). Uses prefetched steps."""
    step = approval.current_step()
    if step is None or not step.hook:
        return ""
    ct = ContentType.objects.get_for_id(approval.content_type_id)  # cached
    hooks = hooks_for(f"{ct.app_label}.{ct.model}")
    if hooks is None or hooks.decide_url is None:
        return ""
    return hooks.decide_url(approval.object_id)


_STEP_HOOKS: dict[tuple[str, str], Callable] = {}


def register_step_hook(label: str, name: str, hook: Callable) -> None:
    """Register what `label`'s chapter does when a step naming `name` is decided."""
    key = (label.lower(), name)
    existing = _STEP_HOOKS.get(key)
    if existing is not None and existing is not hook:
        raise ValueError(f"step hook {name!r} of {label!r} is registered twice")
    _STEP_HOOKS[key] = hook


def unregister_step_hook(label: str, name: str) -> None:
    _STEP_HOOKS.pop((label.lower(), name), None)


def step_hook_for(label: str, name: str) -> Callable | None:
    return _STEP_HOOKS.get((label.lower(), name))


def hooks_for(label: str) -> SubjectHooks | None:
    return _SUBJECTS.get(label.lower())


def label_of(model_or_instance) -> str:
    meta = model_or_instance._meta
    return f"{meta.app_label}.{meta.model_name}"


# What another engine shows beside an approval on the deciders' pages (the admin's
# change view and the inbox), e.g. the subject's attachments, so that the decider
# sees the material without leaving the page. A provider is
# `provider(request, approvals) -> {approval_pk: html}` (safe HTML, already scoped
# to request.user), called once per page with all the approvals shown.
_SUBJECT_PANELS: list[Callable] = []


def register_subject_panel(provider: Callable) -> None:
    if provider not in _SUBJECT_PANELS:
        _SUBJECT_PANELS.append(provider)


def unregister_subject_panel(provider: Callable) -> None:
    if provider in _SUBJECT_PANELS:
        _SUBJECT_PANELS.remove(provider)


def subject_panels(request, approvals) -> dict[int, list[str]]:
    """The registered panels of each approval shown: {approval_pk: [html, ...]}."""
    approvals = list(approvals)
    found: dict[int, list[str]] = {a.pk: [] for a in approvals}
    if not approvals:
        return found
    for provider in _SUBJECT_PANELS:
        for pk, html in provider(request, approvals).items():
            if html and pk in found:
                found[pk].append(html)
    return found


# --- meeting decisions cited by a meeting step ----------------------------------------
# The meetings app (an engine beside this one, which imports the engine, never the
# other way round) registers who may see which decision. A meeting step then cites a
# decision by its foreign key (ApprovalStep.meeting_decision_ref); a decision the
# recorder may not see is refused. The decision answers `citation` (its reference),
# `held_on` (its meeting's date) and `meeting_body` (a MeetingBody value).

_MEETING_DECISIONS: list[Callable] = []


def register_meeting_decisions(visible_to: Callable) -> None:
    """`visible_to(user)` -> a QuerySet of the decisions `user` may cite."""
    _MEETING_DECISIONS[:] = [visible_to]


def meeting_decisions_visible_to(user):
    """The decisions `user` may cite, or None when no meetings app registered."""
    if not _MEETING_DECISIONS:
        return None
    return _MEETING_DECISIONS[0](user)
