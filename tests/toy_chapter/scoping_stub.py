"""TEMPORARY stand-in for `bureau.scoping.in_charge_q` and `sees_everyone` (issue 9
item 4), written on bureau only. Delete this file when the bureau's vocabulary lands:
selectors.py then imports both from `bureau.scoping` (its one marked line)."""

from django.db.models import Q

from bureau.access import has_role, is_administrator, person_of
from bureau.models import Role


def sees_everyone(user) -> bool:
    """The director and the administrator: everyone is in their charge."""
    return is_administrator(user) or has_role(user, Role.DIRECTOR)


def in_charge_q(user, on=None, prefix: str = "") -> Q:
    """A Q over Person (with `prefix`) of the people in this user's charge."""
    person = person_of(user)
    if person is None:
        return Q(pk__in=[])
    # Never Q() for "everyone": OR-ed with another Q it would vanish. Callers ask
    # sees_everyone() first.
    q = Q(pk__in=[])
    if has_role(user, Role.SECTION_HEAD):
        q |= Q(**{f"{prefix}section__head": person})
    if has_role(user, Role.UNIT_HEAD):
        q |= Q(**{f"{prefix}unit__head": person})
    if has_role(user, Role.DEPUTY):
        q |= Q(**{f"{prefix}section__deputy_in_charge": person})
        q |= Q(**{f"{prefix}unit__deputy_in_charge": person})
    return q
