"""Everything the documents chapter plugs into the engines, in one place (called
from DocumentsConfig.ready())."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals.hooks import register_subject
from attachments.registry import register_owner
from bureau.access import person_of
from bureau.models import Role
from bureau.navigation import (
    HomePanel,
    NavItem,
    register_nav,
    register_nav_group,
    register_panel,
)
from bureau.roles import grant
from deadlines.registry import register_deadline_kind
from documents import history as documents_history
from documents import panels, selectors, services
from documents import why as documents_why
from documents.handover import documents_open_matters
from documents.models import Hop
from handovers.registry import register_open_matters_provider
from meetings.citations import register_citer
from numbering.registry import register_series

LEADERS = (Role.DIRECTOR, Role.DEPUTY, Role.SECTION_HEAD, Role.UNIT_HEAD)


def register_chapter() -> None:
    documents_why.register()
    # DOC-6: a draft's history row names the colleague who acted for the drafter.
    documents_history.register()
    # DOC-1: the draft is checked and signed on the approval engine; the engine
    # tells the document its outcome in the deciding transaction.
    register_subject(
        "documents.outgoingdocument",
        on_outcome=services.outgoing_on_outcome,
        url=lambda object_id: reverse("documents:outgoing", args=[object_id]),
        # The decider sees the draft, its versions and its history there.
        decide_url=lambda object_id: reverse("documents:outgoing", args=[object_id]),
    )
    # DOC-1: every version of the draft file, seen by whoever sees the document.
    register_owner(
        "documents.outgoingdocument",
        visible_to=selectors.outgoing_visible_to,
        may_attach=selectors.may_attach_to_outgoing,
        purposes=[(services.DRAFT, _("Draft"))],
    )
    register_series(
        services.OUTGOING_SERIES,
        label=_("Outgoing documents (DOC-1)"),
        template=services.OUTGOING_TEMPLATE,
    )
    register_incoming()
    register_supervision()
    # DOC-6: a handover lists the drafts, incoming documents and supervised tasks
    # in the person's hands.
    register_open_matters_provider("documents", documents_open_matters)
    register_archives()
    view_outgoing = [
        "documents.view_outgoingdocument",
        "documents.view_documenttype",
        "documents.view_incomingdocument",
        "documents.view_hop",
        "documents.view_instruction",
        "documents.view_supervisiontask",
        "documents.view_tasknote",
        "documents.view_monthlyreport",
        "documents.view_archiveentry",
        "documents.view_loan",
        "documents.view_printjob",
    ]
    for role in LEADERS:
        grant(role, view_outgoing)
    grant(
        Role.DOCUMENT_CLERK,
        [*view_outgoing, "documents.view_accesslog"],
    )
    grant(
        Role.ADMINISTRATOR,
        [
            *view_outgoing,
            "documents.view_accesslog",
            "documents.add_documenttype",
            "documents.change_documenttype",
        ],
    )
    # The menu heading it shares with other chapters (bureau.navigation).
    register_nav_group("documents", shelf="office")
    register_nav(
        NavItem(
            "documents",
            _("Documents"),
            "documents:outgoing_list",
            lambda u: person_of(u) is not None,
            order=65,
        )
    )
    register_panel(
        HomePanel(
            "documents_desk", "documents/panel_desk.html", panels.clerk_desk, order=62
        )
    )


def _hop_url(object_id):
    return reverse("documents:hop", args=[object_id])


def _hop_label(hop):
    return f"{hop.incoming.reg_number} {hop.incoming.title}"


def register_incoming() -> None:
    # DOC-2: the scan of each document received, seen by whoever sees it.
    register_owner(
        "documents.incomingdocument",
        visible_to=selectors.incoming_visible_to,
        may_attach=selectors.may_attach_to_incoming,
        purposes=[(services.SCAN, _("Scan"))],
    )
    register_series(
        services.INCOMING_SERIES,
        label=_("Incoming documents (DOC-2)"),
        template=services.INCOMING_TEMPLATE,
    )
    # DOC-2: each hop has a deadline on the deadline engine, one kind per purpose.
    basis = _(
        "Documents rules (DOC-2): incoming documents are instructed, circulated and "
        "handled without delay, urgent ones first."
    )
    for purpose, label, default in [
        (
            Hop.Purpose.INSTRUCT,
            _("Instruct on an incoming document"),
            {"length": 2, "day_type": "working", "remind_days": 1, "escalate_to": ""},
        ),
        (
            Hop.Purpose.READ,
            _("Read a circulated document"),
            {"length": 3, "day_type": "working", "remind_days": 1, "escalate_to": ""},
        ),
        (
            Hop.Purpose.HANDLE,
            _("Handle an incoming document"),
            {
                "length": 10,
                "day_type": "working",
                "remind_days": 2,
                "escalate_to": "supervisor",
            },
        ),
    ]:
        kind = services.HOP_DEADLINES[purpose]
        register_deadline_kind(
            kind,
            rule="DOC-2",
            legal_basis=basis,
            label=label,
            policy_key=f"deadlines.{kind}",
            default=default,
            responsible=lambda hop: hop.person,
            url=_hop_url,
            describe=_hop_label,
        )


def register_supervision() -> None:
    basis = _(
        "Work and supervision rules (DOC-5): tasks from higher levels and leaders "
        "are assigned, followed up and reported back on time."
    )
    common = {
        "rule": "DOC-5",
        "legal_basis": basis,
        "url": lambda object_id: reverse("documents:task", args=[object_id]),
        "describe": lambda task: task.title,
    }
    # DOC-5: the section head's clock (escalated to the deputy in charge when
    # overdue) and the supervising leader's reminder, both due on the task's date.
    register_deadline_kind(
        services.TASK_DEADLINE,
        label=_("Supervised task"),
        policy_key="deadlines.documents.supervision",
        default={
            "length": 30,
            "day_type": "calendar",
            "remind_days": 3,
            "escalate_to": "deputy_in_charge",
        },
        responsible=lambda task: task.section.head,
        **common,
    )
    register_deadline_kind(
        services.TASK_LEADER_DEADLINE,
        label=_("Supervised task (supervising leader)"),
        policy_key="deadlines.documents.supervision_leader",
        default={
            "length": 30,
            "day_type": "calendar",
            "remind_days": 3,
            "escalate_to": "",
        },
        responsible=lambda task: task.supervisor,
        **common,
    )
    # A meeting decision's page lists the tasks supervising it (MTG-1).
    register_citer(
        "documents.supervisiontask",
        label=_("Supervised tasks (DOC-5)"),
        model="documents.SupervisionTask",
        field="meeting_decision",
        visible_to=selectors.tasks_visible_to,
        describe=lambda task: f"{task.title} · {task.section}",
        url=lambda task: reverse("documents:task", args=[task.pk]),
        select_related=("section",),
    )


def register_archives() -> None:
    # DOC-3: a loan's due date on the deadline engine: the borrower is reminded
    # before it (once); when overdue their supervisor is told (once).
    register_deadline_kind(
        services.LOAN_DEADLINE,
        rule="DOC-3",
        legal_basis=_(
            "Documents rules (DOC-3): every loan of a file is registered and its "
            "return recorded."
        ),
        label=_("Return a borrowed file"),
        policy_key="deadlines.documents.loan",
        default={
            "length": 14,
            "day_type": "calendar",
            "remind_days": 2,
            "escalate_to": "supervisor",
        },
        responsible=lambda loan: loan.borrower,
        url=lambda object_id: reverse("documents:loans"),
        describe=lambda loan: loan.entry.title,
    )
