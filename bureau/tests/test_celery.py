"""Celery: eager by default; one round trip through the real broker and worker."""

import os

import pytest
from django.conf import settings

from bureau.tasks import ping


def test_tasks_run_eagerly_in_the_embedded_profile(db):
    if settings.REDIS_URL:
        pytest.skip("a broker is configured")
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert ping.delay(7).get(timeout=1)["pong"] == 7


@pytest.mark.broker
def test_task_round_trip_through_redis_and_a_worker():
    """With REDIS_URL and a running worker (CI starts one), the task really travels."""
    if not (settings.REDIS_URL and os.environ.get("CELERY_WORKER_RUNNING")):
        pytest.skip("needs REDIS_URL and CELERY_WORKER_RUNNING=1 (see .ci/run)")
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = ping.apply_async(args=[42]).get(timeout=60)
    assert result == {"pong": 42, "db": 1, "vendor": "postgresql"}
