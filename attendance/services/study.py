"""Collective study and activities (ATT-9, STUDY-1)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.selectors import current_approval_of
from approvals.services import ApprovalError, approval_decide, approval_submit
from approvals.tiers import choose_chain, tier_chain
from attendance import rules
from attendance.evidence import study_absence_evidence
from attendance.models import StudyAttendance, StudyLeave, StudySession
from attendance.policies import STUDY_LEAVE_CHAINS, STUDY_SCHEDULE
from attendance.selectors import keeps_all_units, month_is_closed, participants
from attendance.services.common import (
    AttendanceError,
    check_input,
    is_clerk,
    local_date,
    now_or,
    require_person,
)
from bureau import workdays
from bureau.models import Person
from bureau.policies import policy_in_force
from discipline.services import violation_dismiss_for_source, violation_record

KIND = "study_leave"


def study_sessions_schedule(*, start: datetime.date, weeks: int = 4) -> list:
    """Create the weekly study sessions (Monday evening by default) of the coming
    weeks; a rest day is skipped. Idempotent (one session per start time)."""
    created = []
    monday = start - datetime.timedelta(days=start.weekday())
    for _week in range(weeks + 1):
        version = policy_in_force(STUDY_SCHEDULE, monday)
        value = version.value
        day = monday + datetime.timedelta(days=int(value["weekday"]))
        monday += datetime.timedelta(days=7)
        if day < start or not workdays.is_working_day(day):
            continue
        starts_at = datetime.datetime.combine(
            day, datetime.time.fromisoformat(value["start"]), tzinfo=workdays.TZ
        )
        ends_at = datetime.datetime.combine(
            day, datetime.time.fromisoformat(value["end"]), tzinfo=workdays.TZ
        )
        session, was_created = StudySession.objects.get_or_create(
            kind=StudySession.Kind.STUDY,
            starts_at=starts_at,
            defaults={
                "title": _("Weekly collective study"),
                "ends_at": ends_at,
                "policy_versions": {STUDY_SCHEDULE: version.id},
            },
        )
        if was_created:
            created.append(session)
    return created


def study_leave_ask(*, by, session_id: int, reason: str, now=None) -> StudyLeave:
    """ATT-9: general staff ask the deputy in charge, middle level and above the
    director: a one-step approval (policy `attendance.study_leave_chains`, by level)
    resolved on the session's day (acting assignments and ORG-3 apply). Nobody
    above in the bureau (the director): approved at once."""
    person = require_person(by)
    now = now_or(now)
    check_input(texts=[reason])
    session = StudySession.objects.get(pk=session_id)
    if session.settled_at is not None or session.ends_at <= now:
        raise AttendanceError(_("This session is over."))
    if not participants(session).filter(pk=person.pk).exists():
        raise AttendanceError(_("You are not expected at this session."))
    if not reason.strip():
        raise AttendanceError(_("A reason is needed."))
    day = local_date(session.starts_at)
    version = policy_in_force(STUDY_LEAVE_CHAINS, day)
    level = rules.study_leave_level(person.is_middle_level_or_above)
    _entry, tier = choose_chain(version.value, level, 0)
    leave = StudyLeave(session=session, person=person, reason=reason.strip()[:200])
    if StudyLeave.objects.filter(
        session=session, person=person, status__in=["pending", "approved"]
    ).exists():
        raise AttendanceError(_("You have asked for leave from this session already."))
    with transaction.atomic():
        if getattr(by, "pk", None):
            leave._history_user = by
        leave.save()
        try:
            approval_submit(
                subject=leave,
                requester=person,
                chain=tier_chain(tier),
                by=by,
                kind=KIND,
                summary=study_leave_summary(leave),
                chain_policy_id=version.id,
                on=day,
            )
        except ApprovalError as exc:
            raise AttendanceError(str(exc)) from exc
    leave.refresh_from_db(fields=["status"])
    return leave


def study_leave_summary(leave: StudyLeave) -> str:
    """What the approver's inbox shows: who, which session, why."""
    return _("%(name)s: leave from %(session)s, %(start)s (%(reason)s)") % {
        "name": leave.person.name,
        "session": leave.session.title,
        "start": leave.session.starts_at.astimezone(workdays.TZ).strftime(
            "%m-%d %H:%M"
        ),
        "reason": leave.reason,
    }


def study_leave_on_outcome(approval, outcome: str) -> None:
    """The approval engine's hook (inside its transaction): the request takes the
    decision. Leave approved after the clerk took attendance turns the recorded
    absence into approved leave (no absence day) and withdraws the absence it had
    fed to discipline (ATT-9)."""
    leave, changed = StudyLeave.mirror_approval_outcome(approval, outcome)
    if changed and outcome == StudyLeave.Status.APPROVED:
        leave = StudyLeave.objects.select_related("session").get(pk=leave.pk)
        _excuse_recorded_absence(leave, _decider_user(approval))


def _decider_user(approval):
    step = (
        approval.steps.filter(decided_by__isnull=False)
        .select_related("decided_by__user")
        .order_by("-order")
        .first()
    )
    return step.decided_by.user if step is not None else None


