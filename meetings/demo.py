"""A month of meetings in the demo bureau (MTG-1), through the services: items
proposed by sections and units with their materials and accepted by the deputies in
charge, a director's office meeting, a bureau affairs meeting (which decides two
efficiency warnings, DIS-5, and a valuable equipment purchase, FIN-2), a topic
meeting, one meeting planned, items still waiting. Afterwards the timestamps are
moved back to the simulated days, as leave's demo does."""

from __future__ import annotations

import datetime
import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.utils import translation

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.services import approval_decide
from bureau import workdays
from meetings.absences import absences_on
from meetings.models import BUREAU_AFFAIRS, DIRECTOR_OFFICE, TOPIC, Item, Meeting
from meetings.services import (
    expected_participants,
    item_propose,
    meeting_plan,
    meeting_record,
    meeting_set_agenda,
)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _docx(paragraphs: list[str]) -> bytes:
    """A small Word document (what sections hand in as materials)."""
    body = "".join(
        f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
        f'2006/main"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def _materials(title: str) -> ContentFile:
    content = _docx([title, "一、基本情况", "二、存在问题", "三、建议意见"])
    return ContentFile(content, name=f"{title[:20]}（材料）.docx")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=workdays.TZ)


def _propose(ctx, who, kind, title, description, *, on, accept=True):
    person = ctx.people[who]
    item = item_propose(
        by=person.user,
        kind=kind,
        title=title,
        description=description,
        upload=_materials(title),
        today=on,
    )
    approval = item.approvals.get()
    if accept and approval.status == ApprovalRequest.Status.PENDING:
        step = approval.steps.get(order=approval.current_order)
        approval_decide(
            request=approval,
            by=step.approver.user,
            decision="approve",
            comment="同意提交会议研究",
        )
    # Back to the simulated day.
    Item.objects.filter(pk=item.pk).update(proposed_at=_at(on, 9))
    ApprovalRequest.objects.filter(pk=approval.pk).update(submitted_at=_at(on, 9))
    ApprovalStep.objects.filter(request=approval, decided_at__isnull=False).update(
        decided_at=_at(on, 15)
    )
    ApprovalRequest.objects.filter(pk=approval.pk, finished_at__isnull=False).update(
        finished_at=_at(on, 15)
    )
    item.refresh_from_db()
    return item


def _hold(ctx, kind, title, day, chair, items, decisions, notes, *, absent=()):
    clerk = ctx.people["docs"].user
    meeting = meeting_plan(
        by=clerk,
        kind=kind,
        title=title,
        planned_on=day,
        chair=chair,
        place="局三楼会议室",
    )
    meeting_set_agenda(meeting=meeting, items=items, by=clerk)
    expected = list(expected_participants(meeting))
    away = absences_on([p.pk for p in expected], day, meeting.part)
    present = [p for p in expected if p.pk not in away and p.pk not in absent]
    return meeting_record(
        meeting=meeting,
        by=clerk,
        held_on=day,
        chair=chair,
        attended=present,
        decisions={item.pk: text for item, text in zip(items, decisions, strict=True)},
        notes=notes,
    )


