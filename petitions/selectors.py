"""Who may see which petitions, and who may see a petitioner's identity (PET-7).

- the case (its matter, masked): the petition officer, the director and the
  administrator (everything); the case's handler, the head and the deputy in charge
  of its handling section, its owning leader (包案), and whoever an extension's
  approval reached;
- the identity, the full report, witnesses' statements and the letter's scan: only
  the petition officer, the case's handlers (the handler and the head of the
  handling section) and its owning leader — never the director as such, never an
  administrator, never a section head outside the case;
- the member of staff a petition is about sees neither, whatever else they are;
- DOC-6: a colleague who has acknowledged a handover of the handler's matters is
  a handler of the handler's open cases while the handover is in force (the case
  and the identity; every view of the identity is logged like anyone's, PET-7).

Every list, page, export, admin queryset and attachment download asks here.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from approvals.selectors import subjects_reached
from bureau.access import has_role, is_administrator, person_of
from bureau.models import Person, Position, Role
from bureau.scoping import sees_everyone
from deadlines.models import Deadline
from handovers.selectors import covers, handed_over_to
from meetings.models import Meeting
from petitions import rules
from petitions.models import (
    CASE_KINDS,
    CONCLUDE,
    DECIDE,
    EXTENDED,
    HIGHER,
    REREVIEW_WINDOW,
    REVIEW_WINDOW,
    Case,
    Extension,
    Identity,
    IdentityAccess,
    Reception,
    ReceptionDay,
    WorkRecord,
)

OPEN_CLOCKS = (DECIDE, CONCLUDE, EXTENDED, HIGHER)
WINDOWS = (REVIEW_WINDOW, REREVIEW_WINDOW)
ALL_KINDS = CASE_KINDS + (EXTENDED, REREVIEW_WINDOW)


def is_officer(user) -> bool:
    return has_role(user, Role.PETITION_OFFICER)


def reads_access_log(user) -> bool:
    """PET-7: the director and the discipline inspector (and the administrator)
    read who saw which identity."""
    return (
        is_administrator(user)
        or has_role(user, Role.DIRECTOR)
        or has_role(user, Role.DISCIPLINE_INSPECTOR)
    )


def is_leader(person) -> bool:
    return person is not None and person.position in (
        Position.DIRECTOR,
        Position.DEPUTY,
    )


def _not_about(queryset: QuerySet, person, prefix: str = "") -> QuerySet:
    if person is None:
        return queryset
    return queryset.exclude(**{f"{prefix}identity__subject": person})


def cases_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    person = person_of(user)
    if is_officer(user) or sees_everyone(user):
        return _not_about(Case.objects.all(), person)
    if person is None:
        return Case.objects.none()
    extensions = Extension.objects.filter(
        pk__in=subjects_reached(user, Extension, on=on)
    ).values("case_id")
    visible = Case.objects.filter(
        Q(handler=person)
        | Q(section__head=person)
        | Q(section__deputy_in_charge=person)
        | Q(owner=person)
        | Q(pk__in=extensions)
        | _handed_over_q(person, on or timezone.localdate())
    )
    return _not_about(visible, person)


# DOC-6: the cases a handover hands over are the handler's open ones (as listed
# by petitions.handover).
DONE = [Case.Status.CLOSED, Case.Status.MERGED]


def _handed_over_q(person, on: datetime.date, prefix: str = "") -> Q:
    """DOC-6: the open cases of the handlers whose matters `person` has taken
    over on `on` (one subquery)."""
    return Q(**{f"{prefix}handler_id__in": handed_over_to(person, on)}) & ~Q(
        **{f"{prefix}status__in": DONE}
    )


def _handles_q(person, prefix: str = "", on: datetime.date | None = None) -> Q:
    return (
        Q(**{f"{prefix}handler": person})
        | Q(**{f"{prefix}section__head": person, f"{prefix}by_township": False})
        | Q(**{f"{prefix}owner": person})
        | _handed_over_q(person, on or timezone.localdate(), prefix)
    )


def identities_visible_to(user) -> QuerySet:
    """The identities (and through them the statements and the letter's scan) the
    user may see."""
    person = person_of(user)
    if person is None:
        return Identity.objects.none()
    if is_officer(user):
        found = Identity.objects.all()
    else:
        found = Identity.objects.filter(_handles_q(person, "case__"))
    return found.exclude(subject=person)


def may_see_identity(user, case: Case) -> bool:
    """The same answer as identities_visible_to, from the case's loaded fields
    (the case's identity and section loaded: no query)."""
    person = person_of(user)
    if person is None:
        return False
    identity = getattr(case, "identity", None)
    if identity is not None and identity.subject_id == person.pk:
        return False
    if is_officer(user):
        return True
    return (
        person.pk in (case.handler_id, case.owner_id)
        or (
            not case.by_township
            and case.section_id is not None
            and case.section.head_id == person.pk
        )
        or covers_handler(person, case)
    )


def covers_handler(person, case: Case, on: datetime.date | None = None) -> bool:
    """DOC-6: `person` took over the matters of the case's handler, by a handover
    in force on `on`, and the case is open: they handle it for the period. One
    query, asked only when the loaded fields have not answered already."""
    if person is None or case.handler_id is None or case.status in DONE:
        return False
    return covers(person, case.handler_id, on or timezone.localdate())


def may_handle(user, case: Case) -> bool:
    """Decide, conclude, ask for an extension: the handler or the head of the
    handling section; for a township's case, the officer enters its answers."""
    person = person_of(user)
    if person is None:
        return False
    if getattr(case, "identity", None) and case.identity.subject_id == person.pk:
        return False
    if case.by_township:
        return is_officer(user)
    return person.pk == case.handler_id or (
        case.section_id is not None and case.section.head_id == person.pk
    )


def may_object(user, case: Case) -> bool:
    """The receiver of a routing objects to it (a township's objection is entered
    by the officer)."""
    return may_handle(user, case)


def with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "category", "township", "section__head", "handler", "owner", "officer"
    )


def _next_due():
    return Subquery(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id=OuterRef("pk"),
            state=Deadline.State.OPEN,
            kind__in=OPEN_CLOCKS,
        )
        .order_by("due_date")
        .values("due_date")[:1]
    )


