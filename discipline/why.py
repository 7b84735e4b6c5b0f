""" "Why" pages of discipline (bureau.why): a violation (the rule of its kind and its
place on the ladder), an outcome (the ladder's version that produced it) and a
person's grade cap for a year (DIS-6: the outcomes that set it)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.models import Policy
from bureau.params import year_param
from bureau.why import Judgement, register_why
from discipline import registry
from discipline.models import Outcome, cap_label
from discipline.selectors import (
    outcomes_visible_to,
    people_visible_to,
    violations_visible_to,
)

VIOLATION = "discipline.violation"
OUTCOME = "discipline.outcome"
CAP = "discipline.cap"


def _person_url(person_id: int, year: int) -> str:
    return reverse("discipline:person", args=[person_id]) + f"?year={year}"


def _keys_of(version_ids) -> dict[int, str]:
    ids = [pk for pk in version_ids if pk]
    return dict(Policy.objects.filter(pk__in=ids).values_list("pk", "key"))


def violation_why(user, object_id: int, params) -> Judgement | None:
    violation = (
        violations_visible_to(user)
        .select_related("person")
        .filter(pk=object_id)
        .first()
    )
    if violation is None:
        return None
    ladder = registry.find_ladder(violation.ladder) if violation.ladder else None
    rules = [r for r in (violation.rule, ladder.rule if ladder else "") if r]
    facts = [
        (_("Occurred on"), date_format(violation.occurred_on, "Y-m-d")),
        (_("Kind"), violation.kind_label),
        (_("Status"), violation.get_status_display()),
    ]
    if ladder is not None:
        facts.append((_("Counted on"), registry.ladder_label(ladder.code)))
    if violation.ladder_step:
        facts.append((_("Count in the year"), violation.ladder_step))
    if violation.days:
        facts.append((_("Days"), violation.days))
    return Judgement(
        title=_("%(kind)s, %(date)s")
        % {
            "kind": violation.kind_label,
            "date": date_format(violation.occurred_on, "Y-m-d"),
        },
        person=violation.person.name,
        date=violation.occurred_on,
        rules=list(dict.fromkeys(rules)),
        versions={ladder.policy_key: None} if ladder else {},
        facts=facts,
        back_url=_person_url(violation.person_id, violation.occurred_on.year),
    )


def outcome_why(user, object_id: int, params) -> Judgement | None:
    outcome = (
        outcomes_visible_to(user)
        .select_related("person", "violation")
        .filter(pk=object_id)
        .first()
    )
    if outcome is None:
        return None
    keys = _keys_of([outcome.policy_version_id])
    key = keys.get(outcome.policy_version_id)
    violation = outcome.violation
    facts = [
        (_("Outcome"), outcome.get_kind_display()),
        (
            _("Caused by"),
            f"{date_format(violation.occurred_on, 'Y-m-d')} {violation.kind_label}",
        ),
        (_("Count in the year"), outcome.step),
        (_("Status"), outcome.get_status_display()),
    ]
    if outcome.cap_rank:
        facts.append((_("Grade cap"), outcome.cap_display()))
    return Judgement(
        title=_("%(outcome)s, %(year)s")
        % {"outcome": outcome.get_kind_display(), "year": outcome.year},
        person=outcome.person.name,
        date=violation.occurred_on,
        rules=[outcome.rule] if outcome.rule else [],
        versions={key: outcome.policy_version_id} if key else {},
        facts=facts,
        back_url=_person_url(outcome.person_id, outcome.year),
    )


def cap_why(user, object_id: int, params) -> Judgement | None:
    """A person's grade cap for `?year=` (DIS-6): the strictest in-force caps."""
    person = people_visible_to(user).filter(pk=object_id).first()
    if person is None:
        return None
    year = year_param(params, "year", default=timezone.localdate().year)
    capping = list(
        Outcome.objects.filter(
            person=person,
            year=year,
            status=Outcome.Status.IN_FORCE,
            cap_rank__isnull=False,
        )
        .select_related("violation")
        .order_by("-cap_rank", "violation__occurred_on", "pk")
    )
    cap_rank = capping[0].cap_rank if capping else None
    keys = _keys_of(o.policy_version_id for o in capping)
    facts = [
        (_("Year"), year),
        (_("Grade cap"), cap_label(cap_rank, person.staff_category)),
    ]
    for o in capping:
        facts.append(
            (
                o.get_kind_display(),
                f"{cap_label(o.cap_rank, person.staff_category)} — "
                f"{date_format(o.violation.occurred_on, 'Y-m-d')} "
                f"{o.violation.kind_label}",
            )
        )
    return Judgement(
        title=_("Year-end grade cap, %(year)s") % {"year": year},
        person=person.name,
        date=datetime.date(year, 12, 31),
        rules=list(dict.fromkeys(["DIS-6", *(o.rule for o in capping if o.rule)])),
        versions={
            keys[o.policy_version_id]: o.policy_version_id
            for o in capping
            if o.policy_version_id in keys
        },
        facts=facts,
        back_url=_person_url(person.pk, year),
        note=_(
            "The grade decided by people is never above the strictest cap of the "
            "year's record."
        ),
    )


def register() -> None:
    register_why(VIOLATION, gettext_lazy("violation"), violation_why)
    register_why(OUTCOME, gettext_lazy("discipline outcome"), outcome_why)
    register_why(CAP, gettext_lazy("grade cap"), cap_why)
