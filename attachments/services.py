"""Adding and removing attachments: every change goes through here.

`attachment_add` checks the file (name, size, type by extension and by content,
against the policy in force today), writes it under a random name and records the
row, in one transaction; a refusal raises AttachmentError with a message for the
user and leaves nothing behind (no row, no file). `attachment_remove` is soft: the
row stays with who removed it, when and why, and the file is kept for audit.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from attachments import rules
from attachments.models import Attachment
from attachments.policies import LIMITS
from attachments.registry import owner_for
from attachments.selectors import may_attach, may_remove
from attachments.storage import (
    delete_quietly,
    new_storage_name,
    remember_uncommitted,
    storage,
)
from bureau.params import SHORT_TEXT, clean_text
from bureau.policies import policy_value

CHUNK = 64 * 1024


class AttachmentError(Exception):
    """A file or a move that is refused; the message is for the user."""


@dataclass(frozen=True)
class Checked:
    name: str
    kind: rules.Kind
    size: int
    sha256: str


def limits_in_force(on: datetime.date | None = None) -> dict:
    return policy_value(LIMITS, on or timezone.localdate())


def allowed_description(limits: dict) -> str:
    return ", ".join(rules.allowed_extensions(limits["types"]))


def _refusal(problem: str, *, name: str, size: int, limits: dict, kind=None) -> str:
    if problem == rules.EMPTY_NAME:
        return _(
            "The file name cannot be used (it is empty or only a path or control "
            "characters): rename the file and upload it again."
        )
    if problem == rules.EMPTY_FILE:
        return _("The file “%(name)s” is empty: nothing was saved.") % {"name": name}
    if problem == rules.TOO_LARGE:
        return _(
            "The file “%(name)s” is too large (%(size)s): at most %(max)s may be "
            "attached. Nothing was saved."
        ) % {
            "name": name,
            "size": filesizeformat(size),
            "max": filesizeformat(limits["max_bytes"]),
        }
    if problem == rules.TYPE_NOT_ALLOWED:
        return _(
            "Files like “%(name)s” cannot be attached. Allowed types: %(allowed)s."
        ) % {"name": name, "allowed": allowed_description(limits)}
    return _(
        "The content of “%(name)s” is not a %(kind)s file, whatever its name says: "
        "it was not saved."
    ) % {"name": name, "kind": kind.code.upper() if kind else "?"}


def _read(file) -> tuple[bytes, int, str]:
    """The first bytes, the size and the SHA-256 of the file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    file.seek(0)
    while True:
        chunk = file.read(CHUNK)
        if not chunk:
            break
        if len(head) < rules.HEAD_BYTES:
            head += chunk[: rules.HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return head, size, digest.hexdigest()


def attachment_check(file, *, on: datetime.date | None = None) -> Checked:
    """Judge a file without storing it (forms call this to show the refusal next
    to the field). Raises AttachmentError."""
    if file is None:
        raise AttachmentError(_("Choose a file to attach."))
    limits = limits_in_force(on)
    name = rules.clean_display_name(getattr(file, "name", ""))
    declared = getattr(file, "size", None)
    if name and declared is not None and declared > limits["max_bytes"]:
        # Refused before a byte is read.
        raise AttachmentError(
            _refusal(rules.TOO_LARGE, name=name, size=declared, limits=limits)
        )
    head, size, sha256 = _read(file)
    kind = rules.kind_for_extension(rules.extension_of(name), limits["types"])
    names_in_zip = None
    if kind is not None and kind.needs_zip_names and head.startswith(b"PK"):
        names_in_zip = rules.zip_names(file)
        file.seek(0)
    verdict = rules.judge(
        name=name,
        size=size,
        head=head,
        names_in_zip=names_in_zip,
        max_bytes=limits["max_bytes"],
        allowed=limits["types"],
    )
    if verdict.problem:
        raise AttachmentError(
            _refusal(
                verdict.problem, name=name, size=size, limits=limits, kind=verdict.kind
            )
        )
    return Checked(name=name, kind=verdict.kind, size=size, sha256=sha256)


def _clean(value: str, max_length: int) -> str:
    try:
        return clean_text(value or "", max_length=max_length, multiline=False).strip()
    except ValidationError as exc:
        raise AttachmentError(exc.messages[0]) from None


def attachment_add(*, by, obj: Model, file, purpose: str = "") -> Attachment:
    """Attach `file` (an uploaded file or any django File) to the record `obj`,
    for the user `by`, who must be allowed by the record's chapter (may_attach).
    Inside the caller's transaction when there is one: if it rolls back, the file
    goes too (attachments.storage)."""
    if obj is None or obj.pk is None:
        raise AttachmentError(_("The record to attach to does not exist."))
    if not may_attach(by, obj):
        raise AttachmentError(_("You may not add attachments to this record."))
    owner = owner_for(obj)
    purpose = _clean(purpose, 40)
    if purpose and (owner is None or purpose not in dict(owner.purposes)):
        raise AttachmentError(_("Unknown purpose of the attachment."))
    checked = attachment_check(file)
    stored_as = None
    try:
        with transaction.atomic():
            stored_as = storage().save(new_storage_name(), file)
            remember_uncommitted(stored_as)
            attachment = Attachment(
                owner=obj,
                purpose=purpose,
                name=checked.name,
                stored_as=stored_as,
                kind=checked.kind.code,
                mime_type=checked.kind.mime,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=by,
            )
            attachment._history_user = by
            attachment.save()
    except BaseException:
        if stored_as is not None:
            delete_quietly(stored_as)
        raise
    return attachment


def attachment_remove(
    *, attachment: Attachment | int, by, reason: str = ""
) -> Attachment:
    """Take an attachment off its record (soft): it is no longer listed, the row
    keeps who removed it, when and why, and the file stays for audit."""
    reason = _clean(reason, SHORT_TEXT)
    pk = attachment.pk if isinstance(attachment, Attachment) else attachment
    with transaction.atomic():
        locked = (
            Attachment.objects.select_for_update()
            .select_related("content_type")
            .filter(pk=pk)
            .first()
        )
        if locked is None:
            raise AttachmentError(_("This attachment does not exist."))
        if locked.is_removed:
            return locked
        obj = locked.owner
        if obj is None or not may_remove(by, locked, obj):
            raise AttachmentError(_("You may not remove this attachment."))
        locked.removed_at = timezone.now()
        locked.removed_by = by
        locked.removal_reason = reason
        locked._history_user = by
        locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    return locked
