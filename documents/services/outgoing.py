"""Outgoing documents (DOC-1): draft, check and sign-off on the approval engine,
proofreading, the number, filing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.chains import DECIDING
from approvals.services import (
    ApprovalError,
    approval_decide,
    approval_preview,
    approval_submit,
    approval_withdraw,
)
from bureau.policies import policy_in_force
from documents import rules, selectors
from documents.models import (
    OutgoingDocument,
    Secrecy,
    Urgency,
)
from documents.policies import OUTGOING_CHAINS
from documents.selectors import is_document_clerk
from documents.services.common import (
    OUTGOING_SERIES,
    DocumentError,
    _attach_draft,
    _history,
    _outgoing_fields,
    _person,
    _text,
)
from numbering.services import NumberingError, number_take

# --- outgoing documents (DOC-1) ------------------------------------------------------


def outgoing_create(
    *,
    by,
    level: str,
    doc_type,
    title: str,
    main_recipients: str,
    copy_to: str = "",
    urgency=Urgency.NORMAL,
    secrecy=Secrecy.NONE,
    upload=None,
) -> OutgoingDocument:
    """A section drafts a document; the draft file (if given) is its first version.
    Nothing is numbered at draft stage."""
    person = _person(by)
    fields = _outgoing_fields(
        level=level,
        doc_type=doc_type,
        title=title,
        main_recipients=main_recipients,
        copy_to=copy_to,
        urgency=urgency,
        secrecy=secrecy,
    )
    with transaction.atomic():
        document = OutgoingDocument(
            drafter=person,
            unit_id=person.unit_id,
            section_id=person.section_id,
            **fields,
        )
        _history(document, by)
        document.save()
        if upload is not None:
            _attach_draft(document, upload, by)
    return document


def _locked(document) -> OutgoingDocument:
    pk = getattr(document, "pk", document)
    try:
        return OutgoingDocument.objects.select_for_update().get(pk=pk)
    except OutgoingDocument.DoesNotExist:
        raise DocumentError(_("This document does not exist.")) from None


def _require_drafter(document, person) -> None:
    if document.drafter_id != person.pk:
        raise DocumentError(_("Only the drafter may do this."))


def _drafter_or_colleague(document, by, person):
    """The drafter, or (DOC-6) the colleague who took over the drafter's matters
    under a handover in force today: returns the person acted for (None for the
    drafter) and marks the document's next history row as done by the colleague
    (`document._done_by`). Anyone else, before or after the period, or once the
    handover is cancelled: refused."""
    if document.drafter_id == person.pk:
        document._done_by = None
        return None
    acting_for = selectors.acts_for_drafter(by, document)
    if acting_for is None:
        raise DocumentError(
            _(
                "Only the drafter, or the colleague who has taken over the "
                "drafter's matters for the period of a handover, may do this."
            )
        )
    document._done_by = person
    return acting_for


def outgoing_update(
    *,
    document,
    by,
    level: str,
    doc_type,
    title: str,
    main_recipients: str,
    copy_to: str = "",
    urgency=Urgency.NORMAL,
    secrecy=Secrecy.NONE,
    upload=None,
) -> OutgoingDocument:
    """The drafter revises a draft (or a returned one); a new file is a new version,
    the earlier ones stay. DOC-6: the colleague who took over the drafter's
    matters may too — the history row and the version's uploader are theirs."""
    person = _person(by)
    fields = _outgoing_fields(
        level=level,
        doc_type=doc_type,
        title=title,
        main_recipients=main_recipients,
        copy_to=copy_to,
        urgency=urgency,
        secrecy=secrecy,
    )
    with transaction.atomic():
        document = _locked(document)
        _drafter_or_colleague(document, by, person)
        if not document.is_editable:
            raise DocumentError(
                _("Only a draft or a returned draft can be revised; this one is %(s)s.")
                % {"s": document.get_status_display()}
            )
        changed = [k for k, v in fields.items() if getattr(document, k) != v]
        for key in changed:
            setattr(document, key, fields[key])
        if changed:
            _history(document, by)
            document.save(update_fields=changed)
        if upload is not None:
            _attach_draft(document, upload, by)
    return document


