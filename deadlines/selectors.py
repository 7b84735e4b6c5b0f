"""Who sees which deadlines; the "my deadlines" panel and the leaders' dashboard."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet

from bureau.access import has_role, person_of
from bureau.models import Role
from bureau.scoping import Scope, in_charge_q
from deadlines import registry, rules
from deadlines.models import Deadline

NOTHING = Q(pk__in=[])
LEADER_ROLES = (Role.SECTION_HEAD, Role.UNIT_HEAD, Role.DEPUTY)


SCOPE = Scope()


def sees_everyone(user) -> bool:
    return SCOPE.sees_everyone(user)


def sees_others(user) -> bool:
    """The dashboard is for leaders: the director, deputies, section and unit heads."""
    return sees_everyone(user) or any(has_role(user, r) for r in LEADER_ROLES)


def deadlines_visible_to(user) -> QuerySet[Deadline]:
    """- an administrator and the director see every deadline;
    - a person sees the deadlines they answer for;
    - a leader also those of the people in their charge;
    - a kind whose owner chapter limits its clocks (registry `visible_to`, e.g.
      petitions under PET-7) shows only the clocks of records that chapter lets the
      user see — for everyone, the director and the person responsible included."""
    if user is None or not user.is_authenticated:
        return Deadline.objects.none()
    if sees_everyone(user):
        return Deadline.objects.filter(_owner_scope_q(user))
    person = person_of(user)
    if person is None:
        return Deadline.objects.none()
    return Deadline.objects.filter(
        Q(responsible=person) | in_charge_q(user, prefix="responsible__")
    ).filter(_owner_scope_q(user))


def _owner_scope_q(user) -> Q:
    """Deadlines of unrestricted kinds, or of a restricted kind on a record its
    owner chapter lets the user see: one subquery per owner scope (the kinds that
    share a `visible_to` share it), in the same statement."""
    restricted = registry.restricted_kinds()
    if not restricted:
        return Q()
    allowed = ~Q(kind__in=[k.key for k in restricted])
    by_scope: dict = {}
    for kind in restricted:
        by_scope.setdefault(kind.visible_to, []).append(kind.key)
    for visible_to, keys in by_scope.items():
        allowed |= Q(kind__in=keys, object_id__in=visible_to(user))
    return allowed


def _due_order():
    return (F("due_date").asc(nulls_last=True), "pk")


def light_counts(queryset: QuerySet, today: datetime.date) -> dict:
    """{red, yellow, green, paused} of the open deadlines in `queryset`: one query."""
    return queryset.filter(state=Deadline.State.OPEN).aggregate(
        red=Count("pk", filter=Q(due_date__lt=today)),
        yellow=Count("pk", filter=Q(remind_from__lte=today, due_date__gte=today)),
        green=Count("pk", filter=Q(remind_from__gt=today)),
        paused=Count("pk", filter=Q(due_date__isnull=True)),
    )


def with_lights(deadlines, today: datetime.date) -> list[Deadline]:
    for deadline in deadlines:
        deadline.light = rules.light(
            today=today, due=deadline.due_date, remind_from=deadline.remind_from
        )
    return list(deadlines)


def my_open_deadlines(person, today: datetime.date, limit: int | None = None):
    """The person's open deadlines, soonest first (paused ones last): one query."""
    mine = Deadline.objects.filter(
        responsible=person, state=Deadline.State.OPEN
    ).order_by(*_due_order())
    if limit is not None:
        mine = mine[:limit]
    return with_lights(mine, today)


def overdue_by_section(user, today: datetime.date) -> list[dict]:
    """Per section (or unit, for people outside sections) in the user's scope: how
    many open deadlines are overdue and how many are due within their reminder
    window. One query."""
    rows = (
        deadlines_visible_to(user)
        .filter(state=Deadline.State.OPEN)
        .filter(Q(due_date__lt=today) | Q(remind_from__lte=today))
        .values("unit__name", "section__name", "unit__order", "section__order")
        .annotate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            soon=Count("pk", filter=Q(due_date__gte=today)),
        )
        .order_by("unit__order", "section__order", "unit__name", "section__name")
    )
    return list(rows)


def overdue_items(user, today: datetime.date, limit: int = 200) -> list[Deadline]:
    """The overdue deadlines in the user's scope, oldest first: one query."""
    items = (
        deadlines_visible_to(user)
        .filter(state=Deadline.State.OPEN, due_date__lt=today)
        .select_related("responsible", "section", "unit")
        .order_by("due_date", "pk")[:limit]
    )
    return with_lights(items, today)


def may_pause(user, deadline: Deadline) -> bool:
    """Who may pause or resume a deadline's clock by hand: only where its kind
    declares it pausable (registry), while it is open, and only the person
    responsible or a leader over them (the posts in charge of that person; the
    director over everyone). An administrator without such a post may not."""
    if deadline.state != Deadline.State.OPEN or not registry.pausable(deadline.kind):
        return False
    person = person_of(user)
    if person is None or not person.is_active:
        return False
    if deadline.responsible_id == person.pk:
        return True
    if sees_everyone(user):
        return has_role(user, Role.DIRECTOR)
    return (
        Deadline.objects.filter(pk=deadline.pk)
        .filter(in_charge_q(user, prefix="responsible__"))
        .exists()
    )


def events_of(deadline: Deadline):
    """The pause and resume log of a deadline, oldest first, with who recorded it."""
    return deadline.events.select_related("by__person").order_by("pk")


def is_paused(deadline: Deadline) -> bool:
    """Whether the last logged pause has no resumption yet (one query)."""
    events = deadline.events.order_by("pk").values_list("kind", "on")
    pauses = rules.pauses_from_events(list(events))
    return bool(pauses) and pauses[-1][1] is None
