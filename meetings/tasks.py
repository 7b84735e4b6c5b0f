"""Celery entry points of meetings (thin: one service each, safe to run twice)."""

from celery import shared_task
from django.utils import timezone

from meetings.services import remind_monthly_meetings


@shared_task(name="meetings.tasks.remind_monthly_meetings")
def remind_monthly_meetings_task() -> int:
    """MTG-1: daily; the comprehensive section hears once a month when the
    director's office meeting is neither held nor planned by the 20th."""
    return len(remind_monthly_meetings(today=timezone.localdate(), commit=True))
