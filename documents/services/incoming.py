"""Incoming documents (DOC-2): registration, proposal, instructions, circulation,
handling, filing or return; each hop with its deadline."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.notify import notify_person
from attachments.services import AttachmentError, attachment_add
from bureau.models import Person
from bureau.params import SHORT_TEXT
from deadlines.services import deadline_cancel_for, deadline_meet_for, deadline_open
from documents import rules, selectors
from documents.models import (
    Hop,
    IncomingDocument,
    Instruction,
    Secrecy,
    Urgency,
)
from documents.selectors import is_document_clerk
from documents.services.common import (
    HOP_DEADLINES,
    INCOMING_SERIES,
    SCAN,
    DocumentError,
    _choice,
    _date,
    _history,
    _line,
    _person,
    _text,
)
from numbering.services import NumberingError, number_take

# --- incoming documents (DOC-2) ------------------------------------------------------


def _require_clerk(by) -> None:
    if not is_document_clerk(by):
        raise DocumentError(
            _(
                "Incoming documents are kept by the comprehensive section's document clerk."
            )
        )


def incoming_register(
    *,
    by,
    sender: str,
    title: str,
    received_on: datetime.date,
    their_number: str = "",
    dated: datetime.date | None = None,
    urgency=Urgency.NORMAL,
    secrecy=Secrecy.NONE,
    return_required: bool = False,
    upload=None,
) -> IncomingDocument:
    """The document clerk signs for and registers a document received (DOC-2); its
    registration number (示计生收〔2026〕5号) is taken in the same transaction."""
    _require_clerk(by)
    fields = {
        "sender": _line(sender, required_message=_("Name who sent the document.")),
        "title": _line(title, required_message=_("Give the document's title.")),
        "their_number": _line(their_number, 60),
        "received_on": _date(received_on, _("Give the day it was received.")),
        "dated": _date(dated, _("Give the document's date.")) if dated else None,
        "urgency": _choice(urgency, Urgency, _("Unknown urgency.")),
        "secrecy": _choice(secrecy, Secrecy, _("Unknown secrecy level.")),
        "return_required": bool(return_required),
    }
    with transaction.atomic():
        incoming = IncomingDocument(registered_by=by, reg_number="", **fields)
        _history(incoming, by)
        incoming.save()
        try:
            number = number_take(
                series=INCOMING_SERIES, owner=incoming, by=by, on=incoming.received_on
            )
        except NumberingError as exc:
            raise DocumentError(str(exc)) from None
        incoming.reg_number = number.text
        incoming.save(update_fields=["reg_number"])
        if upload is not None:
            try:
                attachment_add(by=by, obj=incoming, file=upload, purpose=SCAN)
            except AttachmentError as exc:
                raise DocumentError(str(exc)) from None
    return incoming


def _locked_incoming(incoming) -> IncomingDocument:
    pk = getattr(incoming, "pk", incoming)
    try:
        return IncomingDocument.objects.select_for_update().get(pk=pk)
    except IncomingDocument.DoesNotExist:
        raise DocumentError(_("This document does not exist.")) from None


def _open_incoming(incoming) -> IncomingDocument:
    incoming = _locked_incoming(incoming)
    if incoming.is_closed:
        raise DocumentError(
            _("This document is %(s)s already.") % {"s": incoming.get_status_display()}
        )
    return incoming


def incoming_propose(*, incoming, by, proposal: str) -> IncomingDocument:
    """The clerk's proposal for handling (拟办)."""
    _require_clerk(by)
    proposal = _text(proposal)
    if not proposal:
        raise DocumentError(_("Write the proposed handling."))
    with transaction.atomic():
        incoming = _open_incoming(incoming)
        incoming.proposal = proposal
        _history(incoming, by)
        incoming.save(update_fields=["proposal"])
    return incoming


def _refresh_status(incoming: IncomingDocument, by) -> None:
    hops = Hop.objects.filter(incoming=incoming, withdrawn_at__isnull=True)
    status = rules.incoming_status(
        open_hops=hops.filter(done_at__isnull=True).count(),
        done_hops=hops.filter(done_at__isnull=False).count(),
    )
    if incoming.status != status and not incoming.is_closed:
        incoming.status = status
        _history(incoming, by)
        incoming.save(update_fields=["status"])