def open_list(user, on: datetime.date) -> QuerySet:
    """The open cases the user may see, the next due clock on each, overdue first
    (the soonest due first, cases without a running clock last)."""
    return (
        with_details(cases_visible_to(user, on=on))
        .exclude(status__in=[Case.Status.CLOSED, Case.Status.MERGED])
        .annotate(next_due=_next_due())
        .order_by("next_due", "received_on", "pk")
    )


def deadlines_of(case: Case) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
        ).order_by("pk")
    )


def deadline_of(case: Case, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        kind=kind,
    ).first()


def likely_duplicates(case: Case, window_days: int) -> QuerySet:
    """PET-1: other open cases from the same petitioner (ID number), or from the
    same phone about the same category, received within the window."""
    identity = getattr(case, "identity", None)
    if identity is None or not (identity.id_number or identity.phone):
        return Case.objects.none()
    match = Q()
    if identity.id_number:
        match |= Q(identity__id_number=identity.id_number)
    if identity.phone:
        match |= Q(identity__phone=identity.phone, category_id=case.category_id)
    span = datetime.timedelta(days=window_days)
    return (
        Case.objects.filter(match)
        .filter(
            received_on__gte=case.received_on - span,
            received_on__lte=case.received_on + span,
        )
        .exclude(pk=case.pk)
        .exclude(status__in=[Case.Status.MERGED])
        .select_related("category")
        .order_by("received_on", "pk")
    )


def bureau_leaders() -> QuerySet:
    """The director and the deputies, in a stable order (the rota's turn)."""
    return Person.objects.filter(
        is_active=True, position__in=[Position.DIRECTOR, Position.DEPUTY]
    ).order_by("-position", "pk")


def rota(start: datetime.date, end: datetime.date) -> QuerySet:
    return ReceptionDay.objects.filter(date__gte=start, date__lte=end).select_related(
        "leader", "swapped_from"
    )


def receptions_visible_to(user) -> QuerySet:
    """PET-6/PET-7: who came is confidential: the officer sees every reception,
    a leader the receptions of their own days."""
    if is_officer(user):
        return Reception.objects.select_related("day", "case")
    person = person_of(user)
    if person is None:
        return Reception.objects.none()
    return Reception.objects.filter(day__leader=person).select_related("day", "case")


def pet8_counts(start: datetime.date, end: datetime.date, meeting_kind: str) -> dict:
    """PET-8: the half-year's work by kind; a held meeting of the petition work
    kind in meetings/ counts as the meeting even if nobody recorded it here."""
    counts = dict(
        WorkRecord.objects.filter(held_on__gte=start, held_on__lte=end)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    held = Meeting.objects.filter(
        kind__code=meeting_kind,
        status=Meeting.Status.HELD,
        held_on__gte=start,
        held_on__lte=end,
    ).exclude(
        pk__in=WorkRecord.objects.filter(meeting__isnull=False).values("meeting_id")
    )
    counts["meeting"] = counts.get("meeting", 0) + held.count()
    return counts


def work_records(start: datetime.date) -> QuerySet:
    return WorkRecord.objects.filter(held_on__gte=start).select_related("meeting")


def petition_officers() -> QuerySet:
    return Person.objects.filter(
        is_active=True, user__groups__name=Role.PETITION_OFFICER
    ).order_by("pk")


def access_log_visible_to(user) -> QuerySet:
    if not reads_access_log(user):
        return IdentityAccess.objects.none()
    # A reader the petition is about does not learn of it from the log either.
    return _not_about(
        IdentityAccess.objects.select_related("case"), person_of(user), "case__"
    )


def case_by_query_code(code: str) -> Case | None:
    digest = rules.hash_query_code(code)
    if not code or not code.strip():
        return None
    return (
        Case.objects.filter(query_code_hash=digest)
        .select_related("merged_into")
        .first()
    )


def cases_owned_by(person, limit: int = 10) -> list[Case]:
    """PET-6: the owning leader's open cases for the home page (no names)."""
    return list(
        Case.objects.filter(owner=person)
        .exclude(status__in=[Case.Status.CLOSED, Case.Status.MERGED])
        .exclude(identity__subject=person)
        .select_related("category")
        .annotate(next_due=_next_due())
        .order_by("next_due", "pk")[:limit]
    )


def overdue_count(today) -> int:
    """How many cases have a clock past its due date (one query)."""
    return (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            state=Deadline.State.OPEN,
            kind__in=OPEN_CLOCKS,
            due_date__lt=today,
        )
        .values("object_id")
        .distinct()
        .count()
    )


def has_overdue(case_ids, today) -> set[int]:
    return set(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id__in=list(case_ids),
            state=Deadline.State.OPEN,
            kind__in=OPEN_CLOCKS,
            due_date__lt=today,
        ).values_list("object_id", flat=True)
    )
