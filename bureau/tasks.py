from celery import shared_task
from django.db import connection


@shared_task
def ping(value):
    """A round trip through the broker and a worker, touching the worker's database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"pong": value, "db": one, "vendor": connection.vendor}
