"""Attachments on leave (a sick note): who sees and adds them, by URL; refusals save
nothing; the deciders see them beside the chain; files never under MEDIA_URL."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from approvals.services import approval_decide
from attachments.checks import media_is_not_public
from attachments.models import Attachment
from attachments.services import attachment_add
from attachments.testing import EXE, PDF, upload

pytestmark = pytest.mark.django_db


def stored_files(settings):
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def sick(org, ask):
    return ask(org.a1, 2, leave_type="sick", reason="感冒发烧")


@pytest.fixture
def note(org, sick):
    return attachment_add(
        by=org.a1.user, obj=sick, file=upload("病假证明.pdf"), purpose="sick_note"
    )


def _upload(client, leave, file, purpose="sick_note"):
    return client.post(
        reverse("attachments:upload", args=["leave.leaverequest", leave.pk]),
        {"file": file, "purpose": purpose, "next": leave.get_absolute_url()},
    )


def test_lv11_requester_uploads_a_sick_note_on_the_detail_page(
    org, sick, client_for, settings
):
    """While pending, the requester sees the upload form and attaches a file; the
    page lists it with a download link."""
    client = client_for(org.a1)
    page = client.get(sick.get_absolute_url()).content.decode()
    assert 'id="attachment-upload"' in page and 'enctype="multipart/form-data"' in page
    response = _upload(client, sick, upload("病假证明.pdf"))
    assert response.status_code == 302 and response.url == sick.get_absolute_url()
    attachment = Attachment.objects.get()
    assert (attachment.owner, attachment.purpose) == (sick, "sick_note")
    page = client.get(sick.get_absolute_url()).content.decode()
    assert "病假证明.pdf" in page
    assert reverse("attachments:download", args=[attachment.pk]) in page
    assert len(stored_files(settings)) == 1


def test_download_is_scoped_by_the_leave_selector_also_by_url(
    org, sick, note, client_for
):
    """Owner and approver download; another section's head, staff and a unit's
    people get 404; anonymous is sent to log in."""
    url = reverse("attachments:download", args=[note.pk])
    for who in (org.a1, org.head_a):
        response = client_for(who).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    for who in (org.head_b, org.b1, org.u1, org.unit_head):
        assert client_for(who).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert (
        client_for(org.a1)
        .get(reverse("attachments:download", args=[note.pk + 1000]))
        .status_code
        == 404
    )


def test_download_headers_force_a_download_with_the_stored_type(org, sick, client_for):
    """Content-Disposition attachment with the name RFC 5987-encoded, nosniff, the
    type judged at upload — not the type the browser claimed."""
    attachment = attachment_add(
        by=org.a1.user,
        obj=sick,
        file=upload('病假 "证明".pdf', PDF, "text/html"),
        purpose="sick_note",
    )
    response = client_for(org.a1).get(
        reverse("attachments:download", args=[attachment.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "%E7%97%85%E5%81%87%20%22" in disposition and '"' not in disposition
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    ascii_name = attachment_add(
        by=org.a1.user, obj=sick, file=upload('a"b.pdf'), purpose="other"
    )
    response = client_for(org.a1).get(
        reverse("attachments:download", args=[ascii_name.pk])
    )
    assert response["Content-Disposition"] == 'attachment; filename="a\\"b.pdf"'


def test_only_the_requester_adds_and_only_while_pending(org, sick, client_for):
    """The approver sees but may not attach (403); another section's head gets 404;
    once decided, the requester may not attach any more."""
    assert _upload(client_for(org.head_a), sick, upload()).status_code == 403
    assert _upload(client_for(org.head_b), sick, upload()).status_code == 404
    page = client_for(org.head_a).get(sick.get_absolute_url()).content.decode()
    assert 'id="attachment-upload"' not in page
    approval_decide(
        request=sick.approval,
        by=org.head_a.user,
        decision="refuse",
        comment="请补充材料",
    )
    assert _upload(client_for(org.a1), sick, upload()).status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("virus.pdf", EXE, "application/pdf"), "不是 PDF"),
        (SimpleUploadedFile("../../etc/passwd", PDF), "不能上传"),
        (SimpleUploadedFile("setup.exe", EXE), "不能上传"),
    ],
)
def test_refused_uploads_say_why_in_chinese_and_save_nothing(
    org, sick, client_for, settings, file, message
):
    client = client_for(org.a1)
    response = _upload(client, sick, file)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert message in page
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_oversized_upload_is_refused(org, sick, client_for, settings):
    from bureau.models import Policy

    Policy.objects.filter(key="attachments.limits").update(
        value={"max_bytes": 1024, "types": ["pdf"]}
    )
    client = client_for(org.a1)
    response = _upload(client, sick, upload("大.pdf", PDF + b"0" * 2048))
    assert "过大" in client.get(response.url).content.decode()
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_removal_by_the_requester_keeps_the_file(org, sick, note, client_for, settings):
    """Removed from the page (soft): the approver cannot remove it, the requester can;
    the file is kept and only an administrator still downloads it."""
    url = reverse("attachments:remove", args=[note.pk])
    client_for(org.head_a).post(url)
    assert Attachment.objects.current().count() == 1
    client_for(org.head_b).post(url)
    assert client_for(org.head_b).post(url).status_code == 404
    client_for(org.a1).post(url, {"reason": "传错了"})
    note.refresh_from_db()
    assert note.removed_by == org.a1.user and note.removal_reason == "传错了"
    assert len(stored_files(settings)) == 1
    download = reverse("attachments:download", args=[note.pk])
    assert client_for(org.a1).get(download).status_code == 404
    assert client_for(org.admin).get(download).status_code == 200


def test_the_decider_sees_the_attachments_beside_the_chain(org, sick, note, client_for):
    """The approvals admin change view and the decision page list the sick note with its
    download link; the requester's leave admin page too."""
    client = client_for(org.head_a)
    link = reverse("attachments:download", args=[note.pk])
    change = client.get(
        reverse("admin:approvals_approvalrequest_change", args=[sick.approval.pk])
    ).content.decode()
    assert "病假证明.pdf" in change and link in change
    page = client.get(
        reverse("approvals:detail", args=[sick.approval.pk])
    ).content.decode()
    assert "病假证明.pdf" in page and link in page
    leave_admin = client.get(
        reverse("admin:leave_leaverequest_change", args=[sick.pk])
    ).content.decode()
    assert link in leave_admin


