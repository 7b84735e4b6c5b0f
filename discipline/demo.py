"""A year of discipline history for the demo bureau, recorded through the services:
first-inquiry failures with apologies, one-time-notification complaints (some
dismissed, one still pending), efficiency findings, bureau affairs meeting
warnings, attendance incidents of the earlier months, a window appraisal."""

from __future__ import annotations

import datetime

from discipline import registry, services
from discipline.models import Violation
from meetings.models import BUREAU_AFFAIRS, Decision


def _day(ctx, month: int, day: int) -> datetime.date | None:
    """A weekday of `month` this year that is not in the future, or None."""
    try:
        date = datetime.date(ctx.today.year, month, day)
    except ValueError:
        return None
    while date.weekday() >= 5:
        date += datetime.timedelta(days=1)
    return date if date < ctx.today else None


def load(ctx) -> None:
    inspector = ctx.people["inspector"].user
    rng = ctx.rng
    staff = sorted(
        (p for name, p in ctx.people.items() if name not in {"director", "inspector"}),
        key=lambda p: p.employee_no,
    )

    def add(username_or_person, month, day, kind, evidence, **kwargs):
        person = (
            ctx.people[username_or_person]
            if isinstance(username_or_person, str)
            else username_or_person
        )
        date = _day(ctx, month, day)
        if date is None or registry.find_kind(kind) is None:
            return None
        return services.violation_record(
            person=person,
            occurred_on=date,
            kind=kind,
            evidence=evidence,
            by=inspector,
            **kwargs,
        )

    # DIS-1: first-inquiry failures; staff1 twice (cap 基本稱職), apologies recorded.
    for who, month, day in [("staff1", 3, 9), ("staff1", 6, 15), ("fagui2", 5, 12)]:
        v = add(
            who,
            month,
            day,
            "discipline.first_inquiry",
            "来访群众咨询生育服务证办理，首问人推诿称不归本股管。",
        )
        if v is not None:
            services.violation_record_apology(
                violation=v,
                made_on=v.occurred_on + datetime.timedelta(days=1),
                note="当面向来访群众赔礼道歉",
                by=inspector,
            )

    # DIS-2: complaints about one-time notification: two dismissed, one upheld, one
    # still waiting for the inspector.
    complaints = [
        (
            "unitstaff1",
            2,
            17,
            "dismissed",
            "经核实，一次性告知单已列明全部材料，投诉不成立。",
        ),
        ("floating2", 4, 8, "upheld", "办理流动人口婚育证明，分三次告知所需材料。"),
        ("guihua1", 7, 21, "dismissed", "群众误解办理时限，已解释。"),
        ("station3", 10, 13, "pending", "群众来电投诉：第二次来办仍被要求补交材料。"),
    ]
    for who, month, day, decision, evidence in complaints:
        v = add(who, month, day, "discipline.one_time_notice", evidence)
        if v is None or decision == "pending":
            continue
        services.violation_decide(
            violation=v,
            upheld=decision == "upheld",
            by=inspector,
            note=evidence if decision == "dismissed" else "调查属实",
        )

    # DIS-3: efficiency findings of the inspector's spot checks.
    efficiency = [
        ("xuanjiao2", 1, 20, "discipline.efficiency.idle", "上班时间玩电脑游戏。"),
        ("xuanjiao2", 5, 26, "discipline.efficiency.idle", "上班时间聊天、办私事。"),
        (
            "caiwu3",
            3,
            18,
            "discipline.efficiency.missed_deadline",
            "报表逾期三天未报，无说明。",
        ),
        (
            "station4",
            4,
            22,
            "discipline.efficiency.come_twice",
            "群众两次往返办理同一事项。",
        ),
        (
            "floating2",
            6,
            3,
            "discipline.efficiency.not_handled",
            "材料齐全的申请未即时办理。",
        ),
        (
            "inspection1",
            8,
            12,
            "discipline.efficiency.rule_breach",
            "未按规定公示服务承诺。",
        ),
        ("guihua3", 9, 9, "discipline.efficiency.idle", "工作时间外出购物。"),
        ("xuanjiao2", 9, 24, "discipline.efficiency.not_handled", "窗口申请压件两日。"),
    ]
    for who, month, day, kind, evidence in efficiency:
        add(who, month, day, kind, evidence)

    # DIS-5: the bureau affairs meeting decided warnings for lax work (meetings'
    # demo holds it); each warning cites its decision.
    for who, evidence in [
        ("floating2", "工作作风漂浮，群众多次投诉。"),
        ("caiwu3", "报账资料长期拖延。"),
    ]:
        decision = (
            Decision.objects.filter(
                meeting__kind__code=BUREAU_AFFAIRS,
                text__contains=ctx.people[who].name,
            )
            .select_related("meeting")
            .first()
        )
        if decision is None:
            continue
        services.violation_record(
            person=ctx.people[who],
            occurred_on=decision.meeting.held_on,
            kind="discipline.meeting_warning",
            evidence=evidence,
            by=inspector,
            meeting_decision=decision,
        )

    # ATT-11: a few unexcused attendance incidents of the earlier months (the
    # attendance demo adds the last month's own). Only people with no attendance
    # record yet, one incident each: a 1st incident is a criticism, and a bureau
    # where a third of the staff cannot be graded 優秀 is not believable.
    late = registry.find_kind("attendance.late")
    if late is not None:
        clean = [
            p
            for p in staff
            if not Violation.objects.filter(
                person=p, ladder=late.ladder, occurred_on__year=ctx.today.year
            ).exists()
        ]
        for person in rng.sample(clean, min(8, len(clean))):
            month = rng.randint(1, max(1, ctx.today.month - 2))
            kind = rng.choice(
                ["attendance.late", "attendance.late", "attendance.early_leave"]
            )
            add(person, month, rng.randint(1, 28), kind, "考勤记录（示例）")
        add(
            "station5",
            max(1, ctx.today.month - 3),
            rng.randint(1, 28),
            "attendance.absence",
            "无故缺勤半天（示例）",
            days=0.5,
        )

    # DIS-7: a window worker's composite appraisal inputs.
    services.window_appraisal_save(
        person=ctx.people["unitstaff1"],
        year=ctx.today.year,
        window="县计划生育服务站便民服务窗口",
        duties="受理生育服务证、流动人口婚育证明",
        attendance_note="全年出勤正常",
        self_report="全年受理业务四百余件，无差错。",
        self_score=92,
        democratic_score=88,
        peer_score=90,
        by=inspector,
    )
    assert Violation.objects.exists()
