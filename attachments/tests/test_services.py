"""attachment_add / attachment_remove: refusals save nothing (no row, no file), the
SHA-256 and duplicates, soft removal, and files of rolled-back transactions."""

import hashlib
import io
import os
from pathlib import Path

import pytest
from django.db import transaction

from attachments.models import Attachment
from attachments.selectors import same_file_elsewhere
from attachments.services import AttachmentError, attachment_add, attachment_remove
from attachments.storage import discard_uncommitted, sweep_orphans
from attachments.testing import DOCX, EXE, PDF, PNG, upload
from bureau.models import Policy

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_file_is_stored_under_a_random_name_with_its_sha256(
    org, sections_own_files, settings
):
    """The stored path says nothing of the uploaded name; the SHA-256, size and the
    judged type are recorded."""
    attachment = attachment_add(
        by=org.head_a.user,
        obj=org.section_a,
        file=upload("../../etc/发票 2026.pdf"),
        purpose="invoice",
    )
    assert attachment.name == "发票 2026.pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.size == len(PDF)
    assert (attachment.kind, attachment.mime_type) == ("pdf", "application/pdf")
    assert attachment.owner == org.section_a
    assert "发票" not in attachment.stored_as and "etc" not in attachment.stored_as
    assert attachment.stored_as.startswith("attachments/")
    files = stored_files(settings)
    assert len(files) == 1 and files[0].read_bytes() == PDF
    assert Path(settings.MEDIA_ROOT) in files[0].parents
    assert attachment.history.get().history_user == org.head_a.user


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("virus.pdf", EXE), "不是 PDF"),
        (upload("virus.exe", EXE, "application/pdf"), "不能上传"),
        (upload("图片.png", PDF, "image/png"), "不是 PNG"),
        (upload("..\\..\\", PDF), "文件名"),
        (upload("\u202e\u200b", PDF), "文件名"),
        (upload("空.pdf", b""), "为空"),
    ],
)
def test_refused_files_leave_nothing_behind(
    org, sections_own_files, settings, file, message
):
    """A refusal is a clear Chinese message; no row, no file."""
    with pytest.raises(AttachmentError, match=message):
        attachment_add(by=org.head_a.user, obj=org.section_a, file=file)
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_oversized_files_are_refused_by_the_policy_in_force(
    org, sections_own_files, settings
):
    """The limit is a policy with an effective date: lowered, a file above it is
    refused with both sizes in the message."""
    Policy.objects.filter(key="attachments.limits").update(
        value={"max_bytes": 100, "types": ["pdf"]}
    )
    big = upload("big.pdf", PDF + b"0" * 200)
    with pytest.raises(AttachmentError) as refused:
        attachment_add(by=org.head_a.user, obj=org.section_a, file=big)
    assert "过大" in str(refused.value) and "100" in str(refused.value)
    with pytest.raises(AttachmentError, match="不能上传"):
        attachment_add(by=org.head_a.user, obj=org.section_a, file=upload("a.png", PNG))
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_only_who_may_attach_adds(org, sections_own_files):
    """A member sees the section's files but only its head adds; another section's
    head neither; an unknown purpose is refused."""
    for who in (org.a1, org.head_b):
        with pytest.raises(AttachmentError, match="无权"):
            attachment_add(by=who.user, obj=org.section_a, file=upload())
    with pytest.raises(AttachmentError, match="用途"):
        attachment_add(
            by=org.head_a.user, obj=org.section_a, file=upload(), purpose="x"
        )
    assert not Attachment.objects.exists()


def test_unregistered_models_take_files_from_superusers_only(org):
    """A model no chapter registered: nobody but a superuser."""
    with pytest.raises(AttachmentError):
        attachment_add(by=org.head_a.user, obj=org.section_a, file=upload())
    assert attachment_add(by=org.admin, obj=org.section_a, file=upload()).pk


