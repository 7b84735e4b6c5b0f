"""MTG-1 pages: permissions by URL (403 for another duty, 404 outside the scope),
bad input through the forms, the printable minutes, what cites a decision, and
query counts that do not grow with the rows."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from attachments.models import Attachment
from attachments.selectors import attachments_of
from bureau.workdays import TZ
from discipline.services import violation_record
from meetings import services
from meetings.models import BUREAU_AFFAIRS, TOPIC, Item, Meeting, MeetingKind
from meetings.testing import PDF, accepted_item, held_meeting, pdf

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def test_mtg1_staff_pages_by_url(org, client_for):
    """Staff cannot propose (403) nor organise (403); a section head of another
    section cannot organise either; the comprehensive section's head can."""
    meeting = services.meeting_plan(
        by=org.head_a.user,
        kind=TOPIC,
        title="专题会",
        planned_on=datetime.date(2026, 11, 2),
        chair=org.dep_a,
    )
    client = client_for(org.a1)
    assert client.get(url("item_new")).status_code == 403
    for name, args in [("new", ()), ("record", (meeting.pk,))]:
        assert client_for(org.a1).get(url(name, *args)).status_code == 403
        assert client_for(org.head_b).get(url(name, *args)).status_code == 403
        assert client_for(org.head_a).get(url(name, *args)).status_code == 200
    response = client_for(org.head_b).post(url("agenda", meeting.pk), {"items": []})
    assert response.status_code == 403
    assert client_for(org.head_b).get(url("item_new")).status_code == 200


def test_mtg1_a_section_sees_its_own_items_leaders_all(org, client_for):
    """Section A's item: 404 for section B's staff and head (page, materials);
    section A's staff see it; leaders see it; the materials are attachments of the
    item, downloaded only through the item's scope, under the name they had."""
    item = accepted_item(org.head_a, title="综合股议题")
    (material,) = attachments_of(item)
    download = reverse("attachments:download", args=[material.pk])
    for who in (org.b1, org.head_b, org.u1):
        client = client_for(who)
        assert client.get(url("item", item.pk)).status_code == 404
        assert client.get(download).status_code == 404
        assert "综合股议题" not in client.get(url("items")).content.decode()
    for who in (org.a1, org.dep_b, org.director):
        page = client_for(who).get(url("item", item.pk))
        assert page.status_code == 200
        assert download in page.content.decode()
    response = client_for(org.a1).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert (
        client_for(org.a1).get(download.replace("attachments", "media")).status_code
        == 404
    )


def test_mtg1_minutes_and_decision_follow_the_scope(org, client_for):
    """A decision on section A's item: section B's staff get 404 on the decision,
    and on the minutes of a meeting they were not at; the inspector (a reader of
    the bureau affairs minutes) sees them."""
    meeting, (decision,) = held_meeting(org)
    for name, pk in [("decision", decision.pk), ("minutes", meeting.pk)]:
        assert client_for(org.b1).get(url(name, pk)).status_code == 404
        assert client_for(org.inspector).get(url(name, pk)).status_code == 200
    # The leaders see every minutes.
    assert client_for(org.director).get(url("minutes", meeting.pk)).status_code == 200


