"""MTG-1 through the services: items through the deputy in charge, agendas, held
meetings with attendance and decisions, minutes numbers, the monthly reminder, and
the approval engine's meeting step citing a decision by its key."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from approvals.models import ApprovalRequest, Notification
from approvals.services import (
    ApprovalError,
    approval_decide,
    approval_record_meeting,
    approval_submit,
)
from attachments.models import Attachment
from attachments.selectors import attachments_of
from attachments.services import AttachmentError, attachment_add
from attachments.storage import discard_uncommitted
from bureau.models import Policy, Role
from bureau.policies import registry
from bureau.testing import make_person
from bureau.workdays import TZ
from leave.services import leave_submit
from meetings import services
from meetings.kinds import ensure_default_kinds
from meetings.models import (
    BUREAU_AFFAIRS,
    DIRECTOR_OFFICE,
    TOPIC,
    Attendance,
    Decision,
    Item,
    Meeting,
    MeetingKind,
    MonthlyReminder,
)
from meetings.numbering import NumberingError, take_minutes_number
from meetings.services import MeetingError
from meetings.tasks import remind_monthly_meetings_task
from meetings.testing import PDF, accepted_item, held_meeting, pdf
from numbering.models import Number

pytestmark = pytest.mark.django_db


def test_mtg1_item_goes_to_the_deputy_in_charge(org):
    """A section proposes through its deputy in charge: one step on the engine; the
    deputy's approval puts the item among those waiting for a meeting."""
    item = services.item_propose(
        by=org.head_b.user, kind=BUREAU_AFFAIRS, title="购置复印机", upload=pdf()
    )
    assert item.status == Item.Status.PROPOSED
    assert (item.section, item.unit) == (org.section_b, org.organ)
    approval = item.approvals.get()
    (step,) = approval.steps.all()
    assert (step.action, step.approver) == ("approve", org.dep_b)
    approval_decide(request=approval, by=org.dep_b.user, decision="approve")
    item.refresh_from_db()
    assert item.status == Item.Status.ACCEPTED
    # The materials are an attachment of the item (one way to attach files).
    (material,) = attachments_of(item)
    assert (material.name, material.kind, material.size) == ("材料.pdf", "pdf", 15)
    assert material.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "材料" not in material.stored_as  # the stored name is never the user's
    assert material.uploaded_by == org.head_b.user


def test_mtg1_refused_item_stays_off_agendas(org):
    item = services.item_propose(
        by=org.unit_head.user, kind=TOPIC, title="站内事项", upload=pdf()
    )
    approval = item.approvals.get()
    approval_decide(
        request=approval, by=org.dep_a.user, decision="refuse", comment="暂缓"
    )
    item.refresh_from_db()
    assert item.status == Item.Status.REFUSED
    meeting = services.meeting_plan(
        by=org.head_a.user,
        kind=TOPIC,
        title="专题会",
        planned_on=datetime.date(2026, 11, 30),
        chair=org.dep_a,
    )
    with pytest.raises(MeetingError, match="不是已同意待上会"):
        services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)


def test_mtg1_directors_own_item_is_accepted_at_once(org):
    """Nobody is above the director in the bureau: his item is acknowledged."""
    item = services.item_propose(
        by=org.director.user, kind=BUREAU_AFFAIRS, title="年度工作", upload=pdf()
    )
    assert item.status == Item.Status.ACCEPTED


