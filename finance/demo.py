"""A month of finance in the demo bureau, through the services: claims by staff of
every section (approved, paid in last Tuesday's batch, waiting for this week's,
one pending, one sent back, a draft a rule blocks), purchases and use of funds at
every tier (the copier the bureau affairs meeting decided, a 6,000 yuan fund use
waiting for the meeting's decision, one waiting for the county), fixed assets with
custodians, a transfer and a handover list waiting for a signature."""

from __future__ import annotations

import datetime

from approvals.services import approval_decide
from bureau import workdays
from finance import services
from finance.models import Claim, Spending
from meetings.models import BUREAU_AFFAIRS, Decision

ITEMS = [
    ("A4打印纸", "箱", "150.00"),
    ("硒鼓", "个", "380.00"),
    ("档案盒", "个", "6.50"),
    ("中性笔", "盒", "24.00"),
    ("宣传折页印制", "份", "0.85"),
    ("会议用水", "箱", "36.00"),
    ("差旅住宿费", "晚", "260.00"),
    ("复印纸", "包", "28.00"),
]
PAYEES = ["县新华书店", "县文具店", "县印刷厂", "县宾馆", "县城超市"]


def _decide_all(record) -> None:
    """Every bureau step approved by its approver."""
    approval = record.current_approval
    while approval.is_open:
        step = approval.steps.get(order=approval.current_order)
        if step.action in ("meeting", "external"):
            return
        approval_decide(
            request=approval,
            by=step.approver.user,
            decision="approve",
            comment="同意",
        )
        approval.refresh_from_db()


def _witness(ctx, person):
    for other in ctx.people.values():
        same_post = (other.section_id, other.unit_id) == (
            person.section_id,
            person.unit_id,
        )
        if other.pk != person.pk and same_post:
            return other
    return ctx.people["head1"]


