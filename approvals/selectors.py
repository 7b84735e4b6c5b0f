"""Reads of the approval engine: what waits for whom, what a user may see."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from approvals.chains import Action
from approvals.models import ApprovalRequest, ApprovalStep, Notification
from bureau.access import is_administrator, person_of
from bureau.models import ActingAssignment, Person, Role
from bureau.resolver import stand_in_for


def principals_of(person, on: datetime.date) -> list[int]:
    """People for whom `person` stands in on `on` (ORG-2)."""
    if person is None:
        return []
    cache = _principals_cache(person)
    if on not in cache:
        cache[on] = list(_principals_query(person, on))
    return cache[on]


def _principals_cache(person) -> dict:
    return person.__dict__.setdefault("_principals_of", {})


def _principals_query(person, on: datetime.date) -> QuerySet:
    return ActingAssignment.objects.filter(
        stand_in=person, starts_on__lte=on, ends_on__gte=on
    ).values_list("principal_id", flat=True)


def pending_steps_for(person, on: datetime.date) -> QuerySet:
    """Steps waiting for this person's decision, as approver or stand-in today.

    Served by the (approver, status) index: one range scan per approver.
    """
    if person is None:
        return ApprovalStep.objects.none()
    ids = [person.pk, *principals_of(person, on)]
    return ApprovalStep.objects.filter(
        approver_id__in=ids, status=ApprovalStep.Status.PENDING
    ).exclude(request__requester_id=person.pk)


def waiting_for(person, on: datetime.date) -> QuerySet:
    """Approval requests waiting for this person's decision."""
    return ApprovalRequest.objects.filter(
        pk__in=pending_steps_for(person, on).values("request_id"),
        status=ApprovalRequest.Status.PENDING,
    )


def waiting_for_county() -> QuerySet:
    """Requests whose current step is a county decision to record."""
    return ApprovalRequest.objects.filter(
        pk__in=ApprovalStep.objects.filter(
            action=Action.EXTERNAL, status=ApprovalStep.Status.PENDING
        ).values("request_id"),
        status=ApprovalRequest.Status.PENDING,
    )


def waiting_for_meeting() -> QuerySet:
    """Requests whose current step is a meeting's decision to record."""
    return ApprovalRequest.objects.filter(
        pk__in=ApprovalStep.objects.filter(
            action=Action.MEETING, status=ApprovalStep.Status.PENDING
        ).values("request_id"),
        status=ApprovalRequest.Status.PENDING,
    )


def may_decide(step: ApprovalStep, person: Person | None, on: datetime.date):
    """(allowed, acting_for): the step's approver, or their stand-in on `on` (ORG-2)."""
    if person is None or step.approver_id is None:
        return False, None
    if step.approver_id == person.pk:
        return True, step.acting_for
    stand_in = stand_in_for(step.approver, on)
    if stand_in is not None and stand_in.pk == person.pk:
        return True, step.approver
    return False, None


def can_record_external(user) -> bool:
    """The comprehensive section's document clerk enters the county's decisions."""
    person = person_of(user)
    return person is not None and person.has_role(Role.DOCUMENT_CLERK)


def can_record_meeting(user) -> bool:
    """Whoever holds the permission (the document clerk, who keeps the minutes)."""
    return person_of(user) is not None and user.has_perm(
        "approvals.record_meeting_approvalrequest"
    )


def current_approval_of(subject) -> ApprovalRequest | None:
    """The subject's current approval: its highest round (None: never submitted)."""
    return (
        ApprovalRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
        )
        .order_by("-round")
        .first()
    )


def requests_visible_to(
    user, subject_model, on: datetime.date | None = None
) -> QuerySet:
    """The approval requests of one subject type that `user` may see (the engine's
    scope, below): a chapter's selector builds on it instead of copying leave's."""
    return approval_requests_visible_to(user, on=on).filter(
        content_type=ContentType.objects.get_for_model(subject_model)
    )


def subjects_reached(
    user, subject_model, on: datetime.date | None = None, *, exclude_own=False
) -> QuerySet:
    """Ids of `subject_model` records whose approval `user` may see, for a chapter's
    "what may this user see": `Q(pk__in=subjects_reached(user, Trip))`.
    `exclude_own`: leave out the user's own requests (when the chapter adds them by
    its own field, e.g. `Q(person=person)`, which its indexes serve better)."""
    requests = requests_visible_to(user, subject_model, on=on)
    if exclude_own:
        person = person_of(user)
        if person is not None:
            requests = requests.exclude(requester=person)
    return requests.values("object_id")


def approval_requests_visible_to(
    user, on: datetime.date | None = None, *, within=None
) -> QuerySet:
    """Every list, admin page and export of approval requests goes through here.

    `within`: only among these request ids (a window of the list in its order,
    bureau.admin_keyset): each way of being involved is then looked up by request
    id, so a window costs the same at a million requests as at a thousand.

    - an administrator sees all;
    - a person sees their own requests, and those whose chain reached them (as
      approver, the principal of an acting approver, or the one who decided);
    - the document clerk also sees requests with a county step or a meeting step
      (to record their decisions).
    Nobody else: a section head never sees another section's requests.
    """
    if is_administrator(user):
        everything = ApprovalRequest.objects.all()
        return everything if within is None else everything.filter(pk__in=within)
    person = person_of(user)
    if person is None:
        return ApprovalRequest.objects.none()
    # A UNION of index lookups (one per way of being involved), not an OR of
    # subqueries: with a million requests PostgreSQL runs a large OR-ed IN
    # subquery per row (minutes); the union is hashed once (seconds at worst).
    reached = [ApprovalStep.Status.PENDING, ApprovalStep.Status.DONE]
    steps = ApprovalStep.objects.order_by()
    parts = [
        ApprovalRequest.objects.order_by().filter(requester=person).values("pk"),
        steps.filter(approver=person, status__in=reached).values("request_id"),
        steps.filter(acting_for=person, status__in=reached).values("request_id"),
        steps.filter(decided_by=person).values("request_id"),
    ]
    if on is not None and within is not None and on not in _principals_cache(person):
        # A few ticked or listed requests: the stand-in's principals looked up
        # inside the same query (no query of their own before it).
        parts.append(
            steps.filter(
                approver_id__in=_principals_query(person, on),
                status=ApprovalStep.Status.PENDING,
            ).values("request_id")
        )
    elif on is not None:
        principals = principals_of(person, on)
        if principals:
            parts.append(
                steps.filter(
                    approver_id__in=principals, status=ApprovalStep.Status.PENDING
                ).values("request_id")
            )
    if person.has_role(Role.DOCUMENT_CLERK):
        # County decisions and meeting decisions: the clerk records both.
        parts.append(
            steps.filter(action__in=[Action.EXTERNAL, Action.MEETING]).values(
                "request_id"
            )
        )
    if within is not None:
        parts = [parts[0].filter(pk__in=within)] + [
            part.filter(request_id__in=within) for part in parts[1:]
        ]
    return ApprovalRequest.objects.filter(pk__in=parts[0].union(*parts[1:]))


def notifications_for(user) -> QuerySet:
    person = person_of(user)
    if person is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=person)


def unread_count(user) -> int:
    """The user's unread notifications (the count beside 通知 in the menu)."""
    return notifications_for(user).filter(read_at__isnull=True).count()