def test_mtg1_staff_do_not_propose_items(org):
    with pytest.raises(MeetingError, match="负责人或局领导提出"):
        services.item_propose(
            by=org.a1.user, kind=BUREAU_AFFAIRS, title="议题", upload=pdf()
        )
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "请附上"),
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "不能上传"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00"), "内容不是 PDF"),
        # Django strips a path from an uploaded name; a caller's file may keep it.
        (ContentFile(b"root", name="../.."), "文件名无效"),
        (SimpleUploadedFile("empty.pdf", b""), "为空"),
        (SimpleUploadedFile("notes.txt", b"text"), "不能上传"),
    ],
)
def test_mtg1_bad_materials_refused_and_nothing_saved(org, settings, upload, message):
    """A missing, wrong-type, disguised, path-like or empty file: the attachments'
    clear message; no item, no approval, no attachment, no file."""
    with pytest.raises(MeetingError, match=message):
        services.item_propose(
            by=org.head_b.user, kind=BUREAU_AFFAIRS, title="议题", upload=upload
        )
    assert not Item.objects.exists()
    assert not ApprovalRequest.objects.exists()
    assert not Attachment.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_mtg1_oversized_materials_refused_by_the_attachments_policy(org):
    """The limits are the attachments' policy (attachments.limits), one for every
    file the bureau keeps."""
    Policy.objects.create(
        key="attachments.limits",
        effective_from=datetime.date(2020, 1, 1),
        value={"max_bytes": 1024, "types": ["pdf"]},
    )
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048)
    with pytest.raises(MeetingError, match="过大"):
        services.item_propose(
            by=org.head_b.user, kind=BUREAU_AFFAIRS, title="议题", upload=big
        )
    assert not Item.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_mtg1_item_refused_by_the_engine_leaves_no_file(org, settings, monkeypatch):
    """The engine refuses after the file was written: the proposal rolls back as a
    whole (no item, no attachment) and the file goes when the transaction has
    ended (attachments.storage, at the end of the request)."""

    def refuse(**kwargs):
        raise ApprovalError("无法送审")

    monkeypatch.setattr(services, "approval_submit", refuse)
    with pytest.raises(MeetingError, match="无法送审"):
        services.item_propose(
            by=org.head_b.user, kind=BUREAU_AFFAIRS, title="议题", upload=pdf()
        )
    discard_uncommitted()
    assert not Item.objects.exists()
    assert not Attachment.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_mtg1_several_materials_at_once(org):
    item = services.item_propose(
        by=org.head_b.user,
        kind=BUREAU_AFFAIRS,
        title="议题",
        upload=[pdf("请示.pdf"), pdf("预算.pdf", content=PDF + b"2")],
    )
    assert [a.name for a in attachments_of(item)] == ["请示.pdf", "预算.pdf"]


def test_mtg1_proposer_adds_materials_only_while_pending(org):
    """The proposer may add more while the item is with the deputy in charge;
    nobody else may; once accepted the materials are what the deputy decided on."""
    item = services.item_propose(
        by=org.head_b.user, kind=BUREAU_AFFAIRS, title="议题", upload=pdf()
    )
    attachment_add(by=org.head_b.user, obj=item, file=pdf("补充.pdf"))
    for other in (org.b1, org.dep_b, org.head_a):
        with pytest.raises(AttachmentError):
            attachment_add(by=other.user, obj=item, file=pdf("x.pdf"))
    approval_decide(request=item.approvals.get(), by=org.dep_b.user, decision="approve")
    item.refresh_from_db()
    with pytest.raises(AttachmentError):
        attachment_add(by=org.head_b.user, obj=item, file=pdf("迟到.pdf"))
    assert [a.name for a in attachments_of(item)] == ["材料.pdf", "补充.pdf"]


def test_mtg1_bad_policy_value_is_refused():
    with pytest.raises(ValidationError):
        registry.validate("meetings.item_chain", {"steps": [], "top": "county"})


def test_mtg1_held_meeting_records_decisions_with_citeable_references(org):
    """Decisions are numbered in agenda order in minutes numbered per kind and
    year: 局务会纪要〔2026〕1号 · 决定2."""
    meeting, decisions = held_meeting(org, texts=("同意购置。", "给予效能告诫。"))
    year = meeting.held_on.year
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes_reference == f"局务会纪要〔{year}〕1号"
    assert [d.citation for d in decisions] == [
        f"局务会纪要〔{year}〕1号 · 决定1",
        f"局务会纪要〔{year}〕1号 · 决定2",
    ]
    assert {d.item.status for d in decisions} == {Item.Status.DECIDED}
    second, _d = held_meeting(org)
    office, _d = held_meeting(org, kind=DIRECTOR_OFFICE)
    assert second.minutes_number == 2
    assert office.minutes_reference == f"局长办公会议纪要〔{year}〕1号"


def test_mtg1_minutes_numbers_start_again_each_year(org):
    """The minutes are a numbering series per kind: 1, 2 in 2025, 1 again in 2026;
    asking again for a meeting gives its number (numbering/)."""
    kind = MeetingKind.objects.get(code=BUREAU_AFFAIRS)
    meetings = [
        Meeting.objects.create(
            kind=kind, title=f"局务会{i}", planned_on=day, chair=org.director
        )
        for i, day in enumerate(
            [
                datetime.date(2025, 12, 29),
                datetime.date(2025, 12, 30),
                datetime.date(2026, 1, 5),
            ]
        )
    ]
    with transaction.atomic():
        numbers = [take_minutes_number(meeting=m, on=m.planned_on) for m in meetings]
        again = take_minutes_number(meeting=meetings[0], on=meetings[0].planned_on)
    assert numbers == [1, 2, 1]
    assert again == 1


