"""Celery entry points: thin, idempotent, calling one service each."""

from celery import shared_task
from django.utils import timezone


@shared_task
def process_sheets():
    """Every minute (beat): close due sheets (ATT-6) and settle ended sessions."""
    from attendance.services import sheets_process_due

    runs = sheets_process_due()
    return [str(run) for run in runs]


@shared_task
def schedule_study_sessions(weeks: int = 4):
    """Weekly (beat): create the coming weekly study sessions (STUDY-1)."""
    from attendance.services import study_sessions_schedule

    return len(study_sessions_schedule(start=timezone.localdate(), weeks=weeks))