def test_inbox_query_count_does_not_grow_with_attachments(
    org, ask, client_for, django_assert_max_num_queries
):
    """Attachments beside the inbox's approvals cost the same for 1 or 3 requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.head_a)
    first = ask(org.a1, 0.5, leave_type="sick")
    attachment_add(by=org.a1.user, obj=first, file=upload(), purpose="sick_note")
    client.get(reverse("approvals:inbox"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("approvals:inbox"))
    for person, day in ((org.a2, "2026-03-04"), (org.inspector, "2026-03-05")):
        import datetime

        start = datetime.date.fromisoformat(day)
        leave = ask(person, (start, "am", start, "am"), leave_type="sick")
        attachment_add(by=person.user, obj=leave, file=upload(), purpose="sick_note")
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("approvals:inbox"))
    assert len(three) == len(one), "\n".join(
        q["sql"][:200] for q in three.captured_queries
    )


def test_files_are_never_reachable_under_media_url(org, note, client_for, settings):
    """The stored file exists under MEDIA_ROOT, but /media/<path> is not served (to
    its owner either), and the start-up check finds nothing serving it."""
    assert Path(settings.MEDIA_ROOT, note.stored_as).is_file()
    client = client_for(org.a1)
    for path in (note.stored_as, note.name):
        assert client.get(f"/{settings.MEDIA_URL}{path}").status_code == 404
        assert client.get(f"/static/../{settings.MEDIA_URL}{path}").status_code == 404
    assert media_is_not_public() == []


def test_the_check_fails_when_media_would_be_public(settings):
    settings.STATIC_ROOT = settings.MEDIA_ROOT
    assert [e.id for e in media_is_not_public()] == ["attachments.E001"]


def test_a_sick_note_sent_with_the_request_in_one_transaction(
    org, frozen, client_for, settings
):
    """On the preview the requester adds the file; a refused file shows the preview
    again with the message, and neither the request nor a file is saved."""
    from leave.models import LeaveRequest

    client = client_for(org.a1)
    data = {
        "leave_type": "sick",
        "start_date": "2026-03-02",
        "start_half": "am",
        "end_date": "2026-03-03",
        "end_half": "pm",
        "reason": "感冒发烧",
        "handover_note": "文件交王同事处理",
        "leader_consent": "",
    }
    preview = client.post(reverse("leave:new"), data).content.decode()
    assert 'name="attachment"' in preview and "multipart/form-data" in preview
    refused = client.post(
        reverse("leave:new"),
        {**data, "confirm": "1", "attachment": upload("note.pdf", EXE)},
    )
    assert refused.status_code == 200 and "不是 PDF" in refused.content.decode()
    assert not LeaveRequest.objects.exists() and not Attachment.objects.exists()
    assert stored_files(settings) == []
    done = client.post(
        reverse("leave:new"),
        {
            **data,
            "confirm": "1",
            "attachment": upload("病假证明.jpg", b"\xff\xd8\xff" + b"0" * 20),
        },
    )
    leave = LeaveRequest.objects.get()
    assert done.url == leave.get_absolute_url()
    attachment = Attachment.objects.get()
    assert (attachment.owner, attachment.purpose, attachment.kind) == (
        leave,
        "sick_note",
        "jpeg",
    )
