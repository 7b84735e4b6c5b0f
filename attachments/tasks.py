import datetime

from celery import shared_task

from attachments import storage

GRACE = datetime.timedelta(days=1)


@shared_task(name="attachments.tasks.sweep_orphans")
def sweep_orphans() -> int:
    """Delete files that no attachment row names, a day after they were written
    (a crash between writing the file and committing its row)."""
    return len(storage.sweep_orphans(older_than=GRACE, commit=True))
