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
from django.utils import translation

from approvals.models import ApprovalRequest, ApprovalStep
from attachments.models import Attachment
from bureau import workdays
from documents import services
from documents.models import OutgoingDocument
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
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=workdays.TZ)


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
