"""A worker killed mid-task (issue 8, hole 6): the task is done again, once.

Runs in CI (.ci/run) with a real Redis at REDIS_URL and PostgreSQL: the test starts
its own workers on a private queue under a private broker key prefix (so their
restore of unacknowledged tasks never touches the CI worker's), pointed at the test
database, and kills them with SIGKILL.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from bureau.celery import app
from bureau.models import DoneMarker
from bureau.tasks import drill

ROOT = Path(__file__).resolve().parents[2]
BOOT_SECONDS = 90  # a worker boots Django and Celery on a busy 2-core machine


def _wait_for(condition, what, seconds=BOOT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)  # polling another process: nothing to wait on instead
    raise AssertionError(f"timed out waiting for {what}")


def _test_database_url() -> str:
    """DATABASE_URL with the test database's name, for the workers."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class Workers:
    def __init__(self, tmp_path, queue, prefix):
        self.tmp_path, self.queue, self.prefix = tmp_path, queue, prefix
        self.running: list[subprocess.Popen] = []

    def start(self, name, **env):
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (closed by the OS)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bureau",
                "worker",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
                "-n",
                f"{name}-{self.queue}@%h",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": _test_database_url(),
                "CELERY_BROKER_KEYPREFIX": self.prefix,
                **env,
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )
        self.running.append(process)
        return process

    def kill(self, process):
        """SIGKILL the worker and its pool: a crash, nothing cleaned up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def kill_all(self):
        for process in self.running:
            self.kill(process)


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_killed_worker_is_redone_exactly_once(tmp_path):
    """The drill task waits mid-run. Its pool process is killed: the worker puts it
    back at once (REJECT_ON_WORKER_LOST) and runs it again. Then the whole worker is
    killed: after the visibility timeout a second worker takes it, and it completes
    with exactly one done-marker."""
    if not (settings.REDIS_URL and os.environ.get("CELERY_WORKER_RUNNING")):
        pytest.skip("needs REDIS_URL and CELERY_WORKER_RUNNING=1 (see .ci/run)")
    if connection.vendor != "postgresql":
        pytest.skip("the workers share the test database: needs PostgreSQL")
    tag = uuid.uuid4().hex[:8]
    queue, prefix, key = f"drill-{tag}", f"drill-{tag}:", f"drill:{tag}"
    hold = tmp_path / "hold"
    starts = lambda: sorted(tmp_path.glob("hold.started.*"))  # noqa: E731
    workers = Workers(tmp_path, queue, prefix)
    try:
        first = workers.start("first")
        options = dict(
            settings.CELERY_BROKER_TRANSPORT_OPTIONS, global_keyprefix=prefix
        )
        with app.connection_for_write(transport_options=options) as conn:
            drill.apply_async(
                args=[key, str(hold), 120], queue=queue, producer=conn.Producer()
            )
        (started,) = _wait_for(starts, "the first run to start")

        # The pool process dies (OOM killer): the worker puts the task back.
        os.kill(int(started.suffix.lstrip(".")), signal.SIGKILL)
        _wait_for(lambda: len(starts()) >= 2, "the run after the pool process died")

        # The whole worker dies (machine lost): another worker takes the task once
        # the visibility timeout has passed.
        workers.kill(first)
        assert not DoneMarker.objects.filter(key=key).exists()
        hold.touch()
        workers.start(
            "second",
            CELERY_VISIBILITY_TIMEOUT="2",
            CELERY_UNACKED_RESTORE_INTERVAL="1",
            CELERY_UNACKED_RESTORE_THROTTLE="1",
        )
        _wait_for(
            lambda: DoneMarker.objects.filter(key=key).exists(),
            "the second worker to complete the task",
        )
    finally:
        workers.kill_all()
        _forget_queue(prefix)
    assert DoneMarker.objects.filter(key=key).count() == 1
    assert len(starts()) >= 3  # run, re-run after the pool died, re-run elsewhere
    assert len({path.suffix for path in starts()}) == len(starts())  # other pids


def _forget_queue(prefix):
    """Remove the drill's broker keys (its queue, unacked index, bindings)."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
