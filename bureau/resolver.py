"""Who decides for a person on a day: the relations of the bureau, as a registry.

Every approval chain and every "report to" rule asks here (ORG-1..3). A relation is
registered once — by the bureau for its posts (section head, unit head, deputy in
charge, director, supervisor), by a chapter for its own (the dispatcher, the finance
officer, the comprehensive section's head) — with a function naming who holds it for
a person, and where it escalates:

    from bureau.resolver import holder_of_role, register_relation
    register_relation(
        "dispatcher", _("Dispatcher"), holder_of_role("dispatcher"),
        escalates_to="director",
    )

- ORG-2: an acting assignment in force that day puts its stand-in in the holder's
  place, and the answer names both (the same for every relation);
- ORG-3: the answer is never the person asking; such a step, and a vacant post, goes
  to the relation it escalates to (section or unit head → deputy in charge → director
  → the county, which is outside the bureau and answered with None).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import ActingAssignment, Person, Position, Section


class Relation(models.TextChoices):
    """The bureau's own relations (registered below like any chapter's)."""

    SECTION_HEAD = "section_head", _("Section head")
    UNIT_HEAD = "unit_head", _("Unit head")
    DEPUTY_IN_CHARGE = "deputy_in_charge", _("Deputy in charge")
    DIRECTOR = "director", _("Director")
    SUPERVISOR = "supervisor", _("Direct supervisor")
    BUREAU_TOP = "bureau_top", _("Bureau leader")


# ATT-7: whom a person reports to (going out, and the first step of their chains).
SUPERVISOR_OF_POSITION = {
    Position.SECTION_STAFF: Relation.SECTION_HEAD,
    Position.SECTION_HEAD: Relation.DEPUTY_IN_CHARGE,
    Position.UNIT_HEAD: Relation.DEPUTY_IN_CHARGE,
    Position.UNIT_STAFF: Relation.UNIT_HEAD,
    Position.DEPUTY: Relation.DIRECTOR,
    Position.DIRECTOR: None,
}

# A holder function: (person asking, day) -> the post's holder, None (nobody), or
# another relation's key (an alias: "resolve as that relation instead").
HolderFn = Callable[[Person, datetime.date], "Person | str | None"]

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class RelationDef:
    key: str
    label: Any  # a lazy translation
    holder: HolderFn
    escalates_to: str | None = None


_RELATIONS: dict[str, RelationDef] = {}


def register_relation(
    key: str, label, resolve_fn: HolderFn, *, escalates_to: str | None = None
) -> RelationDef:
    """Register a relation a chain step may name as its `who`.

    `resolve_fn(person, on)` names who holds the relation for `person` on day `on`
    *before* acting assignments and ORG-3 (the resolver applies both); it may return
    another relation's key to resolve as that one. `escalates_to` is the relation
    asked next when the holder is the requester, inactive or missing; None: nobody
    in the bureau (the chain's end-of-chain choice applies).
    """
    key = str(key)
    if not _KEY.match(key):
        raise ValueError(f"relation key {key!r}: lower-case letters, digits, _ (≤40)")
    escalates_to = None if escalates_to is None else str(escalates_to)
    definition = RelationDef(key, label, resolve_fn, escalates_to)
    existing = _RELATIONS.get(key)
    if existing is not None and existing != definition:
        raise ValueError(f"relation {key!r} is registered twice, differently")
    _RELATIONS[key] = definition
    return definition


def unregister_relation(key: str) -> None:
    """Take a relation out (tests that register a toy relation clean up with it)."""
    _RELATIONS.pop(key, None)


def is_relation(key) -> bool:
    return isinstance(key, str) and key in _RELATIONS


def relation_keys() -> list[str]:
    return list(_RELATIONS)


def relation_label(key: str) -> str:
    definition = _RELATIONS.get(key)
    return str(definition.label) if definition is not None else key


def escalation_of(key: str) -> str | None:
    """The relation asked when `key`'s holder cannot decide (the escalation map)."""
    definition = _RELATIONS.get(key)
    return definition.escalates_to if definition is not None else None


@dataclass(frozen=True)
class Approver:
    """The person who decides, and whom they stand in for (ORG-2)."""

    person: Person
    relation: str
    acting_for: Person | None = None

    @property
    def principal(self) -> Person:
        return self.acting_for or self.person

    def __str__(self):
        if self.acting_for:
            return _("%(person)s (acting for %(principal)s)") % {
                "person": self.person,
                "principal": self.acting_for,
            }
        return str(self.person)


def director(on: datetime.date | None = None) -> Person | None:
    return (
        Person.objects.filter(position=Position.DIRECTOR, is_active=True)
        .select_related("user")
        .first()
    )


# --- Factories a chapter calls to register its own relations ----------------------


@dataclass(frozen=True)
class holder_of_role:  # a factory: named and called like a function
    """The holder of role X: an active person in the role's group (a duty such as
    the finance officer or the document clerk), never the person asking (ORG-3: when
    several hold the role, another holder decides). The first in the staff list's
    order when there are several; the resolver then applies acting assignments.
    Equal for equal roles, so registering the same relation twice is harmless."""

    role: str

    def __call__(self, person: Person, on: datetime.date) -> Person | None:
        return (
            Person.objects.active()
            .filter(user__groups__name=self.role)
            .exclude(pk=person.pk)
            .select_related("user")
            .first()
        )


@dataclass(frozen=True)
class head_of_section:  # a factory: named and called like a function
    """The head of section X, by the section's code, or the comprehensive
    section's head (`comprehensive=True`, whatever its code)."""

    code: str | None = None
    comprehensive: bool = False

    def __post_init__(self):
        if (self.code is None) == (not self.comprehensive):
            raise ValueError("name a section code, or comprehensive=True")

    def __call__(self, person: Person, on: datetime.date) -> Person | None:
        sections = Section.objects.select_related("head", "head__user")
        if self.comprehensive:
            section = sections.filter(is_comprehensive=True).order_by("order").first()
        else:
            section = sections.filter(code=self.code).first()
        return section.head if section is not None else None


# --- The bureau's own relations ----------------------------------------------------


def _section_head(person, on):
    return person.section.head if person.section_id else None


def _unit_head(person, on):
    return person.unit.head


def _deputy_in_charge(person, on):
    if person.position in (Position.DEPUTY, Position.DIRECTOR):
        return director()
    if person.section_id and person.section.deputy_in_charge_id:
        return person.section.deputy_in_charge
    return person.unit.deputy_in_charge


def _director(person, on):
    return director()


def _supervisor(person, on):
    return SUPERVISOR_OF_POSITION[Position(person.position)]


def _bureau_top(person, on):
    """The top of the bureau: the director; for the director's own request (or with
    the post vacant) the deputy in charge of the comprehensive section, who oversees
    the bureau's office, cars and finance (read in docs/approvals.md)."""
    head = director()
    if head is not None and head.pk != person.pk:
        return head
    section = (
        Section.objects.filter(is_comprehensive=True)
        .select_related("deputy_in_charge", "deputy_in_charge__user")
        .order_by("order")
        .first()
    )
    return section.deputy_in_charge if section is not None else None


register_relation(
    Relation.SECTION_HEAD,
    Relation.SECTION_HEAD.label,
    _section_head,
    escalates_to=Relation.DEPUTY_IN_CHARGE,
)
register_relation(
    Relation.UNIT_HEAD,
    Relation.UNIT_HEAD.label,
    _unit_head,
    escalates_to=Relation.DEPUTY_IN_CHARGE,
)
register_relation(
    Relation.DEPUTY_IN_CHARGE,
    Relation.DEPUTY_IN_CHARGE.label,
    _deputy_in_charge,
    escalates_to=Relation.DIRECTOR,
)
register_relation(Relation.DIRECTOR, Relation.DIRECTOR.label, _director)
register_relation(Relation.SUPERVISOR, Relation.SUPERVISOR.label, _supervisor)
register_relation(Relation.BUREAU_TOP, Relation.BUREAU_TOP.label, _bureau_top)


# --- Resolution --------------------------------------------------------------------


def stand_in_for(principal: Person, on: datetime.date) -> Person | None:
    """The stand-in in force for `principal` on `on`, following a chain of absences."""
    seen = {principal.pk}
    current = principal
    stand_in = None
    for _hop in range(5):
        assignment = (
            ActingAssignment.objects.filter(
                principal=current, starts_on__lte=on, ends_on__gte=on
            )
            .select_related("stand_in", "stand_in__user")
            .order_by("-starts_on", "-pk")
            .first()
        )
        if assignment is None or assignment.stand_in_id in seen:
            break
        stand_in = current = assignment.stand_in
        seen.add(current.pk)
    return stand_in


def resolve(person: Person, relation: str, on: datetime.date) -> Approver | None:
    """The approver for `person` in `relation` on day `on`; None: outside the bureau."""
    return _resolve(person, relation, on, stand_in_for)


def resolve_many(pairs, on: datetime.date) -> dict[tuple[int, str], Approver | None]:
    """`resolve` for many (person, relation) pairs at once, as {(person id,
    relation): approver}: each holder's stand-in is looked up once, however many
    people report to them (the deadline scan escalates hundreds at a time)."""
    stand_ins: dict[int, Person | None] = {}

    def remembered(principal: Person, day: datetime.date) -> Person | None:
        if principal.pk not in stand_ins:
            stand_ins[principal.pk] = stand_in_for(principal, day)
        return stand_ins[principal.pk]

    return {
        (person.pk, relation): _resolve(person, relation, on, remembered)
        for person, relation in pairs
    }


def _resolve(person, relation, on, find_stand_in) -> Approver | None:
    current = relation
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        try:
            definition = _RELATIONS[current]
        except KeyError:
            raise ValueError(f"unknown relation {current!r}") from None
        holder = definition.holder(person, on)
        if isinstance(holder, str):
            current = holder  # an alias (supervisor → the position's relation)
            continue
        if holder is not None and holder.pk != person.pk and holder.is_active:
            stand_in = find_stand_in(holder, on)
            if stand_in is None:
                return Approver(person=holder, relation=current)
            if stand_in.pk != person.pk:
                return Approver(person=stand_in, relation=current, acting_for=holder)
            # The requester stands in for this approver: they cannot decide their own.
        current = definition.escalates_to
    return None
