"""Who sees which handover (DOC-6): the person handing over, the colleague named,
and those in charge of the person (the section head sees the unacknowledged ones
of the section, ORG-1); the director and the administrator all."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from bureau.access import person_of
from bureau.scoping import Scope
from handovers.models import Handover

SCOPE = Scope()


def handovers_visible_to(user) -> QuerySet:
    if SCOPE.sees_everyone(user):
        # Not `Q() | …`: an empty Q combined with OR is dropped, not "everything".
        return Handover.objects.all()
    person = person_of(user)
    if person is None:
        return Handover.objects.none()
    return Handover.objects.filter(SCOPE.q(user, "person__") | Q(colleague=person))


def handover_list(user, *, status=None) -> QuerySet:
    rows = handovers_visible_to(user).select_related(
        "person", "person__section", "colleague", "subject_type"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def waiting_for(person) -> QuerySet:
    """Handovers waiting for this colleague to acknowledge (交接给我的事项)."""
    return (
        Handover.objects.filter(colleague=person, status=Handover.Status.WAITING)
        .select_related("person")
        .order_by("start_date", "pk")
    )


def waiting_in_charge(user) -> QuerySet:
    """Unacknowledged handovers of the people in the user's charge (not their
    own): what a section head follows up."""
    person = person_of(user)
    rows = Handover.objects.filter(
        SCOPE.q(user, "person__"), status=Handover.Status.WAITING
    )
    if person is not None:
        rows = rows.exclude(person=person).exclude(colleague=person)
    return rows.select_related("person", "colleague").order_by("start_date", "pk")


def handover_of(subject) -> Handover | None:
    """The live handover of a record (a leave request), if any."""
    return (
        Handover.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
        )
        .exclude(status=Handover.Status.CANCELLED)
        .select_related("colleague")
        .first()
    )


# --- what a handover hands over (DOC-6) ------------------------------------------------


def in_force_q(on: datetime.date, prefix: str = "") -> Q:
    """DOC-6: a handover the colleague has acknowledged whose period covers `on`.

    Acknowledged before its start, it counts from its first day; acknowledged
    after the period started, from the acknowledgement (until then it was
    waiting) — never for days already past. It ends with its last day; a
    cancelled one (its leave refused or withdrawn, the trip called off) gives
    nothing."""
    return Q(
        **{
            f"{prefix}status": Handover.Status.ACKNOWLEDGED,
            f"{prefix}start_date__lte": on,
            f"{prefix}end_date__gte": on,
        }
    )


def handed_over_to(person, on: datetime.date) -> QuerySet:
    """The ids of the people whose matters `person` has taken over on `on`, as a
    subquery: each chapter's selector widens its visibility with
    `Q(<person field>__in=handed_over_to(person, on))`, one query whatever the
    number of rows (`set(...)` evaluates it)."""
    if person is None:
        return Handover.objects.none().values_list("person_id", flat=True)
    return Handover.objects.filter(in_force_q(on), colleague=person).values_list(
        "person_id", flat=True
    )


def covers(colleague, person_id, on: datetime.date) -> bool:
    """Does `colleague` stand in for the person's matters on `on` (DOC-6)?"""
    if colleague is None or person_id is None or colleague.pk == person_id:
        return False
    return handed_over_to(colleague, on).filter(person_id=person_id).exists()


def taken_over_by(person, on: datetime.date) -> QuerySet:
    """The handovers `person` has acknowledged that are in force on `on`."""
    return (
        Handover.objects.filter(in_force_q(on), colleague=person)
        .select_related("person")
        .order_by("end_date", "pk")
    )