def test_mtg1_minutes_are_printable_without_inline_script(org, client_for):
    meeting, (decision,) = held_meeting(org, texts=("同意购置复印机。",))
    response = client_for(org.head_a).get(url("minutes", meeting.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert meeting.minutes_reference in html
    assert "同意购置复印机。" in html
    assert "meetings/minutes.css" in html
    assert "data-print" in html
    assert "<script>" not in html and "onclick" not in html
    planned = services.meeting_plan(
        by=org.head_a.user,
        kind=TOPIC,
        title="专题会",
        planned_on=datetime.date(2026, 11, 2),
        chair=org.dep_a,
    )
    assert client_for(org.head_a).get(url("minutes", planned.pk)).status_code == 404


def test_mtg1_decision_page_lists_what_cites_it(org, client_for):
    """The DIS-5 warning citing the decision is listed for the inspector; a reader
    who may not open the violation sees only that one record cites it."""
    meeting, (decision,) = held_meeting(org, texts=("给予效能告诫。",))
    violation_record(
        person=org.b1,
        occurred_on=meeting.held_on,
        kind="discipline.meeting_warning",
        evidence="作风漂浮",
        by=org.inspector.user,
        meeting_decision=decision,
    )
    html = client_for(org.inspector).get(url("decision", decision.pk)).content.decode()
    assert "b1" in html and "效能告诫" in html and "效能告诫（DIS-5）" not in html
    html = client_for(org.a1).get(url("decision", decision.pk)).content.decode()
    assert "b1 ·" not in html
    assert "另有 1 条你无权查看的记录" in html


def test_mtg1_propose_through_the_form(org, client_for):
    client = client_for(org.head_b)
    response = client.post(
        url("item_new"),
        {
            "kind": org_kind(BUREAU_AFFAIRS),
            "title": "购置打印机",
            "description": "现有打印机损坏",
            "materials": pdf(),
        },
    )
    assert response.status_code == 302
    item = Item.objects.get()
    assert item.status == Item.Status.PROPOSED
    assert ApprovalRequest.objects.get().steps.get().approver == org.dep_b


def org_kind(code):
    return MeetingKind.objects.get(code=code).pk


@pytest.mark.parametrize(
    ("materials", "message"),
    [
        (SimpleUploadedFile("病毒.exe", b"MZ"), "不能上传“病毒.exe”这类文件"),
        (SimpleUploadedFile("假.pdf", b"MZ"), "内容不是 PDF 格式"),
    ],
)
def test_mtg1_bad_file_on_the_form_is_refused_clearly(
    org, client_for, materials, message
):
    response = client_for(org.head_b).post(
        url("item_new"),
        {"kind": org_kind(BUREAU_AFFAIRS), "title": "议题", "materials": materials},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Item.objects.exists()
    assert not ApprovalRequest.objects.exists()
    assert not Attachment.objects.exists()
    # What was typed stays.
    assert 'value="议题"' in response.content.decode()


def test_mtg1_proposer_adds_materials_on_the_item_page_while_pending(org, client_for):
    """The item's page carries the attachments panel: its proposer uploads more
    while it is with the deputy in charge (through the attachments' one upload);
    a colleague of the section sees the files but gets no upload form (and 403 by
    URL); after acceptance nobody adds."""
    item = services.item_propose(
        by=org.head_a.user, kind=BUREAU_AFFAIRS, title="议题", upload=pdf()
    )
    upload = reverse("attachments:upload", args=["meetings.item", item.pk])
    page = client_for(org.head_a).get(url("item", item.pk)).content.decode()
    assert upload in page and "材料.pdf" in page
    response = client_for(org.head_a).post(upload, {"file": pdf("补充说明.pdf")})
    assert response.status_code == 302
    assert [a.name for a in attachments_of(item)] == ["材料.pdf", "补充说明.pdf"]
    colleague = client_for(org.a1)
    assert upload not in colleague.get(url("item", item.pk)).content.decode()
    assert colleague.post(upload, {"file": pdf("x.pdf")}).status_code == 403
    assert client_for(org.b1).post(upload, {"file": pdf("x.pdf")}).status_code == 404
    approval = item.approvals.get()
    approval_decide(
        request=approval, by=approval.steps.get().approver.user, decision="approve"
    )
    assert (
        client_for(org.head_a).post(upload, {"file": pdf("y.pdf")}).status_code == 403
    )
    assert len(attachments_of(item)) == 2


def test_mtg1_deputy_sees_the_materials_on_the_decision_page(org, client_for):
    """The deputy in charge decides in the approvals inbox: the item's materials
    are listed beside it, with their download links."""
    item = services.item_propose(
        by=org.head_b.user,
        kind=BUREAU_AFFAIRS,
        title="购置复印机",
        upload=pdf("报价单.pdf"),
    )
    (material,) = attachments_of(item)
    client = client_for(org.dep_b)
    assert "购置复印机" in client.get(reverse("approvals:inbox")).content.decode()
    # The queue leads to the one decision page, which lists the materials.
    page = reverse("approvals:detail", args=[item.current_approval.pk])
    html = client.get(page).content.decode()
    assert "购置复印机" in html and "报价单.pdf" in html
    assert reverse("attachments:download", args=[material.pk]) in html


def test_mtg1_meeting_page_and_minutes_list_the_materials(org, client_for):
    """The agenda of a planned meeting and the decisions of a held one list each
    item's materials; the printed minutes too."""
    item = accepted_item(org.head_b, title="购置复印机", upload=pdf("报价单.pdf"))
    meeting = services.meeting_plan(
        by=org.head_a.user,
        kind=BUREAU_AFFAIRS,
        title="局务会",
        planned_on=datetime.date(2026, 11, 2),
        chair=org.director,
    )
    services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
    assert (
        "报价单.pdf"
        in client_for(org.head_a).get(url("detail", meeting.pk)).content.decode()
    )
    with time_machine.travel(datetime.datetime(2026, 11, 2, 17, tzinfo=TZ)):
        services.meeting_record(
            meeting=meeting,
            by=org.head_a.user,
            held_on=datetime.date(2026, 11, 2),
            chair=org.director,
            attended=[org.director],
            decisions={item.pk: "同意。"},
        )
    for name in ("detail", "minutes"):
        html = client_for(org.director).get(url(name, meeting.pk)).content.decode()
        assert "报价单.pdf" in html


def test_mtg1_plan_agenda_and_record_through_the_pages(org, client_for):
    item = accepted_item(org.head_b, title="法规股议题")
    client = client_for(org.head_a)
    response = client.post(
        url("new"),
        {
            "kind": org_kind(BUREAU_AFFAIRS),
            "title": "第11次局务会",
            "planned_on": "2026-11-02",
            "part": "am",
            "place": "会议室",
            "chair": org.director.pk,
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert client.post(url("agenda", meeting.pk), {"items": [item.pk]}).status_code == (
        302
    )
    item.refresh_from_db()
    assert (item.meeting, item.status) == (meeting, Item.Status.SCHEDULED)
    page = client.get(url("record", meeting.pk))
    assert "关于“法规股议题”的决定" in page.content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 17, tzinfo=TZ)):
        response = client.post(
            url("record", meeting.pk),
            {
                "held_on": "2026-11-02",
                "chair": org.director.pk,
                "attended": [org.director.pk, org.dep_a.pk],
                "notes": "",
                f"decision_{item.pk}": "同意。",
            },
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_held
    assert meeting.decisions.get().item == item


def test_mtg1_plan_refuses_a_deputy_chairing_the_bureau_affairs_meeting(
    org, client_for
):
    response = client_for(org.head_a).post(
        url("new"),
        {
            "kind": org_kind(BUREAU_AFFAIRS),
            "title": "局务会",
            "planned_on": "2026-11-02",
            "part": "am",
            "chair": org.dep_a.pk,
        },
    )
    assert response.status_code == 200
    assert "不能主持" in response.content.decode()
    assert not Meeting.objects.exists()


def test_mtg1_lists_cost_the_same_at_2_and_12_rows(org, client_for):
    client = client_for(org.director)

    def queries(name):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(name)).status_code == 200
        return len(ctx)

    for n in range(2):
        held_meeting(org, texts=(f"决定{n}",))
    few = queries("list"), queries("items")
    for n in range(10):
        held_meeting(org, texts=(f"决定{n}",))
    assert (queries("list"), queries("items")) == few
