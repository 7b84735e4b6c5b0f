"""Test helpers: an item, a held meeting and its decisions, through the services
(on bureau.testing.small_org(): head_a heads the comprehensive section and keeps
the minutes; the director chairs)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.services import approval_decide
from meetings.models import BUREAU_AFFAIRS, Decision, Item
from meetings.services import (
    item_propose,
    meeting_plan,
    meeting_record,
    meeting_set_agenda,
)

PDF = b"%PDF-1.4\n%test\n"


def pdf(name="材料.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def accepted_item(proposer, *, kind=BUREAU_AFFAIRS, title="议题", upload=None) -> Item:
    """An item proposed by `proposer` and accepted by their deputy in charge."""
    item = item_propose(
        by=proposer.user, kind=kind, title=title, upload=upload or pdf()
    )
    approval = item.approvals.get()
    if approval.is_open:
        step = approval.steps.get(order=approval.current_order)
        approval_decide(request=approval, by=step.approver.user, decision="approve")
    item.refresh_from_db()
    return item


def held_meeting(
    org,
    *,
    kind=BUREAU_AFFAIRS,
    proposers=None,
    texts=("同意。",),
    held_on: datetime.date | None = None,
    keeper=None,
    chair=None,
    attended=None,
):
    """A meeting held with one decision per text (items proposed by `proposers`,
    head_a's by default); returns (meeting, [decisions])."""
    keeper = keeper or org.head_a
    chair = chair or org.director
    held_on = held_on or timezone.localdate()
    proposers = proposers or [org.head_a] * len(texts)
    items = [
        accepted_item(p, kind=kind, title=f"议题{n}")
        for n, p in enumerate(proposers, start=1)
    ]
    meeting = meeting_plan(
        by=keeper.user, kind=kind, title="会议", planned_on=held_on, chair=chair
    )
    meeting_set_agenda(meeting=meeting, items=items, by=keeper.user)
    meeting = meeting_record(
        meeting=meeting,
        by=keeper.user,
        held_on=held_on,
        chair=chair,
        attended=attended if attended is not None else [chair],
        decisions={i.pk: t for i, t in zip(items, texts, strict=True)},
    )
    decisions = list(
        Decision.objects.filter(meeting=meeting)
        .select_related("meeting__kind", "item")
        .order_by("number")
    )
    return meeting, decisions
