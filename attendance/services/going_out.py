"""Going out during work hours (ATT-7) and unreported absence from post (ATT-5)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from attendance.models import AwayFromPost, GoingOut, Outcome, SessionRecord
from attendance.plan import day_plan
from attendance.services.common import (
    AttendanceError,
    check_input,
    is_clerk,
    local_date,
    now_or,
    require_person,
)
from bureau.access import person_of
from bureau.models import Person
from bureau.resolver import Relation, resolve

Status = GoingOut.Status


def going_out_report(
    *,
    user,
    leaves_at: datetime.datetime,
    expected_return: datetime.datetime,
    destination: str,
    reason: str,
    now: datetime.datetime | None = None,
) -> GoingOut:
    """Report going out, first, to one's supervisor by position (ATT-7).

    The director reports outside the bureau: the report is recorded as acknowledged.
    """
    person = require_person(user)
    now = now_or(now)
    check_input(moments=[leaves_at, expected_return], texts=[destination, reason])
    if expected_return <= leaves_at:
        raise AttendanceError(_("The expected return must be after leaving."))
    if leaves_at < now - datetime.timedelta(minutes=5):
        raise AttendanceError(_("Going out is reported before leaving, not after."))
    day = local_date(leaves_at)
    approver = resolve(person, Relation.SUPERVISOR, on=day)
    going_out = GoingOut(
        person=person,
        date=day,
        leaves_at=leaves_at,
        expected_return=expected_return,
        destination=destination.strip(),
        reason=reason.strip(),
    )
    if approver is None:
        going_out.status = Status.ACKNOWLEDGED
        going_out.decided_at = now
        going_out.decision_note = _("Reported outside the bureau.")
    else:
        going_out.approver = approver.person
        going_out.approver_acting_for = approver.acting_for
        going_out.relation = approver.relation
    going_out.full_clean()
    going_out.save()
    return going_out


def going_out_decide(
    *,
    user,
    going_out_id: int,
    acknowledge: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> tuple[GoingOut, bool]:
    now = now_or(now)
    person = require_person(user)
    with transaction.atomic():
        going_out = GoingOut.objects.select_for_update().get(pk=going_out_id)
        if going_out.approver_id != person.pk:
            raise AttendanceError(_("This report is not addressed to you."))
        target = Status.ACKNOWLEDGED if acknowledge else Status.REFUSED
        if going_out.status == target:
            return going_out, False
        if going_out.status != Status.REQUESTED:
            raise AttendanceError(_("This report has been decided already."))
        going_out.status = target
        going_out.decided_at = now
        going_out.decision_note = note.strip()[:200]
        going_out.save(update_fields=["status", "decided_at", "decision_note"])
    if acknowledge:
        # Acknowledged after the session was settled (the head answered late):
        # the business excuse now covers it, so it is judged again (ATT-7, ATT-8).
        from attendance.services.sheets import excuses_changed

        excuses_changed([going_out.person_id], going_out.date, going_out.date)
    return going_out, True


def going_out_return(
    *, user, going_out_id: int, now: datetime.datetime | None = None
) -> tuple[GoingOut, bool]:
    """Log the return (the person, or the clerk who keeps their unit)."""
    from attendance.selectors import clerk_keeps

    now = now_or(now)
    with transaction.atomic():
        going_out = (
            GoingOut.objects.select_for_update()
            .select_related("person")
            .get(pk=going_out_id)
        )
        me = person_of(user)
        if not (me and me.pk == going_out.person_id) and not (
            is_clerk(user) and clerk_keeps(user, going_out.person)
        ):
            raise AttendanceError(_("Only the person or the clerk logs the return."))
        if going_out.status == Status.RETURNED:
            return going_out, False
        if going_out.status not in (Status.ACKNOWLEDGED, Status.REQUESTED):
            raise AttendanceError(_("This going-out was not acknowledged."))
        going_out.status = Status.RETURNED
        going_out.returned_at = now
        going_out.save(update_fields=["status", "returned_at"])
    return going_out, True


def away_record(
    *,
    user,
    person_id: int,
    left_at: datetime.datetime,
    returned_at: datetime.datetime,
    note: str = "",
    now: datetime.datetime | None = None,
) -> AwayFromPost:
    """The clerk records an unreported absence from post (ATT-7). Over the limit
    (30 minutes) it makes the session a half-day absence (ATT-5); a settled session
    is judged again at once."""
    from attendance.excuses import excuses_for
    from attendance.selectors import clerk_keeps
    from attendance.services.month import month_is_closed
    from attendance.services.records import JUDGED_FIELDS, apply_judgement
    from attendance.services.sheets import away_minutes_for, feed_discipline

    now = now_or(now)
    if not is_clerk(user):
        raise AttendanceError(_("Only the attendance clerk records this."))
    check_input(moments=[left_at, returned_at], texts=[note])
    person = Person.objects.get(pk=person_id)
    if person.user_id == user.pk:
        raise AttendanceError(_("Nobody records their own absence from post."))
    if not clerk_keeps(user, person):
        raise AttendanceError(
            _("%(person)s is in a unit whose attendance another clerk keeps.")
            % {"person": person}
        )
    if returned_at <= left_at:
        raise AttendanceError(_("The return must be after leaving."))
    if returned_at > now + datetime.timedelta(minutes=1):
        raise AttendanceError(_("The return cannot be in the future."))
    day = local_date(left_at)
    if month_is_closed(day):
        raise AttendanceError(_("The month is closed."))
    plan = day_plan(person.unit_id, day)
    session = next(
        (s for s in plan.sessions if s.start <= left_at < s.end),
        None,
    )
    if session is None:
        raise AttendanceError(_("That time is outside the person's work sessions."))
    minutes = int((min(returned_at, session.end) - left_at).total_seconds() // 60)
    with transaction.atomic():
        away = AwayFromPost.objects.create(
            person=person,
            date=day,
            part=session.part,
            left_at=left_at,
            returned_at=returned_at,
            minutes=minutes,
            note=note.strip()[:200],
            recorded_by=user,
        )
        record = (
            SessionRecord.objects.select_for_update()
            .filter(person=person, date=day, part=session.part)
            .first()
        )
        if record is not None and record.settled_at is not None:
            excuse = excuses_for([person.pk], day, day).get(
                (person.pk, day, session.part)
            )
            apply_judgement(
                record,
                thresholds=plan.thresholds,
                policy_ids=plan.policy_ids,
                excuse=excuse,
                away_minutes=away_minutes_for([person.pk], day).get(
                    (person.pk, session.part), 0
                ),
                now=now,
            )
            record._change_reason = "absence from post recorded"
            record.save(update_fields=JUDGED_FIELDS)
            if record.outcome == Outcome.ABSENT:
                feed_discipline([record], recorded_by=user)
    return away


def business_excuses(person_ids, start, end) -> dict:
    """The "business" excuse provider: acknowledged going-outs cover the sessions
    they overlap (ATT-6's "out on business"). One query plus the schedules."""
    from attendance.excuses import Excuse
    from bureau import workdays
    from bureau.models import SeasonalSchedule

    rows = list(
        GoingOut.objects.filter(
            person_id__in=list(person_ids),
            date__range=(start, end),
            status__in=[Status.ACKNOWLEDGED, Status.RETURNED],
        ).values(
            "id",
            "person_id",
            "person__unit_id",
            "date",
            "leaves_at",
            "expected_return",
            "returned_at",
            "destination",
        )
    )
    if not rows:
        return {}
    schedules = list(SeasonalSchedule.objects.all())
    found = {}
    for row in rows:
        schedule = workdays.schedule_for(row["person__unit_id"], row["date"], schedules)
        if schedule is None:
            continue
        back = row["returned_at"] or row["expected_return"]
        for session in workdays.sessions_for_schedule(schedule, row["date"]):
            if row["leaves_at"] < session.end and back > session.start:
                found[(row["person_id"], row["date"], session.part)] = Excuse(
                    kind="business",
                    label=_("Out on business: %(place)s")
                    % {"place": row["destination"]},
                    source_app="attendance.goingout",
                    source_id=row["id"],
                    until=row["expected_return"],
                )
    return found


def current_going_outs(person_ids, now) -> dict:
    """{person_id: GoingOut} of those out right now (for the board)."""
    qs = GoingOut.objects.filter(
        person_id__in=list(person_ids),
        date=local_date(now),
        status__in=[Status.ACKNOWLEDGED, Status.REQUESTED],
        leaves_at__lte=now,
    ).order_by("leaves_at")
    return {g.person_id: g for g in qs}
