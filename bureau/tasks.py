from celery import shared_task
from django.db import connection


@shared_task
def ping(value):
    """A round trip through the broker and a worker, touching the worker's database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"pong": value, "db": one, "vendor": connection.vendor}


@shared_task
def roster_import_check(job_id):
    """ORG-1: check a large roster file in memory, recording progress and errors."""
    from bureau.imports import import_job_check

    job = import_job_check(job_id=job_id)
    return job.status if job else None


@shared_task
def roster_import_run(job_id):
    """ORG-1: import a checked and confirmed roster file in one transaction."""
    from bureau.imports import import_job_run

    job = import_job_run(job_id=job_id)
    return job.status if job else None
