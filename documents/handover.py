"""DOC-6: the documents matters in a person's hands, for a handover (registered in
handovers.registry by documents.setup): their open drafts, the incoming documents
waiting on them (to instruct, read or handle) and the supervised tasks they answer
for (as the section's head or the supervising leader). Three queries, whatever the
number of people. A secret document shows its number only: the colleague taking
over may not be among those it was sent to (DOC-2)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.models import Hop, OutgoingDocument, Secrecy, SupervisionTask
from handovers.registry import Matter

OPEN_DRAFT = [
    OutgoingDocument.Status.DRAFT,
    OutgoingDocument.Status.RETURNED,
    OutgoingDocument.Status.CHECKING,
    OutgoingDocument.Status.SIGNED,
]


def _title(title: str, secrecy: int, number: str) -> str:
    if secrecy != Secrecy.NONE:
        return _("Secret document %(number)s") % {"number": number or "—"}
    return title


def documents_open_matters(person_ids) -> dict:
    ids = list(person_ids)
    found: dict[int, list[Matter]] = defaultdict(list)
    drafts = OutgoingDocument.objects.filter(
        drafter_id__in=ids, status__in=OPEN_DRAFT
    ).order_by("pk")
    statuses = dict(OutgoingDocument.Status.choices)
    for pk, drafter, title, secrecy, status in drafts.values_list(
        "pk", "drafter_id", "title", "secrecy", "status"
    ):
        found[drafter].append(
            Matter(
                kind=_("Outgoing draft"),
                label=_title(title, secrecy, f"#{pk}"),
                url=reverse("documents:outgoing", args=[pk]),
                state=statuses[status],
            )
        )
    hops = (
        Hop.objects.filter(
            person_id__in=ids, done_at__isnull=True, withdrawn_at__isnull=True
        )
        .order_by("-incoming__urgency", "sent_at", "pk")
        .values_list(
            "person_id",
            "purpose",
            "incoming_id",
            "incoming__title",
            "incoming__secrecy",
            "incoming__reg_number",
        )
    )
    purposes = dict(Hop.Purpose.choices)
    for person, purpose, incoming, title, secrecy, number in hops:
        found[person].append(
            Matter(
                kind=_("Incoming document"),
                label=f"{number} {_title(title, secrecy, '')}".strip()
                if secrecy == Secrecy.NONE
                else _title(title, secrecy, number),
                url=reverse("documents:incoming", args=[incoming]),
                state=purposes[purpose],
            )
        )
    tasks = (
        SupervisionTask.objects.filter(
            Q(section__head_id__in=ids) | Q(supervisor_id__in=ids)
        )
        .exclude(status=SupervisionTask.Status.CLOSED)
        .order_by("due_on", "pk")
        .values_list(
            "pk", "title", "due_on", "status", "section__head_id", "supervisor_id"
        )
    )
    task_statuses = dict(SupervisionTask.Status.choices)
    wanted = set(ids)
    for pk, title, due_on, status, head, supervisor in tasks:
        for person in {head, supervisor} & wanted:
            found[person].append(
                Matter(
                    kind=_("Supervised task"),
                    label=title,
                    url=reverse("documents:task", args=[pk]),
                    state=task_statuses[status],
                    due=due_on,
                )
            )
    return dict(found)
