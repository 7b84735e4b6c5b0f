"""A month of realistic attendance for the demo bureau, up to yesterday, settled;
and today's sign-ins so far, so the whereabouts board and the report look real.

Records are written in bulk (with their history); then the same settlement service
the beat task runs judges each past day and feeds discipline.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from approvals.models import ApprovalRequest, ApprovalStep
from attendance import rules
from attendance.excuses import excuses_for
from attendance.models import GoingOut, SessionRecord, SheetStatus, StudySession
from attendance.policies import judgement_policies
from attendance.selectors import participants
from attendance.services import (
    going_out_decide,
    going_out_report,
    going_out_return,
    sheets_close,
    sheets_settle,
    study_attendance_take,
    study_sessions_schedule,
)
from bureau import workdays
from bureau.models import ClerkAssignment, Role, SeasonalSchedule

DESTINATIONS = ["县政府", "县卫健委", "城关镇", "县财政局", "县医院", "石桥乡计生办"]
REASONS = ["送报表", "参加会议", "入户核查", "领取文件", "协调工作"]


def _minutes(n):
    return datetime.timedelta(minutes=n)


def _arrival(rng, start):
    roll = rng.random()
    # A disciplined bureau: about one late arrival in 120 sessions, rarer absences.
    if roll < 0.99:
        return start + datetime.timedelta(seconds=rng.randint(-20 * 60, 9 * 60))
    if roll < 0.998:
        return start + datetime.timedelta(seconds=rng.randint(10 * 60 + 5, 15 * 60))
    if roll < 0.999:
        return start + _minutes(rng.randint(16, 50))
    return None  # no sign-in: a half-day absence unless excused


def _departure(rng, end):
    roll = rng.random()
    if roll < 0.994:
        return end + datetime.timedelta(seconds=rng.randint(0, 20 * 60))
    if roll < 0.999:
        return end - _minutes(rng.randint(1, 14))
    return None


def load(ctx):
    rng = ctx.rng
    today = ctx.today
    now = timezone.now()
    yesterday = today - datetime.timedelta(days=1)
    start = today - datetime.timedelta(days=30)
    people = [p for p in ctx.people.values() if p.is_active]
    schedules = list(SeasonalSchedule.objects.all())
    days = workdays.working_days_in(start, today)
    # The leave demo runs first: people on approved leave do not sign in.
    on_leave = excuses_for([p.pk for p in people], start, today)
    rows = []
    going_outs = []
    # Today some people have not signed in yet: the demo logins of staff can press
    # the button themselves, and the board has someone "not yet in".
    not_yet = {ctx.people[u].pk for u in ("staff1", "unitstaff1") if u in ctx.people}
    not_yet |= {p.pk for p in people if rng.random() < 0.08}
    for day in days:
        thresholds, ids = judgement_policies(day)
        for person in people:
            schedule = workdays.schedule_for(person.unit_id, day, schedules)
            for session in workdays.sessions_for_schedule(schedule, day):
                if day == today and session.start > now:
                    continue
                if (person.pk, day, session.part) in on_leave:
                    continue  # the settlement records the leave
                signed_in = _arrival(rng, session.start)
                if day == today and (
                    (signed_in and signed_in > now)
                    or (person.pk in not_yet and session.end >= now)
                ):
                    signed_in = None
                if signed_in is None:
                    continue  # the sheet close adds the "missing" row
                signed_out = _departure(rng, session.end)
                if day == today and (signed_out is None or signed_out > now):
                    signed_out = None
                arrival = rules.judge_arrival(session.start, signed_in, thresholds)
                rows.append(
                    SessionRecord(
                        person=person,
                        unit_id=person.unit_id,
                        section_id=person.section_id,
                        date=day,
                        part=session.part,
                        starts_at=session.start,
                        ends_at=session.end,
                        signed_in_at=signed_in,
                        signed_out_at=signed_out,
                        arrival=arrival,
                        departure=rules.judge_departure(
                            session.end, signed_out, thresholds
                        )
                        if signed_out
                        else "",
                        sheet_status=SheetStatus.IN
                        if arrival == rules.ON_TIME
                        else SheetStatus.LATE,
                        policy_versions=ids,
                    )
                )
                if (
                    person.position in ("section_staff", "unit_staff")
                    and rng.random() < 0.012
                ):
                    leaves = session.start + _minutes(rng.randint(40, 120))
                    back = leaves + _minutes(rng.choice([60, 90, 120]))
                    going_outs.append((person, day, leaves, back))
    bulk_create_with_history(rows, SessionRecord, batch_size=1000)
    _going_outs(ctx, going_outs, now)
    for day in days:
        if day <= yesterday:
            sheets_settle(
                day=day,
                now=datetime.datetime.combine(
                    day, datetime.time(23, 0), tzinfo=workdays.TZ
                ),
                force=True,
            )
        else:
            sheets_close(day=day, now=now)
            sheets_settle(day=day, now=now)
    _study(ctx, start, today, now)
    _unit_clerk(ctx)


def _unit_clerk(ctx):
    """The service station keeps its own attendance: one of its staff (login
    `unitclerk`) is its clerk and keeps only that unit; `clerk` (综合股) keeps
    every unit."""
    person = ctx.people.get("station6")
    unit = ctx.units.get("station")
    if person is None or unit is None:
        return
    person.user.username = "unitclerk"
    person.user.save(update_fields=["username"])
    ctx.people["unitclerk"] = ctx.people.pop("station6")
    person.user.groups.add(Group.objects.get(name=Role.ATTENDANCE_CLERK))
    person.save()  # re-sync the staff flag (admin access) with the new duty
    ClerkAssignment.objects.get_or_create(person=person, unit=unit)


def _going_outs(ctx, planned, now):
    """Reported, acknowledged through the approval engine and logged back, like
    the staff do it (so inboxes and history are real); then the approval's
    timestamps are moved back to the simulated day (as the leave demo does)."""
    rng = ctx.rng
    for person, _day, leaves, back in planned:
        reported = leaves - _minutes(10)
        # Drawn in the order the demo always drew them (same demo as before).
        returned = back + _minutes(rng.randint(-10, 15))
        going_out = going_out_report(
            by=person.user,
            leaves_at=leaves,
            expected_return=back,
            destination=rng.choice(DESTINATIONS),
            reason=rng.choice(REASONS),
            now=reported,
        )
        approval = going_out.current_approval
        step = going_out.decision_step
        if approval.status == ApprovalRequest.Status.PENDING:
            going_out_decide(
                by=step.approver.user, going_out_id=going_out.pk, acknowledge=True
            )
        if returned <= now:
            going_out_return(by=person.user, going_out_id=going_out.pk, now=returned)
        decided = leaves - _minutes(5)
        GoingOut.objects.filter(pk=going_out.pk).update(created_at=reported)
        ApprovalRequest.objects.filter(pk=approval.pk).update(
            submitted_at=reported, finished_at=decided
        )
        ApprovalStep.objects.filter(request=approval).update(decided_at=decided)


def _study(ctx, start, today, now):
    clerk = ctx.people.get("clerk")
    study_sessions_schedule(start=start, weeks=6)
    if clerk is None:
        return
    rng = ctx.rng
    for session in StudySession.objects.filter(ends_at__lt=now).order_by("starts_at"):
        people = list(participants(session).values_list("id", flat=True))
        present = [p for p in people if rng.random() < 0.95]
        late = [p for p in present if rng.random() < 0.03]
        study_attendance_take(
            by=clerk.user,
            session_id=session.pk,
            present_ids=present,
            late_ids=late,
            now=session.ends_at,
        )
        session.notes = "传达学习上级文件精神；布置本周重点工作。"
        session.discussion = "各股室结合实际发言讨论。"
        session.save(update_fields=["notes", "discussion"])