def test_fin3_same_file_elsewhere_flags_a_reused_invoice_image(org, sections_own_files):
    """The same content attached to another record is found by its SHA-256 (a
    re-used invoice image); the record's own copy and other content are not."""
    first = attachment_add(by=org.head_a.user, obj=org.section_a, file=upload())
    again = attachment_add(
        by=org.head_a.user, obj=org.section_a, file=upload("copy.pdf")
    )
    other = attachment_add(by=org.head_b.user, obj=org.section_b, file=upload("x.pdf"))
    attachment_add(by=org.head_b.user, obj=org.section_b, file=upload("d.docx", DOCX))
    assert set(same_file_elsewhere(first.sha256, exclude=org.section_a)) == {other}
    assert set(same_file_elsewhere(first.sha256, exclude=first)) == {other}
    assert set(same_file_elsewhere(first.sha256)) == {first, again, other}


def test_removal_is_soft_and_keeps_the_file(org, sections_own_files, settings):
    """Removed: not listed, who/when/why kept in the row and its history, the file
    kept for audit; only the uploader (while allowed) or an administrator removes."""
    attachment = attachment_add(by=org.head_a.user, obj=org.section_a, file=upload())
    with pytest.raises(AttachmentError, match="无权"):
        attachment_remove(attachment=attachment, by=org.a1.user, reason="错了")
    removed = attachment_remove(
        attachment=attachment, by=org.head_a.user, reason="重复"
    )
    assert removed.removed_by == org.head_a.user and removed.removal_reason == "重复"
    assert not Attachment.objects.current().exists()
    assert len(stored_files(settings)) == 1
    assert attachment.history.count() == 2
    # Again: nothing changes.
    assert attachment_remove(attachment=attachment, by=org.head_a.user).removed_at


@pytest.mark.django_db(transaction=True)
def test_rollback_with_real_transactions_removes_the_file(settings):
    """Without the test's wrapping transaction: a committed file stays, a rolled
    back one is deleted at the end of the transaction (request or task end)."""
    from bureau.testing import small_org

    org = small_org()
    from attachments.registry import register_owner, unregister_owner
    from attachments.tests.conftest import _may_attach, _sections_visible_to

    register_owner(
        "bureau.section", visible_to=_sections_visible_to, may_attach=_may_attach
    )
    try:
        kept = attachment_add(by=org.head_a.user, obj=org.section_a, file=upload())
        with pytest.raises(RuntimeError), transaction.atomic():
            attachment_add(by=org.head_a.user, obj=org.section_a, file=upload("b.pdf"))
            raise RuntimeError
        # A savepoint rolled back inside a transaction that commits.
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                attachment_add(
                    by=org.head_a.user, obj=org.section_a, file=upload("c.pdf")
                )
                raise RuntimeError
            also_kept = attachment_add(
                by=org.head_a.user, obj=org.section_a, file=upload("d.pdf")
            )
            # While the transaction is open its outcome is unknown: nothing goes.
            assert discard_uncommitted() == 0
        assert len(stored_files(settings)) == 4
        assert discard_uncommitted() == 2
        assert sorted(p.name for p in stored_files(settings)) == sorted(
            Path(a.stored_as).name for a in (kept, also_kept)
        )
        assert set(Attachment.objects.all()) == {kept, also_kept}
    finally:
        unregister_owner("bureau.section")


def test_sweep_deletes_old_files_without_a_row_only_with_commit(
    org, sections_own_files, settings
):
    """A crash between the file and its row leaves an orphan: the sweep lists it (dry
    run) and deletes it with --commit; files with a row stay."""
    import datetime

    from django.core.management import call_command

    kept = attachment_add(by=org.head_a.user, obj=org.section_a, file=upload())
    orphan = Path(settings.MEDIA_ROOT, "attachments", "ab", "ab" * 16)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(PDF)
    old = orphan.stat().st_mtime - 3 * 86400
    os.utime(orphan, (old, old))
    os.utime(Path(settings.MEDIA_ROOT, kept.stored_as), (old, old))
    assert sweep_orphans(older_than=datetime.timedelta(days=1), commit=False) == [
        "attachments/ab/" + "ab" * 16
    ]
    assert orphan.exists()
    call_command("attachments_sweep", "--commit", stdout=io.StringIO())
    assert not orphan.exists()
    assert Path(settings.MEDIA_ROOT, kept.stored_as).exists()