def outgoing_chain(document, on: datetime.date):
    """(policy version, chain) for the document's level on `on`."""
    version = policy_in_force(OUTGOING_CHAINS, on)
    return version, version.value[document.level]


def outgoing_submit(*, document, by, today: datetime.date | None = None):
    """The drafter sends the draft to be checked and signed (DOC-1): the chain of
    its level, resolved on `today`. A returned draft goes again as a new round; its
    earlier rounds, comments and file versions stay.

    DOC-6: the colleague who took over the drafter's matters may send it for
    them: the approval's requester is still the drafter (the chain is the
    drafter's), the history row names the colleague."""
    person = _person(by)
    today = today or timezone.localdate()
    problem = None
    with transaction.atomic():
        document = _locked(document)
        _drafter_or_colleague(document, by, person)
        drafter = document.drafter
        if not document.is_editable:
            raise DocumentError(
                _("This document is %(s)s: it cannot be sent again.")
                % {"s": document.get_status_display()}
            )
        if (
            not selectors.draft_versions(document)
            .filter(removed_at__isnull=True)
            .exists()
        ):
            raise DocumentError(_("Attach the draft file before sending it."))
        version, chain = outgoing_chain(document, today)
        try:
            resolved = approval_preview(requester=drafter, chain=chain, on=today)
        except ApprovalError as exc:
            raise DocumentError(str(exc)) from None
        deciders = [
            s.approver.pk if s.approver else None
            for s in resolved
            if s.action in DECIDING
        ]
        if rules.only_signer_is_drafter(drafter.pk, deciders):
            raise DocumentError(
                _(
                    "Nobody but the drafter would sign this draft off: a document "
                    "is never signed off by its own drafter alone (DOC-1)."
                )
            )
        document.rule = "DOC-1"
        document.chain_policy_id = version.id
        document.status = OutgoingDocument.Status.CHECKING
        _history(document, by)
        document.save(update_fields=["rule", "chain_policy_id", "status"])
        try:
            with transaction.atomic():
                approval_submit(
                    subject=document,
                    requester=drafter,
                    chain=chain,
                    by=by,
                    kind="outgoing_document",
                    summary=_("%(type)s: %(title)s")
                    % {"type": document.doc_type.name, "title": document.title},
                    chain_policy_id=version.id,
                    on=today,
                    resolved=resolved,
                )
        except ApprovalError as exc:
            problem = str(exc)
            transaction.set_rollback(True)
    if problem is not None:
        raise DocumentError(problem)
    document.refresh_from_db()
    return document


def outgoing_on_outcome(approval, outcome: str) -> None:
    """The engine's hook, in its transaction: signed off, returned or withdrawn."""
    document, changed = OutgoingDocument.mirror_approval_outcome(approval, outcome)
    if changed and outcome == "approved":
        document.signed_on = timezone.localdate()
        document.save(update_fields=["signed_on"])


def outgoing_decide(*, document, by, decision: str, comment: str = ""):
    """The deputy in charge checks (核稿) or the director signs off (签发), on the
    document's page: agree/approve or return with a comment."""
    comment = _text(comment)
    approval = document.current_approval
    if approval is None or not approval.is_open:
        raise DocumentError(_("This document is not waiting for a decision."))
    try:
        approval_decide(
            request=approval,
            by=by,
            decision="refuse" if decision == "return" else decision,
            comment=comment,
        )
    except ApprovalError as exc:
        raise DocumentError(str(exc)) from None
    return OutgoingDocument.objects.get(pk=document.pk)


