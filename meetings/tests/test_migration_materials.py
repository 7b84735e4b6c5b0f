"""The data migration 0004: every item's material kept by meetings' own upload
becomes an attachment of the item — the stored file kept where it was, its
original name, size and SHA-256 — and is then downloaded through the attachments'
one view, by whoever may see the item."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from attachments.models import Attachment
from meetings.models import BUREAU_AFFAIRS, Item, MeetingKind

OLD = [("meetings", "0003_minutes_on_numbering_series")]
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"old word file" * 10


@pytest.mark.django_db(transaction=True)
def test_mtg1_old_materials_become_attachments_of_their_items(org, client_for):
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    old = executor.loader.project_state(OLD).apps
    Item0 = old.get_model("meetings", "Item")
    kind = MeetingKind.objects.get(code=BUREAU_AFFAIRS)
    stored = default_storage.save("meetings/items/3f2a9c.doc", ContentFile(DOC))
    proposed_at = timezone.now() - timezone.timedelta(days=3)

    def item(title, **materials):
        return Item0.objects.create(
            kind_id=kind.pk,
            title=title,
            unit_id=org.organ.pk,
            section_id=org.section_b.pk,
            proposed_by_id=org.head_b.pk,
            proposed_at=proposed_at,
            status="accepted",
            **materials,
        )

    with_file = item(
        "购置复印机",
        materials=stored,
        materials_name="复印机报价（2026）.doc",
        materials_size=len(DOC),
    )
    lost = item(
        "文件已丢失",
        materials="meetings/items/gone.pdf",
        materials_name="丢失.pdf",
        materials_size=1234,
    )
    without = item("无材料")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Attachment.objects.get(object_id=with_file.pk)
    assert moved.owner == Item.objects.get(pk=with_file.pk)
    assert (moved.name, moved.stored_as, moved.size) == (
        "复印机报价（2026）.doc",
        stored,
        len(DOC),
    )
    assert moved.sha256 == hashlib.sha256(DOC).hexdigest()
    assert (moved.kind, moved.mime_type) == ("doc", "application/msword")
    assert moved.uploaded_by == org.head_b.user
    assert moved.uploaded_at == proposed_at
    assert moved.history.get().history_type == "+"
    assert default_storage.exists(stored)  # the file stays where it was
    # A file already missing keeps its row: what the item had stays visible.
    gone = Attachment.objects.get(object_id=lost.pk)
    assert (gone.name, gone.size, gone.sha256) == ("丢失.pdf", 1234, "")
    assert not Attachment.objects.filter(object_id=without.pk).exists()

    # Downloaded through the attachments' view, by the item's scope.
    download = reverse("attachments:download", args=[moved.pk])
    response = client_for(org.b1).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOC
    assert client_for(org.a1).get(download).status_code == 404
    assert (
        client_for(org.b1)
        .get(reverse("attachments:download", args=[gone.pk]))
        .status_code
        == 404
    )