def _day_with_leave(ctx, days, kind_people):
    """A working day of the month on which someone expected is on approved leave
    (so the minutes show one excused), else the middle day."""
    ids = [p.pk for p in kind_people]
    for day in days:
        if absences_on(ids, day, "am"):
            return day
    return days[len(days) // 2]


def load(ctx) -> None:
    # Titles, decisions and notifications are stored text: write them in Chinese.
    with translation.override("zh-hans"):
        _load(ctx)


def _load(ctx) -> None:
    today = ctx.today
    people = ctx.people
    year = today.year
    past = workdays.working_days_in(
        today - datetime.timedelta(days=30), today - datetime.timedelta(days=1)
    )
    if len(past) < 9:
        return
    director = people["director"]

    # The director's office meeting of the month (middle level and above).
    office_day = _day_with_leave(
        ctx,
        past[2:8],
        [p for p in people.values() if p.is_middle_level_or_above],
    )
    stats = _propose(
        ctx,
        "head3",
        DIRECTOR_OFFICE,
        "上月人口计生统计月报分析",
        "通报上月出生、流动人口变动情况，提出下月重点工作。",
        on=office_day - datetime.timedelta(days=3),
    )
    checkups = _propose(
        ctx,
        "unithead1",
        DIRECTOR_OFFICE,
        "免费孕前优生健康检查进度安排",
        "服务站本季度检查进度滞后，请局协调各乡镇组织对象参检。",
        on=office_day - datetime.timedelta(days=2),
    )
    _hold(
        ctx,
        DIRECTOR_OFFICE,
        f"{office_day.month}月份局长办公会议",
        office_day,
        director,
        [stats, checkups],
        [
            "同意规划统计股的分析意见，各股室按月报反映的问题落实整改。",
            "由服务站牵头，各乡镇计生办配合，本月底前完成剩余检查对象的组织工作。",
        ],
        "传达县委常委会会议精神；通报各股室上月工作完成情况。",
    )

    # The bureau affairs meeting: two efficiency warnings (DIS-5), a copier (FIN-2).
    affairs_day = past[-4]
    warning_floating = _propose(
        ctx,
        "head1",
        BUREAU_AFFAIRS,
        "关于对流动人口管理站一名工作人员给予效能告诫的议题",
        "该同志工作作风漂浮，群众多次投诉，经纪检员核实属实。",
        on=affairs_day - datetime.timedelta(days=4),
    )
    warning_finance = _propose(
        ctx,
        "head1",
        BUREAU_AFFAIRS,
        "关于对财务股一名工作人员给予效能告诫的议题",
        "报账资料长期拖延，经提醒仍未改正。",
        on=affairs_day - datetime.timedelta(days=4),
    )
    copier = _propose(
        ctx,
        "head5",
        BUREAU_AFFAIRS,
        "购置数码复印机一台（约9000元）",
        "现有复印机已使用八年，故障频繁；属贵重办公设备，按规定提请局务会研究。",
        on=affairs_day - datetime.timedelta(days=3),
    )
    _hold(
        ctx,
        BUREAU_AFFAIRS,
        f"{year}年第{affairs_day.month}次局务会",
        affairs_day,
        director,
        [warning_floating, warning_finance, copier],
        [
            f"经局务会集体研究，决定对{people['floating2'].name}同志给予效能告诫，"
            "由纪检员记录在案。",
            f"经局务会集体研究，决定对{people['caiwu3'].name}同志给予效能告诫，"
            "限期一周内整理完毕报账资料。",
            "同意购置数码复印机一台，由综合股按政府采购规定办理，费用控制在一万元以内。",
        ],
        "研究机关效能建设和办公设备购置事项。",
    )

    # A topic meeting on the floating population, chaired by the deputy in charge.
    topic_day = past[-2]
    floating = _propose(
        ctx,
        "unithead2",
        TOPIC,
        "流动人口婚育证明办理提速",
        "建议推行一次性告知和预约办理，压缩办理时限。",
        on=topic_day - datetime.timedelta(days=2),
    )
    _hold(
        ctx,
        TOPIC,
        "流动人口服务管理专题会议",
        topic_day,
        people["deputy2"],
        [floating],
        ["同意推行一次性告知和预约办理，由流动人口管理站制定细则，下周报局审定。"],
        "",
    )

    # Next: a bureau affairs meeting planned, items waiting and one with the deputy.
    waiting = _propose(
        ctx,
        "head4",
        BUREAU_AFFAIRS,
        "年终宣传品采购计划",
        "拟采购宣传折页、挂图，预算约6000元（FIN-6）。",
        on=past[-1],
    )
    clerk = people["docs"].user
    ahead = workdays.working_days_in(today, today + datetime.timedelta(days=14))
    if ahead:
        planned = meeting_plan(
            by=clerk,
            kind=BUREAU_AFFAIRS,
            title="下次局务会",
            planned_on=ahead[min(4, len(ahead) - 1)],
            chair=director,
            place="局三楼会议室",
        )
        meeting_set_agenda(meeting=planned, items=[waiting], by=clerk)
    _propose(
        ctx,
        "head2",
        TOPIC,
        "行政执法案卷评查工作安排",
        "拟组织一次全系统行政执法案卷评查。",
        on=past[-1],
        accept=False,
    )
    assert Meeting.objects.filter(status=Meeting.Status.HELD).count() == 3
