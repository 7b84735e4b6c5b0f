"""Duty in the demo bureau (DUTY-1), through the services:

- the organ's daily roster over the demo month (working days, the organ's
  section staff in turn), with arrivals judged, a swap recorded by the
  comprehensive section and one asked of staff1, and a month of duty log;
- a major-event roster (年终迎检) from yesterday to the day after tomorrow, every
  day, with a leader on duty each day: staff1 is on it tomorrow, so the home page
  reminds them at any hour today (and this morning, when they are on today);
  yesterday's urgent matter was reported to deputy1, the leader on duty;
- the New Year's Day holiday roster of the organ with its leaders on duty;
- the service station's own roster, filed by unithead1 and acknowledged by head1;
  the inspection team's, filed and waiting for head1's acknowledgement.
"""

from __future__ import annotations

import contextlib
import datetime

from django.utils import translation

from bureau import workdays
from bureau.models import Position
from duty import services
from duty.models import Assignment

CALLS = [
    ("县卫健局", "询问本月流动人口统计报表报送时间", "已告知月底前报送规划统计股"),
    ("群众来电", "咨询生育服务证办理所需材料", "已告知所需材料及办理窗口"),
    ("城关镇计生办", "通知明日上午召开片区工作例会", "已转告综合股股长"),
    ("群众来访", "反映独生子女父母奖励金发放问题", "已登记，转政策法规股办理"),
    ("县政府办", "通知报送年度工作总结", "已转告分管领导"),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=workdays.TZ
    )


def load(ctx) -> None:
    # Warnings and notifications are stored text: write them in Chinese.
    with translation.override("zh-hans"):
        _load(ctx)


def _organ_staff(ctx):
    return [
        p
        for p in ctx.people.values()
        if p.unit_id == ctx.units["organ"].pk and p.position == Position.SECTION_STAFF
    ]


def _load(ctx) -> None:
    today = ctx.today
    people = ctx.people
    head1 = people["head1"].user
    staff1 = people["staff1"]
    organ = ctx.units["organ"]
    tomorrow = today + datetime.timedelta(days=1)

    # The organ's daily roster over the demo month.
    rotation = _organ_staff(ctx)
    rotation.remove(staff1)
    ctx.rng.shuffle(rotation)
    rotation = [staff1, *rotation[:11]]
    start = today - datetime.timedelta(days=30)
    end = today + datetime.timedelta(days=30)
    daily = services.roster_create(
        by=head1,
        kind="daily",
        unit=organ,
        title=f"局机关日常值班表（{start:%m月%d日}—{end:%m月%d日}）",
        starts_on=start,
        ends_on=end,
        people=[p.pk for p in rotation],
        confirm=True,
    )
    # staff1 is on duty on the next working day (and today, if one).
    plan = services.roster_plan(daily)
    mine = [d for d in sorted(plan) if d >= today][:2]
    if mine and mine[0] != today:
        mine = mine[:1]
    services.roster_days_set(
        by=head1,
        roster=daily,
        plan={d: services.DayPlan((staff1.pk,)) for d in mine},
        confirm=True,
    )
    days = {d.date: d for d in daily.days.all()}
    past = [d for d in sorted(days) if d < today]

    # Arrivals of the past month: most in the window, a few early or late.
    for date in past:
        for assignment in Assignment.objects.filter(day=days[date]).select_related(
            "person__user", "day__roster"
        ):
            minute = ctx.rng.choice([44, 46, 47, 48, 49, 50, 50, 53])
            with contextlib.suppress(services.DutyError):
                services.duty_arrive(
                    by=assignment.person.user,
                    assignment=assignment,
                    at=_at(date, 7, minute),
                )

    # The duty log of the past month; one urgent matter to the deputy in charge.
    for date in past[-12:]:
        day = days[date]
        writer = day.assignments.first()
        if writer is None:
            continue
        caller, content, handling = ctx.rng.choice(CALLS)
        services.log_record(
            by=writer.person.user,
            day=day,
            kind="call",
            occurred_at=_at(date, ctx.rng.randint(8, 16), ctx.rng.randint(0, 59)),
            caller=caller,
            content=content,
            handling=handling,
        )

    # Swaps: one recorded by the section, one asked of staff1 by a colleague.
    later = [d for d in sorted(days) if d > today + datetime.timedelta(days=3)]
    with contextlib.suppress(services.DutyError, IndexError):
        first = days[later[0]].assignments.first()
        second = days[later[1]].assignments.first()
        services.swap_record(
            by=head1,
            roster=daily,
            giver=first.person,
            given_date=later[0],
            taker=second.person,
            returned_date=later[1],
            reason="出差，双方电话商定",
        )
    with contextlib.suppress(services.DutyError, IndexError):
        asking = days[later[3]].assignments.first().person
        if asking != staff1:
            services.swap_propose(
                by=asking.user,
                roster=daily,
                given_date=later[3],
                taker=staff1,
                reason="孩子学校开家长会",
            )

    # A major-event roster around today, every day, a leader on duty each day.
    deputies = [people["deputy1"], people["deputy2"], people["director"]]
    event = services.roster_create(
        by=head1,
        kind="event",
        unit=organ,
        title="年终考核迎检值班",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=2),
        people=[p.pk for p in rotation[1:4]],
        leaders=[p.pk for p in deputies],
        confirm=True,
    )
    services.roster_days_set(
        by=head1,
        roster=event,
        plan={
            tomorrow: services.DayPlan((staff1.pk,), people["deputy2"].pk),
        },
        confirm=True,
    )
    yesterday = event.days.get(date=today - datetime.timedelta(days=1))
    services.log_record(
        by=yesterday.assignments.first().person.user,
        day=yesterday,
        kind="urgent",
        occurred_at=_at(yesterday.date, 16, 20),
        caller="县委督查室",
        content="通知明日上午九时考核组到局检查，请做好迎检准备",
        handling="已电话报告带班领导，通知各股室",
    )

    # The New Year's Day holiday roster of the organ.
    new_year = datetime.date(today.year + 1, 1, 1)
    services.roster_create(
        by=head1,
        kind="holiday",
        unit=organ,
        title=f"{new_year.year}年元旦假期值班表",
        starts_on=new_year,
        ends_on=new_year + datetime.timedelta(days=2),
        people=[p.pk for p in rotation[4:10]],
        leaders=[p.pk for p in deputies],
        confirm=True,
    )

    # The units' own rosters, filed with the comprehensive section.
    for username, code, acknowledge in (
        ("unithead1", "station", True),
        ("unithead3", "inspection", False),
    ):
        unit = ctx.units[code]
        staff = [
            p
            for p in ctx.people.values()
            if p.unit_id == unit.pk and p.position == Position.UNIT_STAFF
        ]
        roster = services.roster_create(
            by=people[username].user,
            kind="daily",
            unit=unit,
            title=f"{unit.name}日常值班表",
            starts_on=today - datetime.timedelta(days=7),
            ends_on=today + datetime.timedelta(days=21),
            people=[p.pk for p in staff],
            confirm=True,
        )
        services.roster_file(by=people[username].user, roster=roster)
        if acknowledge:
            services.roster_acknowledge(by=head1, roster=roster)
