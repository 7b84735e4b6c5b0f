"""The service windows of the demo bureau: the catalogue (three services, one with
a newer version), a township window and the bureau's window with their A and B
posts, and a month of contacts through the services — slips, receipts, matters
handled, hand-offs, a leader's question, handovers and one DIS-2 case for the
inspector."""

from __future__ import annotations

import contextlib
import datetime

from django.utils import translation

from bureau import workdays
from bureau.workdays import TZ
from meetings.absences import absences_on
from window import services
from window.models import (
    Appointment,
    Commitment,
    Contact,
    Material,
    Matter,
    Service,
    ServiceVersion,
    Window,
)

CATALOGUE = [
    (
        "生育服务证",
        "《中华人民共和国人口与计划生育法》第十八条；《省人口与计划生育条例》第二十条",
        "本县户籍、依法登记结婚的夫妻",
        "窗口受理 → 审核材料 → 乡（镇）计生办审核 → 县计生局发证",
        20,
        5,
        [
            ("夫妻双方居民身份证", "both", 1, "公安机关"),
            ("结婚证", "both", 1, "民政部门"),
            ("户口簿", "copy", 1, "公安机关"),
            ("近期二寸合影照片", "original", 2, "本人提供"),
        ],
    ),
    (
        "流动人口婚育证明",
        "《流动人口计划生育工作条例》第七条",
        "户籍在本县、外出务工经商的育龄人员",
        "窗口受理 → 核对婚育情况 → 当场出具或限时办结",
        7,
        3,
        [
            ("居民身份证", "both", 1, "公安机关"),
            ("户口簿", "copy", 1, "公安机关"),
            ("婚姻状况证明", "original", 1, "民政部门或村（居）委会"),
        ],
    ),
    (
        "独生子女父母光荣证",
        "《省人口与计划生育条例》第三十五条",
        "只生育一个子女并自愿不再生育的夫妻",
        "窗口受理 → 村（居）委会公示 → 乡（镇）审核 → 县计生局发证",
        30,
        10,
        [
            ("夫妻双方居民身份证", "both", 1, "公安机关"),
            ("结婚证", "both", 1, "民政部门"),
            ("子女出生医学证明", "copy", 1, "医疗机构"),
            ("村（居）委会证明", "original", 1, "村（居）委会"),
        ],
    ),
]

VISITORS = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "建国秀英桂兰志强海燕春梅丽华晓东玉兰德明红霞国庆"


def load(ctx) -> None:
    with translation.override("zh-hans"):
        _load(ctx)


def _version(service, effective_from, row, window, extra=()):
    _name, basis, conditions, procedure, statutory, committed, materials = row
    version = ServiceVersion.objects.create(
        service=service,
        effective_from=effective_from,
        legal_basis=basis,
        conditions=conditions,
        procedure=procedure,
        statutory_days=statutory,
        committed_days=committed,
        fee="免费",
        window=window,
        contact=f"{window.name} {window.phone}",
    )
    for order, (name, form, copies, issuer) in enumerate([*materials, *extra]):
        Material.objects.create(
            version=version,
            name=name,
            form=form,
            copies=copies,
            issuer=issuer,
            order=order,
        )
    return version


