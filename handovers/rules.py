"""DOC-6 as pure judgements over plain values (no ORM)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


def handover_problem(
    *,
    person_id: int,
    colleague_id: int | None,
    colleague_active: bool,
    start_date: datetime.date,
    end_date: datetime.date,
) -> str | None:
    """Why a handover cannot be started, or None: DOC-6 names a colleague, an
    active one other than the person, over a period that ends after it starts."""
    if colleague_id is None:
        return _("Name the colleague who takes over the matters in progress.")
    if colleague_id == person_id:
        return _("Matters cannot be handed over to oneself; name a colleague.")
    if not colleague_active:
        return _("The colleague named no longer works at the bureau.")
    if end_date < start_date:
        return _("The handover ends before it starts.")
    return None


def acknowledge_problem(
    *, status: str, is_colleague: bool, waiting: str = "waiting"
) -> str | None:
    """DOC-6: only the colleague named acknowledges, once."""
    if not is_colleague:
        return _("Only the colleague named acknowledges a handover.")
    if status != waiting:
        return _("This handover is not waiting for acknowledgement.")
    return None
