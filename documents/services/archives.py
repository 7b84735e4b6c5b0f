"""Archives (DOC-3): the year's catalogue and the loans of files."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.models import Person
from bureau.policies import policy_in_force
from deadlines.registry import kind_of
from deadlines.services import calendar_exceptions, deadline_meet_for, deadline_open
from documents import rules, selectors
from documents.models import (
    ArchiveEntry,
    IncomingDocument,
    Loan,
    OutgoingDocument,
)
from documents.policies import RETENTION
from documents.services.common import DocumentError, _date, _history, _line

LOAN_DEADLINE = "documents.loan"


def _require_clerk(by) -> None:
    if not selectors.is_document_clerk(by):
        raise DocumentError(
            _("The archives are kept by the comprehensive section's document clerk.")
        )


def archive_year(*, year: int, by, today: datetime.date | None = None) -> list:
    """File the year's finished documents into the catalogue (DOC-3): filed
    outgoing documents by their number, then filed or returned incoming ones by
    registration; each with its retention from the policy in force. Again later:
    only what was finished since is added."""
    _require_clerk(by)
    today = today or timezone.localdate()
    if not isinstance(year, int) or not rules.may_archive_year(year, today):
        raise DocumentError(_("A year is filed once it is over, early in the next."))
    version = policy_in_force(RETENTION, today)
    outgoing = (
        OutgoingDocument.objects.filter(
            status=OutgoingDocument.Status.FILED,
            filed_at__year=year,
            archive_entry__isnull=True,
        )
        .select_related("doc_type")
        .order_by("numbered_at", "filed_at", "pk")
    )
    incoming = IncomingDocument.objects.filter(
        status__in=[IncomingDocument.Status.FILED, IncomingDocument.Status.RETURNED],
        closed_at__year=year,
        archive_entry__isnull=True,
    ).order_by("received_on", "pk")
    made = []
    try:
        with transaction.atomic():
            last = ArchiveEntry.objects.select_for_update().filter(year=year)
            n = last.aggregate(m=Max("item_no"))["m"] or 0
            for doc in outgoing:
                n += 1
                made.append(
                    ArchiveEntry(
                        year=year,
                        item_no=n,
                        kind=ArchiveEntry.Kind.OUTGOING,
                        outgoing=doc,
                        doc_type=doc.doc_type.name,
                        number=doc.doc_number,
                        title=doc.title,
                        dated=(doc.signed_on or doc.filed_at.date()),
                        retention_years=rules.retention_years(
                            version.value, kind="outgoing", type_code=doc.doc_type.code
                        ),
                        retention_policy_id=version.id,
                        secrecy=doc.secrecy,
                        archived_by=by,
                    )
                )
            for doc in incoming:
                n += 1
                made.append(
                    ArchiveEntry(
                        year=year,
                        item_no=n,
                        kind=ArchiveEntry.Kind.INCOMING,
                        incoming=doc,
                        number=doc.their_number or doc.reg_number,
                        title=doc.title,
                        dated=doc.received_on,
                        retention_years=rules.retention_years(
                            version.value, kind="incoming"
                        ),
                        retention_policy_id=version.id,
                        secrecy=doc.secrecy,
                        archived_by=by,
                    )
                )
            for entry in made:
                _history(entry, by)
                entry.save()
    except IntegrityError:
        raise DocumentError(
            _("The year was being filed at the same moment: look at the catalogue.")
        ) from None
    return made


def loan_register(
    *,
    entry,
    by,
    borrower,
    purpose: str,
    due_on: datetime.date,
    lent_on: datetime.date | None = None,
) -> Loan:
    """Lend a file (借阅): registered with its due date on the deadline engine (the
    borrower is reminded before it, once; when overdue their supervisor is told)."""
    _require_clerk(by)
    if not isinstance(entry, ArchiveEntry):
        raise DocumentError(_("Choose the file lent."))
    if not isinstance(borrower, Person) or not borrower.is_active:
        raise DocumentError(_("Name the borrower."))
    purpose = _line(purpose, required_message=_("Say what the file is borrowed for."))
    lent_on = _date(lent_on or timezone.localdate(), _("Give the day it is lent."))
    due_on = _date(due_on, _("Give the day it is to be returned."))
    if rules.loan_due_before_start(lent_on, due_on):
        raise DocumentError(_("A loan cannot be due before the day it starts."))
    with transaction.atomic():
        ArchiveEntry.objects.select_for_update().get(pk=entry.pk)
        if Loan.objects.filter(entry=entry, returned_on__isnull=True).exists():
            raise DocumentError(_("This file is out on loan: record its return first."))
        loan = Loan(
            entry=entry,
            borrower=borrower,
            purpose=purpose,
            lent_on=lent_on,
            due_on=due_on,
            lent_by=by,
        )
        _history(loan, by)
        loan.save()
        value = policy_in_force(kind_of(LOAN_DEADLINE).policy_key, lent_on).value
        length = rules.period_length(
            lent_on, due_on, value["day_type"], calendar_exceptions(lent_on)
        )
        deadline_open(
            kind=LOAN_DEADLINE, record=loan, start=lent_on, by=by, length=length
        )
    return loan


def loan_return(*, loan, by, on: datetime.date | None = None) -> Loan:
    """Record the file's return; its clock is met (or missed when late)."""
    _require_clerk(by)
    on = _date(on or timezone.localdate(), _("Give the day it came back."))
    with transaction.atomic():
        try:
            loan = Loan.objects.select_for_update().get(pk=getattr(loan, "pk", loan))
        except Loan.DoesNotExist:
            raise DocumentError(_("This loan does not exist.")) from None
        if loan.returned_on is not None:
            return loan
        if on < loan.lent_on:
            raise DocumentError(_("A file comes back after it was lent."))
        loan.returned_on = on
        _history(loan, by)
        loan.save(update_fields=["returned_on"])
        deadline_meet_for(loan, LOAN_DEADLINE, by=by, on=on)
    return loan