HOP_TITLES = {
    Hop.Purpose.INSTRUCT: gettext_lazy("For your instructions: %(title)s"),
    Hop.Purpose.READ: gettext_lazy("To read: %(title)s"),
    Hop.Purpose.HANDLE: gettext_lazy("To handle: %(title)s"),
}


def _send(incoming, people, purpose, note, by, today) -> list[Hop]:
    """Hops to `people` (skipping an open one of the same purpose), each with its
    deadline, each person notified (mailed after commit through the outbox)."""
    open_to = set(
        Hop.objects.filter(
            incoming=incoming,
            purpose=purpose,
            done_at__isnull=True,
            withdrawn_at__isnull=True,
        ).values_list("person_id", flat=True)
    )
    made = []
    for person in people:
        if person.pk in open_to:
            continue
        hop = Hop(
            incoming=incoming, person=person, purpose=purpose, note=note, sent_by=by
        )
        _history(hop, by)
        hop.save()
        deadline_open(kind=HOP_DEADLINES[purpose], record=hop, start=today, by=by)
        notify_person(
            person,
            title=HOP_TITLES[purpose] % {"title": incoming.title},
            body=note,
            url=incoming.get_absolute_url(),
        )
        made.append(hop)
    return made


def incoming_send(
    *, incoming, by, people, purpose: str, note: str = "", today=None
) -> list[Hop]:
    """The clerk sends the document to leaders for instructions (阅批) or round a
    list of people to read (传阅), with a note; each hop has its deadline."""
    _require_clerk(by)
    if purpose not in (Hop.Purpose.INSTRUCT, Hop.Purpose.READ):
        raise DocumentError(_("Send it for instructions or to read."))
    people = [p for p in people if isinstance(p, Person) and p.is_active]
    if not people:
        raise DocumentError(_("Choose the people to send it to."))
    note = _line(note)
    today = today or timezone.localdate()
    with transaction.atomic():
        incoming = _open_incoming(incoming)
        hops = _send(incoming, people, purpose, note, by, today)
        _refresh_status(incoming, by)
    return hops


def _my_open_hop(hop, by, purpose) -> Hop:
    """The hop locked, when `by` acts on it: its person, or (DOC-6, reading and
    handling) the colleague who took over the person's matters — then
    `hop.on_behalf` is the person acted for."""
    person = _person(by)
    pk = getattr(hop, "pk", hop)
    try:
        hop = Hop.objects.select_for_update().select_related("incoming").get(pk=pk)
    except Hop.DoesNotExist:
        raise DocumentError(_("This document does not exist.")) from None
    allowed, on_behalf = selectors.acts_for_hop(by, hop)
    if not allowed or hop.purpose != purpose:
        raise DocumentError(_("This document was not sent to you for that."))
    if hop.withdrawn_at is not None:
        raise DocumentError(_("This document was withdrawn from you."))
    hop.on_behalf = on_behalf
    hop.acting = person if on_behalf is not None else None
    return hop


def _done(hop: Hop, by, result: str = "") -> None:
    hop.done_at = timezone.now()
    hop.result = result
    hop.done_by = getattr(hop, "acting", None)
    _history(hop, by)
    hop.save(update_fields=["done_at", "result", "done_by"])
    deadline_meet_for(hop, HOP_DEADLINES[hop.purpose], by=by)


def incoming_instruct(*, hop, by, text: str, handlers=(), today=None) -> Instruction:
    """A leader writes an instruction (阅批) on a document sent to them and names
    the handlers, who are notified at once and get a hop to handle it."""
    text = _text(text)
    if not text:
        raise DocumentError(_("Write the instruction."))
    handlers = [p for p in handlers if isinstance(p, Person) and p.is_active]
    today = today or timezone.localdate()
    with transaction.atomic():
        hop = _my_open_hop(hop, by, Hop.Purpose.INSTRUCT)
        incoming = _open_incoming(hop.incoming_id)
        if hop.done_at is not None:
            raise DocumentError(_("You have given your instruction already."))
        instruction = Instruction(incoming=incoming, leader=hop.person, text=text)
        _history(instruction, by)
        instruction.save()
        instruction.handlers.set(handlers)
        _done(hop, by, text)
        _send(
            incoming,
            handlers,
            Hop.Purpose.HANDLE,
            text[:SHORT_TEXT],
            by,
            today,
        )
        _refresh_status(incoming, by)
    return instruction


