"""An item's materials: one file, checked and stored here only.

Kept apart on purpose: the attachments app (files behind the owner's selector,
SHA-256, limits from policy) replaces this module; the item keeps `materials`,
`materials_name` and `materials_size` until then. Nothing else in meetings touches
the file: the form hands the upload to `check_upload`, the model's FileField stores
it under `upload_to` (a random name, never the one the user sent), the view serves
it with `response_for` after the item's selector said yes — never a media URL.
"""

from __future__ import annotations

import os
import re
import uuid

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.policies import policy_value, register

MATERIALS_POLICY = "meetings.materials"

# What a file of each type starts with (a renamed executable is not a PDF).
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "txt": None,  # checked as UTF-8 text without NUL
}
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def _validate_policy(value) -> None:
    if not isinstance(value, dict) or set(value) != {"max_mb", "types"}:
        raise ValueError(_("The value needs “max_mb” and “types”."))
    size = value["max_mb"]
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 100:
        raise ValueError(_("“max_mb” must be a whole number from 1 to 100."))
    types = value["types"]
    if (
        not isinstance(types, list)
        or not types
        or any(t not in SIGNATURES for t in types)
    ):
        raise ValueError(
            _("“types” lists file types among: %(types)s.")
            % {"types": ", ".join(SIGNATURES)}
        )


register(
    MATERIALS_POLICY,
    {"max_mb": 20, "types": ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "png", "txt"]},
    label=gettext_lazy("Meeting item materials"),
    rule="MTG-1",
    description=(
        "Materials of a meeting item: the largest file in MB and the file types "
        "accepted (until the attachments app keeps them)."
    ),
    validator=_validate_policy,
)


def upload_to(instance, filename: str) -> str:
    """A random name under meetings/: the name the user sent is never a path."""
    extension = os.path.splitext(filename)[1].lower()
    if extension.lstrip(".") not in SIGNATURES:
        extension = ""
    return f"meetings/items/{uuid.uuid4().hex}{extension}"


def check_upload(upload, *, on=None) -> tuple[str, int]:
    """(display name, size) of an acceptable upload; ValidationError (the user's
    message) for a path-like name, a type not accepted, content that is not of its
    type, an empty or oversized file."""
    policy = policy_value(MATERIALS_POLICY, on or timezone.localdate())
    name = str(getattr(upload, "name", "") or "")
    if (
        not name
        or _UNSAFE_NAME.search(name)
        or name in {".", ".."}
        or name.startswith(".")
        or len(name) > 200
    ):
        raise ValidationError(
            _(
                "The file name may not be a path, start with a dot or be longer than 200 characters."
            )
        )
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in policy["types"]:
        raise ValidationError(
            _("Files of this type are not accepted; accepted: %(types)s.")
            % {"types": ", ".join(policy["types"])}
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise ValidationError(_("The file is empty."))
    if size > policy["max_mb"] * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": policy["max_mb"]}
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    signatures = SIGNATURES[extension]
    if signatures is None:
        ok = b"\x00" not in head
        if ok:
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as exc:
                # A multi-byte character cut at the 4 KB edge is still text.
                ok = len(head) == 4096 and exc.start >= len(head) - 3
    else:
        ok = head.startswith(signatures)
    if not ok:
        raise ValidationError(
            _("The file's content is not a .%(type)s file.") % {"type": extension}
        )
    return name, size


def response_for(item) -> FileResponse:
    """The item's materials as a download (the caller checked the item's scope)."""
    if not item.materials:
        raise Http404
    try:
        handle = item.materials.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=item.materials_name or "materials"
    )
