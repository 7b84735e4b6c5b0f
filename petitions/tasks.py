"""Celery entry points (thin; each is safe to run twice)."""

from celery import shared_task
from django.utils import timezone

from petitions import services


@shared_task
def escalate():
    """PET-5: the escalation ladder, each rung once."""
    return len(
        services.petitions_escalate(today=timezone.localdate(), commit=True).sent
    )


@shared_task
def close_windows():
    """PET-3: close the cases whose review window passed without a request."""
    return len(services.cases_close_expired(today=timezone.localdate(), commit=True))


@shared_task
def half_year_work():
    """PET-8: remind once when the half-year is ending without its petition work."""
    return len(services.pet8_remind(today=timezone.localdate(), commit=True))
