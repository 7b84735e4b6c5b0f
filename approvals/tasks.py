"""Celery entry points of the approval engine (thin: ids in, one service call)."""

from celery import shared_task
from django.utils import timezone

from approvals.mail import digest_send, email_pending


@shared_task
def email_notifications(notification_ids: list[int]) -> int:
    return email_pending(notification_ids)


@shared_task
def send_daily_digest() -> int:
    return len(digest_send(on=timezone.localdate(), commit=True))