def _load(ctx) -> None:
    today, rng, people = ctx.today, ctx.rng, ctx.people
    station = [p for p in people.values() if p.unit_id == ctx.units["station"].pk]
    # The township window's A post: a station colleague on approved leave today
    # when there is one (so that unitstaff1, its B post, stands in), else station3.
    candidates = [p for p in station if p.pk != people["unitstaff1"].pk and p.is_active]
    away = absences_on([p.pk for p in candidates], today, "am")
    post_a = next(
        (p for p in candidates if p.pk in away),
        people.get("station3", candidates[0]),
    )
    township = Window.objects.create(
        name="城关镇计划生育服务窗口",
        unit=ctx.units["station"],
        place="城关镇便民服务中心一楼3号窗口",
        phone="0000-6123456",
        post_a=post_a,
        post_b=people["unitstaff1"],
        order=1,
    )
    bureau = Window.objects.create(
        name="县计生局综合服务窗口",
        unit=ctx.units["organ"],
        place="县计生局一楼大厅",
        phone="0000-6100000",
        post_a=people["zonghe7"],
        post_b=people["zonghe8"],
        order=2,
    )
    windows = [township, bureau]
    _empty_window(
        ctx,
        exclude={township.post_a_id, township.post_b_id}
        | {
            bureau.post_a_id,
            bureau.post_b_id,
        },
    )
    year_start = today.replace(month=1, day=1)
    services_ = []
    for order, row in enumerate(CATALOGUE):
        service = Service.objects.create(name=row[0], order=order)
        window = township if order != 1 else bureau
        old = _version(service, year_start, row, window)
        services_.append((service, old))
    # 生育服务证 has a newer version from ten days ago: one more material.
    newer_from = today - datetime.timedelta(days=10)
    first_service = services_[0][0]
    _version(
        first_service,
        newer_from,
        CATALOGUE[0],
        township,
        extra=[("婚育情况证明", "original", 1, "村（居）委会")],
    )

    def visitor():
        return rng.choice(VISITORS) + "".join(rng.choice(GIVEN) for _ in range(2))

    def moment(day, hour=None):
        hour = hour if hour is not None else rng.choice([8, 9, 10, 11, 15, 16])
        return datetime.datetime.combine(
            day, datetime.time(hour, rng.randrange(0, 60)), tzinfo=TZ
        )

    def version_on(service, day):
        return (
            ServiceVersion.objects.filter(service=service, effective_from__lte=day)
            .order_by("-effective_from")
            .first()
        )

    days = workdays.working_days_in(
        today - datetime.timedelta(days=30), today - datetime.timedelta(days=1)
    )
    leaders = [people["unithead1"], people["head1"]]
    waiting: list[tuple[Matter, Window]] = []
    for day in days:
        for window in windows:
            for _ in range(rng.randint(2, 5)):
                officer = rng.choice([window.post_a, window.post_b])
                at = moment(day)
                service, _v = rng.choice(services_)
                roll = rng.random()
                common = {
                    "window": window,
                    "visitor": visitor(),
                    "phone": f"139{rng.randrange(10**7, 10**8)}",
                    "by": officer.user,
                    "at": at,
                }
                if roll < 0.3:
                    services.contact_log(
                        summary=f"咨询{service.name}办理条件",
                        outcome=Contact.Outcome.HANDLED,
                        channel=rng.choice(["visit", "phone"]),
                        **common,
                    )
                elif roll < 0.55:
                    version = version_on(service, day)
                    missing = rng.sample(
                        list(version.materials.all()), rng.randint(1, 2)
                    )
                    contact = services.contact_log(
                        summary=f"申请{service.name}",
                        outcome=Contact.Outcome.NOTIFIED,
                        service=service,
                        missing=missing,
                        **common,
                    )
                    waiting.append((contact.matter, window))
                elif roll < 0.8:
                    services.contact_log(
                        summary=f"申请{service.name}",
                        outcome=Contact.Outcome.ACCEPTED,
                        service=service,
                        **common,
                    )
                elif roll < 0.88:
                    services.contact_log(
                        summary="咨询社会抚养费征收",
                        outcome=Contact.Outcome.HANDED_OFF,
                        handed_to=people["fagui1"]
                        if "fagui1" in people
                        else leaders[1],
                        **common,
                    )
                elif roll < 0.94:
                    services.contact_log(
                        summary="咨询户口迁移",
                        outcome=Contact.Outcome.OUTSIDE,
                        note="属公安机关职责，已告知到县公安局户籍窗口办理",
                        **common,
                    )
                else:
                    services.contact_log(
                        summary=f"申请{service.name}",
                        outcome=Contact.Outcome.REFUSED,
                        service=service,
                        note="不符合办理条件：非本县户籍",
                        basis="《省人口与计划生育条例》第二十条",
                        **common,
                    )
        # Visitors told what was missing come back complete a few days later.
        back = [m for m, _w in waiting if (day - m.opened_on).days >= 3]
        for matter in back[:3]:
            window = matter.window
            matter.refresh_from_db()
            if matter.status != Matter.Status.AWAITING:
                continue
            services.contact_log(
                window=window,
                visitor=matter.applicant,
                summary="补齐材料",
                outcome=Contact.Outcome.ACCEPTED,
                matter=matter,
                by=rng.choice([window.post_a, window.post_b]).user,
                at=moment(day),
            )
            waiting = [(m, w) for m, w in waiting if m.pk != matter.pk]
        # Accepted matters handled by their committed date, most of them.
        for matter in (
            Matter.objects.filter(
                status=Matter.Status.ACCEPTED, receipt__committed_on__lte=day
            )
            .exclude(appointments__status=Appointment.Status.BOOKED)
            .select_related("window")[:6]
        ):
            if rng.random() < 0.9:
                services.matter_handle(
                    matter=matter,
                    by=rng.choice([matter.window.post_a, matter.window.post_b]).user,
                    on=day,
                )
        # What cannot be done that day gets an appointment on a later working day.
        later = workdays.working_days_in(
            day + datetime.timedelta(days=1), day + datetime.timedelta(days=7)
        )
        for matter in Matter.objects.filter(
            status=Matter.Status.ACCEPTED, appointments__isnull=True, opened_on=day
        ).select_related("window")[:2]:
            with contextlib.suppress(services.WindowError):
                services.appointment_book(
                    matter=matter,
                    day=rng.choice(later[:3]),
                    part=rng.choice(["am", "pm"]),
                    by=matter.window.post_a.user,
                    today=day,
                )
        for appointment in Appointment.objects.filter(
            day=day, status=Appointment.Status.BOOKED
        ).select_related("window"):
            services.appointment_close(
                appointment=appointment,
                outcome=rng.choice(["kept"] * 8 + ["missed_visitor"]),
                by=appointment.window.post_b.user,
                today=day,
            )
        # A shift change at the bureau's window on Mondays, logged.
        if day.weekday() == 0:
            services.handover_record(
                window=bureau,
                reason="shift",
                note="周一交接班",
                by=bureau.post_a.user,
                at=moment(day, 8),
            )
    load_commitments(ctx, windows)
    # A question for the unit head and a hand-off to staff1, waiting today.
    services.contact_log(
        window=township,
        visitor=visitor(),
        summary="再婚夫妻生育第二个子女能否办证",
        outcome=Contact.Outcome.ASKED_LEADER,
        leader=people["unithead1"],
        by=township.post_b.user,
        at=moment(days[-1], 10),
    )
    services.contact_log(
        window=bureau,
        visitor=visitor(),
        summary="反映村计生专干服务态度",
        outcome=Contact.Outcome.HANDED_OFF,
        handed_to=people["staff1"],
        by=bureau.post_b.user,
        at=moment(days[-1], 11),
    )
    # DIS-2: a matter told of a missing material on a second visit although the
    # first slip should have listed it: the inspector examines it.
    service, _v = services_[1]
    version = version_on(service, days[-5])
    materials = list(version.materials.all())
    first = services.contact_log(
        window=bureau,
        visitor="钱晓东",
        summary=f"申请{service.name}",
        outcome=Contact.Outcome.NOTIFIED,
        service=service,
        missing=materials[:1],
        by=bureau.post_a.user,
        at=moment(days[-5], 9),
    )
    services.contact_log(
        window=bureau,
        visitor="钱晓东",
        summary="补交材料",
        outcome=Contact.Outcome.NOTIFIED,
        matter=first.matter,
        missing=materials[1:2],
        by=bureau.post_b.user,
        at=moment(days[-3], 9),
    )


