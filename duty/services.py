"""Every change of state of duty (DUTY-1): make a roster from a rotation, set its
days, file it with the comprehensive section and acknowledge it, swap a duty,
arrive for a duty, record the duty log (an urgent matter reaches the leader on
duty at once).

Each runs in a transaction, locks what two people could change at once, saves with
the history user and leaves mail to after commit (approvals.notify, the outbox).
Refusals raise DutyError with the user's message before anything is written; a
roster whose check finds only warnings raises NeedsConfirmation (nothing written)
until the arranger confirms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from approvals.notify import notify_person
from bureau import workdays
from bureau.access import person_of
from bureau.models import Person, Position, Unit
from bureau.params import LONG_TEXT, SHORT_TEXT, clean_text, validate_date_in_bounds
from bureau.policies import policy_in_force
from duty import rules, selectors
from duty.models import Assignment, DutyDay, LogEntry, Roster, Swap
from duty.policies import ARRIVAL, ROTATION
from meetings.absences import absences_on


class DutyError(Exception):
    """A move the rules do not allow; the message is for the user. `messages`
    holds every problem found (a roster may have several)."""

    def __init__(self, message, messages=None):
        super().__init__(message)
        self.messages = list(messages or [message])


class NeedsConfirmation(DutyError):
    """Only warnings: saved once the arranger confirms having seen them."""


@dataclass(frozen=True)
class DayPlan:
    people: tuple[int, ...]
    leader: int | None = None


def _user(by):
    return by if getattr(by, "pk", None) else None


def _history(obj, by):
    user = _user(by)
    if user is not None:
        obj._history_user = user
    return obj


def _line(value, limit=SHORT_TEXT) -> str:
    try:
        return clean_text(value or "", max_length=limit, multiline=False).strip()
    except ValidationError as exc:
        raise DutyError(exc.messages[0]) from None


def _text(value, limit=LONG_TEXT) -> str:
    try:
        return clean_text(value or "", max_length=limit).strip()
    except ValidationError as exc:
        raise DutyError(exc.messages[0]) from None


def _date_ok(value: datetime.date) -> None:
    try:
        validate_date_in_bounds(value)
    except ValidationError as exc:
        raise DutyError(exc.messages[0]) from None


def _actor(by) -> Person:
    person = person_of(by)
    if person is None:
        raise DutyError(_("This login is not linked to a person."))
    return person


# --- checking a roster -----------------------------------------------------------------


def _absences(plan: dict[datetime.date, DayPlan]) -> dict[datetime.date, dict]:
    """{date: {person id: reason}} of the people of each day away on leave in the
    morning or the afternoon (meetings.absences: leave registers there)."""
    found = {}
    for day, entry in plan.items():
        ids = [*entry.people, *([entry.leader] if entry.leader else [])]
        if not ids:
            continue
        away = absences_on(ids, day, "am")
        for person_id, reason in absences_on(ids, day, "pm").items():
            away.setdefault(person_id, reason)
        if away:
            found[day] = away
    return found


def _flag_message(flag: rules.Flag, names: dict[int, str]) -> str:
    values = {
        "date": flag.date.isoformat(),
        "name": names.get(flag.person_id, ""),
        "reason": flag.reason,
    }
    if flag.code == rules.NOBODY:
        return _("%(date)s: nobody is on duty.") % values
    if flag.code == rules.ON_LEAVE:
        return _("%(date)s: %(name)s is on duty but on leave (%(reason)s).") % values
    if flag.code == rules.NO_LEADER:
        return _("%(date)s: no leader on duty.") % values
    return _("%(date)s: the leader on duty %(name)s is on leave (%(reason)s).") % values


def _check_plan(
    *,
    roster_kind: str,
    unit: Unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    plan: dict[datetime.date, DayPlan],
    rotation_policy,
    confirm: bool,
) -> str:
    """Refuse a plan with bad input or errors (DutyError, every message); with only
    warnings, NeedsConfirmation unless `confirm`. Returns the confirmed warnings."""
    value = rotation_policy.value
    problems = []
    outside = sorted(d for d in plan if not starts_on <= d <= ends_on)
    for day in outside:
        problems.append(
            _("%(date)s is outside the roster (%(first)s to %(last)s).")
            % {"date": day, "first": starts_on, "last": ends_on}
        )
    ids = {p for entry in plan.values() for p in entry.people}
    leader_ids = {entry.leader for entry in plan.values() if entry.leader}
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids | leader_ids).only(
            "pk", "name", "unit_id", "position", "is_active"
        )
    }
    names = {pk: p.name for pk, p in people.items()}
    for person_id in sorted(ids):
        person = people.get(person_id)
        if person is None or not person.is_active:
            problems.append(_("Someone chosen is not an active person."))
        elif person.unit_id != unit.pk:
            problems.append(
                _("%(name)s is not in %(unit)s.") % {"name": person.name, "unit": unit}
            )
    for leader_id in sorted(leader_ids):
        leader = people.get(leader_id)
        if (
            leader is None
            or not leader.is_active
            or leader.position not in (Position.DIRECTOR, Position.DEPUTY)
        ):
            problems.append(
                _("%(name)s is not a bureau leader and cannot lead a day on duty.")
                % {"name": leader.name if leader else "?"}
            )
    for day, entry in sorted(plan.items()):
        if len(set(entry.people)) != len(entry.people):
            problems.append(_("%(date)s: the same person twice.") % {"date": day})
        if len(entry.people) > value["max_per_day"]:
            problems.append(
                _("%(date)s: at most %(n)s people a day.")
                % {"date": day, "n": value["max_per_day"]}
            )
    if problems:
        raise DutyError(problems[0], problems)
    flags = rules.roster_flags(
        {d: e.people for d, e in plan.items()},
        {d: e.leader for d, e in plan.items()},
        _absences(plan),
        nobody_is_error=value["nobody_is_error"][roster_kind],
        leader_required=value["leader_required"][roster_kind],
    )
    errors = [_flag_message(f, names) for f in flags if f.error]
    if errors:
        raise DutyError(errors[0], errors)
    warnings = [_flag_message(f, names) for f in flags if not f.error]
    if warnings and not confirm:
        raise NeedsConfirmation(warnings[0], warnings)
    return "\n".join(warnings), _flag_rows(flags, names)


def _flag_rows(flags, names: dict[int, str]) -> list[dict]:
    """The flags as stored on the roster (Roster.flags), in date order."""
    return [
        {
            "date": f.date.isoformat(),
            "code": f.code,
            "name": names.get(f.person_id, "") if f.person_id else "",
            "reason": str(f.reason or ""),
        }
        for f in flags
    ]


def flag_text(row: dict) -> str:
    """A stored flag (Roster.flags) in words."""
    flag = rules.Flag(
        datetime.date.fromisoformat(row["date"]),
        row["code"],
        False,
        0 if row.get("name") else None,
        row.get("reason", ""),
    )
    return _flag_message(flag, {0: row.get("name", "")})


def _period(starts_on, ends_on, rotation_policy) -> None:
    if starts_on is None or ends_on is None:
        raise DutyError(_("Give the first and the last day."))
    _date_ok(starts_on)
    _date_ok(ends_on)
    if ends_on < starts_on:
        raise DutyError(_("The last day is before the first day."))
    longest = rotation_policy.value["max_days"]
    if (ends_on - starts_on).days + 1 > longest:
        raise DutyError(
            _("A roster covers at most %(n)s days: split it.") % {"n": longest}
        )


# --- rosters ---------------------------------------------------------------------------


def roster_create(
    *,
    by,
    kind: str,
    unit: Unit,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    people: list[int],
    leaders: list[int] = (),
    confirm: bool = False,
) -> Roster:
    """A roster generated from the ordered `people` (ids), `per_day` a day round
    and round, over the days the policy keeps (a daily roster skips rest days by
    the bureau's calendar), with the `leaders` in turn on holiday and event
    rosters. Checked (DUTY-1 flags) before anything is written."""
    person = _actor(by)
    if kind not in Roster.Kind.values:
        raise DutyError(_("Choose the kind of roster."))
    if unit is None or not selectors.arrangeable_units(by).filter(pk=unit.pk).exists():
        raise DutyError(_("You do not arrange duty for this office or unit."))
    title = _line(title)
    if not title:
        raise DutyError(_("Give the roster a title."))
    rotation_policy = policy_in_force(ROTATION, starts_on or timezone.localdate())
    _period(starts_on, ends_on, rotation_policy)
    people = [int(p) for p in people]
    leaders = [int(p) for p in leaders] if kind != Roster.Kind.DAILY else []
    if not people:
        raise DutyError(_("Choose the people of the rotation, in their order."))
    if len(set(people)) != len(people) or len(set(leaders)) != len(leaders):
        raise DutyError(_("Each person appears once in the rotation."))
    value = rotation_policy.value
    dates = rules.roster_dates(
        starts_on,
        ends_on,
        skip_rest_days=value["skip_rest_days"][kind],
        working=workdays.working_days_in(starts_on, ends_on),
    )
    if not dates:
        raise DutyError(_("The period has no day to be on duty."))
    on = rules.rotation(dates, people, per_day=value["per_day"][kind])
    led = rules.leader_rotation(dates, leaders)
    plan = {d: DayPlan(tuple(on[d]), led[d]) for d in dates}
    confirmed, flags = _check_plan(
        roster_kind=kind,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        plan=plan,
        rotation_policy=rotation_policy,
        confirm=confirm,
    )
    with transaction.atomic():
        roster = Roster(
            kind=kind,
            title=title,
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
            filing=(
                Roster.Filing.NOT_REQUIRED
                if selectors.is_arranger(by)
                else Roster.Filing.UNFILED
            ),
            created_by=person,
            rotation_policy_id=rotation_policy.id,
            confirmed_warnings=confirmed,
            flags=flags,
        )
        try:
            roster.full_clean()
        except ValidationError as exc:
            raise DutyError(exc.messages[0], exc.messages) from None
        _history(roster, by).save()
        _write_days(roster, plan, by)
    return roster


def _write_days(roster: Roster, plan: dict[datetime.date, DayPlan], by) -> None:
    days = bulk_create_with_history(
        [
            DutyDay(roster=roster, date=d, leader_id=e.leader)
            for d, e in sorted(plan.items())
        ],
        DutyDay,
        default_user=_user(by),
    )
    by_date = {d.date: d for d in days}
    if any(d.pk is None for d in days):
        by_date = {d.date: d for d in roster.days.all()}
    bulk_create_with_history(
        [
            Assignment(day=by_date[d], person_id=pid, slot=slot)
            for d, e in sorted(plan.items())
            for slot, pid in enumerate(e.people, start=1)
        ],
        Assignment,
        default_user=_user(by),
    )


def roster_plan(roster: Roster, dates=None) -> dict[datetime.date, DayPlan]:
    """The roster's days as they stand (only `dates`, when given), as a plan."""
    return {
        day.date: DayPlan(
            tuple(a.person_id for a in day.assignments.all()), day.leader_id
        )
        for day in selectors.roster_days(roster, dates)
    }


def roster_days_set(
    *,
    by,
    roster: Roster,
    plan: dict[datetime.date, DayPlan],
    confirm: bool = False,
) -> Roster:
    """Set the people and the leader of the days in `plan` (other days unchanged;
    a day in the plan outside the roster is refused). Checked like a new roster,
    the whole roster as it will stand; a unit's filed roster changed by the unit
    is to be filed again."""
    if not selectors.may_arrange(by, roster):
        raise DutyError(_("You do not arrange this roster."))
    rotation_policy = policy_in_force(ROTATION, roster.starts_on)
    if roster.kind == Roster.Kind.DAILY:
        plan = {d: DayPlan(e.people, None) for d, e in plan.items()}
    with transaction.atomic():
        # Checked under the roster's lock: two arrangers saving at once are
        # checked one after the other, each against what the other saved.
        roster = (
            Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
        )
        whole = roster_plan(roster)
        whole.update(plan)
        confirmed, flags = _check_plan(
            roster_kind=roster.kind,
            unit=roster.unit,
            starts_on=roster.starts_on,
            ends_on=roster.ends_on,
            plan=whole,
            rotation_policy=rotation_policy,
            confirm=confirm,
        )
        existing = {d.date: d for d in roster.days.all()}
        current = {
            (a.day_id, a.person_id): a
            for a in Assignment.objects.filter(day__roster=roster)
        }
        for date, entry in sorted(plan.items()):
            day = existing.get(date)
            if day is None:
                day = _history(
                    DutyDay(roster=roster, date=date, leader_id=entry.leader), by
                )
                day.save()
            elif day.leader_id != entry.leader:
                day.leader_id = entry.leader
                _history(day, by).save(update_fields=["leader"])
            wanted = {pid: slot for slot, pid in enumerate(entry.people, start=1)}
            for (day_id, pid), assignment in list(current.items()):
                if day_id == day.pk and pid not in wanted:
                    _history(assignment, by).delete()
            for pid, slot in wanted.items():
                assignment = current.get((day.pk, pid))
                if assignment is None:
                    _history(Assignment(day=day, person_id=pid, slot=slot), by).save()
                elif assignment.slot != slot:
                    assignment.slot = slot
                    _history(assignment, by).save(update_fields=["slot"])
        fields = ["confirmed_warnings", "rotation_policy_id", "flags"]
        roster.confirmed_warnings = confirmed
        roster.flags = flags
        roster.rotation_policy_id = rotation_policy.id
        if roster.filing in (
            Roster.Filing.FILED,
            Roster.Filing.ACKNOWLEDGED,
        ) and not selectors.is_arranger(by):
            roster.filing = Roster.Filing.UNFILED
            fields.append("filing")
        _history(roster, by).save(update_fields=fields)
    return roster


def roster_file(*, by, roster: Roster) -> Roster:
    """A unit files its roster with the comprehensive section (备案); the
    arrangers are told."""
    with transaction.atomic():
        roster = (
            Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
        )
        if roster.filing == Roster.Filing.FILED:
            return roster
        if not selectors.may_file(by, roster):
            raise DutyError(_("This roster is not yours to file, or needs no filing."))
        roster.filing = Roster.Filing.FILED
        roster.filed_at = timezone.now()
        roster.filed_by = _actor(by)
        roster.acknowledged_at = None
        roster.acknowledged_by = None
        _history(roster, by).save(
            update_fields=[
                "filing",
                "filed_at",
                "filed_by",
                "acknowledged_at",
                "acknowledged_by",
            ]
        )
        for arranger in _arrangers():
            notify_person(
                arranger,
                title=_("Duty roster filed: %(title)s") % {"title": roster.title},
                body=_("%(unit)s, %(first)s to %(last)s.")
                % {
                    "unit": roster.unit,
                    "first": roster.starts_on,
                    "last": roster.ends_on,
                },
                url=reverse("duty:roster", args=[roster.pk]),
            )
    return roster


# --- DUTY-1: flags again when leave or going out is approved afterwards ------------------


def rosters_reflag(
    *, person_ids, start: datetime.date, end: datetime.date, by=None
) -> list[Roster]:
    """DUTY-1: leave (or going out) of these people between `start` and `end` was
    approved or changed after their rosters were saved: the days of those rosters
    in that period are flagged again at once (Roster.flags), and each roster's
    keeper (who arranged it, else the arrangers) is told once, naming the new
    flags. Nothing is sent when nothing new is flagged (an early return, the same
    announcement twice). Returns the rosters whose flags changed."""
    ids = sorted({int(p) for p in person_ids})
    if not ids or end < start:
        return []
    roster_ids = sorted(
        set(
            DutyDay.objects.filter(date__gte=start, date__lte=end)
            .filter(Q(assignments__person_id__in=ids) | Q(leader_id__in=ids))
            .values_list("roster_id", flat=True)
        )
    )
    changed = []
    for roster_id in roster_ids:
        with transaction.atomic():
            roster = Roster.objects.select_for_update().get(pk=roster_id)
            if _reflag(roster, start, end, by=by):
                changed.append(roster)
    return changed


def _reflag(roster: Roster, start: datetime.date, end: datetime.date, *, by) -> bool:
    """Flag `roster`'s days between `start` and `end` again (the roster locked by
    the caller); tell its keeper of new flags. True when the flags changed."""
    first, last = max(start, roster.starts_on), min(end, roster.ends_on)
    dates = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    return _reflag_dates(roster, dates, by=by)


def _reflag_dates(roster: Roster, dates, *, by, told=None) -> bool:
    """Flag `roster`'s `dates` again (the roster locked by the caller): the flags
    of those days are replaced by the ones found now, the other days' kept. The
    keeper (who arranged it, else the arrangers) is told once of the new flags —
    not `told`, who saw them already (an arranger confirming a swap). True when
    the flags changed."""
    dates = sorted({d for d in dates if roster.starts_on <= d <= roster.ends_on})
    if not dates:
        return False
    plan = roster_plan(roster, dates)
    value = policy_in_force(ROTATION, roster.starts_on).value
    flags = rules.roster_flags(
        {d: e.people for d, e in plan.items()},
        {d: e.leader for d, e in plan.items()},
        _absences(plan),
        nobody_is_error=value["nobody_is_error"][roster.kind],
        leader_required=value["leader_required"][roster.kind],
    )
    names = dict(
        Person.objects.filter(
            pk__in={f.person_id for f in flags if f.person_id}
        ).values_list("pk", "name")
    )
    fresh = _flag_rows(flags, names)
    again = {d.isoformat() for d in dates}
    kept = [row for row in roster.flags if row["date"] not in again]
    rows = sorted(kept + fresh, key=lambda row: row["date"])
    if rows == roster.flags:
        return False
    new = [row for row in fresh if row not in roster.flags]
    roster.flags = rows
    _history(roster, by).save(update_fields=["flags"])
    if new:
        keepers = [roster.created_by] if roster.created_by_id else _arrangers()
        for keeper in keepers:
            if told is not None and keeper.pk == told.pk:
                continue
            notify_person(
                keeper,
                title=_("Duty roster %(title)s: newly flagged")
                % {"title": roster.title},
                body="\n".join(flag_text(row) for row in new),
                url=reverse("duty:roster", args=[roster.pk]),
            )
    return True


def reflag_after_commit(person_ids, start, end, *, reason: str = "") -> None:
    """attendance.excuses' change listener (leave approved, shortened or
    cancelled; going out acknowledged): once the change is committed, the
    rosters concerned are flagged again (rosters_reflag)."""
    ids = sorted(set(person_ids))
    transaction.on_commit(lambda: rosters_reflag(person_ids=ids, start=start, end=end))


def _arrangers() -> list[Person]:
    from_section = Person.objects.filter(
        is_active=True, headed_sections__is_comprehensive=True
    )
    by_role = Person.objects.filter(
        is_active=True, user__groups__name=selectors.ARRANGER
    )
    return list((from_section | by_role).distinct())


def roster_acknowledge(*, by, roster: Roster) -> Roster:
    """The comprehensive section acknowledges a filed roster."""
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.filing == Roster.Filing.ACKNOWLEDGED:
            return roster
        if not selectors.may_acknowledge(by, roster):
            raise DutyError(
                _("Only a filed roster is acknowledged, by the comprehensive section.")
            )
        roster.filing = Roster.Filing.ACKNOWLEDGED
        roster.acknowledged_at = timezone.now()
        roster.acknowledged_by = _actor(by)
        _history(roster, by).save(
            update_fields=["filing", "acknowledged_at", "acknowledged_by"]
        )
        if roster.filed_by_id:
            notify_person(
                roster.filed_by,
                title=_("Duty roster acknowledged: %(title)s")
                % {"title": roster.title},
                url=reverse("duty:roster", args=[roster.pk]),
            )
    return roster


# --- swaps ---------------------------------------------------------------------------


def _assignment(roster, person_id, date, *, lock=True):
    qs = Assignment.objects.filter(
        day__roster=roster, day__date=date, person_id=person_id
    )
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def _swap_check(roster, giver_id, given_date, taker, returned_date):
    """The swap's problem in words, or None (under the locks of the caller)."""
    if taker is None or not taker.is_active:
        return _("Choose the colleague who takes the duty.")
    if taker.pk == giver_id:
        return _("A swap is between two people.")
    if taker.unit_id != roster.unit_id:
        return _("%(name)s is not in %(unit)s.") % {
            "name": taker.name,
            "unit": roster.unit,
        }
    if not roster.starts_on <= given_date <= roster.ends_on:
        return _("%(date)s is outside the roster.") % {"date": given_date}
    if _assignment(roster, giver_id, given_date) is None:
        return _("Nobody swaps a duty they do not have: not on duty on %(date)s.") % {
            "date": given_date
        }
    if _assignment(roster, taker.pk, given_date) is not None:
        return _("%(name)s is on duty on %(date)s already.") % {
            "name": taker.name,
            "date": given_date,
        }
    if returned_date is not None:
        if _assignment(roster, taker.pk, returned_date) is None:
            return _("%(name)s is not on duty on %(date)s.") % {
                "name": taker.name,
                "date": returned_date,
            }
        if _assignment(roster, giver_id, returned_date) is not None:
            return _("You are on duty on %(date)s already.") % {"date": returned_date}
    return None


def _swap_absences(giver_id, given_date, taker, returned_date) -> list[str]:
    """Who the swap puts on a day they are away (leave or going out, morning or
    afternoon): the taker on the day given, the giver on the day taken back."""
    found = []
    away = absences_on([taker.pk], given_date, "am") or absences_on(
        [taker.pk], given_date, "pm"
    )
    if away:
        # The reason says which: leave (its type) or going out.
        found.append(
            _("%(name)s is away on %(date)s (%(reason)s).")
            % {
                "name": taker.name,
                "date": given_date,
                "reason": next(iter(away.values())),
            }
        )
    if returned_date is not None:
        away = absences_on([giver_id], returned_date, "am") or absences_on(
            [giver_id], returned_date, "pm"
        )
        if away:
            found.append(
                _("The one giving the duty is away on %(date)s (%(reason)s).")
                % {"date": returned_date, "reason": next(iter(away.values()))}
            )
    return found


def _swap_refusal(roster, giver_id, given_date, taker, returned_date):
    """A swap between colleagues: any problem, an absence too, refuses it."""
    problem = _swap_check(roster, giver_id, given_date, taker, returned_date)
    if problem:
        return problem
    away = _swap_absences(giver_id, given_date, taker, returned_date)
    return away[0] if away else None


def _swap_reflag(roster: Roster, swap: Swap, by, *, told=None) -> None:
    """DUTY-1: the days the swap changed are flagged again at once (a flag that
    no longer applies goes; the keeper is told of a new one, once)."""
    dates = [swap.given_date]
    if swap.returned_date is not None:
        dates.append(swap.returned_date)
    _reflag_dates(roster, dates, by=by, told=told)


def _apply(swap: Swap, by) -> None:
    given = _assignment(swap.roster, swap.giver_id, swap.given_date)
    given.person_id = swap.taker_id
    _history(given, by).save(update_fields=["person"])
    if swap.returned_date is not None:
        back = _assignment(swap.roster, swap.taker_id, swap.returned_date)
        back.person_id = swap.giver_id
        _history(back, by).save(update_fields=["person"])


def swap_propose(
    *,
    by,
    roster: Roster,
    given_date: datetime.date,
    taker: Person,
    returned_date: datetime.date | None = None,
    reason: str = "",
) -> Swap:
    """The person on duty asks a colleague to take their day (and, with
    `returned_date`, gives them back the colleague's day). Applied when the
    colleague agrees; the colleague is told."""
    giver = _actor(by)
    reason = _line(reason)
    with transaction.atomic():
        roster = (
            Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
        )
        problem = _swap_refusal(roster, giver.pk, given_date, taker, returned_date)
        if problem:
            raise DutyError(problem)
        swap = Swap(
            roster=roster,
            giver=giver,
            given_date=given_date,
            taker=taker,
            returned_date=returned_date,
            reason=reason,
            proposed_by=giver,
            proposed_at=timezone.now(),
        )
        _history(swap, by).save()
        notify_person(
            taker,
            title=_("%(name)s asks you to take their duty on %(date)s")
            % {"name": giver.name, "date": given_date},
            body=reason,
            url=reverse("duty:roster", args=[roster.pk]),
        )
    return swap


def swap_record(
    *,
    by,
    roster: Roster,
    giver: Person,
    given_date: datetime.date,
    taker: Person,
    returned_date: datetime.date | None = None,
    reason: str = "",
    confirm: bool = False,
) -> Swap:
    """The arranger records a swap the two agreed outside the system: done at once.
    A swap that puts someone on a day they are away is a warning, as when the
    roster is saved (NeedsConfirmation until `confirm`); recorded, the days are
    flagged (DUTY-1) and the keeper, if not the arranger recording, told."""
    if not selectors.may_arrange(by, roster):
        raise DutyError(_("Only the roster's arranger records a swap."))
    actor = _actor(by)
    reason = _line(reason)
    with transaction.atomic():
        roster = (
            Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
        )
        problem = _swap_check(roster, giver.pk, given_date, taker, returned_date)
        if problem:
            raise DutyError(problem)
        away = _swap_absences(giver.pk, given_date, taker, returned_date)
        if away and not confirm:
            raise NeedsConfirmation(away[0], away)
        now = timezone.now()
        swap = Swap(
            roster=roster,
            giver=giver,
            given_date=given_date,
            taker=taker,
            returned_date=returned_date,
            reason=reason,
            status=Swap.Status.DONE,
            proposed_by=actor,
            proposed_at=now,
            decided_by=actor,
            decided_at=now,
        )
        _history(swap, by).save()
        _apply(swap, by)
        _swap_reflag(roster, swap, by, told=actor)
    return swap


def swap_decide(*, by, swap: Swap, agree: bool) -> Swap:
    """The colleague asked agrees (the duties change hands) or declines."""
    person = _actor(by)
    with transaction.atomic():
        roster = (
            Roster.objects.select_for_update()
            .select_related("unit")
            .get(pk=swap.roster_id)
        )
        swap = Swap.objects.select_for_update().get(pk=swap.pk)
        if swap.status != Swap.Status.PROPOSED:
            raise DutyError(_("This swap is decided already."))
        if swap.taker_id != person.pk:
            raise DutyError(_("Only the colleague asked agrees or declines."))
        if agree:
            problem = _swap_refusal(
                roster, swap.giver_id, swap.given_date, swap.taker, swap.returned_date
            )
            if problem:
                raise DutyError(problem)
            _apply(swap, by)
            _swap_reflag(roster, swap, by)
        swap.status = Swap.Status.DONE if agree else Swap.Status.DECLINED
        swap.decided_by = person
        swap.decided_at = timezone.now()
        _history(swap, by).save(update_fields=["status", "decided_by", "decided_at"])
        notify_person(
            swap.giver,
            title=(
                _("%(name)s takes your duty on %(date)s")
                if agree
                else _("%(name)s cannot take your duty on %(date)s")
            )
            % {"name": person.name, "date": swap.given_date},
            url=reverse("duty:roster", args=[roster.pk]),
        )
    return swap


def swap_withdraw(*, by, swap: Swap) -> Swap:
    person = _actor(by)
    with transaction.atomic():
        swap = Swap.objects.select_for_update().get(pk=swap.pk)
        if swap.status != Swap.Status.PROPOSED:
            raise DutyError(_("This swap is decided already."))
        if swap.proposed_by_id != person.pk:
            raise DutyError(_("Only who proposed the swap withdraws it."))
        swap.status = Swap.Status.WITHDRAWN
        swap.decided_by = person
        swap.decided_at = timezone.now()
        _history(swap, by).save(update_fields=["status", "decided_by", "decided_at"])
    return swap


# --- arriving --------------------------------------------------------------------------


def day_start(day: DutyDay) -> datetime.datetime | None:
    """When the duty day starts: the morning start of the unit's schedule that day
    (also on a holiday: the duty keeps office hours)."""
    schedule = workdays.schedule_for(day.roster.unit_id, day.date)
    if schedule is None:
        return None
    return workdays.sessions_for_schedule(schedule, day.date)[0].start


def duty_arrive(*, by, assignment: Assignment, at: datetime.datetime | None = None):
    """The person on duty records arriving; judged against the window of the
    policy in force that day (DUTY-1: 15 to 10 minutes before the start)."""
    person = _actor(by)
    at = at or timezone.now()
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .select_related("day__roster")
            .get(pk=assignment.pk)
        )
        if assignment.person_id != person.pk:
            raise DutyError(_("Only the person on duty records their arrival."))
        if assignment.arrived_at is not None:
            return assignment
        local = timezone.localtime(at, workdays.TZ)
        if local.date() != assignment.day.date:
            raise DutyError(_("Arrival is recorded on the day of the duty."))
        start = day_start(assignment.day)
        if start is None:
            raise DutyError(_("The office has no working hours set for that day."))
        policy = policy_in_force(ARRIVAL, assignment.day.date)
        assignment.arrived_at = at
        assignment.arrival = rules.judge_arrival(
            local,
            start,
            earliest_minutes=policy.value["earliest_minutes"],
            latest_minutes=policy.value["latest_minutes"],
        )
        assignment.arrival_policy_id = policy.id
        _history(assignment, by).save(
            update_fields=["arrived_at", "arrival", "arrival_policy_id"]
        )
    return assignment


