"""Celery entry points of documents (thin; the services do the work)."""

from celery import shared_task
from django.utils import timezone

from documents.services import monthly_reminders


@shared_task
def remind_monthly_reports():
    """DOC-5: remind section heads who have not sent last month's summary and
    plan (once per section and month; safe to run twice)."""
    return len(monthly_reminders(today=timezone.localdate(), commit=True))
