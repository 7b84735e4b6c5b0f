"""Who may see and add attachments, and reads over them.

Every answer about a record goes through the owning chapter's registered selector
(attachments.registry): the same scope as the chapter's own pages and admin.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from attachments.models import Attachment
from attachments.registry import owner_for
from bureau.access import is_administrator


def _superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def visible_ids(user, model, ids) -> set:
    """Of these ids of `model`, the ones the user may see (one query)."""
    ids = list(ids)
    if not ids or user is None or not user.is_authenticated:
        return set()
    owner = owner_for(model)
    if owner is None:
        return set(ids) if _superuser(user) else set()
    return set(owner.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def may_see(user, obj: Model) -> bool:
    """Whether the user may see the record (and so its attachments)."""
    return obj.pk in visible_ids(user, type(obj), [obj.pk])


def may_attach(user, obj: Model, *, seen: bool | None = None) -> bool:
    """Whether the user may add files to the record: the chapter's `may_attach`,
    for a record the user sees; a model nobody registered: superusers only.
    `seen` skips the visibility query when the caller has just asked it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    owner = owner_for(obj)
    if owner is None:
        return _superuser(user)
    if owner.may_attach is None:
        return False
    if seen is None:
        seen = may_see(user, obj)
    return bool(seen and owner.may_attach(user, obj))


def may_remove(user, attachment: Attachment, obj: Model, *, seen=None) -> bool:
    """The uploader while they may still attach to the record, or an administrator."""
    if attachment.is_removed:
        return False
    if is_administrator(user):
        return True
    return attachment.uploaded_by_id == user.pk and may_attach(user, obj, seen=seen)


def with_people(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("uploaded_by__person", "removed_by__person")


def attachments_of(obj: Model, *, include_removed: bool = False) -> QuerySet:
    """The record's attachments (the caller has checked the user sees the record)."""
    queryset = with_people(Attachment.objects.of(obj))
    return queryset if include_removed else queryset.current()


def attachments_for_records(user, records) -> dict[tuple[int, int], list[Attachment]]:
    """Current attachments of many records of any models (instances, or (model,
    pk) pairs), keyed by (content type id, object id), only for the records the
    user may see: one query per model for the scope and one for all attachments."""
    by_model = defaultdict(set)
    for record in records:
        model, pk = record if isinstance(record, tuple) else (type(record), record.pk)
        by_model[model].add(pk)
    keys = []
    for model, ids in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        keys += [(content_type.pk, pk) for pk in visible_ids(user, model, ids)]
    found: dict[tuple[int, int], list[Attachment]] = defaultdict(list)
    if not keys:
        return found
    content_types = {ct for ct, _pk in keys}
    object_ids = {pk for _ct, pk in keys}
    wanted = set(keys)
    for attachment in with_people(
        Attachment.objects.current().filter(
            content_type__in=content_types, object_id__in=object_ids
        )
    ):
        key = (attachment.content_type_id, attachment.object_id)
        if key in wanted:
            found[key].append(attachment)
    return found


def attachment_for_download(user, pk) -> Attachment | None:
    """The attachment, when the user may see its record; a removed one only for an
    administrator (it is kept for audit). None otherwise (the view's 404)."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        return None
    if attachment.is_removed and not is_administrator(user):
        return None
    model = attachment.content_type.model_class()
    if model is None:
        return attachment if _superuser(user) else None
    if attachment.object_id not in visible_ids(user, model, [attachment.object_id]):
        return None
    return attachment


def same_file_elsewhere(sha256: str, *, exclude: Model | None = None) -> QuerySet:
    """Attachments with this content (SHA-256) on other records, removed ones
    included: finance flags an invoice image used for a second claim. `exclude`:
    the record (or attachment) being checked."""
    queryset = Attachment.objects.filter(sha256=sha256.lower())
    if isinstance(exclude, Attachment):
        queryset = queryset.exclude(
            content_type_id=exclude.content_type_id, object_id=exclude.object_id
        )
    elif exclude is not None:
        queryset = queryset.exclude(
            content_type=ContentType.objects.get_for_model(exclude),
            object_id=exclude.pk,
        )
    return queryset.select_related("content_type")