@pytest.mark.django_db(transaction=True)
def test_mtg1_minutes_number_outside_a_transaction_is_refused():
    """A number is only ever taken inside the recording's transaction."""
    ensure_default_kinds(MeetingKind)
    kind = MeetingKind.objects.get(code=BUREAU_AFFAIRS)
    from bureau.testing import small_org

    meeting = Meeting.objects.create(
        kind=kind,
        title="局务会",
        planned_on=datetime.date(2026, 3, 2),
        chair=small_org().director,
    )
    with pytest.raises(NumberingError, match="事务"):
        take_minutes_number(meeting=meeting, on=meeting.planned_on)
    assert not Number.objects.exists()


def test_mtg1_item_without_a_decision_goes_back_to_waiting(org):
    first = accepted_item(org.head_a, title="议题一")
    second = accepted_item(org.head_b, title="议题二")
    meeting = services.meeting_plan(
        by=org.head_a.user,
        kind=BUREAU_AFFAIRS,
        title="局务会",
        planned_on=datetime.date(2026, 11, 2),
        chair=org.director,
    )
    services.meeting_set_agenda(
        meeting=meeting, items=[first, second], by=org.head_a.user
    )
    with time_machine.travel(datetime.datetime(2026, 11, 2, 17, tzinfo=TZ)):
        services.meeting_record(
            meeting=meeting,
            by=org.head_a.user,
            held_on=datetime.date(2026, 11, 2),
            chair=org.director,
            attended=[org.director, org.dep_a, org.dep_b],
            decisions={first.pk: "", second.pk: "同意。"},
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.meeting) == (Item.Status.ACCEPTED, None)
    assert second.decision.number == 1


def test_mtg1_refused_recordings_leave_nothing(org):
    """A wrong chair, a future date, nothing to record, a decision on an item not on
    the agenda: a clear message; no attendance, no decision, no number taken."""
    item = accepted_item(org.head_a)
    meeting = services.meeting_plan(
        by=org.head_a.user,
        kind=BUREAU_AFFAIRS,
        title="局务会",
        planned_on=datetime.date(2026, 11, 2),
        chair=org.director,
    )
    services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
    other = accepted_item(org.head_b)
    held = datetime.date(2026, 11, 2)
    cases = [
        (dict(chair=org.dep_a), "不能主持"),
        (dict(held_on=datetime.date(2026, 11, 4)), "召开后才能"),
        (dict(decisions={item.pk: ""}), "至少一项决定"),
        (dict(decisions={other.pk: "同意"}), "不在议程"),
        (dict(decisions={item.pk: "长" * 3000}), "过长"),
    ]
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, tzinfo=TZ)):
        for change, message in cases:
            kwargs = dict(
                meeting=meeting,
                by=org.head_a.user,
                held_on=held,
                chair=org.director,
                attended=[org.director],
                decisions={item.pk: "同意"},
            )
            kwargs.update(change)
            with pytest.raises(MeetingError, match=message):
                services.meeting_record(**kwargs)
    assert not Attendance.objects.exists()
    assert not Decision.objects.exists()
    assert not Number.objects.filter(series__startswith="meetings.minutes.").exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_mtg1_only_the_comprehensive_section_organises(org):
    for who in (org.head_b, org.a1, org.dep_a):
        with pytest.raises(MeetingError, match="综合股"):
            services.meeting_plan(
                by=who.user,
                kind=TOPIC,
                title="会",
                planned_on=datetime.date(2026, 11, 2),
                chair=org.dep_a,
            )
    assert not Meeting.objects.exists()


def test_mtg1_item_for_another_kind_stays_off_the_agenda(org):
    item = accepted_item(org.head_a, kind=TOPIC)
    meeting = services.meeting_plan(
        by=org.head_a.user,
        kind=BUREAU_AFFAIRS,
        title="局务会",
        planned_on=datetime.date(2026, 11, 2),
        chair=org.director,
    )
    with pytest.raises(MeetingError, match="其他类别"):
        services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
    item.refresh_from_db()
    assert item.status == Item.Status.ACCEPTED


def _approve_all(approval):
    while approval.status == ApprovalRequest.Status.PENDING:
        step = approval.steps.get(order=approval.current_order)
        approval = approval_decide(
            request=approval, by=step.approver.user, decision="approve"
        )
    return approval


