"""Agenda materials move onto the attachments app (issue 10): every item's file kept
by meetings' own upload (`Item.materials`, `materials_name`, `materials_size`)
becomes an `attachments.Attachment` of the item. The stored file stays where it is
(its random name under meetings/items/ becomes `stored_as`), with the name it had
for display, its size and its SHA-256 (read from the file); the proposer is its
uploader, the proposal time its upload time, and its history says where it came
from. The next migration removes the three fields.

A file missing from the storage still gets its row (size as recorded, no SHA-256)
so the item shows what it had; its download answers 404 and logs the missing file,
as for any attachment. Running it again adds nothing twice.
"""

import hashlib
import mimetypes
import os

from django.core.files.storage import default_storage
from django.db import migrations
from django.utils import timezone

# What the meetings' own upload accepted, as attachments' kinds (the first six are
# attachments' own codes; doc, xls and txt were accepted by meetings only).
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "png": ("png", "image/png"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "doc": ("doc", "application/msword"),
    "xls": ("xls", "application/vnd.ms-excel"),
    "txt": ("txt", "text/plain"),
}
REASON = "moved from the meeting item's own materials (meetings 0004)"


def _kind(name: str) -> tuple[str, str]:
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension in KINDS:
        return KINDS[extension]
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return (extension[:10] or "file", guessed)


def _digest(stored: str) -> tuple[str, int | None]:
    """(SHA-256, size) of the stored file; ("", None) when it is missing."""
    digest, size = hashlib.sha256(), 0
    try:
        with default_storage.open(stored, "rb") as handle:
            for chunk in iter(lambda: handle.read(64 * 1024), b""):
                digest.update(chunk)
                size += len(chunk)
    except (FileNotFoundError, OSError):
        return "", None
    return digest.hexdigest(), size


def _uploader(item, HistoricalItem, User):
    """The proposer's login; else whoever saved the item first; else a superuser."""
    if item.proposed_by.user_id:
        return item.proposed_by.user_id
    first = (
        HistoricalItem.objects.filter(id=item.pk, history_user__isnull=False)
        .order_by("history_date")
        .first()
    )
    if first is not None:
        return first.history_user_id
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    return admin.pk if admin is not None else None


def forwards(apps, schema_editor):
    Item = apps.get_model("meetings", "Item")
    HistoricalItem = apps.get_model("meetings", "HistoricalItem")
    Attachment = apps.get_model("attachments", "Attachment")
    HistoricalAttachment = apps.get_model("attachments", "HistoricalAttachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model("auth", "User")
    items = (
        Item.objects.exclude(materials="")
        .exclude(materials__isnull=True)
        .select_related("proposed_by")
        .order_by("pk")
    )
    if not items.exists():
        return
    content_type, _created = ContentType.objects.get_or_create(
        app_label="meetings", model="item"
    )
    now = timezone.now()
    for item in items:
        stored = item.materials.name
        if Attachment.objects.filter(stored_as=stored).exists():
            continue
        uploader = _uploader(item, HistoricalItem, User)
        if uploader is None:
            raise RuntimeError(
                f"meeting item {item.pk}: no login to name as the uploader of its "
                "materials; create a superuser and migrate again"
            )
        sha256, size = _digest(stored)
        name = (item.materials_name or os.path.basename(stored))[:200]
        kind, mime = _kind(name if "." in name else stored)
        attachment = Attachment.objects.create(
            content_type=content_type,
            object_id=item.pk,
            purpose="",
            name=name,
            stored_as=stored,
            kind=kind,
            mime_type=mime,
            size=size if size is not None else (item.materials_size or 0),
            sha256=sha256,
            uploaded_by_id=uploader,
            uploaded_at=item.proposed_at,
        )
        HistoricalAttachment.objects.create(
            id=attachment.pk,
            content_type_id=content_type.pk,
            object_id=item.pk,
            purpose="",
            name=name,
            stored_as=stored,
            kind=kind,
            mime_type=mime,
            size=attachment.size,
            sha256=sha256,
            uploaded_by_id=uploader,
            uploaded_at=item.proposed_at,
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
            history_user_id=None,
        )


def backwards(apps, schema_editor):
    """Give each item back its first file (the fields come back with the previous
    migration's reversal) and forget the rows this migration made."""
    Item = apps.get_model("meetings", "Item")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="meetings", model="item").first()
    if content_type is None:
        return
    rows = Attachment.objects.filter(
        content_type=content_type, removed_at__isnull=True
    ).order_by("object_id", "uploaded_at", "pk")
    done = set()
    for attachment in rows:
        if attachment.object_id in done:
            continue
        done.add(attachment.object_id)
        Item.objects.filter(pk=attachment.object_id).update(
            materials=attachment.stored_as,
            materials_name=attachment.name,
            materials_size=attachment.size,
        )
    moved = Attachment.objects.filter(
        content_type=content_type, stored_as__startswith="meetings/items/"
    )
    apps.get_model("attachments", "HistoricalAttachment").objects.filter(
        id__in=moved.values("pk")
    ).delete()
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_minutes_on_numbering_series"),
        ("attachments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
