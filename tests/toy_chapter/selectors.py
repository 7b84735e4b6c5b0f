"""Who may see which trips: every list, admin page and export uses this."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.selectors import subjects_reached, waiting_for
from bureau.access import has_role, person_of
from bureau.scoping import in_charge_q, sees_everyone
from tests.toy_chapter.models import Trip
from tests.toy_chapter.setup import DISPATCHER


def is_dispatcher(user) -> bool:
    return has_role(user, DISPATCHER)


def with_chain(queryset: QuerySet) -> QuerySet:
    """Trips with their approvals and steps, in a constant number of queries."""
    return queryset.select_related("person", "person__section").prefetch_related(
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


def trips_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """- the director, an administrator and the dispatcher (who dispatches every
      car, VEH-1) see all;
    - a person sees their own trips, the trips whose approval reached them (as
      approver or today's stand-in), and the trips of the people in their charge
      (section head → section, unit head → unit, deputy → sections and units in
      charge).
    """
    if sees_everyone(user) or is_dispatcher(user):
        return Trip.objects.all()
    person = person_of(user)
    if person is None:
        return Trip.objects.none()
    return Trip.objects.filter(
        Q(person=person)
        | Q(pk__in=subjects_reached(user, Trip, on=on, exclude_own=True))
        | in_charge_q(user, on=on, prefix="person__")
    )


def waiting_for_me(user, on: datetime.date) -> QuerySet:
    """Trips whose current step waits for this user (as approver or today's
    stand-in): the desk, its panel and the decide page's scope."""
    person = person_of(user)
    if person is None:
        return Trip.objects.none()
    waiting = waiting_for(person, on).filter(
        content_type=ContentType.objects.get_for_model(Trip)
    )
    return Trip.objects.filter(pk__in=waiting.values("object_id"))
