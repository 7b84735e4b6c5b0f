from celery import shared_task


@shared_task
def remind_returns() -> int:
    """LV-9: the last-day reminder to report back."""
    from django.utils import timezone

    from leave.services import leave_remind_returns

    return len(leave_remind_returns(on=timezone.localdate(), commit=True))