def _empty_window(ctx, exclude) -> Window | None:
    """SVC-4 on the whereabouts board: a window whose A and B posts are both away
    today (approved leave or going out, from the leave and attendance demos), so
    that its unit's board shows it empty. Two of the people away all day, of one
    unit when there are two there; none on a day with fewer than two away."""
    today = ctx.today
    people = [p for p in ctx.people.values() if p.is_active and p.pk not in exclude]
    ids = [p.pk for p in people]
    am, pm = absences_on(ids, today, "am"), absences_on(ids, today, "pm")
    away = [p for p in people if p.pk in am and p.pk in pm]
    if len(away) < 2:
        return None
    by_unit: dict[int, list] = {}
    for person in sorted(away, key=lambda p: p.pk):
        by_unit.setdefault(person.unit_id, []).append(person)
    pair = next(
        (group[:2] for group in by_unit.values() if len(group) >= 2),
        sorted(away, key=lambda p: p.pk)[:2],
    )
    return Window.objects.create(
        name="流动人口婚育证明窗口",
        unit=pair[0].unit,
        place="便民服务中心二楼",
        phone="0000-6100001",
        post_a=pair[0],
        post_b=pair[1],
        order=3,
    )


COMMITMENTS = [
    ("首问负责", "群众来访来电，首先接待的工作人员负责到底，不推诿、不扯皮。"),
    ("一次性告知", "材料不全的，一次性书面告知所需全部材料，不让群众跑第二趟。"),
    ("限时办结", "材料齐全的当场受理，出具受理回执，在承诺时限内办结。"),
    ("AB岗互补", "窗口实行AB岗工作制，A岗不在时由B岗顶岗，确保窗口不空岗。"),
    ("预约服务", "当天不能办结的，预约办理；预约的事项按约办理。"),
]


