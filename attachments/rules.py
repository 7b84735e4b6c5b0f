"""What a file must be to be attached: pure functions over plain values (no ORM, no
storage), so every boundary is tested in microseconds.

A file is accepted when its cleaned name is not empty, its size is within the
policy's `max_bytes`, its extension names a kind the policy allows, and its first
bytes (and, for the zip-based formats, the names inside the zip) are what that kind
really looks like. The upload's own claim (its Content-Type) is never asked.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

# How much of the file the sniffing reads (the zip kinds also read the central
# directory at the end, never the compressed data: no zip bomb is inflated).
HEAD_BYTES = 8
# The display name is kept readable, not only storable.
MAX_NAME_CHARS = 120


@dataclass(frozen=True)
class Kind:
    code: str
    extensions: tuple[str, ...]
    mime: str
    sniff: Callable[[bytes, frozenset[str] | None], bool]
    needs_zip_names: bool = False


def _starts(prefix: bytes):
    return lambda head, names: head.startswith(prefix)


def _zip_with(*required: str, refused: tuple[str, ...] = ()):
    def sniff(head: bytes, names: frozenset[str] | None) -> bool:
        if not head.startswith(b"PK\x03\x04") or names is None:
            return False
        lowered = {n.lower() for n in names}
        return all(r.lower() in lowered for r in required) and not any(
            r.lower() in lowered for r in refused
        )

    return sniff


# The kinds a bureau exchanges: scans and photos (invoices, sick notes, replaced
# parts), PDF, Word and Excel files without macros, and OFD (GB/T 33190, the format
# of the government's electronic documents and e-invoices).
KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind("pdf", ("pdf",), "application/pdf", _starts(b"%PDF-")),
        Kind("png", ("png",), "image/png", _starts(b"\x89PNG\r\n\x1a\n")),
        Kind("jpeg", ("jpg", "jpeg"), "image/jpeg", _starts(b"\xff\xd8\xff")),
        Kind(
            "docx",
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _zip_with(
                "[Content_Types].xml",
                "word/document.xml",
                refused=("word/vbaProject.bin",),
            ),
            needs_zip_names=True,
        ),
        Kind(
            "xlsx",
            ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _zip_with(
                "[Content_Types].xml",
                "xl/workbook.xml",
                refused=("xl/vbaProject.bin",),
            ),
            needs_zip_names=True,
        ),
        Kind("ofd", ("ofd",), "application/ofd", _zip_with("OFD.xml"), True),
    ]
}

# Reasons a file is refused (the service turns each into a message for the user).
EMPTY_NAME = "empty_name"
EMPTY_FILE = "empty_file"
TOO_LARGE = "too_large"
TYPE_NOT_ALLOWED = "type_not_allowed"
CONTENT_MISMATCH = "content_mismatch"

# Characters that change how a name is shown without being seen: bidirectional
# overrides and isolates ("invoice\u202efdp.exe" shows as "invoiceexe.pdf"),
# zero-width characters and the BOM.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_WHITESPACE = re.compile(r"\s+")


def clean_display_name(raw: str | None) -> str:
    """The name to show: the last part of any path (either slash), without control
    or invisible characters, leading dots and surrounding spaces, at most
    MAX_NAME_CHARS characters (the extension kept). "" when nothing is left: the
    caller refuses the file. It is never used to build a storage path."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if unicodedata.category(c) == "Zs" or c in "\t\r\n" else c
        for c in name
        if c in "\t\r\n" or unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn")
    )
    name = _INVISIBLE.sub("", name)
    name = _WHITESPACE.sub(" ", name).strip().lstrip(".").strip()
    if name in {"", ".", ".."}:
        return ""
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            name = stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_CHARS].rstrip()
    return name


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def kind_for_extension(ext: str, allowed: list[str] | tuple[str, ...]):
    """The allowed kind this extension names, or None."""
    for code in allowed:
        kind = KINDS.get(code)
        if kind is not None and ext in kind.extensions:
            return kind
    return None


def zip_names(data: bytes | io.IOBase) -> frozenset[str] | None:
    """The member names of a zip (its central directory only), or None when it is
    not a readable zip."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        with zipfile.ZipFile(stream) as archive:
            return frozenset(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def allowed_extensions(allowed) -> list[str]:
    return [e for code in allowed if code in KINDS for e in KINDS[code].extensions]


@dataclass(frozen=True)
class Verdict:
    """A refusal (`problem` set) or the accepted kind."""

    problem: str | None
    kind: Kind | None = None


def judge(
    *,
    name: str,
    size: int,
    head: bytes,
    names_in_zip: frozenset[str] | None,
    max_bytes: int,
    allowed: list[str] | tuple[str, ...],
) -> Verdict:
    """Judge a file by its cleaned name, size and first bytes (and zip member names,
    for the zip kinds), against the policy's `max_bytes` and allowed kinds."""
    if not name:
        return Verdict(EMPTY_NAME)
    if size <= 0:
        return Verdict(EMPTY_FILE)
    if size > max_bytes:
        return Verdict(TOO_LARGE)
    kind = kind_for_extension(extension_of(name), allowed)
    if kind is None:
        return Verdict(TYPE_NOT_ALLOWED)
    if not kind.sniff(head, names_in_zip):
        return Verdict(CONTENT_MISMATCH, kind)
    return Verdict(None, kind)


def validate_limits(value) -> None:
    """The policy `attachments.limits`: {"max_bytes": int, "types": [kind, ...]}."""
    if not isinstance(value, dict) or set(value) != {"max_bytes", "types"}:
        raise ValueError(
            _("Give the largest file size and the kinds of file accepted.")
        )
    size = value["max_bytes"]
    if isinstance(size, bool) or not isinstance(size, int):
        raise ValueError(_("The largest file size is a whole number of bytes."))
    if not 1 <= size <= 200 * 1024 * 1024:
        raise ValueError(_("The largest file size is from 1 byte to 200 MB."))
    types = value["types"]
    if not isinstance(types, list) or not types:
        raise ValueError(_("Accept at least one kind of file."))
    unknown = [t for t in types if t not in KINDS]
    if unknown:
        raise ValueError(
            _("Unknown file kinds: %(unknown)s (known: %(known)s).")
            % {"unknown": ", ".join(map(str, unknown)), "known": ", ".join(KINDS)}
        )
