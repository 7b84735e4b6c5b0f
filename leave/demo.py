"""A month of leave in the demo bureau: every state, every chain, county steps.

Everything goes through the services (so chains, notifications and history are
real); afterwards the timestamps are moved back to the simulated days.
"""

from __future__ import annotations

import contextlib
import datetime

from django.utils import timezone, translation

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.services import (
    ApprovalError,
    approval_decide,
    approval_record_external,
)
from bureau import workdays
from bureau.models import Position
from deadlines.services import deadline_for, deadline_meet
from leave.models import RETURN_DEADLINE, LeaveRequest
from leave.services import (
    LeaveError,
    leave_file,
    leave_return,
    leave_submit,
    leave_withdraw,
)

REASONS = {
    "personal": ["家中有事需处理", "孩子开家长会", "办理房产过户手续", "陪同父母体检"],
    "sick": ["感冒发烧，需休息", "牙科治疗", "腰椎不适，遵医嘱休息"],
    "annual": ["休年休假", "年休假回老家探亲"],
    "marriage": ["本人结婚"],
    "paternity": ["妻子生育，陪护"],
    "bereavement": ["祖父去世，回乡料理后事"],
    "home_visit": ["探望外地父母"],
}
# LV-9: everyone in the demo reported back from past leave on the day they were back,
# except this one person (not a login of the README tour): their overdue report-back
# shows on the leaders' dashboard (规划股: head3, deputy3, the director).
FORGOT_TO_REPORT_BACK = "guihua2"
HANDOVER = [
    "手头文件已交同股室同事代办",
    "值班已与同事调换，急事电话联系",
    "报表已提前报送，无待办事项",
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=workdays.TZ)


def _end_of(start: datetime.date, days: float) -> tuple[datetime.date, str]:
    """The end (date, half) of `days` working days from `start` morning."""
    whole, half = int(days), days - int(days)
    working = workdays.working_days_in(start, start + datetime.timedelta(days=30))
    if whole == 0:
        return start, "am"
    if half:
        return working[whole], "am"
    return working[whole - 1], "pm"


def _decide_current(approval, ctx, *, refuse=False):
    step = approval.steps.get(order=approval.current_order)
    if step.action == "external":
        return approval_record_external(
            request=approval,
            by=ctx.people["docs"].user,
            decision="refuse" if refuse else "approve",
            reference=f"示委办函〔{ctx.today.year}〕{ctx.rng.randint(3, 60)}号",
            decided_on=ctx.today,
        )
    return approval_decide(
        request=approval,
        by=step.approver.user,
        decision="refuse" if refuse else "approve",
        comment="工作安排不开，请调整时间"
        if refuse
        else ctx.rng.choice(["同意", "同意，注意安全", "", "同意，做好交接"]),
    )


def _ask(
    ctx, person, start, days, *, asked_on, leave_type=None, consent="", handover_to=None
):
    leave_type = leave_type or ctx.rng.choice(
        ["personal"] * 4 + ["sick"] * 3 + ["annual"] * 2 + list(REASONS)
    )
    end, end_half = _end_of(start, days)
    try:
        return leave_submit(
            by=person.user,
            person=person,
            leave_type=leave_type,
            start_date=start,
            start_half="am",
            end_date=end,
            end_half=end_half,
            reason=ctx.rng.choice(REASONS[leave_type]),
            handover_note=ctx.rng.choice(HANDOVER),
            handover_to=handover_to,
            leader_consent=consent,
            today=asked_on,
        )
    except LeaveError:
        return None