def outgoing_withdraw(*, document, by, comment: str = ""):
    """The drafter takes the draft back while it is being checked."""
    person = _person(by)
    _require_drafter(document, person)
    approval = document.current_approval
    if approval is None or not approval.is_open:
        raise DocumentError(_("This document is not waiting for a decision."))
    try:
        approval_withdraw(request=approval, by=by, comment=_text(comment))
    except ApprovalError as exc:
        raise DocumentError(str(exc)) from None
    return OutgoingDocument.objects.get(pk=document.pk)


def _move(document, target: str) -> None:
    if document.status == target:
        return
    if not rules.may_move(document.status, target):
        raise DocumentError(
            _("This document is %(s)s: that step is not possible now.")
            % {"s": document.get_status_display()}
        )
    document.status = target


def outgoing_proofread(*, document, by) -> OutgoingDocument:
    """The drafter proofreads the signed text (校对). DOC-6: the colleague who
    took over the drafter's matters may proofread for them: `proofread_by` is the
    colleague, `proofread_for` the drafter (shown "colleague 代 drafter")."""
    person = _person(by)
    with transaction.atomic():
        document = _locked(document)
        acting_for = _drafter_or_colleague(document, by, person)
        if document.status == OutgoingDocument.Status.PROOFREAD:
            return document
        _move(document, OutgoingDocument.Status.PROOFREAD)
        document.proofread_by = person
        document.proofread_for = acting_for
        document.proofread_at = timezone.now()
        _history(document, by)
        document.save(
            update_fields=["status", "proofread_by", "proofread_for", "proofread_at"]
        )
    return document


def outgoing_number(
    *, document, by, today: datetime.date | None = None
) -> OutgoingDocument:
    """The document clerk gives a signed, proofread bureau document its number
    (示计生〔2026〕12号), taken in this transaction from the series
    `documents.outgoing`: never at draft stage, never twice."""
    if not is_document_clerk(by):
        raise DocumentError(
            _("Documents are numbered by the comprehensive section's document clerk.")
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        document = _locked(document)
        if document.doc_number:
            raise DocumentError(
                _("This document has its number already: %(n)s.")
                % {"n": document.doc_number}
            )
        if not rules.needs_number(document.level):
            raise DocumentError(
                _("Only documents in the bureau's name take the bureau's number.")
            )
        if document.status != OutgoingDocument.Status.PROOFREAD:
            raise DocumentError(
                _(
                    "Only a signed and proofread document is numbered; this one is %(s)s."
                )
                % {"s": document.get_status_display()}
            )
        try:
            number = number_take(
                series=OUTGOING_SERIES, owner=document, by=by, on=today
            )
        except NumberingError as exc:
            raise DocumentError(str(exc)) from None
        document.doc_number = number.text
        document.status = OutgoingDocument.Status.NUMBERED
        document.numbered_by = by
        document.numbered_at = timezone.now()
        _history(document, by)
        document.save(
            update_fields=["doc_number", "status", "numbered_by", "numbered_at"]
        )
    return document


def outgoing_file(*, document, by) -> OutgoingDocument:
    """File the document (归档): a bureau document only with its number."""
    with transaction.atomic():
        document = _locked(document)
        if not selectors.may_file(by, document):
            raise DocumentError(
                _(
                    "The comprehensive section files the bureau's documents; a section "
                    "files its own section-level documents."
                )
            )
        if document.status == OutgoingDocument.Status.FILED:
            return document
        if not rules.ready_to_file(
            document.level, document.status, bool(document.doc_number)
        ):
            if rules.needs_number(document.level) and not document.doc_number:
                raise DocumentError(
                    _("A document is filed with its number: number it first.")
                )
            raise DocumentError(
                _("This document is %(s)s: it is filed once signed and proofread.")
                % {"s": document.get_status_display()}
            )
        document.status = OutgoingDocument.Status.FILED
        document.filed_by = by
        document.filed_at = timezone.now()
        _history(document, by)
        document.save(update_fields=["status", "filed_by", "filed_at"])
    return document
