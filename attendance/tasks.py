"""Celery entry points: thin, idempotent, calling one service each."""

import datetime
import uuid

from celery import shared_task
from django.utils import timezone

from attendance.services import (
    report_export_build,
    sheets_process_due,
    study_sessions_schedule,
)
from attendance.services.common import RejudgeInterrupted
from attendance.services.judging import rejudge_sessions as rejudge
from bureau import outbox


@shared_task
def process_sheets():
    """Every minute (beat): close due sheets (ATT-6) and settle ended sessions."""
    runs = sheets_process_due()
    return [str(run) for run in runs]


@shared_task
def schedule_study_sessions(weeks: int = 4):
    """Weekly (beat): create the coming weekly study sessions (STUDY-1)."""
    return len(study_sessions_schedule(start=timezone.localdate(), weeks=weeks))


@shared_task(
    autoretry_for=(RejudgeInterrupted,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def rejudge_sessions(person_ids, start: str, end: str, reason: str = ""):
    """ATT-8: judge again the settled sessions of these people between start and
    end (ISO dates) after their excuses changed. Retried when the database
    interrupts it (RejudgeInterrupted: rolled back, nothing half applied); safe to
    run twice — a second run finds nothing to change."""
    return rejudge(
        person_ids=person_ids,
        start=datetime.date.fromisoformat(start),
        end=datetime.date.fromisoformat(end),
        reason=reason or "excuse changed",
    )


def rejudge_after_commit(person_ids, start, end, *, reason: str = "") -> None:
    """The excuse registry's listener (attendance.excuses): once the change is
    committed, enqueue the re-judge. Only days up to today can have been settled;
    later sessions are judged with the new excuses when they are settled."""
    today = timezone.localdate()
    if start > today:
        return
    ids, first, last = sorted(set(person_ids)), start.isoformat(), min(end, today)
    # Through the outbox: with the broker away the re-judge waits for the sweep
    # instead of failing the request that changed the excuse (issue 8, hole 6).
    outbox.enqueue_after_commit(
        rejudge_sessions,
        ids,
        first,
        last.isoformat(),
        reason,
        key=f"attendance-rejudge:{uuid.uuid4().hex}",
    )


@shared_task
def build_report_export(export_id: int):
    """The month's report as an xlsx for who asked (issue 17): enqueued through the
    outbox by `report_export_request`; safe to run twice (the export's status is
    its done-marker), quiet when the row is gone."""
    export = report_export_build(export_id=export_id)
    return export.status if export is not None else None