def _play(ctx, leave, outcome, steps_done=0):
    """Drive a request to `outcome`: approved | pending | refused | withdrawn | returned."""
    approval = leave.approvals.get()
    if outcome in ("approved", "returned"):
        while approval.status == ApprovalRequest.Status.PENDING:
            approval = _decide_current(approval, ctx)
    elif outcome == "pending":
        for _i in range(steps_done):
            if approval.status != ApprovalRequest.Status.PENDING:
                break
            steps = approval.steps.count()
            if approval.current_order is None or approval.current_order >= steps:
                break
            approval = _decide_current(approval, ctx)
    elif outcome == "refused":
        approval = _decide_current(approval, ctx, refuse=True)
    elif outcome == "withdrawn":
        leave_withdraw(leave=leave, by=leave.person.user, comment="计划有变")
    leave.refresh_from_db()
    if outcome == "returned" and leave.status == LeaveRequest.Status.APPROVED:
        working = workdays.working_days_in(leave.start_date, leave.end_date)
        if len(working) > 1 and working[-1] <= ctx.today:
            _report_back(leave, working[-1], "am")  # back a day early
    return leave


def _back_after(leave) -> tuple[datetime.date, str]:
    """The first half-day after the leave: when the person is back at work."""
    if leave.end_half == "am":
        return leave.end_date, "pm"
    return workdays.next_working_day(leave.end_date), "am"


def _report_back(leave, day: datetime.date, half: str) -> None:
    """LV-9 on the day they were back: the clock met on that day (not the day the
    demo is loaded), then the return recorded and its time moved to that day."""
    deadline = deadline_for(leave, RETURN_DEADLINE)
    if deadline is not None:
        deadline_meet(deadline=deadline, by=leave.person.user, on=day)
    with contextlib.suppress(LeaveError):
        leave_return(leave=leave, by=leave.person.user, back_date=day, back_half=half)
        LeaveRequest.objects.filter(pk=leave.pk).update(
            returned_at=_at(day, 8 if half == "am" else 14)
        )


def _retime(leave, asked_on):
    """Move the approval's timestamps back to the simulated days, never after now
    (a request asked today, with the demo loaded before nine, was shown as sent
    at 09:00)."""
    latest = timezone.now() - datetime.timedelta(minutes=1)

    def at(moment):
        return min(moment, latest)

    approval = leave.approvals.get()
    submitted = _at(asked_on, 9)
    ApprovalRequest.objects.filter(pk=approval.pk).update(submitted_at=at(submitted))
    hour = 10
    for step in approval.steps.filter(decided_at__isnull=False).order_by("order"):
        ApprovalStep.objects.filter(pk=step.pk).update(
            decided_at=at(submitted + datetime.timedelta(hours=hour - 9))
        )
        hour += 2
    if approval.finished_at:
        ApprovalRequest.objects.filter(pk=approval.pk).update(
            finished_at=at(submitted + datetime.timedelta(hours=hour - 9))
        )


def load(ctx) -> None:
    # Summaries and notifications are stored text: write them in Chinese.
    with translation.override("zh-hans"):
        _load(ctx)


