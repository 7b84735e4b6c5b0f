"""The clerk's units, one vocabulary for every chapter: an attendance clerk with
ClerkAssignment rows keeps only those units (their attendance, their leave); a clerk
with none keeps every unit (the comprehensive section's clerk), as does an
administrator. Attendance and leave both scope their clerks through here, so a
chapter never asks another chapter who a clerk keeps."""

from __future__ import annotations

from django.db.models import Q

from bureau.access import has_role, is_administrator, person_of
from bureau.models import ClerkAssignment, Role

NOTHING = Q(pk__in=[])


def is_clerk(user) -> bool:
    """An attendance clerk (of some units or all) or an administrator."""
    return is_administrator(user) or has_role(user, Role.ATTENDANCE_CLERK)


def clerk_unit_ids(user) -> frozenset | None:
    """The one answer to "which units does this clerk keep": None = every unit (an
    administrator, or an attendance clerk with no ClerkAssignment, like the
    comprehensive section's clerk); else the assigned units' ids. Not a clerk: the
    empty set. One query, remembered on the user for the request."""
    if not is_clerk(user):
        return frozenset()
    if is_administrator(user):
        return None
    cached = getattr(user, "_clerk_unit_ids", False)
    if cached is not False:
        return cached
    person = person_of(user)
    ids = (
        frozenset(
            ClerkAssignment.objects.filter(person=person).values_list(
                "unit_id", flat=True
            )
        )
        if person is not None
        else frozenset()
    )
    result = ids or (None if person is not None else frozenset())
    user._clerk_unit_ids = result
    return result


def keeps_all_units(user) -> bool:
    """A clerk who keeps every unit: the bureau-wide work (study sessions, closing
    and reopening a month, filing bureau leaders' leave) is theirs."""
    return is_clerk(user) and clerk_unit_ids(user) is None


def clerk_keeps(user, person) -> bool:
    """Whether this clerk keeps the person (their unit is kept)."""
    units = clerk_unit_ids(user)
    return units is None or person.unit_id in units


def clerk_people_scope(user, prefix: str = "") -> Q:
    """A Q over Person (with `prefix`, e.g. "person__") of the people this clerk
    keeps: their units, or everyone for the all-units clerk; nobody for a user who
    is not a clerk."""
    units = clerk_unit_ids(user)
    if units is None:
        return Q()
    if not units:
        return NOTHING
    return Q(**{f"{prefix}unit_id__in": sorted(units)})
