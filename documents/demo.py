"""A year of documents in the demo bureau, through the services (DOC-1): each
month the sections draft notices, reports and requests; the deputies in charge
check them, the director signs them off, the drafters proofread and the document
clerk numbers (示计生〔2026〕1号, 2号, … in date order) and files them. A few are
still on their way: one being checked, one returned with a comment, one signed and
waiting for proofreading, one proofread and waiting for its number (the clerk's
desk). Afterwards the timestamps are moved back to the simulated days."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from approvals.models import ApprovalRequest, ApprovalStep
from attachments.models import Attachment
from bureau import workdays
from documents import services
from documents.models import (
    Hop,
    IncomingDocument,
    Instruction,
    MonthlyReport,
    OutgoingDocument,
    TaskNote,
)
from meetings.models import Decision
from numbering.models import Number

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

# (section code, drafter login, type code, title pattern)
DRAFTS = [
    ("zonghe", "staff1", "notice", "关于做好{m}月份机关考勤管理工作的通知"),
    ("guihua", "guihua1", "report", "关于{m}月份人口计生统计情况的报告"),
    ("fagui", "fagui2", "opinion", "关于加强计划生育依法行政工作的意见"),
    ("xuanjiao", "xuanjiao1", "notice", "关于开展{m}月份婚育新风进万家宣传活动的通知"),
    ("zonghe", "staff1", "letter", "关于商请协助开展流动人口服务管理的函"),
    ("caiwu", "caiwu2", "request", "关于拨付{m}月份计生奖励扶助资金的请示"),
]
RECIPIENTS = "各乡镇人民政府，县直有关单位"


def _pdf(title: str) -> ContentFile:
    return ContentFile(PDF, name=f"{title[:20]}.pdf")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """That hour of a past day, never after now (the demo may load before nine)."""
    moment = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=workdays.TZ)
    return min(moment, timezone.now() - datetime.timedelta(minutes=1))


def load(ctx) -> None:
    with translation.override("zh-hans"):
        _load(ctx)


def _draft(ctx, section, login, type_code, title, *, urgency=0, secrecy=0):
    person = ctx.people[login]
    return services.outgoing_create(
        by=person.user,
        level="bureau",
        doc_type=type_code,
        title=title,
        main_recipients=RECIPIENTS,
        copy_to="县人民政府办公室" if type_code == "request" else "",
        urgency=urgency,
        secrecy=secrecy,
        upload=_pdf(title),
    )


def _decide_all(document, comment: str) -> None:
    """Every bureau step in turn, by its approver (the chain as resolved)."""
    while True:
        approval = ApprovalRequest.objects.get(pk=document.current_approval.pk)
        if not approval.is_open:
            return
        step = approval.steps.get(order=approval.current_order)
        services.outgoing_decide(
            document=document,
            by=step.approver.user,
            decision="approve",
            comment=comment if step.action == "approve" else "核稿无误",
        )


def _retime(document, day: datetime.date) -> None:
    """Back to the simulated days: drafted on `day`, checked the next working day,
    signed and proofread the day after, numbered and filed after that."""
    days = workdays.working_days_in(day, day + datetime.timedelta(days=20))
    checked, signed, numbered = days[1], days[2], days[3]
    updates = {"created_at": _at(day, 9)}
    if document.signed_on:
        updates["signed_on"] = signed
    if document.proofread_at:
        updates["proofread_at"] = _at(signed, 15)
    if document.numbered_at:
        updates["numbered_at"] = _at(numbered, 10)
    if document.filed_at:
        updates["filed_at"] = _at(numbered, 11)
    OutgoingDocument.objects.filter(pk=document.pk).update(**updates)
    approvals = ApprovalRequest.objects.filter(
        content_type__model="outgoingdocument", object_id=document.pk
    )
    approvals.update(submitted_at=_at(day, 10))
    approvals.exclude(finished_at=None).update(finished_at=_at(signed, 11))
    steps = ApprovalStep.objects.filter(request__in=approvals, decided_at__isnull=False)
    steps.filter(order=1).update(decided_at=_at(checked, 10))
    steps.exclude(order=1).update(decided_at=_at(signed, 11))
    Attachment.objects.filter(
        content_type__model="outgoingdocument", object_id=document.pk
    ).update(uploaded_at=_at(day, 9))
    Number.objects.filter(
        content_type__model="outgoingdocument", object_id=document.pk
    ).update(taken_at=_at(numbered, 10))


INCOMING = [
    ("市卫生健康委员会", "市卫健", "关于开展{m}月份人口监测工作的通知", "guihua"),
    ("县人民政府办公室", "县政办", "关于做好安全生产检查工作的通知", "zonghe"),
    (
        "市卫生健康委员会",
        "市卫健",
        "关于印发计划生育奖励扶助资金管理办法的通知",
        "caiwu",
    ),
    ("县委办公室", "县委办", "关于开展{m}月份作风建设督查的通知", "zonghe"),
    ("市卫生健康委员会", "市卫健", "关于加强流动人口计划生育服务管理的意见", "fagui"),
]


def _incoming(ctx, day, n):
    """A document received on `day`: the clerk's proposal, the director's (or a
    deputy's) instruction naming the section's head as handler, handled and filed;
    every third one also circulated to the deputies."""
    docs = ctx.people["docs"]
    sender, prefix, pattern, section = INCOMING[n % len(INCOMING)]
    leader = ctx.people["director"] if n % 2 else ctx.sections[section].deputy_in_charge
    head = ctx.sections[section].head
    incoming = services.incoming_register(
        by=docs.user,
        sender=sender,
        their_number=f"{prefix}〔{day.year}〕{10 + n * 3}号",
        dated=day - datetime.timedelta(days=2),
        received_on=day,
        title=pattern.format(m=day.month),
        urgency=1 if n % 5 == 0 else 0,
        upload=_pdf(pattern),
    )
    services.incoming_propose(
        incoming=incoming,
        by=docs.user,
        proposal=f"拟请{leader.name}同志阅示，由{ctx.sections[section].name}办理。",
    )
    (hop,) = services.incoming_send(
        incoming=incoming, by=docs.user, people=[leader], purpose="instruct", today=day
    )
    services.incoming_instruct(
        hop=hop,
        by=leader.user,
        text=f"请{ctx.sections[section].name}认真研究，按要求办理并及时报告。",
        handlers=[head],
        today=day,
    )
    if n % 3 == 0:
        deputies = [ctx.people[f"deputy{i}"] for i in (1, 2, 3)]
        for read in services.incoming_send(
            incoming=incoming,
            by=docs.user,
            people=deputies,
            purpose="read",
            note="请各位局领导传阅",
            today=day,
        ):
            services.incoming_read(hop=read, by=read.person.user)
    for handle in Hop.objects.filter(incoming=incoming, purpose="handle"):
        services.incoming_handle(
            hop=handle, by=handle.person.user, result="已按要求办理并上报。"
        )
    services.incoming_close(incoming=incoming, by=docs.user, outcome="filed")
    return incoming


def _retime_incoming(incoming, day) -> None:
    days = workdays.working_days_in(day, day + datetime.timedelta(days=20))
    IncomingDocument.objects.filter(pk=incoming.pk).update(
        registered_at=_at(day, 9), closed_at=_at(days[3], 16)
    )
    Hop.objects.filter(incoming=incoming).update(sent_at=_at(day, 10))
    Hop.objects.filter(incoming=incoming, done_at__isnull=False).update(
        done_at=_at(days[2], 15)
    )
    Instruction.objects.filter(incoming=incoming).update(at=_at(days[1], 11))


def _load(ctx) -> None:
    today = ctx.today
    rng = ctx.rng
    docs = ctx.people["docs"]
    start = today.replace(month=1, day=5)
    # A year of numbered documents, in date order (the numbers follow the days).
    day = start
    made = []
    while day < today - datetime.timedelta(days=20):
        section, login, type_code, pattern = DRAFTS[len(made) % len(DRAFTS)]
        title = pattern.format(m=day.month)
        urgency = 1 if rng.random() < 0.2 else 0
        document = _draft(ctx, section, login, type_code, title, urgency=urgency)
        services.outgoing_submit(document=document, by=document.drafter.user, today=day)
        _decide_all(document, "同意印发")
        services.outgoing_proofread(document=document, by=document.drafter.user)
        numbered_on = workdays.working_days_in(day, day + datetime.timedelta(days=20))[
            3
        ]
        services.outgoing_number(document=document, by=docs.user, today=numbered_on)
        services.outgoing_file(document=document, by=docs.user)
        _retime(OutgoingDocument.objects.get(pk=document.pk), day)
        made.append(document)
        day += datetime.timedelta(days=rng.randint(6, 10))

    recent = workdays.working_days_in(today - datetime.timedelta(days=14), today)
    # On their way: being checked (the deputy's inbox), returned with a comment,
    # signed and waiting for proofreading, proofread and waiting for the number.
    checking = _draft(
        ctx, "guihua", "guihua1", "notice", "关于开展年度人口抽样调查的通知", urgency=2
    )
    services.outgoing_submit(document=checking, by=checking.drafter.user)
    _retime(checking, recent[-2])
    returned = _draft(ctx, "fagui", "fagui2", "report", "关于行政执法检查情况的报告")
    services.outgoing_submit(document=returned, by=returned.drafter.user)
    step = returned.current_approval.steps.get(order=1)
    services.outgoing_decide(
        document=returned,
        by=step.approver.user,
        decision="return",
        comment="第三部分数据与统计报表不一致，请核实后再报",
    )
    _retime(returned, recent[-4])
    signed = _draft(ctx, "zonghe", "staff1", "notice", "关于元旦期间值班安排的通知")
    services.outgoing_submit(document=signed, by=signed.drafter.user)
    _decide_all(signed, "同意")
    _retime(OutgoingDocument.objects.get(pk=signed.pk), recent[-4])
    waiting = _draft(
        ctx, "xuanjiao", "xuanjiao1", "notice", "关于做好年终宣传总结工作的通知"
    )
    services.outgoing_submit(document=waiting, by=waiting.drafter.user)
    _decide_all(waiting, "同意印发")
    services.outgoing_proofread(document=waiting, by=waiting.drafter.user)
    _retime(OutgoingDocument.objects.get(pk=waiting.pk), recent[-5])

    _load_incoming(ctx)
    _load_supervision(ctx)
    _load_archives(ctx)
    _load_print_room(ctx)


def _load_incoming(ctx) -> None:
    today = ctx.today
    rng = ctx.rng
    docs = ctx.people["docs"]
    day = today.replace(month=1, day=6)
    n = 0
    while day < today - datetime.timedelta(days=20):
        if workdays.working_days_in(day, day):
            _retime_incoming(_incoming(ctx, day, n), day)
            n += 1
        day += datetime.timedelta(days=rng.randint(7, 12))
    # On the desk now: an urgent one waiting for the director's instruction, one
    # instructed and being handled, one circulating (read by some, urged for one).
    recent = workdays.working_days_in(today - datetime.timedelta(days=10), today)
    urgent = services.incoming_register(
        by=docs.user,
        sender="市卫生健康委员会",
        their_number=f"市卫健明电〔{today.year}〕5号",
        received_on=recent[-1],
        title="关于立即开展冬季疫情防控排查的紧急通知",
        urgency=2,
        upload=_pdf("紧急通知"),
    )
    services.incoming_propose(
        incoming=urgent, by=docs.user, proposal="特急件，拟请局长阅示后立即办理。"
    )
    services.incoming_send(
        incoming=urgent,
        by=docs.user,
        people=[ctx.people["director"]],
        purpose="instruct",
        today=recent[-1],
    )
    handling = _incoming_open(ctx, recent[-3], "关于报送年度工作总结的通知")
    circulating = services.incoming_register(
        by=docs.user,
        sender="县委办公室",
        their_number=f"县委办〔{today.year}〕42号",
        received_on=recent[-2],
        title="关于学习贯彻全会精神的通知",
        upload=_pdf("学习通知"),
    )
    hops = services.incoming_send(
        incoming=circulating,
        by=docs.user,
        people=[ctx.people[p] for p in ("deputy1", "deputy2", "deputy3", "head1")],
        purpose="read",
        note="请传阅，阅后签名",
        today=recent[-2],
    )
    services.incoming_read(hop=hops[0], by=hops[0].person.user)
    services.incoming_read(hop=hops[3], by=hops[3].person.user)
    services.incoming_urge(hop=hops[1], by=docs.user)
    for incoming, day in ((urgent, recent[-1]), (circulating, recent[-2])):
        IncomingDocument.objects.filter(pk=incoming.pk).update(
            registered_at=_at(day, 9)
        )
    ctx.documents_instruction = Instruction.objects.filter(incoming=handling).first()


def _incoming_open(ctx, day, title):
    docs = ctx.people["docs"]
    incoming = services.incoming_register(
        by=docs.user,
        sender="县人民政府办公室",
        their_number=f"县政办〔{day.year}〕77号",
        received_on=day,
        title=title,
        upload=_pdf(title),
    )
    (hop,) = services.incoming_send(
        incoming=incoming,
        by=docs.user,
        people=[ctx.people["director"]],
        purpose="instruct",
        today=day,
    )
    services.incoming_instruct(
        hop=hop,
        by=hop.person.user,
        text="请综合股牵头汇总各股室总结，月底前报县政府办。",
        handlers=[ctx.sections["zonghe"].head],
        today=day,
    )
    return incoming


def _load_supervision(ctx) -> None:
    """Supervised tasks in every colour (green, yellow, red), one reported back
    and one closed; last month's summaries from three sections of five."""
    today = ctx.today
    docs = ctx.people["docs"]
    sections = ctx.sections
    day = datetime.timedelta(days=1)
    decision = Decision.objects.select_related("meeting").order_by("-pk").first()
    plans = [
        # (section, supervisor, title, source, assigned days ago, due in days)
        ("guihua", "deputy3", "报送年度人口和计划生育统计报表", "higher", 20, 20),
        ("xuanjiao", "deputy2", "完成婚育新风进万家活动总结", "higher", 25, 2),
        ("fagui", "deputy2", "整改行政执法检查发现的问题", "higher", 40, -5),
        (
            "zonghe",
            "director",
            "汇总各股室年度工作总结报县政府办",
            "instruction",
            6,
            12,
        ),
        ("caiwu", "director", "落实局务会关于设备购置的决定", "meeting", 15, 10),
    ]
    made = []
    for code, supervisor, title, source, ago, due_in in plans:
        extra = {}
        if source == "instruction":
            extra["instruction"] = getattr(ctx, "documents_instruction", None)
            if extra["instruction"] is None:
                source = "higher"
        if source == "meeting":
            if decision is None:
                source = "higher"
            else:
                extra["meeting_decision"] = decision
        task = services.task_register(
            by=docs.user,
            source=source,
            source_reference=f"市卫健〔{today.year}〕12号"
            if source == "higher"
            else "",
            title=title,
            requirements="按要求按时完成，完成后及时反馈。",
            section=sections[code],
            supervisor=ctx.people[supervisor],
            assigned_on=today - ago * day,
            due_on=today + due_in * day,
            **extra,
        )
        made.append(task)
    services.task_follow_up(
        task=made[2],
        by=sections["fagui"].head.user,
        text="已整改三项，剩余两项正在推进。",
    )
    services.task_report(
        task=made[1], by=sections["xuanjiao"].head.user, text="活动总结已报送市卫健委。"
    )
    closed = services.task_register(
        by=docs.user,
        source="higher",
        source_reference=f"县政办〔{today.year}〕30号",
        title="开展计划生育政策宣传月活动",
        section=sections["xuanjiao"],
        supervisor=ctx.people["deputy2"],
        assigned_on=today - 60 * day,
        due_on=today - 30 * day,
    )
    services.task_report(
        task=closed,
        by=sections["xuanjiao"].head.user,
        text="宣传月活动已完成，简报已报送。",
    )
    services.task_check(
        task=closed,
        by=docs.user,
        decision="close",
        comment="已完成，予以销号。",
        on=today - 32 * day,
    )
    TaskNote.objects.filter(task=closed).update(at=_at(today - 32 * day, 10))
    # Last month's summaries and plans: three sections have sent theirs.
    month = (today.replace(day=1) - day).replace(day=1)
    for code in ("zonghe", "guihua", "caiwu"):
        head = sections[code].head
        services.monthly_report_send(
            by=head.user,
            month=month,
            summary=f"{sections[code].name}本月完成了各项重点工作。",
            plan=f"{sections[code].name}下月将继续做好各项工作。",
        )
    MonthlyReport.objects.filter(month=month).update(
        sent_at=_at(today.replace(day=1), 9)
    )


def _load_archives(ctx) -> None:
    """Last year's December documents, filed into last year's catalogue early this
    year (DOC-3), and one file out on loan to staff1."""
    today = ctx.today
    docs = ctx.people["docs"]
    year = today.year - 1
    for n, (section, login, type_code, pattern) in enumerate(DRAFTS[:4]):
        day = datetime.date(year, 12, 1) + datetime.timedelta(days=5 * n)
        document = _draft(ctx, section, login, type_code, pattern.format(m=12))
        services.outgoing_submit(document=document, by=document.drafter.user, today=day)
        _decide_all(document, "同意印发")
        services.outgoing_proofread(document=document, by=document.drafter.user)
        numbered_on = workdays.working_days_in(day, day + datetime.timedelta(days=20))[
            3
        ]
        services.outgoing_number(document=document, by=docs.user, today=numbered_on)
        services.outgoing_file(document=document, by=docs.user)
        _retime(OutgoingDocument.objects.get(pk=document.pk), day)
    entries = services.archive_year(year=year, by=docs.user, today=today)
    if entries:
        services.loan_register(
            entry=entries[0],
            by=docs.user,
            borrower=ctx.people["staff1"],
            purpose="起草年度工作总结参考",
            lent_on=today - datetime.timedelta(days=3),
            due_on=today + datetime.timedelta(days=11),
        )


def _load_print_room(ctx) -> None:
    """A month of the print room's log (DOC-4): the numbered documents printed for
    their recipients, meeting materials copied, one secret document with its copy
    numbers."""
    today = ctx.today
    docs = ctx.people["docs"]
    rng = ctx.rng
    numbered = OutgoingDocument.objects.exclude(doc_number="").order_by("-numbered_at")[
        :6
    ]
    days = workdays.working_days_in(today - datetime.timedelta(days=30), today)
    for document in numbered:
        services.print_job_log(
            by=docs.user,
            requested_by=document.drafter,
            kind="print",
            what=document.title,
            doc_number=document.doc_number,
            copies=rng.randint(10, 40),
            reason="印发主送、抄送单位",
            done_on=rng.choice(days),
        )
    for login, what in [
        ("head2", "局务会议材料"),
        ("guihua1", "统计报表"),
        ("staff1", "考勤汇总表"),
    ]:
        person = ctx.people[login]
        services.print_job_log(
            by=person.user,
            kind="copy",
            what=what,
            copies=rng.randint(3, 12),
            reason="工作需要",
            done_on=rng.choice(days),
        )
    services.print_job_log(
        by=docs.user,
        requested_by=ctx.people["director"],
        kind="print",
        what="市卫健委涉密通知",
        copies=5,
        secrecy=1,
        copy_numbers="1-5",
        reason="局领导传阅",
        done_on=days[-1],
    )
