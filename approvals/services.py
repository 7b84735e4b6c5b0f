"""Every change of an approval request's state (submit, decide, withdraw, record).

Each service runs in a transaction, locks the request row, checks the move, saves
with history and schedules e-mail after commit. The subject app hears the outcome
through its registered hook (approvals.hooks), inside the same transaction, and a
step's own hook (approvals.hooks.register_step_hook) when that step is decided.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from approvals import notify
from approvals.chains import (
    DECIDING,
    RECORDED,
    Action,
    ResolvedStep,
    resolve_chain,
    validate_chain,
)
from approvals.hooks import (
    hooks_for,
    label_of,
    meeting_decisions_visible_to,
    step_hook_for,
)
from approvals.models import ApprovalRequest, ApprovalStep
from approvals.selectors import can_record_external, can_record_meeting, may_decide
from bureau.access import person_of
from bureau.history_sql import update_with_history
from bureau.models import Person
from bureau.params import LONG_TEXT, clean_text, validate_date_in_bounds


class ApprovalError(Exception):
    """A move the rules do not allow; the message is for the user."""


POSITIVE = {"agree", "approve", "agreed", "approved"}
REFUSE = {"refuse", "refused"}
# The decisions a decider's form may send (its two buttons).
DECISIONS = ("approve", "refuse")


def _check_input(*, comment: str, decided_on=None) -> None:
    """A comment of a bounded length and a date within the bureau's bounds, before
    anything is locked or written (bureau.params)."""
    try:
        clean_text(comment, max_length=LONG_TEXT)
        validate_date_in_bounds(decided_on)
    except ValidationError as exc:
        raise ApprovalError(exc.messages[0]) from None


def _history_user(obj, user):
    if user is not None and getattr(user, "pk", None):
        obj._history_user = user
    return obj


def approval_preview(
    *, requester: Person, chain: list[dict] | dict, on: datetime.date
) -> list[ResolvedStep]:
    """The chain resolved to names, without writing anything (the preview page)."""
    try:
        validate_chain(chain)
    except ValueError as exc:
        raise ApprovalError(str(exc)) from exc
    return resolve_chain(requester, chain, on)


def approval_submit(
    *,
    subject,
    requester: Person,
    chain: list[dict] | dict,
    by,
    kind: str,
    summary: str,
    chain_policy_id: int | None = None,
    on: datetime.date | None = None,
    resolved: list[ResolvedStep] | None = None,
) -> ApprovalRequest:
    """Route `subject` through `chain`, resolved to people on day `on` (default today).

    `resolved`: the chain as already resolved by `approval_preview` for the same
    requester and day (saves resolving it twice when the caller showed a preview).
    A subject approved, refused or withdrawn before may be submitted again: the new
    approval is the next round and becomes the current one; while one is pending,
    another is refused (lock the subject's row first when two may submit at once).
    """
    on = on or timezone.localdate()
    if resolved is None:
        resolved = approval_preview(requester=requester, chain=chain, on=on)
    content_type = ContentType.objects.get_for_model(subject)
    last = None
    if not subject.__dict__.pop("_no_approval_yet", False):
        last = (
            ApprovalRequest.objects.filter(
                content_type=content_type, object_id=subject.pk
            )
            .order_by("-round")
            .values_list("round", "status")
            .first()
        )
    if last is not None and last[1] == ApprovalRequest.Status.PENDING:
        raise ApprovalError(_("This record is already waiting for a decision."))
    now = timezone.now()
    steps = [
        ApprovalStep(
            order=r.order,
            action=r.action,
            relation=r.relation,
            external_role=r.external_role,
            approver=r.approver,
            acting_for=r.acting_for,
            merged=",".join(r.merged),
            hook=r.hook,
        )
        for r in resolved
    ]
    # No savepoint: a subject app calls this inside its own transaction, and a
    # failure here must roll the subject back with it anyway.
    with transaction.atomic(savepoint=False):
        request = ApprovalRequest(
            content_type=content_type,
            object_id=subject.pk,
            round=last[0] + 1 if last is not None else 1,
            kind=kind,
            summary=summary[:200],
            requester=requester,
            chain_policy_id=chain_policy_id,
            submitted_at=now,
        )
        messages = _advance(request, steps, start=0, now=now)
        _history_user(request, by)
        request.save()
        for step in steps:
            step.request = request
        bulk_create_with_history(
            steps, ApprovalStep, default_user=by if getattr(by, "pk", None) else None
        )
        if request.status != ApprovalRequest.Status.PENDING:
            _outcome(request)
        notify.send(messages, request)
    return request


def _advance(request, steps, *, start: int, now) -> list:
    """Move to the next deciding step from index `start`, passing "inform" steps
    and the steps recorded as acknowledged only (EndOfChain.ACKNOWLEDGED).

    Works on unsaved or saved steps alike; returns the notifications to send and
    leaves the changed steps for the caller to save. Finishing the chain approves.
    """
    messages = []
    for step in steps[start:]:
        if step.action == Action.INFORM:
            step.status = ApprovalStep.Status.DONE
            step.decision = ApprovalStep.Decision.INFORMED
            step.decided_at = now
            messages.append(("inform", step))
            continue
        if step.action == Action.ACKNOWLEDGE:
            step.status = ApprovalStep.Status.DONE
            step.decision = ApprovalStep.Decision.ACKNOWLEDGED
            step.decided_at = now
            continue
        step.status = ApprovalStep.Status.PENDING
        request.current_order = step.order
        messages.append(("decide", step))
        return messages
    request.status = ApprovalRequest.Status.APPROVED
    request.current_order = None
    request.finished_at = now
    messages.append(("outcome", None))
    return messages


def _outcome(request: ApprovalRequest) -> None:
    hooks = hooks_for(
        label_of(ContentType.objects.get_for_id(request.content_type_id).model_class())
    )
    if hooks is not None:
        hooks.on_outcome(request, request.status)


def _locking(queryset):
    # The requester's login too (their e-mail address, approvals.notify); the rows
    # locked stay the request's and the requester's.
    return queryset.select_for_update(of=("self", "requester")).select_related(
        "requester__user"
    )


def lock_for_decision(queryset) -> list[ApprovalRequest]:
    """The requests of `queryset` (e.g. the ticked ones within a user's scope),
    read and locked in one query, in id order, inside the caller's transaction:
    deciding each then reads only its steps (issue 17: the scope check and the lock
    are one statement)."""
    atomic = transaction.get_connection().atomic_blocks
    if not atomic:
        raise transaction.TransactionManagementError(
            "lock_for_decision() must be called inside the transaction that decides."
        )
    requests = list(_locking(queryset).order_by("pk"))
    for request in requests:
        request._locked_in = atomic[0]
    return requests


def _lock(request) -> tuple[ApprovalRequest, list[ApprovalStep]]:
    atomic = transaction.get_connection().atomic_blocks
    if (
        isinstance(request, ApprovalRequest)
        and atomic
        and getattr(request, "_locked_in", None) is atomic[0]
    ):
        # Locked by lock_for_decision in this very transaction.
        locked = request
    else:
        pk = request.pk if isinstance(request, ApprovalRequest) else request
        locked = _locking(ApprovalRequest.objects).get(pk=pk)
    steps = list(
        locked.steps.select_related("approver__user", "acting_for").order_by("order")
    )
    return locked, steps


def _current(request, steps) -> tuple[int, ApprovalStep]:
    for index, step in enumerate(steps):
        if step.order == request.current_order:
            return index, step
    raise ApprovalError(_("This request is not waiting for a decision."))


def _run_step_hook(request, step, *, by, data) -> None:
    """The step's hook, if it has one, inside the deciding transaction (may refuse)."""
    if not step.hook:
        return
    model = ContentType.objects.get_for_id(request.content_type_id).model_class()
    hook = step_hook_for(label_of(model), step.hook)
    if hook is None:
        raise ApprovalError(
            _("This step cannot be decided now: its action is not available.")
        )
    hook(approval=request, step=step, decision=step.decision, data=data or {}, by=by)


def _finish(request, steps, index, outcome, now, by) -> list[ApprovalStep]:
    request.status = outcome
    request.current_order = None
    request.finished_at = now
    changed = []
    for step in steps[index + 1 :]:
        if step.status == ApprovalStep.Status.WAITING:
            step.status = ApprovalStep.Status.CANCELLED
            changed.append(step)
    return changed


def _conclude_recorded(request, steps, index, *, decision, now, by, data) -> list:
    """A step decided outside the bureau's desks (a county decision, a meeting's)
    and recorded: refused ends the request; otherwise it counts as agreed when a
    deciding step follows, as approved when it is the last. Runs the step's hook and
    saves the steps; returns the notifications to send."""
    step = steps[index]
    changed = [step]
    if decision in REFUSE:
        step.decision = ApprovalStep.Decision.REFUSED
        changed += _finish(
            request, steps, index, ApprovalRequest.Status.REFUSED, now, by
        )
        messages = [("outcome", None)]
    else:
        later = [s for s in steps[index + 1 :] if s.action in DECIDING]
        step.decision = (
            ApprovalStep.Decision.AGREED if later else ApprovalStep.Decision.APPROVED
        )
        messages = _advance(request, steps, start=index + 1, now=now)
        changed += [
            s for s in steps[index + 1 :] if s.status != ApprovalStep.Status.WAITING
        ]
    _run_step_hook(request, step, by=by, data=data)
    _save_steps(changed, by)
    return messages


def _save_steps(steps, by):
    for step in steps:
        _history_user(step, by)
        step.full_clean(
            exclude=[
                "request",
                "approver",
                "acting_for",
                "decided_by",
                "meeting_decision_ref",
            ]
        )
        update_with_history(step)


def approval_decide(
    *, request, by, decision: str, comment: str = "", data: dict | None = None
) -> ApprovalRequest:
    """The current step's approver (or stand-in) agrees/approves or refuses.

    `data`: the decision's extra data, for the step's hook (e.g. the car assigned).
    """
    decision = (decision or "").lower()
    if decision not in POSITIVE | REFUSE:
        raise ApprovalError(_("Unknown decision."))
    comment = (comment or "").strip()
    _check_input(comment=comment)
    if decision in REFUSE and not comment:
        raise ApprovalError(_("A refusal needs a reason in the comment."))
    person = person_of(by)
    now = timezone.now()
    with transaction.atomic():
        request, steps = _lock(request)
        if request.status != ApprovalRequest.Status.PENDING:
            raise ApprovalError(
                _("This request is %(status)s already: nothing to decide.")
                % {"status": request.get_status_display()}
            )
        index, step = _current(request, steps)
        if step.action == Action.EXTERNAL:
            raise ApprovalError(
                _("This step is the county's: the comprehensive section records it.")
            )
        if step.action == Action.MEETING:
            raise ApprovalError(
                _("This step is decided by a meeting: its decision is recorded.")
            )
        if person is not None and person.pk == request.requester_id:
            raise ApprovalError(_("Nobody decides their own request (ORG-3)."))
        allowed, acting_for = may_decide(step, person, timezone.localdate())
        if not allowed:
            raise ApprovalError(_("This step is not yours to decide."))
        step.decided_by = person
        step.decided_at = now
        step.comment = comment
        step.status = ApprovalStep.Status.DONE
        if acting_for is not None and step.acting_for_id is None:
            step.acting_for = acting_for
        changed = [step]
        if decision in REFUSE:
            step.decision = ApprovalStep.Decision.REFUSED
            changed += _finish(
                request, steps, index, ApprovalRequest.Status.REFUSED, now, by
            )
            messages = [("outcome", None)]
        else:
            step.decision = (
                ApprovalStep.Decision.APPROVED
                if step.action == Action.APPROVE
                else ApprovalStep.Decision.AGREED
            )
            messages = _advance(request, steps, start=index + 1, now=now)
            changed += [
                s for s in steps[index + 1 :] if s.status != ApprovalStep.Status.WAITING
            ]
        _run_step_hook(request, step, by=by, data=data)
        _save_steps(changed, by)
        _history_user(request, by)
        update_with_history(
            request, update_fields=["status", "current_order", "finished_at"]
        )
        if request.status != ApprovalRequest.Status.PENDING:
            _outcome(request)
        notify.send(messages, request)
    return request


def approval_withdraw(*, request, by, comment: str = "") -> ApprovalRequest:
    """The requester takes the request back, before the final decision."""
    _check_input(comment=comment or "")
    person = person_of(by)
    now = timezone.now()
    with transaction.atomic():
        request, steps = _lock(request)
        if person is None or person.pk != request.requester_id:
            raise ApprovalError(_("Only the requester can withdraw a request."))
        if request.status == ApprovalRequest.Status.WITHDRAWN:
            return request
        if request.status != ApprovalRequest.Status.PENDING:
            raise ApprovalError(
                _("This request is %(status)s already: it cannot be withdrawn.")
                % {"status": request.get_status_display()}
            )
        index, step = _current(request, steps)
        step.status = ApprovalStep.Status.CANCELLED
        step.comment = comment
        changed = [step] + _finish(
            request, steps, index, ApprovalRequest.Status.WITHDRAWN, now, by
        )
        _save_steps(changed, by)
        _history_user(request, by)
        update_with_history(
            request, update_fields=["status", "current_order", "finished_at"]
        )
        _outcome(request)
        notify.send([("withdrawn", step), ("outcome", None)], request)
    return request


def approval_record_external(
    *,
    request,
    by,
    decision: str,
    reference: str,
    decided_on: datetime.date | None = None,
    comment: str = "",
    data: dict | None = None,
) -> ApprovalRequest:
    """Enter a county leader's decision (LV-3, LV-4) with the county's document."""
    decision = (decision or "").lower()
    if decision not in POSITIVE | REFUSE:
        raise ApprovalError(_("Unknown decision."))
    reference = (reference or "").strip()
    if not reference:
        raise ApprovalError(_("Enter the reference of the county's document."))
    _check_input(comment=comment or "", decided_on=decided_on)
    if not can_record_external(by):
        raise ApprovalError(
            _(
                "Only the comprehensive section's document clerk records county decisions."
            )
        )
    person = person_of(by)
    now = timezone.now()
    with transaction.atomic():
        request, steps = _lock(request)
        if request.status != ApprovalRequest.Status.PENDING:
            raise ApprovalError(
                _("This request is %(status)s already: nothing to decide.")
                % {"status": request.get_status_display()}
            )
        index, step = _current(request, steps)
        if step.action != Action.EXTERNAL:
            raise ApprovalError(
                _("The current step is decided in the bureau.")
                if step.action not in RECORDED
                else _("The current step is decided by a meeting.")
            )
        step.decided_by = person
        step.decided_at = now
        step.external_decided_on = decided_on or timezone.localdate()
        step.reference = reference[:100]
        step.comment = comment
        step.status = ApprovalStep.Status.DONE
        messages = _conclude_recorded(
            request, steps, index, decision=decision, now=now, by=by, data=data
        )
        _history_user(request, by)
        update_with_history(
            request, update_fields=["status", "current_order", "finished_at"]
        )
        if request.status != ApprovalRequest.Status.PENDING:
            _outcome(request)
        notify.send(messages, request)
    return request


def _cited_decision(decision_ref, by):
    """The meetings app's decision cited, checked against what `by` may see."""
    if decision_ref in (None, ""):
        return None
    visible = meeting_decisions_visible_to(by)
    if visible is None:
        raise ApprovalError(_("Meeting decisions cannot be cited here."))
    pk = getattr(decision_ref, "pk", decision_ref)
    try:
        return visible.select_related("meeting__kind").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise ApprovalError(
            _(
                "The meeting decision cited does not exist or is not yours to see: "
                "cite a decision from minutes you may read."
            )
        ) from None


def approval_record_meeting(
    *,
    request,
    by,
    decision: str,
    meeting_decision: str = "",
    held_on: datetime.date | None = None,
    comment: str = "",
    data: dict | None = None,
    decision_ref=None,
) -> ApprovalRequest:
    """Enter the meeting's decision on a meeting step, citing it: `decision_ref`, the
    meetings app's decision (or its id) that `by` may see, and/or `meeting_decision`,
    the citation as text (the decision's reference when only the decision is given;
    the meeting's date is the decision's when `held_on` is not given)."""
    decision = (decision or "").lower()
    if decision not in POSITIVE | REFUSE:
        raise ApprovalError(_("Unknown decision."))
    meeting_decision = (meeting_decision or "").strip()
    if not can_record_meeting(by):
        raise ApprovalError(_("You may not record meeting decisions."))
    cited = _cited_decision(decision_ref, by)
    if cited is not None:
        meeting_decision = meeting_decision or cited.citation
        held_on = held_on or cited.held_on
    if not meeting_decision:
        raise ApprovalError(
            _("Cite the meeting's decision (minutes and item, or link).")
        )
    person = person_of(by)
    now = timezone.now()
    with transaction.atomic():
        request, steps = _lock(request)
        if request.status != ApprovalRequest.Status.PENDING:
            raise ApprovalError(
                _("This request is %(status)s already: nothing to decide.")
                % {"status": request.get_status_display()}
            )
        index, step = _current(request, steps)
        if step.action != Action.MEETING:
            raise ApprovalError(_("The current step is not a meeting's decision."))
        if cited is not None and cited.meeting_body != step.relation:
            raise ApprovalError(
                _("The decision cited is not one of the %(body)s.")
                % {"body": step.relation_label}
            )
        step.decided_by = person
        step.decided_at = now
        step.meeting_held_on = held_on or timezone.localdate()
        step.meeting_decision = meeting_decision[:300]
        step.meeting_decision_ref = cited
        step.comment = comment
        step.status = ApprovalStep.Status.DONE
        messages = _conclude_recorded(
            request, steps, index, decision=decision, now=now, by=by, data=data
        )
        _history_user(request, by)
        update_with_history(
            request, update_fields=["status", "current_order", "finished_at"]
        )
        if request.status != ApprovalRequest.Status.PENDING:
            _outcome(request)
        notify.send(messages, request)
    return request
