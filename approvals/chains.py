"""Chains as data: what a step is, how a chain is validated and resolved to people.

A chain is a list of steps, stored as a policy value (bureau.policies) so that it has
an effective date:

    [{"action": "agree", "who": "section_head"},
     {"action": "approve", "who": "deputy_in_charge"},
     {"action": "inform", "who": "director"}]

`action` is one of Action; `who` is a bureau.resolver Relation (resolved to a person
of the bureau on the day of submission) or an ExternalRole (a county leader: the
comprehensive section records their decision with the county's document reference).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import Person
from bureau.resolver import Relation, resolve


class Action(models.TextChoices):
    AGREE = "agree", _("Agree")
    APPROVE = "approve", _("Approve")
    INFORM = "inform", _("Inform")
    EXTERNAL = "external", _("County decision")


class ExternalRole(models.TextChoices):
    """Deciders outside the bureau, whose decisions the bureau records."""

    COUNTY_LEADER_IN_CHARGE = "county_leader_in_charge", _("County leader in charge")
    COUNTY_MAGISTRATE = "county_magistrate", _("County magistrate")
    COUNTY_PARTY_SECRETARY = "county_party_secretary", _("County party secretary")


DECIDING = {Action.AGREE, Action.APPROVE, Action.EXTERNAL}
RELATIONS = {r.value for r in Relation}
EXTERNALS = {r.value for r in ExternalRole}


def validate_chain(steps) -> None:
    """Raise ValueError when `steps` is not a chain (used as a policy validator)."""
    if not isinstance(steps, list) or not steps:
        raise ValueError("a chain is a non-empty list of steps")
    deciding = 0
    for index, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            raise ValueError(f"step {index}: not an object")
        action, who = step.get("action"), step.get("who")
        if action not in Action.values:
            raise ValueError(f"step {index}: unknown action {action!r}")
        if action == Action.EXTERNAL:
            if who not in EXTERNALS:
                raise ValueError(f"step {index}: unknown external role {who!r}")
        elif who not in RELATIONS:
            raise ValueError(f"step {index}: unknown relation {who!r}")
        if action in DECIDING:
            deciding += 1
    if not deciding:
        raise ValueError("a chain needs at least one deciding step")


@dataclass(frozen=True)
class ResolvedStep:
    """A step of a chain as it will be stored: who decides, for whom, how."""

    order: int
    action: str
    relation: str  # a Relation, or "" for an external step
    external_role: str  # an ExternalRole, or ""
    approver: Person | None
    acting_for: Person | None
    merged: tuple[str, ...] = ()  # relations of steps merged into this one

    @property
    def who_label(self) -> str:
        if self.external_role:
            return str(ExternalRole(self.external_role).label)
        return str(Relation(self.relation).label)

    @property
    def is_external(self) -> bool:
        return self.action == Action.EXTERNAL


def resolve_chain(
    requester: Person, steps: list[dict], on: datetime.date
) -> list[ResolvedStep]:
    """Resolve a chain to people on day `on` (ORG-2 acting, ORG-3 never the requester).

    - A relation that resolves to nobody in the bureau (the post escalated past the
      director) becomes an external step of the county leader in charge.
    - Consecutive steps that land on the same person (and stand-in) merge into one:
      nobody agrees with themself before approving. The merged step keeps the
      stronger action (approve over agree over inform).
    """
    strength = {Action.INFORM: 0, Action.AGREE: 1, Action.APPROVE: 2}
    resolved: list[ResolvedStep] = []
    for step in steps:
        action = step["action"]
        if action == Action.EXTERNAL:
            resolved.append(ResolvedStep(0, action, "", step["who"], None, None, ()))
            continue
        approver = resolve(requester, step["who"], on)
        if approver is None:
            if action == Action.INFORM:
                continue  # nobody in the bureau to inform
            resolved.append(
                ResolvedStep(
                    0,
                    Action.EXTERNAL,
                    "",
                    ExternalRole.COUNTY_LEADER_IN_CHARGE,
                    None,
                    None,
                    (step["who"],),
                )
            )
            continue
        current = ResolvedStep(
            0, action, step["who"], "", approver.person, approver.acting_for, ()
        )
        previous = resolved[-1] if resolved else None
        if (
            previous is not None
            and previous.approver is not None
            and previous.approver.pk == approver.person.pk
            and (previous.acting_for and previous.acting_for.pk)
            == (approver.acting_for and approver.acting_for.pk)
        ):
            keep = (
                current if strength[action] >= strength[previous.action] else previous
            )
            resolved[-1] = ResolvedStep(
                0,
                keep.action,
                keep.relation,
                "",
                keep.approver,
                keep.acting_for,
                (
                    *previous.merged,
                    previous.relation if keep is current else current.relation,
                ),
            )
            continue
        resolved.append(current)
    return [
        ResolvedStep(
            i, s.action, s.relation, s.external_role, s.approver, s.acting_for, s.merged
        )
        for i, s in enumerate(resolved, start=1)
    ]