# --- the duty log ----------------------------------------------------------------------


def log_record(
    *,
    by,
    day: DutyDay,
    kind: str,
    occurred_at: datetime.datetime,
    content: str,
    caller: str = "",
    handling: str = "",
) -> LogEntry:
    """A call, a visit or an urgent matter on a duty day; an urgent one reaches the
    leader on duty at once (in-app and by e-mail, after commit)."""
    person = _actor(by)
    if not selectors.may_write_log(by, day):
        raise DutyError(_("Only who is on duty that day keeps its log."))
    if kind not in LogEntry.Kind.values:
        raise DutyError(_("Choose what kind of entry it is."))
    content = _text(content)
    handling = _text(handling)
    caller = _line(caller, 100)
    if not content:
        raise DutyError(_("Write what was said or happened."))
    if occurred_at is None:
        raise DutyError(_("Give the time."))
    local = timezone.localtime(occurred_at, workdays.TZ)
    if local.date() not in (day.date, day.date + datetime.timedelta(days=1)):
        raise DutyError(
            _("The time is on the duty day (or the night after): %(date)s.")
            % {"date": day.date}
        )
    now = timezone.now()
    if occurred_at > now + datetime.timedelta(minutes=5):
        raise DutyError(_("The time is in the future."))
    with transaction.atomic():
        entry = LogEntry(
            day=day,
            kind=kind,
            occurred_at=occurred_at,
            caller=caller,
            content=content,
            handling=handling,
            recorded_by=person,
            recorded_at=now,
        )
        _history(entry, by).save()
        if entry.is_urgent:
            entry = log_notify_leader(entry=entry, by=by)
    return entry


def log_notify_leader(*, entry: LogEntry, by=None) -> LogEntry:
    """Tell the leader on duty of an urgent entry: once (the entry is locked and
    marked; a second call does nothing)."""
    with transaction.atomic():
        entry = (
            LogEntry.objects.select_for_update(of=("self",))
            .select_related("day__roster__unit", "day__leader", "recorded_by")
            .get(pk=entry.pk)
        )
        if entry.notified_at is not None or not entry.is_urgent:
            return entry
        leader = selectors.leader_on_duty(entry.day)
        if leader is None:
            return entry
        local = timezone.localtime(entry.occurred_at, workdays.TZ)
        notify_person(
            leader,
            title=_("Urgent on duty: %(content)s") % {"content": entry.content[:60]},
            body=_("%(time)s, %(caller)s. Recorded by %(name)s. %(handling)s")
            % {
                "time": local.strftime("%Y-%m-%d %H:%M"),
                "caller": entry.caller or "—",
                "name": entry.recorded_by.name,
                "handling": entry.handling,
            },
            url=reverse("duty:log", args=[entry.day_id]),
        )
        entry.leader_notified = leader
        entry.notified_at = timezone.now()
        _history(entry, by).save(update_fields=["leader_notified", "notified_at"])
    return entry
