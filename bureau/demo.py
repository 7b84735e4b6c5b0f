"""The demo bureau: a director, three deputies, five sections, three subordinate units,
about 60 people with Chinese names and the duty roles. Other apps add a month of
their own history in their `demo.py` (`load(ctx)`), called in INSTALLED_APPS order.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bureau import workdays
from bureau.models import (
    ActingAssignment,
    Organisation,
    Person,
    Position,
    Role,
    Section,
    StaffCategory,
    Unit,
)

DEMO_PASSWORD = "demo-2026"

# The demo's clock (bureau/demo_clock.py) starts this long into a work session:
# most people have signed in (the board and the sheet look like a working
# morning) and a sign-in is still on time (ATT-2's grace is 10 minutes).
CLOCK_INTO = datetime.timedelta(minutes=2)


def clock_offset(now: datetime.datetime) -> datetime.timedelta:
    """How far ahead of `now` the demo's clock runs so that staff can sign in: none
    while a work session of the bureau's default schedule is on; otherwise to
    CLOCK_INTO after the next session starts (before or after work, at lunch, on a
    rest day)."""
    none = datetime.timedelta(0)
    today = now.astimezone(workdays.TZ).date()
    if workdays.in_session(workdays.sessions_on(None, today), now):
        return none
    following = workdays.next_session(None, now)
    if following is None:
        return none
    return following.start + CLOCK_INTO - now


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅林海燕春晓云凤辉鹏飞宇婷雪琳浩然俊"


@dataclass
class DemoContext:
    """What the organisation loader made, for the other apps' demo loaders."""

    today: datetime.date
    organisation: Organisation
    people: dict[str, Person] = field(default_factory=dict)  # by username
    units: dict[str, Unit] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    def by_role(self, role: str) -> list[Person]:
        return [p for p in self.people.values() if p.has_role(role)]


class _Names:
    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def next(self) -> str:
        while True:
            length = self.rng.choice([1, 2, 2])
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(length)
            )
            if name not in self.used:
                self.used.add(name)
                return name


def _person(
    ctx,
    names,
    username,
    *,
    unit,
    position,
    section=None,
    title="",
    name=None,
    duties=(),
    category=None,
):
    User = get_user_model()
    user = User.objects.create_user(
        username=username, email=f"{username}@bureau.local", password=DEMO_PASSWORD
    )
    number = f"E{len(ctx.people) + 1:04d}"
    person = Person(
        user=user,
        name=name or names.next(),
        employee_no=number,
        unit=unit,
        section=section,
        position=position,
        title=title,
        staff_category=category
        or (
            StaffCategory.CIVIL_SERVANT
            if unit.kind == Unit.Kind.ORGAN
            else StaffCategory.PUBLIC_INSTITUTION
        ),
        phone=f"138{ctx.rng.randrange(10**7, 10**8)}",
    )
    person.save()
    for duty in duties:
        user.groups.add(Group.objects.get(name=duty))
    if duties:
        person.save()  # re-sync the staff flag with the duties
    ctx.people[username] = person
    return person


