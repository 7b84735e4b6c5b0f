"""Every change of state of the documents chapter (DOC-1..6).

Each service runs in a transaction, locks the row two people could change at once,
checks the move against the rules, saves with the history user and leaves mail to
after commit (approvals.notify, bureau.outbox). A refusal raises DocumentError with
the user's message before anything is written, or rolls everything back.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from attachments.services import AttachmentError, attachment_add
from bureau.access import person_of
from bureau.params import LONG_TEXT, SHORT_TEXT, clean_text, validate_date_in_bounds
from documents.models import (
    AccessLog,
    DocumentType,
    Hop,
    OutgoingDocument,
    Secrecy,
    Urgency,
)

OUTGOING_SERIES = "documents.outgoing"
OUTGOING_TEMPLATE = "{code}〔{year}〕{n}号"
INCOMING_SERIES = "documents.incoming"
INCOMING_TEMPLATE = "{code}收〔{year}〕{n}号"
DRAFT = "draft"
SCAN = "scan"
# The deadline engine's kind of each hop (DOC-2: each hop has a deadline).
HOP_DEADLINES = {
    Hop.Purpose.INSTRUCT: "documents.instruct",
    Hop.Purpose.READ: "documents.read",
    Hop.Purpose.HANDLE: "documents.handle",
}


class DocumentError(Exception):
    """A move the rules do not allow; the message is for the user."""


def _history(obj, by):
    if getattr(by, "pk", None):
        obj._history_user = by
    return obj


def _line(value, limit=SHORT_TEXT, *, required_message=None) -> str:
    try:
        value = clean_text(value or "", max_length=limit, multiline=False).strip()
    except ValidationError as exc:
        raise DocumentError(exc.messages[0]) from None
    if required_message and not value:
        raise DocumentError(required_message)
    return value


def _text(value, limit=LONG_TEXT) -> str:
    try:
        return clean_text(value or "", max_length=limit).strip()
    except ValidationError as exc:
        raise DocumentError(exc.messages[0]) from None


def _person(by):
    person = person_of(by)
    if person is None:
        raise DocumentError(_("This login is not linked to a person."))
    return person


def _date(value, message) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise DocumentError(message)
    try:
        validate_date_in_bounds(value)
    except ValidationError as exc:
        raise DocumentError(exc.messages[0]) from None
    return value


def _choice(value, choices, message):
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise DocumentError(message) from None
    if value not in choices.values:
        raise DocumentError(message)
    return value


def document_type(value) -> DocumentType:
    """The type asked for (an instance, id or code) among the types in use."""
    if isinstance(value, DocumentType):
        found = value if value.is_active else None
    else:
        queryset = DocumentType.objects.filter(is_active=True)
        found = queryset.filter(code=str(value or "")).first()
        if found is None and str(value or "").isdigit():
            found = queryset.filter(pk=int(value)).first()
    if found is None:
        raise DocumentError(
            _("Unknown type of document: choose one of the types of official document.")
        )
    return found


def _outgoing_fields(
    *, level, doc_type, title, main_recipients, copy_to, urgency, secrecy
) -> dict:
    if level not in OutgoingDocument.Level.values:
        raise DocumentError(_("Choose how the document is issued."))
    return {
        "level": level,
        "doc_type": document_type(doc_type),
        "title": _line(title, required_message=_("Give the document a title.")),
        "main_recipients": _line(
            main_recipients, required_message=_("Name the main recipients (主送).")
        ),
        "copy_to": _line(copy_to),
        "urgency": _choice(urgency, Urgency, _("Unknown urgency.")),
        "secrecy": _choice(secrecy, Secrecy, _("Unknown secrecy level.")),
    }


def _attach_draft(document, upload, by) -> None:
    try:
        attachment_add(by=by, obj=document, file=upload, purpose=DRAFT)
    except AttachmentError as exc:
        raise DocumentError(str(exc)) from None


# --- secret documents: every view logged (DOC-2) -------------------------------------


def secret_access_log(*, obj, by, what: str = AccessLog.What.VIEW) -> AccessLog | None:
    """Log a view of a secret document; nothing for an unclassified one."""
    if getattr(obj, "secrecy", Secrecy.NONE) == Secrecy.NONE:
        return None
    return AccessLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        user=by,
        what=what,
    )
