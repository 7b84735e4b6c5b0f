"""Who is in whose charge: the one scoping vocabulary of every chapter.

"The people in the charge of this person on this day" (ORG-1, ORG-2), read once here:

- a section head: their section; a unit head: their unit;
- a deputy: the people whose deputy in charge they are — the same reading as the
  approval chains' `deputy_in_charge` relation (bureau.resolver): a section's people
  are in the charge of the section's deputy; a unit's people outside such a section
  are in the charge of the unit's deputy; deputies and the director answer to the
  director, whatever unit they sit in;
- the director and the administrator (or a superuser): everyone (`sees_everyone`);
- an attendance clerk, where a chapter counts clerks: the units they keep
  (`ClerkAssignment`), every unit for a clerk without assignments;
- a stand-in (ORG-2), where a chapter counts stand-ins: on the days of an acting
  assignment, the posts of the person stood in for (their section, their unit, the
  sections and units they are in charge of). Not "everyone" for the director's
  stand-in: seeing the whole bureau comes with the office, not with a stand-in's
  week; the decisions the stand-in must take reach them through the approval engine.

A chapter declares how it reads this once, as a `Scope`, and builds every selector
on it:

    from bureau.models import Role
    from bureau.scoping import Scope

    SCOPE = Scope(also={Role.FINANCE_OFFICER})  # the finance officer sees everyone
    def trips_visible_to(user):
        return Trip.objects.filter(SCOPE.q(user, "driver__"))

No function here runs a query that a page does not already run: roles and the
person are remembered on the user, a clerk's units are one query remembered on the
user, and acting assignments are a subquery inside the returned Q.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from bureau.access import has_role, is_administrator, person_of
from bureau.models import ActingAssignment, ClerkAssignment, Person, Position, Role

NOTHING = Q(pk__in=[])

# Roles whose posts put people in their charge (the director sees everyone anyway).
CHARGE_ROLES = (Role.SECTION_HEAD, Role.UNIT_HEAD, Role.DEPUTY)

# The bureau's leaders answer to the director, not to a unit's deputy in charge
# (bureau.resolver: the deputy in charge of a deputy is the director).
_LEADERS = sorted([Position.DIRECTOR, Position.DEPUTY])


# --- everyone ----------------------------------------------------------------------


def sees_everyone(user, *, also: Iterable[str] = (), clerks: bool = False) -> bool:
    """Defined once: the administrator (a superuser or the role) and the director
    see everyone in every chapter. A chapter adds its own: `also`, roles that see
    everyone there (the discipline inspector in discipline); `clerks`, the
    all-units attendance clerk (in attendance)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(
        is_administrator(user)
        or has_role(user, Role.DIRECTOR)
        or any(has_role(user, role) for role in also)
        or (clerks and keeps_all_units(user))
    )


# --- clerks by assignment ----------------------------------------------------------


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


# --- posts -------------------------------------------------------------------------


def _deputy_q(prefix: str, lookup: str, who) -> Q:
    """People whose deputy in charge is `who` (`lookup` "" for a person, "__in" for
    a subquery of ids), as bureau.resolver reads it: the section's deputy, else the
    unit's; the bureau's leaders answer to the director."""
    p = prefix
    return (
        Q(**{f"{p}section__deputy_in_charge{lookup}": who})
        | (
            Q(**{f"{p}unit__deputy_in_charge{lookup}": who})
            # Outside a section, or in a section without a deputy of its own
            # (the LEFT JOIN makes the isnull hold for both).
            & Q(**{f"{p}section__deputy_in_charge__isnull": True})
        )
    ) & ~Q(**{f"{p}position__in": _LEADERS})


def _posts_q(prefix: str, lookup: str, who) -> Q:
    """People under every post `who` holds, read from the organisation's fields."""
    return (
        Q(**{f"{prefix}section__head{lookup}": who})
        | Q(**{f"{prefix}unit__head{lookup}": who})
        | _deputy_q(prefix, lookup, who)
    )


def _stood_in_for(person, on: datetime.date):
    """A subquery: the people `person` stands in for on `on` (ORG-2)."""
    return ActingAssignment.objects.filter(
        stand_in=person, starts_on__lte=on, ends_on__gte=on
    ).values("principal_id")