def incoming_read(*, hop, by) -> Hop:
    """A reader marks the circulated document read (the read/unread board)."""
    with transaction.atomic():
        hop = _my_open_hop(hop, by, Hop.Purpose.READ)
        if hop.done_at is not None:
            return hop
        incoming = _open_incoming(hop.incoming_id)
        _done(hop, by)
        _refresh_status(incoming, by)
    return hop


def incoming_handle(*, hop, by, result: str) -> Hop:
    """A handler reports what was done (办理结果)."""
    result = _text(result)
    if not result:
        raise DocumentError(_("Say what was done."))
    with transaction.atomic():
        hop = _my_open_hop(hop, by, Hop.Purpose.HANDLE)
        if hop.done_at is not None:
            raise DocumentError(_("You have reported it handled already."))
        incoming = _open_incoming(hop.incoming_id)
        _done(hop, by, result)
        _refresh_status(incoming, by)
    return hop


def _clerk_hop(hop, by) -> Hop:
    _require_clerk(by)
    pk = getattr(hop, "pk", hop)
    try:
        hop = Hop.objects.select_for_update().select_related("incoming").get(pk=pk)
    except Hop.DoesNotExist:
        raise DocumentError(_("This document does not exist.")) from None
    if not hop.is_open:
        raise DocumentError(_("This hop is finished: nothing to urge or withdraw."))
    return hop


def incoming_urge(*, hop, by) -> Hop:
    """The clerk urges (催办) someone who has not read, instructed or handled it."""
    with transaction.atomic():
        hop = _clerk_hop(hop, by)
        hop.urged_at = timezone.now()
        hop.urge_count += 1
        _history(hop, by)
        hop.save(update_fields=["urged_at", "urge_count"])
        notify_person(
            hop.person,
            title=_("Reminder: %(t)s")
            % {"t": HOP_TITLES[hop.purpose] % {"title": hop.incoming.title}},
            url=hop.incoming.get_absolute_url(),
        )
    return hop


def incoming_withdraw_hop(*, hop, by) -> Hop:
    """The clerk takes the document back from someone (收回); their deadline is
    cancelled."""
    with transaction.atomic():
        hop = _clerk_hop(hop, by)
        incoming = _open_incoming(hop.incoming_id)
        hop.withdrawn_at = timezone.now()
        _history(hop, by)
        hop.save(update_fields=["withdrawn_at"])
        deadline_cancel_for(hop, HOP_DEADLINES[hop.purpose], by=by)
        _refresh_status(incoming, by)
    return hop


CLOSING_MESSAGES = {
    "outcome": gettext_lazy("A document leaves the register filed or returned."),
    "not_handled": gettext_lazy(
        "Not every hop is done: a document leaves the register once read, "
        "instructed and handled (withdraw what is no longer needed)."
    ),
    "must_return": gettext_lazy("The sender wants this document back: return it."),
    "not_to_return": gettext_lazy("The sender does not want it back: file it."),
}


def incoming_close(*, incoming, by, outcome: str) -> IncomingDocument:
    """The clerk files the handled document (归档) or returns it (退回)."""
    _require_clerk(by)
    with transaction.atomic():
        incoming = _open_incoming(incoming)
        problem = rules.closing_problem(
            status=incoming.status,
            return_required=incoming.return_required,
            outcome=outcome,
        )
        if problem:
            raise DocumentError(str(CLOSING_MESSAGES[problem]))
        incoming.status = outcome
        incoming.closed_by = by
        incoming.closed_at = timezone.now()
        _history(incoming, by)
        incoming.save(update_fields=["status", "closed_by", "closed_at"])
    return incoming