def study_leave_decide(*, by, leave_id: int, approve: bool, comment: str = ""):
    """ATT-9: the deputy in charge or the director (or their stand-in, ORG-2)
    decides, through the approval engine; a refusal needs a comment. Deciding
    again the same way is a no-op; (leave, changed)."""
    leave = StudyLeave.objects.get(pk=leave_id)
    approval = current_approval_of(leave)
    if approval is None:
        raise AttendanceError(_("This request is not addressed to you."))
    if approval.status != approval.Status.PENDING:
        if approval.status == ("approved" if approve else "refused"):
            return leave, False
        raise AttendanceError(_("This request has been decided already."))
    try:
        approval_decide(
            request=approval,
            by=by,
            decision="approve" if approve else "refuse",
            comment=comment,
        )
    except ApprovalError as exc:
        raise AttendanceError(str(exc)) from exc
    leave.refresh_from_db(fields=["status"])
    return leave, True


def _excuse_recorded_absence(leave: StudyLeave, by) -> None:

    row = (
        StudyAttendance.objects.select_for_update()
        .filter(
            session_id=leave.session_id,
            person_id=leave.person_id,
            status=StudyAttendance.Status.ABSENT,
        )
        .first()
    )
    if row is None or month_is_closed(local_date(leave.session.starts_at)):
        return
    row.status = StudyAttendance.Status.LEAVE
    row.absence_days = 0
    row._change_reason = "study leave approved afterwards (ATT-9)"
    row.save(update_fields=["status", "absence_days", "recorded_at"])
    _withdraw_absence(row, by, _("Leave from the study session was approved."))


def _withdraw_absence(row: StudyAttendance, by, note: str) -> None:
    violation_dismiss_for_source(
        kind="attendance.absence", source=row, by=by, note=note
    )


def study_attendance_take(
    *, by, session_id: int, present_ids, late_ids=(), now=None
) -> dict:
    """The clerk takes attendance: those listed are present (or late); approved
    leave excuses; everyone else expected is absent (half a day, ATT-9), and each
    absence is fed to discipline. Taking it again corrects it."""
    now = now_or(now)
    if not is_clerk(by):
        raise AttendanceError(_("Only the attendance clerk takes attendance."))
    if not keeps_all_units(by):
        raise AttendanceError(
            _("Study sessions are kept by the clerk who keeps every unit.")
        )
    with transaction.atomic():
        session = StudySession.objects.select_for_update().get(pk=session_id)
        if session.starts_at > now:
            raise AttendanceError(_("The session has not started yet."))
        if month_is_closed(local_date(session.starts_at)):
            raise AttendanceError(_("The month is closed."))
        present = {int(p) for p in present_ids}
        late = {int(p) for p in late_ids}
        on_leave = set(
            StudyLeave.objects.filter(
                session=session, status=StudyLeave.Status.APPROVED
            ).values_list("person_id", flat=True)
        )
        existing = {a.person_id: a for a in session.attendance.all()}
        counts = {s: 0 for s in StudyAttendance.Status.values}
        absent_rows = []
        withdrawn = []
        for person in participants(session):
            if person.pk in late:
                status = StudyAttendance.Status.LATE
            elif person.pk in present:
                status = StudyAttendance.Status.PRESENT
            elif person.pk in on_leave:
                status = StudyAttendance.Status.LEAVE
            else:
                status = StudyAttendance.Status.ABSENT
            days = Decimal("0.5") if status == StudyAttendance.Status.ABSENT else 0
            counts[status] += 1
            row = existing.get(person.pk)
            if row is None:
                row = StudyAttendance.objects.create(
                    session=session,
                    person=person,
                    status=status,
                    absence_days=days,
                    recorded_by=by,
                )
            elif row.status != status:
                if row.status == StudyAttendance.Status.ABSENT:
                    withdrawn.append(row)
                row.status = status
                row.absence_days = days
                row.recorded_by = by
                row.save()
            if status == StudyAttendance.Status.ABSENT:
                absent_rows.append(row)
        session.settled_at = now
        session.save(update_fields=["settled_at"])
        for row in withdrawn:
            _withdraw_absence(
                row, by, _("The study attendance was corrected by the clerk.")
            )
        for row in absent_rows:
            violation_record(
                person=Person(pk=row.person_id),
                occurred_on=local_date(session.starts_at),
                kind="attendance.absence",
                source=row,
                evidence=study_absence_evidence(session),
                by=by,
                days=Decimal("0.5"),
            )
    return counts


def study_notes_save(*, by, session_id: int, notes: str, discussion: str):
    if not is_clerk(by):
        raise AttendanceError(_("Only the attendance clerk keeps the notes."))
    if not keeps_all_units(by):
        raise AttendanceError(
            _("Study sessions are kept by the clerk who keeps every unit.")
        )
    check_input(texts=[notes, discussion])
    with transaction.atomic():
        session = StudySession.objects.select_for_update().get(pk=session_id)
        if session.notes == notes and session.discussion == discussion:
            return session, False
        session.notes = notes
        session.discussion = discussion
        session.save(update_fields=["notes", "discussion"])
    return session, True
