from celery import shared_task
from django.utils import timezone

from deadlines.services import deadlines_scan


@shared_task
def scan() -> int:
    """The beat's deadline scan: reminders and escalations due today, each once."""
    result = deadlines_scan(today=timezone.localdate(), commit=True)
    return len(result.reminders) + len(result.escalations)
