"""Going out during work hours (ATT-7) and unreported absence from post (ATT-5)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.selectors import current_approval_of
from approvals.services import ApprovalError, approval_decide, approval_submit
from attendance.excuses import announce_excuses_changed
from attendance.models import AwayFromPost, GoingOut, SessionRecord
from attendance.plan import day_plan
from attendance.policies import GOING_OUT_CHAIN
from attendance.selectors import clerk_keeps, month_is_closed
from attendance.services.common import (
    AttendanceError,
    check_input,
    is_clerk,
    local_date,
    now_or,
    require_person,
)
from attendance.services.judging import rejudge
from bureau.access import person_of
from bureau.models import Person
from bureau.policies import policy_in_force
from bureau.workdays import TZ


def _history_user(obj, user):
    if getattr(user, "pk", None):
        obj._history_user = user
    return obj


Status = GoingOut.Status
KIND = "going_out"


def going_out_report(
    *,
    by,
    leaves_at: datetime.datetime,
    expected_return: datetime.datetime,
    destination: str,
    reason: str,
    now: datetime.datetime | None = None,
) -> GoingOut:
    """Report going out, first, to one's supervisor by position (ATT-7).

    The report and its one-step approval (policy `attendance.going_out_chain`,
    resolved on the day: a stand-in takes the step, ORG-2) are saved together. The
    director reports outside the bureau: the step is recorded as acknowledged.
    """
    person = require_person(by)
    now = now_or(now)
    check_input(moments=[leaves_at, expected_return], texts=[destination, reason])
    if expected_return <= leaves_at:
        raise AttendanceError(_("The expected return must be after leaving."))
    if leaves_at < now - datetime.timedelta(minutes=5):
        raise AttendanceError(_("Going out is reported before leaving, not after."))
    day = local_date(leaves_at)
    version = policy_in_force(GOING_OUT_CHAIN, day)
    going_out = GoingOut(
        person=person,
        date=day,
        leaves_at=leaves_at,
        expected_return=expected_return,
        destination=destination.strip(),
        reason=reason.strip(),
    )
    going_out.full_clean()
    with transaction.atomic():
        _history_user(going_out, by)
        going_out.save()
        try:
            approval_submit(
                subject=going_out,
                requester=person,
                chain=version.value,
                by=by,
                kind=KIND,
                summary=going_out_summary(going_out),
                chain_policy_id=version.id,
                on=day,
            )
        except ApprovalError as exc:
            raise AttendanceError(str(exc)) from exc
    # The director's report was acknowledged at once (the engine told us).
    going_out.refresh_from_db(fields=["status"])
    return going_out


def going_out_summary(going_out: GoingOut) -> str:
    """What the approver's inbox shows: who, where, when, why."""
    return _("%(name)s: going out to %(place)s, %(start)s–%(end)s (%(reason)s)") % {
        "name": going_out.person.name,
        "place": going_out.destination,
        "start": going_out.leaves_at.astimezone(TZ).strftime("%m-%d %H:%M"),
        "end": going_out.expected_return.astimezone(TZ).strftime("%H:%M"),
        "reason": going_out.reason,
    }


def going_out_on_outcome(approval, outcome: str) -> None:
    """The approval engine's hook (inside its transaction): the report takes the
    decision. A going-out logged back already keeps "returned"; acknowledged, it
    excuses the sessions it overlaps, also those settled already, which are judged
    again after commit (ATT-7, ATT-8)."""
    going_out = GoingOut.objects.select_for_update().get(pk=approval.object_id)
    value = GoingOut.approval_status_map.get(outcome, outcome)
    if going_out.status == Status.RETURNED and outcome == "approved":
        value = Status.RETURNED
    if going_out.status != value:
        going_out.status = value
        going_out.save(update_fields=["status"])
    if outcome == "approved":
        # The "business" excuse now covers the day: settled sessions are judged
        # again, after commit, in a task (ATT-7, ATT-8).
        announce_excuses_changed(
            [going_out.person_id],
            going_out.date,
            going_out.date,
            reason="going-out acknowledged",
        )


