"""Who is this person's section head, unit head, deputy in charge, director on a day.

Every approval chain and every "report to" rule asks here (ORG-1..3):
- ORG-2: an acting assignment in force that day puts its stand-in in the principal's
  place, and the answer names both;
- ORG-3: the answer is never the person asking; such a step, and a vacant post, goes
  to the next person up (section or unit head → deputy in charge → director → the
  county, which is outside the bureau and answered with None).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import ActingAssignment, Person, Position


class Relation(models.TextChoices):
    SECTION_HEAD = "section_head", _("Section head")
    UNIT_HEAD = "unit_head", _("Unit head")
    DEPUTY_IN_CHARGE = "deputy_in_charge", _("Deputy in charge")
    DIRECTOR = "director", _("Director")
    SUPERVISOR = "supervisor", _("Direct supervisor")


# The next person up when a step would land on the requester or on a vacant post.
ESCALATION = {
    Relation.SECTION_HEAD: Relation.DEPUTY_IN_CHARGE,
    Relation.UNIT_HEAD: Relation.DEPUTY_IN_CHARGE,
    Relation.DEPUTY_IN_CHARGE: Relation.DIRECTOR,
    Relation.DIRECTOR: None,
}

# ATT-7: whom a person reports to (going out, and the first step of their chains).
SUPERVISOR_OF_POSITION = {
    Position.SECTION_STAFF: Relation.SECTION_HEAD,
    Position.SECTION_HEAD: Relation.DEPUTY_IN_CHARGE,
    Position.UNIT_HEAD: Relation.DEPUTY_IN_CHARGE,
    Position.UNIT_STAFF: Relation.UNIT_HEAD,
    Position.DEPUTY: Relation.DIRECTOR,
    Position.DIRECTOR: None,
}


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


def _holder(person: Person, relation: str) -> Person | None:
    """Who holds the post, before acting assignments and ORG-3."""
    if relation == Relation.SECTION_HEAD:
        return person.section.head if person.section_id else None
    if relation == Relation.UNIT_HEAD:
        return person.unit.head
    if relation == Relation.DEPUTY_IN_CHARGE:
        if person.position in (Position.DEPUTY, Position.DIRECTOR):
            return director()
        if person.section_id and person.section.deputy_in_charge_id:
            return person.section.deputy_in_charge
        return person.unit.deputy_in_charge
    if relation == Relation.DIRECTOR:
        return director()
    raise ValueError(f"unknown relation {relation!r}")


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
    if relation == Relation.SUPERVISOR:
        relation = SUPERVISOR_OF_POSITION[Position(person.position)]
        if relation is None:
            return None
    current = relation
    while current is not None:
        holder = _holder(person, current)
        if holder is not None and holder.pk != person.pk and holder.is_active:
            stand_in = stand_in_for(holder, on)
            if stand_in is None:
                return Approver(person=holder, relation=current)
            if stand_in.pk != person.pk:
                return Approver(person=stand_in, relation=current, acting_for=holder)
            # The requester stands in for this approver: they cannot decide their own.
        current = ESCALATION[current]
    return None
