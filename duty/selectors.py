"""Who may see and arrange what in duty (DUTY-1), on bureau.scoping's vocabulary.

- Who sees everyone (the administrator, the director) and the comprehensive
  section's arrangers (its head, and whoever holds the duty arranger role) see
  every roster, swap and log.
- A unit head sees and arranges their unit's rosters; the deputy in charge of a
  unit sees its rosters.
- Everyone sees the rosters of their own office or unit and every roster they are
  on (as a person on duty or the leader on duty), their own swaps, and the logs of
  the days they are on duty or lead.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet

from bureau.access import has_role, is_administrator, person_of
from bureau.models import Person, Position, Section, Unit
from bureau.scoping import sees_everyone
from duty.models import Assignment, DutyDay, LogEntry, Roster, Swap

# The comprehensive section's duty: arranging rosters (registered in apps.py).
ARRANGER = "duty_arranger"


def is_arranger(user) -> bool:
    """The comprehensive section arranges duty: its head, a holder of the duty
    arranger role, and the administrator. One query, remembered on the user."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_duty_arranger", None)
    if cached is not None:
        return cached
    person = person_of(user)
    result = bool(
        is_administrator(user)
        or has_role(user, ARRANGER)
        or (
            person is not None
            and Section.objects.filter(head=person, is_comprehensive=True).exists()
        )
    )
    user._duty_arranger = result
    return result


def sees_all(user) -> bool:
    return sees_everyone(user) or is_arranger(user)


def rosters_visible_to(user) -> QuerySet[Roster]:
    if sees_all(user):
        return Roster.objects.all()
    person = person_of(user)
    if person is None:
        return Roster.objects.none()
    on_it = DutyDay.objects.filter(
        Q(assignments__person=person) | Q(leader=person)
    ).values("roster_id")
    return Roster.objects.filter(
        Q(unit_id=person.unit_id)
        | Q(unit__head=person)
        | Q(unit__deputy_in_charge=person)
        | Q(pk__in=on_it)
    )


def arrangeable_units(user) -> QuerySet[Unit]:
    """The units whose rosters this user makes: every unit for an arranger, the
    unit a unit head heads."""
    if is_arranger(user):
        return Unit.objects.all()
    person = person_of(user)
    if person is None:
        return Unit.objects.none()
    return Unit.objects.filter(head=person, kind=Unit.Kind.SUBORDINATE)


def may_arrange(user, roster: Roster) -> bool:
    """An arranger edits any roster; a unit head the rosters of their unit."""
    if is_arranger(user):
        return True
    person = person_of(user)
    return (
        person is not None
        and roster.unit.head_id == person.pk
        and roster.unit.kind == Unit.Kind.SUBORDINATE
    )


def may_file(user, roster: Roster) -> bool:
    return roster.filing in (Roster.Filing.UNFILED,) and may_arrange(user, roster)


def may_acknowledge(user, roster: Roster) -> bool:
    return roster.filing == Roster.Filing.FILED and is_arranger(user)


def days_with_log_visible_to(user) -> QuerySet[DutyDay]:
    """The duty days whose log this user reads: all for who sees all; a unit head's
    unit's; the days one is on duty or leads, or was told of as the leader."""
    if sees_all(user):
        return DutyDay.objects.all()
    person = person_of(user)
    if person is None:
        return DutyDay.objects.none()
    return DutyDay.objects.filter(
        Q(roster__unit__head=person)
        | Q(leader=person)
        | Q(pk__in=Assignment.objects.filter(person=person).values("day_id"))
        | Q(pk__in=LogEntry.objects.filter(leader_notified=person).values("day_id"))
    )


def may_write_log(user, day: DutyDay) -> bool:
    """The people on duty that day, its leader on duty, the arranger and the head
    of the roster's unit."""
    if is_arranger(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    return (
        day.leader_id == person.pk
        or day.roster.unit.head_id == person.pk
        or day.assignments.filter(person=person).exists()
    )


def log_entries_visible_to(user) -> QuerySet[LogEntry]:
    if sees_all(user):
        return LogEntry.objects.all()
    return LogEntry.objects.filter(day__in=days_with_log_visible_to(user))


def swaps_visible_to(user) -> QuerySet[Swap]:
    if sees_all(user):
        return Swap.objects.all()
    person = person_of(user)
    if person is None:
        return Swap.objects.none()
    return Swap.objects.filter(
        Q(giver=person)
        | Q(taker=person)
        | Q(proposed_by=person)
        | Q(roster__unit__head=person)
    )


def my_duties(person: Person, start: datetime.date, end: datetime.date):
    """This person's duties from start to end, with the day and roster (one query)."""
    return (
        Assignment.objects.filter(
            person=person, day__date__gte=start, day__date__lte=end
        )
        .select_related("day__roster", "day__leader")
        .order_by("day__date", "slot")
    )


def days_led_by(person: Person, start: datetime.date, end: datetime.date):
    return (
        DutyDay.objects.filter(leader=person, date__gte=start, date__lte=end)
        .select_related("roster")
        .order_by("date")
    )


def leader_on_duty(day: DutyDay) -> Person | None:
    """Who an urgent matter goes to at once: the day's leader on duty (holiday and
    event rosters); on a daily roster, the deputy in charge of the roster's unit,
    else the director."""
    if day.leader_id:
        return day.leader
    unit = day.roster.unit
    if unit.deputy_in_charge_id and unit.deputy_in_charge.is_active:
        return unit.deputy_in_charge
    return Person.objects.filter(position=Position.DIRECTOR, is_active=True).first()


def unit_people(unit: Unit) -> QuerySet[Person]:
    return Person.objects.filter(unit=unit, is_active=True).order_by(
        "section__order", "employee_no"
    )


def leaders() -> QuerySet[Person]:
    """Who may lead a day on duty (带班领导): the bureau's leaders."""
    return Person.objects.filter(
        is_active=True, position__in=[Position.DIRECTOR, Position.DEPUTY]
    ).order_by("position", "employee_no")


def roster_days(roster: Roster, dates=None) -> list[DutyDay]:
    """The roster's days (only `dates`, when given) with their people and leader
    (two queries whatever the number of days)."""
    days = roster.days.all()
    if dates is not None:
        days = days.filter(date__in=list(dates))
    return list(
        days.select_related("leader")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("person").order_by("slot"),
            )
        )
        .order_by("date")
    )
