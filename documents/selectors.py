"""Who may see which documents (DOC-1..6); every list, page, admin queryset,
attachment download and export goes through here.

Outgoing documents:
- the director, the administrator and the document clerk (who numbers and files
  every document) see all;
- a person sees their own drafts, their section's drafts (a unit outside the
  sections: the unit's), the drafts whose approval reached them (the deputy who
  checks, the director who signs, a stand-in), and the drafts of the people in
  their charge (bureau.scoping);
- a secret draft only its drafter, those its approval reached, the clerk and the
  director: not the rest of the section nor the leaders in charge.

Incoming documents (DOC-2):
- the document clerk (who registers them) sees all;
- a person sees those sent to them (for instructions, to read, to handle; not
  once withdrawn from them before they acted);
- an unclassified document is also seen by the director and the administrator,
  and by the leaders in charge of the people it was sent to;
- a secret one only by those it was sent to and the clerk: nobody else, not
  the director (DOC-2, none leaked). Every view of a secret one is logged.
- DOC-6: a colleague who has acknowledged a handover in force today sees the
  unclassified documents sent to the person while they are in the register,
  and marks the person's hops read or handled on their behalf.

Supervised tasks (DOC-5): the section's, its head's and deputy's, the
supervisor's; DOC-6: a colleague covering the section head or the supervising
leader sees their open tasks and reports progress on their behalf.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.selectors import may_decide, subjects_reached
from attachments.selectors import attachments_of
from bureau.access import has_role, is_administrator, person_of
from bureau.models import Role, Section, Unit
from bureau.scoping import Scope, sees_everyone
from deadlines.models import Deadline
from documents import rules
from documents.models import (
    ArchiveEntry,
    Hop,
    IncomingDocument,
    Loan,
    MonthlyReport,
    OutgoingDocument,
    PrintJob,
    Secrecy,
    SupervisionTask,
)
from documents.search import search
from handovers.selectors import covers, handed_over_to

# The fields the registers' search box reads, in the order of the PostgreSQL
# indexes of migration 0010 (documents.search).
OUTGOING_SEARCH = ["title", "doc_number"]
INCOMING_SEARCH = ["title", "reg_number", "their_number"]

# The document clerk keeps every register; leaders in charge see their people's.
SCOPE = Scope(also={Role.DOCUMENT_CLERK})


def is_document_clerk(user) -> bool:
    """The comprehensive section's document clerk (文书), the bureau's one duty for
    numbering, registering, filing and lending (bureau.models.Role)."""
    return has_role(user, Role.DOCUMENT_CLERK)


def sees_all_registers(user) -> bool:
    return SCOPE.sees_everyone(user)


# DOC-6: the drafts a colleague covering the drafter opens — those listed on the
# handover (documents.handover.OPEN_DRAFT) and the proofread one, still to be
# numbered and filed.
HANDED_OVER_DRAFTS = [
    OutgoingDocument.Status.DRAFT,
    OutgoingDocument.Status.RETURNED,
    OutgoingDocument.Status.CHECKING,
    OutgoingDocument.Status.SIGNED,
    OutgoingDocument.Status.PROOFREAD,
]
IN_REGISTER = [
    IncomingDocument.Status.REGISTERED,
    IncomingDocument.Status.IN_PROGRESS,
    IncomingDocument.Status.HANDLED,
]


def _own_section_q(person, prefix: str = "") -> Q:
    if person.section_id:
        return Q(**{f"{prefix}section_id": person.section_id})
    return Q(**{f"{prefix}unit_id": person.unit_id, f"{prefix}section__isnull": True})


def outgoing_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    if sees_all_registers(user):
        return OutgoingDocument.objects.all()
    person = person_of(user)
    if person is None:
        return OutgoingDocument.objects.none()
    on = on or timezone.localdate()
    open_to_section = Q(secrecy=Secrecy.NONE) & (
        _own_section_q(person) | SCOPE.q(user, "drafter__", on=on)
    )
    handed_over = Q(
        drafter_id__in=handed_over_to(person, on),
        secrecy=Secrecy.NONE,
        status__in=HANDED_OVER_DRAFTS,
    )
    return OutgoingDocument.objects.filter(
        Q(drafter=person)
        | Q(pk__in=subjects_reached(user, OutgoingDocument, on=on, exclude_own=True))
        | open_to_section
        | handed_over
    )


def with_chain(queryset: QuerySet) -> QuerySet:
    """Documents with their approvals and steps, in a constant number of queries."""
    return queryset.select_related(
        "doc_type", "drafter", "section", "unit", "proofread_by"
    ).prefetch_related(
        Prefetch(
            "approvals",
            queryset=ApprovalRequest.objects.order_by("round").prefetch_related(
                Prefetch(
                    "steps",
                    queryset=ApprovalStep.objects.select_related(
                        "approver", "acting_for", "decided_by"
                    ).order_by("order"),
                )
            ),
        )
    )


def outgoing_register(user, *, year=None, status=None, q="") -> QuerySet:
    """The outgoing register as `user` may see it: urgent first, newest next."""
    queryset = outgoing_visible_to(user).select_related(
        "doc_type", "drafter", "section"
    )
    if year:
        queryset = queryset.filter(created_at__year=year)
    if status:
        queryset = queryset.filter(status=status)
    queryset = search(queryset, q, OUTGOING_SEARCH)
    return queryset.order_by("-urgency", "-created_at", "-pk")


def may_attach_to_outgoing(user, document) -> bool:
    """A new version of the draft file: the drafter, while the draft is theirs to
    edit (draft or returned), or (DOC-6) the colleague who took over the
    drafter's matters; every version stays (attachments are never deleted), the
    uploader recorded."""
    person = person_of(user)
    if person is None or not document.is_editable:
        return False
    return document.drafter_id == person.pk or acts_for_drafter(user, document)


def acts_for_drafter(user, document, on: datetime.date | None = None):
    """DOC-6: the drafter, when `user` is the colleague who took over the
    drafter's matters under a handover in force on `on` — then they revise, send
    and proofread the draft for the drafter; else None (also for the drafter
    themselves). An unclassified draft, or a secret one the colleague could
    already see (DOC-2: the handover does not widen who sees a secret draft)."""
    person = person_of(user)
    if person is None or document.drafter_id == person.pk:
        return None
    if not covers(person, document.drafter_id, on or timezone.localdate()):
        return None
    if (
        document.secrecy != Secrecy.NONE
        and not outgoing_visible_to(user, on).filter(pk=document.pk).exists()
    ):
        return None
    return document.drafter


def waiting_step(document, person, on: datetime.date):
    """The current step of the document's approval when it waits for `person` (or
    the person they stand in for), else None."""
    approval = document.current_approval
    if person is None or approval is None or not approval.is_open:
        return None
    steps = [s for s in approval.steps.all() if s.order == approval.current_order]
    if not steps:
        return None
    allowed, _acting_for = may_decide(steps[0], person, on)
    return steps[0] if allowed else None


def done_for_drafter(document) -> list:
    """DOC-6: the draft's history rows made by a colleague for the drafter
    (revised, sent, proofread), oldest first, with who and when."""
    return list(
        OutgoingDocument.history.filter(id=document.pk, done_by__isnull=False)
        .select_related("done_by")
        .order_by("history_date", "history_id")
    )


def draft_versions(document):
    """Every version of the draft file, oldest first (removed ones included)."""
    return attachments_of(document, include_removed=True).filter(purpose="draft")


def may_file(user, document) -> bool:
    """The clerk files bureau and county documents; a section-level document is
    filed by its drafter or the head of its section."""
    if rules.filed_by_comprehensive_section(document.level):
        return is_document_clerk(user)
    person = person_of(user)
    if person is None:
        return False
    return document.drafter_id == person.pk or (
        document.section_id is not None and document.section.head_id == person.pk
    )


# --- incoming documents (DOC-2) ------------------------------------------------------


def _sent_to(person):
    return Hop.objects.filter(person=person).filter(
        Q(withdrawn_at__isnull=True) | Q(done_at__isnull=False)
    )


def incoming_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    if is_document_clerk(user):
        return IncomingDocument.objects.all()
    person = person_of(user)
    if person is None:
        return IncomingDocument.objects.none()
    on = on or timezone.localdate()
    visible = Q(pk__in=_sent_to(person).values("incoming_id"))
    # DOC-6: the documents sent to the people whose matters this person has
    # taken over, unclassified ones only, while they are in the register.
    visible |= Q(
        secrecy=Secrecy.NONE,
        status__in=IN_REGISTER,
        pk__in=Hop.objects.filter(
            Q(withdrawn_at__isnull=True) | Q(done_at__isnull=False),
            person_id__in=handed_over_to(person, on),
        ).values("incoming_id"),
    )
    if sees_everyone(user):
        visible |= Q(secrecy=Secrecy.NONE)
    else:
        in_charge = SCOPE.q(user, "person__", on=on)
        visible |= Q(secrecy=Secrecy.NONE) & Q(
            pk__in=Hop.objects.filter(in_charge).values("incoming_id")
        )
    return IncomingDocument.objects.filter(visible)


def incoming_register_list(user, *, year=None, status=None, q="", mine=False):
    """The incoming register as `user` may see it: urgent first, newest next."""
    queryset = incoming_visible_to(user)
    if mine:
        person = person_of(user)
        queryset = queryset.filter(
            pk__in=Hop.objects.filter(
                person=person, done_at__isnull=True, withdrawn_at__isnull=True
            ).values("incoming_id")
        )
    if year:
        queryset = queryset.filter(received_on__year=year)
    if status:
        queryset = queryset.filter(status=status)
    queryset = search(queryset, q, INCOMING_SEARCH)
    return queryset.order_by("-urgency", "-received_on", "-pk")


def hops_of(incoming) -> QuerySet:
    return Hop.objects.filter(incoming=incoming).select_related(
        "person", "person__section", "done_by"
    )


def my_open_hops(incoming, person, on: datetime.date | None = None) -> list:
    """The open hops of the document that `person` acts on: their own, and
    (DOC-6) the read and handle hops of the people whose matters they have taken
    over on `on` — those carry `on_behalf` (the person they act for)."""
    if person is None:
        return []
    on = on or timezone.localdate()
    hops = list(
        Hop.objects.filter(
            Q(person=person)
            | Q(
                person_id__in=handed_over_to(person, on),
                purpose__in=ON_BEHALF_PURPOSES,
                incoming__secrecy=Secrecy.NONE,
            ),
            incoming=incoming,
            done_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .select_related("person")
        .order_by("pk")
    )
    for hop in hops:
        hop.on_behalf = hop.person if hop.person_id != person.pk else None
    return hops


# DOC-6: what a colleague does for the person on a circulated document: reading
# and handling. An instruction (阅批) is a leader's own: a stand-in for a leader is
# an acting assignment (ORG-2), not a handover.
ON_BEHALF_PURPOSES = [Hop.Purpose.READ, Hop.Purpose.HANDLE]


def acts_for_hop(user, hop, on: datetime.date | None = None):
    """(allowed, on_behalf): the hop's person, or (DOC-6) a colleague covering
    them on a read or handle hop of an unclassified document; on_behalf is the
    person acted for, None for the person themselves."""
    person = person_of(user)
    if person is None:
        return False, None
    if hop.person_id == person.pk:
        return True, None
    if (
        hop.purpose in ON_BEHALF_PURPOSES
        and hop.incoming.secrecy == Secrecy.NONE
        and covers(person, hop.person_id, on or timezone.localdate())
    ):
        return True, hop.person
    return False, None


def hops_visible_to(user) -> QuerySet:
    """Hops of the documents `user` may see (their deadlines' pages)."""
    return Hop.objects.filter(incoming__in=incoming_visible_to(user).values("pk"))


def may_attach_to_incoming(user, incoming) -> bool:
    """The scan: added by the clerk while the document is in the register."""
    return is_document_clerk(user) and not incoming.is_closed


# --- supervision (DOC-5) -------------------------------------------------------------


def is_leader(user) -> bool:
    return has_role(user, Role.DIRECTOR) or has_role(user, Role.DEPUTY)


def registers_tasks(user) -> bool:
    """The comprehensive section supervises (its document clerk), and the bureau's
    leaders assign tasks themselves."""
    return is_document_clerk(user) or is_leader(user) or sees_everyone(user)


def tasks_visible_to(user) -> QuerySet:
    """- the document clerk, the director and the administrator: all;
    - a person: their section's tasks, the tasks they supervise, and the tasks of
      the sections they head or are deputy in charge of."""
    if is_document_clerk(user) or sees_everyone(user):
        return SupervisionTask.objects.all()
    person = person_of(user)
    if person is None:
        return SupervisionTask.objects.none()
    handed = handed_over_to(person, timezone.localdate())
    visible = (
        Q(supervisor=person)
        | Q(section__deputy_in_charge=person)
        | Q(section__head=person)
        # DOC-6: the open tasks of those whose matters this person took over.
        | (
            (Q(section__head_id__in=handed) | Q(supervisor_id__in=handed))
            & ~Q(status=SupervisionTask.Status.CLOSED)
        )
    )
    if person.section_id:
        visible |= Q(section_id=person.section_id)
    return SupervisionTask.objects.filter(visible)


def in_task_section(user, task) -> bool:
    person = person_of(user)
    return person is not None and person.section_id == task.section_id


def covers_for_task(user, task, on: datetime.date | None = None):
    """DOC-6: the person (the section's head, else the supervising leader) whose
    open task `user` follows up on their behalf under a handover in force on
    `on`, or None. One query, asked only of someone outside the task."""
    person = person_of(user)
    if person is None or task.is_closed:
        return None
    on = on or timezone.localdate()
    head_id = task.section.head_id if task.section_id else None
    wanted = {pk for pk in (head_id, task.supervisor_id) if pk and pk != person.pk}
    if not wanted:
        return None
    found = set(handed_over_to(person, on).filter(person_id__in=wanted))
    if head_id in found:
        return task.section.head
    return task.supervisor if task.supervisor_id in found else None


def checks_task(user, task) -> bool:
    person = person_of(user)
    return is_document_clerk(user) or (
        person is not None and task.supervisor_id == person.pk
    )


def works_on_task(user, task) -> bool:
    return in_task_section(user, task) or checks_task(user, task)


def task_list(user, *, status=None, section=None) -> QuerySet:
    queryset = tasks_visible_to(user).select_related("section", "supervisor")
    if status:
        queryset = queryset.filter(status=status)
    if section:
        queryset = queryset.filter(section_id=section)
    return queryset.order_by("status", "due_on", "pk")


def task_lights(tasks, today: datetime.date) -> dict:
    """{task id: light} of the section's clock of each task, one query."""
    ids = [t.pk for t in tasks]
    if not ids:
        return {}
    return {
        d.object_id: d.light_on(today)
        for d in Deadline.objects.filter(
            kind="documents.supervision",
            content_type__app_label="documents",
            content_type__model="supervisiontask",
            object_id__in=ids,
        )
    }


def organ_sections() -> QuerySet:
    return Section.objects.filter(unit__kind=Unit.Kind.ORGAN).select_related("head")


def sections_without_report(month: datetime.date) -> list:
    sent = MonthlyReport.objects.filter(month=month).values("section_id")
    return list(organ_sections().exclude(pk__in=sent).order_by("order", "name"))


def sees_monthly_board(user) -> bool:
    return is_document_clerk(user) or is_leader(user) or sees_everyone(user)


def monthly_reports_visible_to(user) -> QuerySet:
    if sees_monthly_board(user):
        return MonthlyReport.objects.all()
    person = person_of(user)
    if person is None:
        return MonthlyReport.objects.none()
    return MonthlyReport.objects.filter(
        Q(section__head=person) | Q(section_id=person.section_id or 0)
    )


# --- archives (DOC-3) ----------------------------------------------------------------


def sees_archive(user) -> bool:
    return is_document_clerk(user) or is_leader(user) or sees_everyone(user)


def archive_visible_to(user) -> QuerySet:
    """The catalogue: the clerk and the administrator see every entry; the bureau's
    leaders the unclassified ones; nobody else."""
    if is_document_clerk(user) or is_administrator(user):
        return ArchiveEntry.objects.all()
    if sees_archive(user):
        return ArchiveEntry.objects.filter(secrecy=Secrecy.NONE)
    return ArchiveEntry.objects.none()


def loans_visible_to(user) -> QuerySet:
    """Loans: the clerk and the administrator all; a borrower their own."""
    if is_document_clerk(user) or is_administrator(user):
        return Loan.objects.all()
    person = person_of(user)
    if person is None:
        return Loan.objects.none()
    return Loan.objects.filter(borrower=person)


# --- the print room (DOC-4) ----------------------------------------------------------


def print_jobs_visible_to(user) -> QuerySet:
    """The document clerk (who keeps the print room), the director and the
    administrator see every job; a person their own and, as head or deputy in
    charge, their people's."""
    if is_document_clerk(user) or sees_everyone(user):
        return PrintJob.objects.all()
    person = person_of(user)
    if person is None:
        return PrintJob.objects.none()
    return PrintJob.objects.filter(SCOPE.q(user, "requested_by__"))


def print_summary(queryset, first: datetime.date, next_first: datetime.date) -> list:
    """Jobs and copies per section (a unit outside the sections: the unit) in a
    month, one grouped query."""
    return list(
        queryset.filter(done_on__gte=first, done_on__lt=next_first)
        .values("unit__name", "section__name")
        .annotate(jobs=Count("pk"), copies=Sum("copies"))
        .order_by("unit__name", "section__name")
    )
