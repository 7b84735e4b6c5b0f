"""Who may see which leave requests; every list, admin page and form uses this."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.selectors import approval_requests_visible_to
from bureau.access import is_administrator, person_of
from bureau.models import Role
from leave.models import LeaveRequest


def with_chain(queryset: QuerySet) -> QuerySet:
    """Leave with its approval and steps, in a constant number of queries."""
    return queryset.select_related(
        "person", "person__section", "person__unit"
    ).prefetch_related(
        Prefetch(
            "approvals",
            queryset=ApprovalRequest.objects.prefetch_related(
                Prefetch(
                    "steps",
                    queryset=ApprovalStep.objects.select_related(
                        "approver", "acting_for", "decided_by"
                    ).order_by("order"),
                )
            ),
        )
    )


def leave_requests_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """- an administrator sees all;
    - a person sees their own leave and the leave whose approval reached them;
    - the attendance clerk also sees approved leave (to file it, LV-10).
    """
    if is_administrator(user):
        return LeaveRequest.objects.all()
    person = person_of(user)
    if person is None:
        return LeaveRequest.objects.none()
    content_type = ContentType.objects.get_for_model(LeaveRequest)
    reached = (
        approval_requests_visible_to(user, on=on)
        .filter(content_type=content_type)
        .exclude(requester=person)
        .values("object_id")
    )
    visible = Q(person=person) | Q(pk__in=reached)
    if person.has_role(Role.ATTENDANCE_CLERK):
        visible |= Q(status=LeaveRequest.Status.APPROVED)
    return LeaveRequest.objects.filter(visible)


def my_requests(person) -> QuerySet:
    return with_chain(LeaveRequest.objects.filter(person=person))