def load(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    people = ctx.people
    finance = people["finance"].user
    invoice = iter(range(10**19 + rng.randint(0, 10**6), 10**20))

    def claim(who, lines, *, day, submit=True, approve=True, method="bank_transfer"):
        person = people[who]
        made, _findings = services.claim_save(
            by=person.user,
            handler=person,
            witness=_witness(ctx, person),
            purpose=rng.choice(
                ["购买办公用品", "宣传资料印制", "下乡工作差旅", "会议保障"]
            ),
            payee=rng.choice(PAYEES),
            expense_date=day,
            payment_method=method,
            lines=lines,
            submit=submit,
        )
        if approve:
            _decide_all(made)
        made.refresh_from_db()
        return made

    def line(item, unit, price, qty="1", voucher="invoice", asset=False):
        return services.LineInput(
            item=item,
            unit=unit,
            quantity=qty,
            unit_price=price,
            voucher=voucher,
            invoice_number=f"{next(invoice):020d}" if voucher == "invoice" else "",
            fixed_asset=asset,
        )

    past = workdays.working_days_in(today - datetime.timedelta(days=30), today)
    staff = ["staff1", "head2", "fagui2", "guihua1", "xuanjiao1", "unitstaff1", "head3"]

    # Claims of the month: last week's are paid in last Tuesday's batch.
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    for n in range(10):
        day = past[min(n * 2, len(past) - 1)]
        item, unit, price = rng.choice(ITEMS)
        qty = str(rng.randint(1, 4))
        claim(staff[n % len(staff)], [line(item, unit, price, qty)], day=day)
    services.batch_pay(
        batch=services.batch_create(by=finance, today=last_monday),
        by=finance,
        today=services.pay_day(last_monday),
    )
    # Waiting for this week's batch, one pending, one sent back, a blocked draft.
    claim(
        "staff1",
        [line("会议用水", "箱", "36.00", "3", voucher="receipt")],
        day=past[-2],
    )
    claim("fagui2", [line("硒鼓", "个", "380.00", "2")], day=past[-3])
    claim(
        "guihua1",
        [line("差旅住宿费", "晚", "260.00", "2")],
        day=past[-1],
        approve=False,
    )
    returned = claim(
        "xuanjiao1", [line("宣传折页印制", "份", "0.85", "400")], day=past[-4]
    )
    services.claim_send_back(
        claim=returned, by=finance, reason="缺少印刷品验收单，请补充后重新提交。"
    )
    claim(
        "unitstaff1",
        [line("办公桌椅", "套", "260.00", voucher="receipt")],
        day=past[-1],
        submit=False,
        approve=False,
    )

    # Purchases and use of funds at every tier.
    copier_decision = (
        Decision.objects.filter(
            meeting__kind__code=BUREAU_AFFAIRS, item__title__contains="复印机"
        )
        .select_related("meeting")
        .first()
    )
    copier = services.spending_submit(
        by=people["head5"].user,
        kind=Spending.Kind.PURCHASE,
        title="购置数码复印机一台",
        purpose="现有复印机已使用八年，故障频繁。",
        amount="9000.00",
        needed_on=today,
        category=Spending.Category.EQUIPMENT,
    )
    _decide_all(copier)
    if copier_decision is not None:
        services.spending_record(
            spending=copier,
            by=people["docs"].user,
            decision="approve",
            meeting_decision=copier_decision,
        )
        _decide_all(copier)
    small = services.spending_submit(
        by=people["head2"].user,
        kind=Spending.Kind.PURCHASE,
        title="法规宣传资料印制",
        purpose="年度普法宣传。",
        amount="280.00",
        needed_on=today,
        category=Spending.Category.PRINTING,
    )
    _decide_all(small)
    services.spending_submit(
        by=people["head3"].user,
        kind=Spending.Kind.FUND_USE,
        title="流动人口服务宣传月活动经费",
        purpose="宣传月活动场地、物料。",
        amount="6000.00",
        needed_on=today + datetime.timedelta(days=14),
    )
    county = services.spending_submit(
        by=people["head4"].user,
        kind=Spending.Kind.FUND_USE,
        title="村级服务室设备补助",
        purpose="为十个村级服务室配备基本设备。",
        amount="12000.00",
        needed_on=today + datetime.timedelta(days=30),
    )
    _decide_all(county)
    approved = services.spending_submit(
        by=people["head1"].user,
        kind=Spending.Kind.FUND_USE,
        title="机关食堂炊具更新",
        purpose="更换老化炊具。",
        amount="4000.00",
        needed_on=today,
    )
    _decide_all(approved)

    # The copier claimed and checked on arrival: a fixed asset with its custodian.
    copier.refresh_from_db()
    if copier.status == Spending.Status.APPROVED or copier_decision is None:
        bought = claim(
            "head5",
            [line("数码复印机", "台", "8800.00", asset=True)],
            day=past[-1],
        )
        if bought.status == Claim.Status.APPROVED:
            services.claim_line_receive(
                line=bought.lines.get(),
                by=finance,
                place="综合股文印室",
                custodian=people["head1"],
            )

    # Fixed assets with custodians; a transfer; a handover list half signed.
    for who, name, value, place in [
        ("director", "笔记本电脑", "6200.00", "局长办公室"),
        ("head1", "台式电脑", "4800.00", "综合股"),
        ("staff1", "台式电脑", "4800.00", "综合股"),
        ("staff1", "激光打印机", "1600.00", "综合股"),
        ("head2", "台式电脑", "4800.00", "法规股"),
        ("unithead1", "B超机", "68000.00", "服务站"),
        ("unitstaff1", "档案柜", "1200.00", "服务站档案室"),
    ]:
        services.asset_register(
            by=finance,
            name=name,
            value=value,
            acquired_on=past[0],
            custodian=people[who],
            place=place,
            category="equipment",
        )
    printer = (
        services.assets_held_by(people["staff1"]).filter(name="激光打印机").first()
    )
    services.custody_record(
        asset=printer,
        by=finance,
        kind="transfer",
        custodian=people["head1"],
        on=past[-5],
        note="共用打印机交股长保管",
    )
    handover = services.handover_prepare(
        by=finance,
        from_person=people["staff1"],
        to_person=people["zonghe7"] if "zonghe7" in people else people["head1"],
        reason="调岗至法规股",
    )
    services.handover_sign(handover=handover, by=people["staff1"].user)

    # FIN-9: a township work meal approved and settled, part borne by the person;
    # higher-level visitors waiting for the director.
    meal = services.reception_submit(
        by=people["staff1"].user,
        data=services.ReceptionInput(
            kind="work_meal",
            guest_unit="城关镇计生办",
            guests="王建国 主任\n刘芳 干事\n陈强 干事\n赵敏 村专干",
            guest_level="township_level",
            purpose="季度流动人口服务工作对接",
            guest_count=4,
            companion_count=2,
            place="局机关食堂",
            on=past[-3],
            estimated_cost="180.00",
            companions=[people["head1"], people["staff1"]],
        ),
        today=past[-4],
    )
    _decide_all(meal)
    meal.refresh_from_db()
    if meal.status == meal.Status.APPROVED:
        services.reception_settle(
            reception=meal,
            by=finance,
            items=[
                services.ItemInput("工作餐", "150.00"),
                services.ItemInput("茶水水果", "50.00"),
                services.ItemInput("酒水", "38.00", approved=False),
            ],
        )
    services.reception_submit(
        by=people["head1"].user,
        data=services.ReceptionInput(
            kind="visitors",
            guest_unit="市卫生健康委员会",
            guests="李明 副主任\n周红 科长",
            guest_level="city_level",
            purpose="人口监测工作督导",
            guest_count=2,
            companion_count=1,
            place="县机关食堂",
            on=today + datetime.timedelta(days=3),
            estimated_cost="150.00",
            companions=[people["head1"]],
        ),
        today=today,
    )

    # FIN-7: last month's statements: income entered, generated, the service
    # station's sent to its head, the others not yet.
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    station = people["unithead1"].unit
    for unit, amount in [(station, "48000.00"), (people["director"].unit, "320000.00")]:
        services.income_set(by=finance, unit=unit, month=last_month, amount=amount)
    for statement in services.statements_generate(by=finance, month=last_month):
        if statement.unit_id == station.pk and station.head_id:
            services.statement_send(statement=statement, by=finance)
