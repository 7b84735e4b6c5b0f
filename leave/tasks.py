from celery import shared_task


@shared_task
def remind_returns() -> int:
    """LV-9: the reminder to report back, through the deadline engine (kept for a
    beat schedule stored before the engine's own scan took it over)."""
    from django.utils import timezone

    from leave.services import leave_remind_returns

    return len(leave_remind_returns(on=timezone.localdate(), commit=True))
