"""Chains as data: what a step is, how a chain is validated and resolved to people.

A chain is stored as a policy value (bureau.policies) so that it has an effective
date. Two forms load:

    [{"action": "agree", "who": "section_head"},
     {"action": "approve", "who": "deputy_in_charge"},
     {"action": "inform", "who": "director"}]

    {"steps": [...the same list...], "top": "county" | "director" | "acknowledged"}

`action` is one of Action; `who` is a relation registered in bureau.resolver
(resolved to a person of the bureau on the day of submission), an ExternalRole (a
county leader: the document clerk records their decision with the county's document
reference) or, for a meeting step, a MeetingBody. A step may name a `hook` that its
subject's chapter registered (approvals.hooks.register_step_hook). `top` says what a
step becomes when nobody in the bureau is above the requester (EndOfChain; the list
form means "county").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import Person
from bureau.resolver import Relation, is_relation, relation_label, resolve


class Action(models.TextChoices):
    AGREE = "agree", _("Agree")
    APPROVE = "approve", _("Approve")
    INFORM = "inform", _("Inform")
    EXTERNAL = "external", _("County decision")
    MEETING = "meeting", _("Meeting decision")
    # Only made by resolution (EndOfChain.ACKNOWLEDGED), never written in a chain.
    ACKNOWLEDGE = "acknowledge", _("Acknowledged only")


class ExternalRole(models.TextChoices):
    """Deciders outside the bureau, whose decisions the bureau records."""

    COUNTY_LEADER_IN_CHARGE = "county_leader_in_charge", _("County leader in charge")
    COUNTY_MAGISTRATE = "county_magistrate", _("County magistrate")
    COUNTY_PARTY_SECRETARY = "county_party_secretary", _("County party secretary")


class MeetingBody(models.TextChoices):
    """Meetings whose decisions a meeting step cites."""

    BUREAU_AFFAIRS = "bureau_affairs_meeting", _("Bureau affairs meeting")


class EndOfChain(models.TextChoices):
    """What a step becomes when nobody in the bureau is above the requester."""

    COUNTY = "county", _("County decision recorded")
    DIRECTOR = "director", _("The top of the bureau decides")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged only")


DECIDING = {Action.AGREE, Action.APPROVE, Action.EXTERNAL, Action.MEETING}
# Decided by a clerk entering another body's decision, not by an approver.
RECORDED = {Action.EXTERNAL, Action.MEETING}
EXTERNALS = {r.value for r in ExternalRole}
MEETINGS = {m.value for m in MeetingBody}
CHAIN_KEYS = {"steps", "top"}
STEP_KEYS = {"action", "who", "hook"}


def chain_parts(chain) -> tuple[list[dict], str]:
    """(steps, end-of-chain choice) of a chain in either form."""
    if isinstance(chain, dict):
        return chain.get("steps"), chain.get("top", EndOfChain.COUNTY)
    return chain, EndOfChain.COUNTY


def validate_chain(chain) -> None:
    """Raise ValueError when `chain` is not a chain (used as a policy validator)."""
    if isinstance(chain, dict):
        unknown = set(chain) - CHAIN_KEYS
        if unknown:
            raise ValueError(_("A chain holds only its steps and its end."))
        if chain.get("top", EndOfChain.COUNTY) not in EndOfChain.values:
            raise ValueError(_("The end of the chain is not one of the known ends."))
    steps, _top = chain_parts(chain)
    if not isinstance(steps, list) or not steps:
        raise ValueError(_("A chain needs at least one step."))
    deciding = 0
    for index, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            raise ValueError(_("Step %(n)s is not a step.") % {"n": index})
        unknown = set(step) - STEP_KEYS
        if unknown:
            raise ValueError(
                _("Step %(n)s holds entries a step does not have.") % {"n": index}
            )
        action, who = step.get("action"), step.get("who")
        if action not in Action.values or action == Action.ACKNOWLEDGE:
            raise ValueError(_("Step %(n)s: the action is not known.") % {"n": index})
        if action == Action.EXTERNAL:
            if who not in EXTERNALS:
                raise ValueError(
                    _("Step %(n)s: the county decision names nobody known.")
                    % {"n": index}
                )
        elif action == Action.MEETING:
            if who not in MEETINGS:
                raise ValueError(
                    _("Step %(n)s: the meeting is not known.") % {"n": index}
                )
        elif not is_relation(who):
            raise ValueError(_("Step %(n)s: who decides is not known.") % {"n": index})
        hook = step.get("hook", "")
        if not isinstance(hook, str) or len(hook) > 40:
            raise ValueError(
                _("Step %(n)s: the page it is decided on is not known.") % {"n": index}
            )
        if action in DECIDING:
            deciding += 1
    if not deciding:
        raise ValueError(_("A chain needs at least one step that agrees or approves."))


@dataclass(frozen=True)
class ResolvedStep:
    """A step of a chain as it will be stored: who decides, for whom, how."""

    order: int
    action: str
    relation: str  # a registered relation; a MeetingBody for a meeting; "" external
    external_role: str  # an ExternalRole, or ""
    approver: Person | None
    acting_for: Person | None
    merged: tuple[str, ...] = ()  # relations of steps merged into this one
    hook: str = ""  # a step hook registered by the subject's chapter

    @property
    def who_label(self) -> str:
        if self.external_role:
            return str(ExternalRole(self.external_role).label)
        if self.action == Action.MEETING:
            return str(MeetingBody(self.relation).label)
        return relation_label(self.relation)

    @property
    def is_external(self) -> bool:
        return self.action == Action.EXTERNAL

    def numbered(self, order: int) -> ResolvedStep:
        return ResolvedStep(
            order,
            self.action,
            self.relation,
            self.external_role,
            self.approver,
            self.acting_for,
            self.merged,
            self.hook,
        )


STRENGTH = {Action.INFORM: 0, Action.AGREE: 1, Action.APPROVE: 2}


def _county(relation: str, hook: str) -> ResolvedStep:
    return ResolvedStep(
        0,
        Action.EXTERNAL,
        "",
        ExternalRole.COUNTY_LEADER_IN_CHARGE,
        None,
        None,
        (relation,),
        hook,
    )


def _beyond_the_bureau(requester, step, top, on) -> ResolvedStep | None:
    """The step whose relation found nobody in the bureau, by the chain's `top`."""
    action, who, hook = step["action"], step["who"], step.get("hook", "")
    if action == Action.INFORM:
        return None  # nobody in the bureau to inform
    if top == EndOfChain.ACKNOWLEDGED:
        return ResolvedStep(0, Action.ACKNOWLEDGE, who, "", None, None, (), hook)
    if top == EndOfChain.DIRECTOR:
        top_of_bureau = resolve(requester, Relation.BUREAU_TOP, on)
        if top_of_bureau is not None:
            return ResolvedStep(
                0,
                action,
                Relation.BUREAU_TOP,
                "",
                top_of_bureau.person,
                top_of_bureau.acting_for,
                (who,),
                hook,
            )
    # "county", or nobody at the top of the bureau either: the county decides.
    return _county(who, hook)