def load_organisation(today: datetime.date) -> DemoContext:
    organisation = Organisation.objects.create(
        name="示范县人口和计划生育局", short_name="示范县计生局", doc_code="示计生"
    )
    ctx = DemoContext(today=today, organisation=organisation)
    names = _Names(ctx.rng)
    organ = Unit.objects.create(
        organisation=organisation,
        name="局机关",
        code="organ",
        kind=Unit.Kind.ORGAN,
        order=0,
    )
    ctx.units["organ"] = organ
    for order, (code, name) in enumerate(
        [
            ("station", "县计划生育服务站"),
            ("floating", "县流动人口计划生育管理站"),
            ("inspection", "县计划生育稽查队"),
        ],
        start=1,
    ):
        ctx.units[code] = Unit.objects.create(
            organisation=organisation,
            name=name,
            code=code,
            kind=Unit.Kind.SUBORDINATE,
            order=order,
        )
    for order, (code, name, comprehensive) in enumerate(
        [
            ("zonghe", "综合股", True),
            ("fagui", "政策法规股", False),
            ("guihua", "规划统计股", False),
            ("xuanjiao", "宣传教育股", False),
            ("caiwu", "财务股", False),
        ]
    ):
        ctx.sections[code] = Section.objects.create(
            unit=organ,
            name=name,
            code=code,
            is_comprehensive=comprehensive,
            order=order,
        )

    director = _person(
        ctx,
        names,
        "director",
        unit=organ,
        position=Position.DIRECTOR,
        title="局长",
        name="王建国",
    )
    deputies = [
        _person(
            ctx,
            names,
            f"deputy{i}",
            unit=organ,
            position=Position.DEPUTY,
            title="副局长",
            name=name,
        )
        for i, name in enumerate(["李明华", "张秀英", "陈志强"], start=1)
    ]
    charge = {"zonghe": 0, "fagui": 1, "guihua": 2, "xuanjiao": 1}
    for code, index in charge.items():
        ctx.sections[code].deputy_in_charge = deputies[index]
        ctx.sections[code].save()
    ctx.sections["caiwu"].deputy_in_charge = director  # the director keeps finance
    ctx.sections["caiwu"].save()
    for code, index in {"station": 0, "floating": 1, "inspection": 2}.items():
        ctx.units[code].deputy_in_charge = deputies[index]

    # Section heads and staff of the organ.
    staff_counts = {"zonghe": 8, "fagui": 4, "guihua": 4, "xuanjiao": 4, "caiwu": 4}
    duties = {
        ("zonghe", 1): ("clerk", [Role.ATTENDANCE_CLERK]),
        ("zonghe", 2): ("docs", [Role.DOCUMENT_CLERK]),
        ("zonghe", 3): ("inspector", [Role.DISCIPLINE_INSPECTOR]),
        ("zonghe", 4): ("driver1", [Role.DRIVER]),
        ("zonghe", 5): ("driver2", [Role.DRIVER]),
        ("fagui", 1): ("petition", [Role.PETITION_OFFICER]),
        ("caiwu", 1): ("finance", [Role.FINANCE_OFFICER]),
    }
    for head_no, (code, section) in enumerate(ctx.sections.items(), start=1):
        head = _person(
            ctx,
            names,
            f"head{head_no}",
            unit=organ,
            section=section,
            position=Position.SECTION_HEAD,
            title="股长",
        )
        section.head = head
        section.save()
        for i in range(1, staff_counts[code] + 1):
            username, extra = duties.get((code, i), (f"{code}{i}", []))
            _person(
                ctx,
                names,
                username,
                unit=organ,
                section=section,
                position=Position.SECTION_STAFF,
                title="驾驶员" if Role.DRIVER in extra else "科员",
                duties=extra,
            )
    ctx.people["staff1"] = ctx.people.pop("zonghe6")
    ctx.people["staff1"].user.username = "staff1"
    ctx.people["staff1"].user.save(update_fields=["username"])

    # Subordinate units: a head and staff each, a driver at the service station.
    for unit_no, (code, count) in enumerate(
        [("station", 9), ("floating", 7), ("inspection", 7)], start=1
    ):
        unit = ctx.units[code]
        head = _person(
            ctx,
            names,
            f"unithead{unit_no}",
            unit=unit,
            position=Position.UNIT_HEAD,
            title="站长" if unit_no < 3 else "队长",
        )
        unit.head = head
        unit.save()
        for i in range(1, count + 1):
            extra = [Role.DRIVER] if (code, i) == ("station", 1) else []
            username = "driver3" if extra else f"{code}{i}"
            _person(
                ctx,
                names,
                username,
                unit=unit,
                position=Position.UNIT_STAFF,
                title="驾驶员" if extra else "工作人员",
                duties=extra,
            )
    ctx.people["unitstaff1"] = ctx.people.pop("station2")
    ctx.people["unitstaff1"].user.username = "unitstaff1"
    ctx.people["unitstaff1"].user.save(update_fields=["username"])

    # The administrator keeps the system; a superuser with no place in the hierarchy.
    User = get_user_model()
    admin_user = User.objects.create_superuser("admin", password=DEMO_PASSWORD)
    admin_user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))

    # ORG-2: the first deputy stands in for the director next week.
    ActingAssignment.objects.create(
        principal=director,
        stand_in=deputies[0],
        starts_on=today + datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=9),
        reason="外出学习",
    )
    return ctx


DEMO_LOGINS = [
    ("director", "局长"),
    ("deputy1", "副局长（分管综合股、服务站）"),
    ("head1", "综合股股长"),
    ("staff1", "综合股科员"),
    ("clerk", "考勤员（全局）"),
    ("unitclerk", "服务站考勤员（仅服务站）"),
    ("inspector", "纪检员"),
    ("finance", "财务人员"),
    ("unithead1", "服务站站长"),
    ("unitstaff1", "服务站工作人员"),
    ("admin", "系统管理员"),
]
