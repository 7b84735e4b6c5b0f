"""Who sees which deadlines; the "my deadlines" panel and the leaders' dashboard."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet

from bureau.access import has_role, person_of
from bureau.models import Role
from bureau.scoping import Scope, in_charge_q
from deadlines import rules
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
    - a leader also those of the people in their charge."""
    if user is None or not user.is_authenticated:
        return Deadline.objects.none()
    if sees_everyone(user):
        return Deadline.objects.all()
    person = person_of(user)
    if person is None:
        return Deadline.objects.none()
    return Deadline.objects.filter(
        Q(responsible=person) | in_charge_q(user, prefix="responsible__")
    )


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
