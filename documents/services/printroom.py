"""The print room's log (DOC-4)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.models import Person
from documents import rules, selectors
from documents.models import PrintJob, Secrecy
from documents.services.common import (
    DocumentError,
    _choice,
    _date,
    _history,
    _line,
    _person,
)

PRINT_PROBLEMS = {
    "reason": gettext_lazy(
        "Give the work reason: the print room prints nothing private (DOC-4)."
    ),
    "copies": gettext_lazy("Give the number of copies (at least 1)."),
    "copy_numbers": gettext_lazy(
        "A secret document's copies are numbered: give one number per copy, e.g. 1-20."
    ),
}


def print_job_log(
    *,
    by,
    kind: str,
    what: str,
    copies: int,
    reason: str,
    doc_number: str = "",
    secrecy=Secrecy.NONE,
    copy_numbers: str = "",
    requested_by: Person | None = None,
    done_on: datetime.date | None = None,
) -> PrintJob:
    """Log a print or copy job: a person logs their own; the document clerk (who
    keeps the print room) logs anyone's."""
    person = _person(by)
    requester = requested_by or person
    if requester != person and not selectors.is_document_clerk(by):
        raise DocumentError(_("Log your own jobs; the print room logs anyone's."))
    if not isinstance(requester, Person) or not requester.is_active:
        raise DocumentError(_("Name who asked for the job."))
    if kind not in PrintJob.Kind.values:
        raise DocumentError(_("Print or copy?"))
    what = _line(what, required_message=_("Say what is printed."))
    reason = _line(reason)
    copy_numbers = _line(copy_numbers)
    secrecy = _choice(secrecy, Secrecy, _("Unknown secrecy level."))
    problem = rules.print_job_problem(
        reason=reason,
        copies=copies,
        secret=secrecy > Secrecy.NONE,
        copy_numbers=copy_numbers,
    )
    if problem:
        raise DocumentError(str(PRINT_PROBLEMS[problem]))
    done_on = _date(done_on or timezone.localdate(), _("Give the day of the job."))
    with transaction.atomic():
        job = PrintJob(
            requested_by=requester,
            section_id=requester.section_id,
            unit_id=requester.unit_id,
            kind=kind,
            what=what,
            doc_number=_line(doc_number, 60),
            copies=copies,
            secrecy=secrecy,
            copy_numbers=copy_numbers if secrecy else "",
            reason=reason,
            done_on=done_on,
            logged_by=by,
        )
        _history(job, by)
        job.save()
    return job