def _load(ctx) -> None:
    today = ctx.today
    rng = ctx.rng
    people = ctx.people
    month_ago = today - datetime.timedelta(days=30)
    days_back = workdays.working_days_in(month_ago, today - datetime.timedelta(days=1))
    days_ahead = workdays.working_days_in(today, today + datetime.timedelta(days=14))
    made = []

    def add(person, start, days, outcome, *, asked_on=None, steps_done=0, **kw):
        asked_on = asked_on or min(
            start - datetime.timedelta(days=rng.randint(1, 3)), today
        )
        leave = _ask(ctx, person, start, days, asked_on=asked_on, **kw)
        if leave is None:
            return None
        with contextlib.suppress(ApprovalError, LeaveError):
            leave = _play(ctx, leave, outcome, steps_done)
        _retime(leave, asked_on)
        made.append(leave)
        return leave

    # The demo logins' own stories.
    staff1 = people["staff1"]
    add(staff1, days_back[3], 2, "approved", leave_type="annual")
    # DOC-6: staff1 hands over to the document clerk, who has not acknowledged yet
    # (docs' home page; head1 decides with the handover beside the request).
    add(
        staff1,
        days_ahead[3],
        2,
        "pending",
        leave_type="personal",
        handover_to=people["docs"],
    )  # waits for head1
    add(people["unitstaff1"], days_back[8], 3, "returned", leave_type="sick")
    add(people["unitstaff1"], days_ahead[2], 1, "pending")  # waits for unithead1
    # DOC-6: head2 hands over to a colleague of the section, who acknowledges it
    # once the chapters' demos have given head2 matters (handovers.demo).
    head2 = people["head2"]
    add(
        head2,
        days_ahead[4],
        1,
        "pending",
        handover_to=next(
            p
            for p in people.values()
            if p.section_id == head2.section_id and p != head2 and p.user_id
        ),
    )  # waits for deputy2
    add(
        people["head1"], days_ahead[5], 2, "pending", steps_done=1
    )  # waits for director
    # LV-3: the director's leave, all county steps recorded by the document clerk.
    add(people["director"], days_back[10], 2, "approved", leave_type="annual")
    add(people["director"], days_ahead[8], 1, "pending", steps_done=1)
    # LV-4: deputies: a short one, one at the county, a refused one.
    add(people["deputy1"], days_back[5], 1, "approved", leave_type="sick")
    add(people["deputy2"], days_ahead[6], 3, "pending", steps_done=1)
    add(people["deputy3"], days_back[12], 2, "refused")
    # LV-8: asked afterwards, within the week, with the leader's consent.
    zonghe = [
        p
        for p in people.values()
        if p.section_id
        and p.section.code == "zonghe"
        and p.position == Position.SECTION_STAFF
    ]
    add(
        zonghe[0],
        days_back[-3],
        1,
        "approved",
        asked_on=today,
        leave_type="sick",
        consent="股长当日电话同意",
    )

    # Everyone else: a month of ordinary leave in every state.
    outcomes = ["approved"] * 6 + ["pending"] * 3 + ["refused", "withdrawn", "returned"]
    # LV-9: the one who did not report back (see FORGOT_TO_REPORT_BACK).
    forgot = add(
        people[FORGOT_TO_REPORT_BACK],
        days_back[6],
        2,
        "approved",
        leave_type="personal",
    )
    others = [
        p
        for username, p in people.items()
        if p.position not in (Position.DIRECTOR, Position.DEPUTY)
        and username
        not in {"staff1", "unitstaff1", "head1", "head2", FORGOT_TO_REPORT_BACK}
    ]
    rng.shuffle(others)
    for person in others[:30]:
        start = rng.choice(days_back + days_ahead)
        days = rng.choice([0.5, 0.5, 1, 1, 1.5, 2, 2, 3, 4])
        outcome = rng.choice(outcomes)
        if start >= today and outcome == "returned":
            outcome = "approved"
        if start < today - datetime.timedelta(days=3) and outcome == "pending":
            outcome = "approved"  # old requests were decided long ago
        add(person, start, days, outcome, steps_done=rng.randint(0, 2))

    # LV-9: past leave reported back on the day the person was back (the clock met
    # on time); leave whose report-back falls due today or later stays open, and
    # one person deliberately did not report back.
    for leave in made:
        leave.refresh_from_db()
        if (
            leave == forgot
            or leave.status != LeaveRequest.Status.APPROVED
            or leave.returned_at is not None
        ):
            continue
        back_day, back_half = _back_after(leave)
        deadline = deadline_for(leave, RETURN_DEADLINE)
        if deadline is not None and deadline.due_date and deadline.due_date < today:
            _report_back(leave, back_day, back_half)

    # LV-10: the attendance clerk filed most approved leave of last month.
    clerk = people["clerk"]
    for leave in made:
        if (
            leave.status == LeaveRequest.Status.APPROVED
            and leave.end_date < today
            and rng.random() < 0.7
        ):
            leave_file(
                leave=leave,
                by=clerk.user,
                reference=f"{leave.start_date:%Y-%m} 请假备案",
            )