def going_out_decide(
    *,
    by,
    going_out_id: int,
    acknowledge: bool,
    note: str = "",
) -> tuple[GoingOut, bool]:
    """Acknowledge or refuse through the approval engine (the addressee or their
    stand-in, ORG-2); a refusal needs a note. Deciding again the same way is a
    no-op; (going_out, changed)."""
    going_out = GoingOut.objects.get(pk=going_out_id)
    approval = current_approval_of(going_out)
    target = Status.ACKNOWLEDGED if acknowledge else Status.REFUSED
    if approval is None:
        raise AttendanceError(_("This report is not addressed to you."))
    if approval.status != approval.Status.PENDING:
        done = approval.status == ("approved" if acknowledge else "refused")
        if done:
            return going_out, False
        raise AttendanceError(_("This report has been decided already."))
    try:
        approval_decide(
            request=approval,
            by=by,
            decision="approve" if acknowledge else "refuse",
            comment=note.strip()[:200],
        )
    except ApprovalError as exc:
        raise AttendanceError(str(exc)) from exc
    going_out.refresh_from_db(fields=["status"])
    if going_out.status not in (target, Status.RETURNED):
        raise AttendanceError(_("This report has been decided already."))
    return going_out, True


def going_out_return(
    *, by, going_out_id: int, now: datetime.datetime | None = None
) -> tuple[GoingOut, bool]:
    """Log the return (the person, or the clerk who keeps their unit)."""
    now = now_or(now)
    with transaction.atomic():
        going_out = (
            GoingOut.objects.select_for_update()
            .select_related("person")
            .get(pk=going_out_id)
        )
        me = person_of(by)
        if not (me and me.pk == going_out.person_id) and not (
            is_clerk(by) and clerk_keeps(by, going_out.person)
        ):
            raise AttendanceError(_("Only the person or the clerk logs the return."))
        if going_out.status == Status.RETURNED:
            return going_out, False
        if going_out.status not in (Status.ACKNOWLEDGED, Status.REQUESTED):
            raise AttendanceError(_("This going-out was not acknowledged."))
        excused = going_out.status == Status.ACKNOWLEDGED
        going_out.status = Status.RETURNED
        going_out.returned_at = now
        _history_user(going_out, by)
        going_out.save(update_fields=["status", "returned_at"])
        if excused and now < going_out.expected_return:
            # Back early (or before even leaving): the "business" excuse ends at
            # the return, so it may cover fewer sessions; who listens looks again
            # (ATT-8's re-judge, DUTY-1's roster flags), as for leave cut short.
            announce_excuses_changed(
                [going_out.person_id],
                going_out.date,
                going_out.date,
                reason="going-out returned early",
            )
    return going_out, True


def away_record(
    *,
    by,
    person_id: int,
    left_at: datetime.datetime,
    returned_at: datetime.datetime,
    note: str = "",
    now: datetime.datetime | None = None,
) -> AwayFromPost:
    """The clerk records an unreported absence from post (ATT-7). Over the limit
    (30 minutes) it makes the session a half-day absence (ATT-5); a settled session
    is judged again at once."""
    now = now_or(now)
    if not is_clerk(by):
        raise AttendanceError(_("Only the attendance clerk records this."))
    check_input(moments=[left_at, returned_at], texts=[note])
    person = Person.objects.get(pk=person_id)
    if person.user_id == by.pk:
        raise AttendanceError(_("Nobody records their own absence from post."))
    if not clerk_keeps(by, person):
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
            recorded_by=by,
        )
        record = (
            SessionRecord.objects.select_for_update()
            .filter(person=person, date=day, part=session.part)
            .first()
        )
        if record is not None and record.settled_at is not None:
            # Settled already: judged again at once by the one re-judge.
            rejudge([record], reason="absence from post recorded", by=by, now=now)
    return away