def test_mtg1_approved_leave_shows_as_excused(org):
    """The director's office meeting expects the middle level and above: a deputy
    on approved leave that morning is excused with the kind of leave (asked of the
    leave chapter through the absence registry); one not present without leave is
    absent."""
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=TZ), tick=False):
        leave = leave_submit(
            by=org.dep_b.user,
            leave_type="sick",
            start_date=datetime.date(2026, 11, 3),
            start_half="am",
            end_date=datetime.date(2026, 11, 3),
            end_half="pm",
            reason="发烧",
            handover_note="工作已交代",
        )
        _approve_all(leave.approvals.get())
        item = accepted_item(org.head_a, kind=DIRECTOR_OFFICE)
        meeting = services.meeting_plan(
            by=org.head_a.user,
            kind=DIRECTOR_OFFICE,
            title="11月局长办公会议",
            planned_on=datetime.date(2026, 11, 3),
            chair=org.director,
        )
        services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 16, tzinfo=TZ)):
        services.meeting_record(
            meeting=meeting,
            by=org.head_a.user,
            held_on=datetime.date(2026, 11, 3),
            chair=org.director,
            attended=[org.dep_a, org.head_a, org.head_b],
            decisions={item.pk: "同意。"},
        )
    rows = {a.person: a for a in meeting.attendance.all()}
    assert rows[org.dep_b].status == Attendance.Status.EXCUSED
    assert rows[org.dep_b].reason == "病假"
    assert rows[org.unit_head].status == Attendance.Status.ABSENT
    assert rows[org.director].status == Attendance.Status.ATTENDED
    assert org.a1 not in rows  # staff are not expected at this meeting


def test_mtg1_monthly_reminder_sent_once_across_two_runs(org):
    """No director's office meeting by 20 November: the comprehensive section's head
    and the document clerk hear once, whether the beat task or the command runs
    again; not before the 20th, and not when the month has its meeting."""
    clerk = make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    with time_machine.travel(datetime.datetime(2026, 11, 19, 9, tzinfo=TZ)):
        assert remind_monthly_meetings_task.delay().get() == 0
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=TZ)):
        out = io.StringIO()
        call_command("meetings_remind", stdout=out)  # a dry run writes nothing
        assert "Would remind" in out.getvalue()
        assert not MonthlyReminder.objects.exists()
        assert remind_monthly_meetings_task.delay().get() == 1
        assert remind_monthly_meetings_task.delay().get() == 0
        call_command("meetings_remind", "--commit", stdout=out)
    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=TZ)):
        assert remind_monthly_meetings_task.delay().get() == 0
    reminded = Notification.objects.filter(title__contains="局长办公会议")
    assert sorted(n.recipient.pk for n in reminded) == sorted([org.head_a.pk, clerk.pk])
    assert MonthlyReminder.objects.count() == 1
    # December has its meeting planned for the 22nd: no reminder on the 21st.
    services.meeting_plan(
        by=org.head_a.user,
        kind=DIRECTOR_OFFICE,
        title="12月局长办公会议",
        planned_on=datetime.date(2026, 12, 22),
        chair=org.dep_a,
    )
    with time_machine.travel(datetime.datetime(2026, 12, 21, 9, tzinfo=TZ)):
        assert remind_monthly_meetings_task.delay().get() == 0


def _meeting_step_approval(org, requester):
    return approval_submit(
        subject=org.organ,
        requester=requester,
        chain=[{"action": "meeting", "who": "bureau_affairs_meeting"}],
        by=requester.user,
        kind="test",
        summary="购置复印机",
    )


def test_mtg1_meeting_step_cites_the_decision_by_its_key(org):
    """The approval engine's meeting step cites a Decision by its foreign key; the
    text and the date come from it; the decision's page lists the step."""
    clerk = make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    meeting, (decision,) = held_meeting(org, texts=("同意购置。",))
    approval = _meeting_step_approval(org, org.b1)
    approval = approval_record_meeting(
        request=approval, by=clerk.user, decision="approve", decision_ref=decision.pk
    )
    step = approval.steps.get()
    assert step.meeting_decision_ref == decision
    assert step.meeting_decision == decision.citation
    assert step.meeting_held_on == meeting.held_on
    assert approval.status == ApprovalRequest.Status.APPROVED
    assert list(decision.approval_steps.all()) == [step]


def test_mtg1_meeting_step_refuses_a_decision_of_another_meeting_or_none(org):
    clerk = make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    _meeting, (topic,) = held_meeting(org, kind=TOPIC, chair=org.dep_a)
    approval = _meeting_step_approval(org, org.b1)
    with pytest.raises(ApprovalError, match="不是局务会"):
        approval_record_meeting(
            request=approval, by=clerk.user, decision="approve", decision_ref=topic
        )
    with pytest.raises(ApprovalError, match="无权查看"):
        approval_record_meeting(
            request=approval, by=clerk.user, decision="approve", decision_ref=10**9
        )
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.PENDING
    assert approval.steps.get().meeting_decision_ref is None
