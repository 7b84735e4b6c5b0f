"""Two months of petitions in the demo bureau, through the services: the routing
catalogue (six categories, five townships), cases in every state — registered,
routed, objected to and routed again, accepted, not accepted, concluded, replied
(review window open), under review, closed, merged — an extension approved and
one waiting, a case assigned by the city with its owning leader (包案), an online
petition, and one case overdue and escalated up the ladder (PET-5). The
petitioners are invented; every identity view the demo makes is logged."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import translation

from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from petitions import services
from petitions.models import Category, Route, Township

TOWNSHIPS = ["城关镇", "东关镇", "西河乡", "南山乡", "北岭镇"]
# category -> section code (None: the township handles it)
CATALOGUE = [
    ("计划生育政策咨询", "fagui"),
    ("奖励扶助与特别扶助", "guihua"),
    ("社会抚养费", "fagui"),
    ("违法生育举报", "fagui"),
    ("工作人员作风", "zonghe"),
    ("村务与宅基地", None),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load(ctx) -> None:
    with translation.override("zh-hans"):
        _load(ctx)


def _load(ctx) -> None:
    today = ctx.today
    people, sections = ctx.people, ctx.sections
    officer = people["petition"]
    by = officer.user
    towns = [Township.objects.create(name=n, order=i) for i, n in enumerate(TOWNSHIPS)]
    cats = {}
    for i, (name, code) in enumerate(CATALOGUE):
        cats[name] = Category.objects.create(name=name, order=i)
        if code is None:
            Route.objects.create(category=cats[name], to_township=True)
        else:
            Route.objects.create(category=cats[name], section=sections[code])
    fagui, guihua, zonghe = sections["fagui"], sections["guihua"], sections["zonghe"]
    handler_f, handler_g = people["fagui2"], people["guihua2"]
    names = iter(
        [
            "赵桂兰",
            "钱国强",
            "孙秀英",
            "李建华",
            "周玉梅",
            "吴海燕",
            "郑志刚",
            "王春晓",
            "冯丽娟",
            "陈立新",
            "褚红梅",
            "卫俊杰",
            "蒋云飞",
            "沈雪琳",
            "韩浩然",
            "杨晓东",
            "朱建军",
            "秦玉兰",
            "尤志明",
            "许凤英",
            "何海涛",
            "吕秀兰",
            "施国华",
            "张丽萍",
        ]
    )

    def day(n):
        return today - datetime.timedelta(days=n)

    def register(n, category, town, summary, *, channel="letter", **kw):
        phone = f"1390379{ctx.rng.randint(0, 9999):04d}"
        return services.case_register(
            by=by,
            channel=channel,
            received_on=day(n),
            summary=summary,
            category=cats[category],
            township=towns[town],
            petitioner=services.Petitioner(
                name=kw.pop("name", None) or next(names),
                phone=kw.pop("phone", phone),
                address=f"{TOWNSHIPS[town]}某村",
                report=kw.pop("report", ""),
                subject=kw.pop("subject", None),
            ),
            **kw,
        )

    def route(case, n, section, handler=None, note=""):
        return services.case_route(
            case=case, by=by, section=section, handler=handler, note=note, on=day(n)
        )

    def decide(
        case, n, who, decision="accepted", text="经审查，属于本局职责范围，予以受理。"
    ):
        return services.case_decide(
            case=case, by=who.user, decision=decision, text=text, on=day(n)
        )

    def conclude(case, n, who, outcome, text):
        return services.case_conclude(
            case=case, by=who.user, outcome=outcome, text=text, on=day(n)
        )

    def deliver(case, n, method="post", note="挂号信 XA1234567"):
        return services.reply_deliver(
            case=case, by=by, method=method, delivered_on=day(n), note=note
        )

    # Registered today, not routed yet: a letter with its scan.
    register(
        0,
        "计划生育政策咨询",
        0,
        "咨询再生育一孩的审批条件和所需材料",
        scan=ContentFile(PDF, name="scan.pdf"),
    )
    # Routed, waiting for the section's decision.
    routed = register(
        3, "奖励扶助与特别扶助", 1, "反映农村部分计划生育家庭奖励扶助金未按时发放"
    )
    route(routed, 2, guihua, handler_g)
    # Objected to by the section and routed again (recorded).
    moved = register(6, "社会抚养费", 2, "对社会抚养费征收决定的数额有异议")
    route(moved, 5, guihua, handler_g)
    services.routing_object(
        case=moved, by=handler_g.user, reason="征收事项属政策法规股职责", on=day(4)
    )
    route(moved, 4, fagui, handler_f, note="按异议改由政策法规股办理")
    # Objected to, waiting for the officer to route it again.
    waiting = register(2, "工作人员作风", 3, "反映乡镇服务站收费问题")
    route(waiting, 2, guihua, handler_g)
    services.routing_object(
        case=waiting, by=handler_g.user, reason="收费问题应由综合股核查", on=day(1)
    )
    # Accepted, being handled; an extension waiting for the deputy and director.
    complex_case = register(
        40,
        "违法生育举报",
        3,
        "举报某村存在违法生育未处理的情况",
        report="举报人称……（详见来信）",
    )
    route(complex_case, 39, fagui, handler_f)
    decide(complex_case, 37, handler_f)
    services.extension_request(
        case=complex_case,
        by=handler_f.user,
        days=30,
        reason="涉及多户，需逐户调查核实",
        on=day(2),
    )
    # Accepted with an extension approved.
    extended = register(70, "奖励扶助与特别扶助", 4, "反映特别扶助对象资格认定有误")
    route(extended, 69, guihua, handler_g)
    decide(extended, 66, handler_g)
    ext = services.extension_request(
        case=extended,
        by=handler_g.user,
        days=20,
        reason="需调取历年档案核实",
        on=day(10),
    )
    approval = ext.approvals.get()
    while approval.status == ApprovalRequest.Status.PENDING:
        step = approval.steps.get(order=approval.current_order)
        approval_decide(
            request=approval,
            by=step.approver.user,
            decision="approve",
            comment="同意延期",
        )
        approval.refresh_from_db()
    # Not accepted, the notice waiting to be delivered.
    refused = register(9, "村务与宅基地", 1, "反映宅基地审批纠纷")
    services.case_route(case=refused, by=by, township=towns[1], on=day(8))
    services.case_decide(
        case=refused,
        by=by,
        decision="not_accepted",
        text="宅基地审批不属于计划生育部门职责，已告知向乡镇人民政府反映。",
        on=day(6),
    )
    # Concluded, the reply to deliver.
    concluded = register(25, "计划生育政策咨询", 0, "咨询独生子女父母奖励费的领取办法")
    route(concluded, 24, fagui, handler_f)
    decide(concluded, 22, handler_f)
    conclude(concluded, 3, handler_f, "explain", "关于奖励费领取办法的解释说明：……")
    # Replied: the review window open.
    replied = register(45, "社会抚养费", 2, "申请社会抚养费分期缴纳", channel="visit")
    route(replied, 44, fagui, handler_f)
    decide(replied, 41, handler_f)
    conclude(replied, 20, handler_f, "support", "同意分期缴纳，具体办法如下：……")
    deliver(replied, 18, method="phone", note="已电话告知处理结果")
    # Under review by the county.
    reviewed = register(
        60, "奖励扶助与特别扶助", 3, "对奖励扶助资格认定结果不服", channel="visit"
    )
    route(reviewed, 59, guihua, handler_g)
    decide(reviewed, 55, handler_g)
    conclude(
        reviewed, 35, handler_g, "reject", "经核实，不符合奖励扶助条件，不予支持。……"
    )
    deliver(reviewed, 33, method="in_person", note="本人签收")
    services.review_request(
        case=reviewed, by=by, level="review", organ="县人民政府", requested_on=day(20)
    )
    # Closed after the review window.
    closed = register(58, "计划生育政策咨询", 4, "咨询流动人口婚育证明办理")
    route(closed, 57, fagui, handler_f)
    decide(closed, 55, handler_f)
    conclude(closed, 50, handler_f, "explain", "关于婚育证明办理的解释说明：……")
    deliver(closed, 48)
    services.case_close(case=closed, by=by, on=day(1))
    # Merged: the same phone about the same category twice (并单).
    first = register(
        12,
        "工作人员作风",
        0,
        "反映窗口工作人员态度生硬",
        phone="13903791234",
        subject=people["zonghe7"],
    )
    route(first, 11, zonghe, people["zonghe8"])
    again = register(
        10,
        "工作人员作风",
        0,
        "再次反映窗口工作人员态度问题",
        phone="13903791234",
        subject=people["zonghe7"],
    )
    services.case_merge(case=again, into=first, by=by)
    # Assigned by the city with its own due date; owned by a deputy (包案).
    city = register(
        8,
        "违法生育举报",
        2,
        "市卫健委交办：群众举报某企业职工违法生育",
        higher_organ="市卫生健康委员会",
        higher_due=day(-22),
        report_due=day(-25),
    )
    services.case_set_owner(case=city, by=by, owner=people["deputy2"])
    route(city, 7, fagui, handler_f)
    # Overdue and escalated: routed 25 days ago, never decided (PET-5).
    late = register(25, "奖励扶助与特别扶助", 4, "反映独生子女伤残死亡家庭扶助金停发")
    route(late, 24, guihua, people["guihua3"])
    services.petitions_escalate(today=today, commit=True)
    # PET-6: the Wednesday rota, a swap, two receptions (one opens a case).
    days = services.rota_plan(by=by, start=day(42), end=day(-60))
    past = [d for d in days if d.date <= today]
    coming = [d for d in days if d.date > today]
    if coming:
        other = next(
            p for p in [people["deputy1"], people["deputy3"]] if p != coming[0].leader
        )
        services.rota_swap(
            day=coming[0], by=by, leader=other, reason="原接访领导外出参加市里会议"
        )
    if past:
        services.reception_record(
            day=past[-1],
            by=past[-1].leader.user,
            visitor=next(names),
            phone="13903790011",
            matter="反映计划生育家庭特别扶助金申领手续繁琐",
            promised="两周内答复申领简化办法",
            category=cats["奖励扶助与特别扶助"],
            township=towns[2],
        )
        services.reception_record(
            day=past[0],
            by=by,
            visitor=next(names),
            phone="",
            matter="咨询独生子女证补办",
            promised="当场解答，已告知补办材料",
        )
    # An online petition with its query code (shown once to the citizen).
    services.case_submit_online(
        category=cats["计划生育政策咨询"],
        township=towns[0],
        summary="我想咨询生育登记服务卡怎么办理，需要哪些材料？",
        petitioner=services.Petitioner(name=next(names), phone="13903795678"),
    )