def in_charge_q(
    user,
    on: datetime.date | None = None,
    prefix: str = "",
    *,
    include_self: bool = False,
    acting: bool = False,
    clerks: bool = False,
    also: Iterable[str] = (),
) -> Q:
    """A Q over Person (with `prefix`, e.g. "person__") of the people in `user`'s
    charge on day `on` (today by default; the day matters for stand-ins only):

    - posts (by the user's roles): a section head their section, a unit head their
      unit, a deputy the people they are deputy in charge of (see the module);
    - `sees_everyone(user, also=also, clerks=clerks)`: everyone (`Q()`);
    - `include_self`: the user themself;
    - `clerks`: the units an attendance clerk keeps;
    - `acting`: on the days they stand in, the posts of whom they stand in for.

    Nobody (`NOTHING`) for an anonymous user or a login without a person."""
    if user is None or not user.is_authenticated:
        return NOTHING
    if sees_everyone(user, also=also, clerks=clerks):
        return Q()
    person = person_of(user)
    if person is None:
        return NOTHING
    parts = []
    if include_self:
        parts.append(Q(**{f"{prefix}pk": person.pk}))
    if clerks:
        kept = clerk_unit_ids(user)
        if kept:
            parts.append(Q(**{f"{prefix}unit_id__in": sorted(kept)}))
    if has_role(user, Role.DEPUTY):
        parts.append(_deputy_q(prefix, "", person))
    if has_role(user, Role.SECTION_HEAD):
        parts.append(Q(**{f"{prefix}section__head": person}))
    if has_role(user, Role.UNIT_HEAD):
        parts.append(Q(**{f"{prefix}unit__head": person}))
    if acting:
        on = on or timezone.localdate()
        parts.append(_posts_q(prefix, "__in", _stood_in_for(person, on)))
    if not parts:
        return NOTHING
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def people_in_charge_of(
    user, on: datetime.date | None = None, **options
) -> QuerySet[Person]:
    """The people in `user`'s charge on `on` (options as `in_charge_q`)."""
    return Person.objects.filter(in_charge_q(user, on, **options))


def stands_in_for_a_post(user, on: datetime.date | None = None) -> bool:
    """Whether `user` stands in on `on` for someone who heads a section or a unit,
    or is in charge of one (one query)."""
    person = person_of(user)
    if person is None:
        return False
    on = on or timezone.localdate()
    return (
        ActingAssignment.objects.filter(
            stand_in=person, starts_on__lte=on, ends_on__gte=on
        )
        .filter(
            Q(principal__headed_sections__isnull=False)
            | Q(principal__headed_units__isnull=False)
            | Q(principal__sections_in_charge__isnull=False)
            | Q(principal__units_in_charge__isnull=False)
        )
        .exists()
    )


def sees_others(
    user,
    on: datetime.date | None = None,
    *,
    acting: bool = False,
    clerks: bool = False,
    also: Iterable[str] = (),
) -> bool:
    """Whether `user` sees anyone but themself (menus, dashboards, sheets): who sees
    everyone, a clerk (`clerks`), a section head, unit head or deputy, and with
    `acting` a stand-in for such a post on `on`. No query but the acting one, which
    runs only for a user who is none of the others."""
    return bool(
        sees_everyone(user, also=also, clerks=clerks)
        or (clerks and is_clerk(user))
        or any(has_role(user, role) for role in CHARGE_ROLES)
        or (acting and stands_in_for_a_post(user, on))
    )


# --- a chapter's reading -----------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """How one chapter reads "in whose charge", declared once in its selectors:

    - `also`: roles that see everyone in this chapter (beside the administrator and
      the director);
    - `clerks`: attendance clerks see the units they keep (the all-units clerk
      everyone);
    - `include_self`: a user sees their own records (True: every chapter so far);
    - `acting`: a stand-in sees the posts they stand in for on the acting days.

    Its methods are the vocabulary's functions with these options."""

    also: frozenset[str] = frozenset()
    clerks: bool = False
    include_self: bool = True
    acting: bool = False

    def __post_init__(self):
        object.__setattr__(self, "also", frozenset(str(r) for r in self.also))

    def sees_everyone(self, user) -> bool:
        return sees_everyone(user, also=self.also, clerks=self.clerks)

    def sees_others(self, user, on: datetime.date | None = None) -> bool:
        return sees_others(
            user, on, acting=self.acting, clerks=self.clerks, also=self.also
        )

    def q(self, user, prefix: str = "", on: datetime.date | None = None) -> Q:
        """A Q over Person, or over a model through `prefix` ("person__")."""
        return in_charge_q(
            user,
            on,
            prefix,
            include_self=self.include_self,
            acting=self.acting,
            clerks=self.clerks,
            also=self.also,
        )

    def people(self, user, on: datetime.date | None = None) -> QuerySet[Person]:
        return Person.objects.filter(self.q(user, on=on))
