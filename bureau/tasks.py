"""Celery entry points of the ground floor: a broker round trip, the outbox, and a
fire drill for redelivery."""

import os
import time
from pathlib import Path

from celery import shared_task
from django.db import connection

from bureau import outbox
from bureau.imports import import_job_check, import_job_run
from bureau.models import DoneMarker


@shared_task(ignore_result=False)  # the health check reads its answer
def ping(value):
    """A round trip through the broker and a worker, touching the worker's database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"pong": value, "db": one, "vendor": connection.vendor}


@shared_task
def roster_import_check(job_id):
    """ORG-1: check a large roster file in memory, recording progress and errors."""
    job = import_job_check(job_id=job_id)
    return job.status if job else None


@shared_task
def roster_import_run(job_id):
    """ORG-1: import a checked and confirmed roster file in one transaction."""
    job = import_job_run(job_id=job_id)
    return job.status if job else None


@shared_task
def outbox_deliver(keys: list[str]) -> int:
    """Send these outbox e-mails (queued after the commit that wrote them)."""
    return outbox.deliver(keys).sent


@shared_task
def outbox_sweep() -> dict:
    """Every minute (beat): send what the broker or mail server could not take."""
    result = outbox.sweep(commit=True)
    return {"sent": result.sent, "retry": result.retry, "failed": result.failed}


@shared_task
def drill(key: str, hold: str = "", hold_seconds: int = 60) -> bool:
    """A fire drill for redelivery (tests and operators): note the start in a file
    next to `hold`, wait until the `hold` file exists, then record the done-marker
    `key` once. Killing the worker while it waits must lead to exactly one marker
    after another worker takes the task again."""
    if hold:
        Path(f"{hold}.started.{os.getpid()}").touch()
        deadline = time.monotonic() + hold_seconds
        while not Path(hold).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    _, created = DoneMarker.objects.get_or_create(key=key)
    return created
