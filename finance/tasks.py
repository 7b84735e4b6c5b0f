"""Celery entry points of finance (thin; the services do the work)."""

from celery import shared_task
from django.utils import timezone

from finance.services import statement_reminders


@shared_task
def remind_statements():
    """FIN-7: remind finance once a month when last month's statements have not all
    gone out by the due day (safe to run twice)."""
    return len(statement_reminders(today=timezone.localdate(), commit=True))