def resolve_chain(requester: Person, chain, on: datetime.date) -> list[ResolvedStep]:
    """Resolve a chain to people on day `on` (ORG-2 acting, ORG-3 never the requester).

    - A relation that resolves to nobody in the bureau (the post escalated past the
      director) becomes what the chain's `top` says: an external step of the county
      leader in charge ("county", the default), a step of the top of the bureau
      ("director"), or a step recorded as acknowledged only ("acknowledged").
    - Consecutive steps that land on the same person (and stand-in) merge into one:
      nobody agrees with themself before approving. The merged step keeps the
      stronger action (approve over agree over inform).
    """
    steps, top = chain_parts(chain)
    resolved: list[ResolvedStep] = []
    for step in steps:
        action, who, hook = step["action"], step["who"], step.get("hook", "")
        if action == Action.EXTERNAL:
            resolved.append(ResolvedStep(0, action, "", who, None, None, (), hook))
            continue
        if action == Action.MEETING:
            resolved.append(ResolvedStep(0, action, who, "", None, None, (), hook))
            continue
        approver = resolve(requester, who, on)
        if approver is None:
            beyond = _beyond_the_bureau(requester, step, top, on)
            if beyond is None:
                continue
            if beyond.approver is None:
                resolved.append(beyond)
                continue
            current = beyond
        else:
            current = ResolvedStep(
                0, action, who, "", approver.person, approver.acting_for, (), hook
            )
        previous = resolved[-1] if resolved else None
        if (
            previous is not None
            and previous.approver is not None
            and previous.action in STRENGTH
            and previous.approver.pk == current.approver.pk
            and (previous.acting_for and previous.acting_for.pk)
            == (current.acting_for and current.acting_for.pk)
        ):
            keep = (
                current
                if STRENGTH[current.action] >= STRENGTH[previous.action]
                else previous
            )
            other = previous if keep is current else current
            resolved[-1] = ResolvedStep(
                0,
                keep.action,
                keep.relation,
                "",
                keep.approver,
                keep.acting_for,
                (*previous.merged, *current.merged, other.relation),
                keep.hook or other.hook,
            )
            continue
        resolved.append(current)
    return [s.numbered(i) for i, s in enumerate(resolved, start=1)]