def load_commitments(ctx, windows) -> None:
    """SVC-5: the published commitments and a month's complaints: one upheld as
    a first-inquiry violation (DIS-1), one dismissed, one waiting."""
    today, people = ctx.today, ctx.people
    for order, (title, text) in enumerate(COMMITMENTS):
        Commitment.objects.create(
            title=title,
            text=text,
            effective_from=today.replace(month=1, day=1),
            order=order,
        )
    first_inquiry = Commitment.objects.get(title="首问负责")
    township, bureau = windows
    inspector = people["inspector"]
    at = datetime.datetime.combine(
        today - datetime.timedelta(days=12), datetime.time(10), tzinfo=TZ
    )
    upheld = services.complaint_register(
        channel="phone",
        complainant="孙桂兰",
        contact="13907001234",
        text="到窗口咨询独生子女证，工作人员说不归他管，让我自己去找。",
        commitment=first_inquiry,
        window=township,
        person_named=township.post_b.name,
        by=inspector.user,
        at=at,
    )
    services.complaint_decide(
        complaint=upheld,
        upheld=True,
        finding="经调查属实：未履行首问负责，未移交承办人。",
        person=township.post_b,
        kind="discipline.first_inquiry",
        occurred_on=(at - datetime.timedelta(days=1)).date(),
        by=inspector.user,
    )
    services.complaint_reply(
        complaint=upheld,
        reply="投诉属实，已责令当事人书面检查并向您致歉。",
        by=inspector.user,
    )
    dismissed = services.complaint_register(
        channel="online",
        complainant="周建国",
        contact="13907005678",
        text="办证太慢。",
        window=bureau,
        at=at + datetime.timedelta(days=3),
    )
    services.complaint_decide(
        complaint=dismissed,
        upheld=False,
        finding="经核实在承诺时限内办结，已向投诉人解释。",
        by=inspector.user,
    )
    services.complaint_register(
        channel="online",
        complainant="吴秀英",
        contact="13907009999",
        text="预约当天去了窗口没有人。",
        commitment=Commitment.objects.get(title="预约服务"),
        window=township,
        at=at + datetime.timedelta(days=8),
    )
