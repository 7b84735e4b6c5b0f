"""The outbox: nothing a request promised to send is lost when Redis or a worker is
down, and nothing is sent twice.

Every chapter queues its e-mail and background tasks through two functions:

- `mail_after_commit(key=…, subject=…, body=…, to=[…])` (or `mails_after_commit`);
- `enqueue_after_commit(task, *args, key=…, **kwargs)`.

Each writes an `OutboxMessage` row inside the caller's transaction, so the message
exists exactly when the data it is about exists, and asks for it to be sent when
the transaction commits. If the broker or the mail server is unavailable then, the
request still succeeds and the row stays *pending*; the sweep (`outbox_sweep`, a
beat task every minute and the management command of the same name) sends it later.

At most once, after marking: a row is claimed (*pending* → *sending*, committed)
before it is sent, and only a claimed row is sent, so two sweeps or a sweep and the
after-commit send never send the same row twice. The price: a process that dies
between the claim and the send leaves the row in *sending*; the sweep reports such
rows and `outbox_sweep --release-stuck MINUTES --commit` gives them back after a
look (a duplicate is then possible, and detectable: an e-mail carries the key in its
Message-ID and X-Bureau-Key headers, a task gets it as its task id and must be
idempotent anyway).

The key is the message's identity: queuing the same key again adds nothing.
Task arguments are JSON values (ids, strings, ISO dates).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bureau.celery import app
from bureau.models import OutboxMessage

logger = logging.getLogger(__name__)

State = OutboxMessage.State
Kind = OutboxMessage.Kind

DELIVER_TASK = "bureau.tasks.outbox_deliver"
MAX_ATTEMPTS = 12  # with the back-off below: about six hours of retries
STUCK_AFTER = datetime.timedelta(minutes=10)
# The broker or the mail server being away: keep the row and try again later.
UNAVAILABLE = (
    KombuOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
    OSError,
)


@dataclass(frozen=True)
class Mail:
    key: str
    subject: str
    body: str
    to: tuple[str, ...]
    from_email: str = ""


@dataclass
class SweepResult:
    due: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0
    stuck: int = 0


# --- queuing (inside the caller's transaction) ------------------------------------


def mails_after_commit(mails: Iterable[Mail]) -> list[str]:
    """Write the e-mails to the outbox now; deliver them after commit. Returns the
    keys written (a key already in the outbox is not written again)."""
    rows = [
        OutboxMessage(
            kind=Kind.EMAIL,
            key=mail.key,
            payload={
                "subject": mail.subject,
                "body": mail.body,
                "to": list(mail.to),
                "from_email": mail.from_email or settings.DEFAULT_FROM_EMAIL,
            },
        )
        for mail in mails
        if mail.to
    ]
    if not rows:
        return []
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.key for row in rows]
    transaction.on_commit(lambda: _publish_delivery(keys))
    return keys


def mail_after_commit(
    *, key: str, subject: str, body: str, to: Iterable[str], from_email: str = ""
) -> list[str]:
    return mails_after_commit(
        [Mail(key, subject, body, tuple(to), from_email=from_email)]
    )


def enqueue_after_commit(task, *args, key: str, **kwargs) -> str:
    """Queue `task(*args, **kwargs)` once the transaction commits; the task id is
    `key`. `task` is a Celery task or its registered name."""
    name = task if isinstance(task, str) else task.name
    row = OutboxMessage(
        kind=Kind.TASK,
        key=key,
        payload={"task": name, "args": list(args), "kwargs": kwargs},
    )
    OutboxMessage.objects.bulk_create([row], ignore_conflicts=True)
    transaction.on_commit(lambda: deliver([key]))
    return key


# --- sending ----------------------------------------------------------------------


def _publish_delivery(keys: list[str]) -> None:
    """After commit: hand the e-mails to a worker (SMTP is slow for a request).
    With the broker away the rows stay pending for the sweep."""
    try:
        _task(DELIVER_TASK).apply_async(args=[keys])
    except UNAVAILABLE as exc:
        logger.warning(
            "outbox: broker unavailable, %s e-mails wait: %r", len(keys), exc
        )
    except Exception:
        if _in_process():
            raise
        logger.exception("outbox: %s e-mails wait for the sweep", len(keys))


def deliver(keys: Iterable[str]) -> SweepResult:
    """Claim and send the pending rows with these keys (after commit, or in the
    worker for e-mail). A row someone else claimed is left to them."""
    result = SweepResult()
    keys = list(keys)
    if not keys:
        return result
    if connection.features.can_return_rows_from_bulk_insert:
        # Read and claimed in one statement (UPDATE … RETURNING): only the rows
        # this call moved from pending to sending come back.
        for row in _claim_returning(keys):
            _send(row, result)
        return result
    rows = list(OutboxMessage.objects.filter(key__in=keys, state=State.PENDING))
    for row in rows:
        if _claim(row):
            _send(row, result)
    return result


def _claim_returning(keys: list[str]) -> list[OutboxMessage]:
    """PostgreSQL, SQLite ≥ 3.35: the pending rows with these keys, claimed."""
    q = connection.ops.quote_name
    meta = OutboxMessage._meta
    column = {f.name: q(f.column) for f in meta.concrete_fields}
    sql = (
        f"UPDATE {q(meta.db_table)} SET {column['state']} = %s, "
        f"{column['attempts']} = {column['attempts']} + 1, "
        f"{column['claimed_at']} = %s "
        f"WHERE {column['key']} IN ({', '.join(['%s'] * len(keys))}) "
        f"AND {column['state']} = %s "
        f"RETURNING {', '.join(column.values())}"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [State.SENDING, now, *keys, State.PENDING]
    return list(OutboxMessage.objects.raw(sql, params))


def sweep(*, commit: bool, limit: int = 200, now=None) -> SweepResult:
    """Send the pending rows that are due (beat task and management command)."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(state=State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    result = SweepResult(
        stuck=OutboxMessage.objects.filter(
            state=State.SENDING, claimed_at__lt=now - STUCK_AFTER
        ).count()
    )
    if result.stuck:
        logger.warning(
            "outbox: %s messages stuck in 'sending' (see outbox_sweep --release-stuck)",
            result.stuck,
        )
    if not commit:
        result.due = due.count()
        return result
    with transaction.atomic():
        # Rows another sweep holds are skipped (PostgreSQL); on SQLite the
        # transaction itself is exclusive.
        rows = list(due.select_for_update(skip_locked=True).order_by("pk")[:limit])
        OutboxMessage.objects.filter(
            pk__in=[row.pk for row in rows], state=State.PENDING
        ).update(state=State.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    result.due = len(rows)
    for row in rows:
        row.attempts += 1
        row.state = State.SENDING
        _send(row, result)
    return result


def release_stuck(*, older_than: datetime.timedelta, commit: bool, now=None) -> int:
    """Rows left in 'sending' by a process that died: back to pending (a duplicate
    becomes possible; the key makes it detectable)."""
    now = now or timezone.now()
    stuck = OutboxMessage.objects.filter(
        state=State.SENDING, claimed_at__lt=now - older_than
    )
    if not commit:
        return stuck.count()
    return stuck.update(state=State.PENDING, next_attempt_at=None)


def retry_failed(*, commit: bool) -> int:
    failed = OutboxMessage.objects.filter(state=State.FAILED)
    if not commit:
        return failed.count()
    return failed.update(state=State.PENDING, attempts=0, next_attempt_at=None)


def _claim(row: OutboxMessage) -> bool:
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(pk=row.pk, state=State.PENDING).update(
        state=State.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    row.attempts += 1
    return bool(claimed)


def _send(row: OutboxMessage, result: SweepResult) -> None:
    """Send one claimed row and record the outcome."""
    try:
        if row.kind == Kind.EMAIL:
            _email(row).send()
        else:
            payload = row.payload
            _task(payload["task"]).apply_async(
                args=payload.get("args", []),
                kwargs=payload.get("kwargs", {}),
                task_id=row.key,
            )
    except UNAVAILABLE as exc:
        _failed(row, exc, result)
        logger.warning("outbox: %s %s not sent: %r", row.kind, row.key, exc)
    except Exception as exc:
        _failed(row, exc, result)
        logger.exception("outbox: %s %s failed", row.kind, row.key)
        if _in_process():
            raise
    else:
        OutboxMessage.objects.filter(pk=row.pk).update(
            state=State.SENT, sent_at=timezone.now(), last_error=""
        )
        result.sent += 1


def _failed(row: OutboxMessage, exc: Exception, result: SweepResult) -> None:
    if row.attempts >= MAX_ATTEMPTS:
        state, later = State.FAILED, None
        result.failed += 1
    else:
        minutes = min(2 ** max(row.attempts - 1, 0), 60)
        state, later = (
            State.PENDING,
            timezone.now() + datetime.timedelta(minutes=minutes),
        )
        result.retry += 1
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=state, next_attempt_at=later, last_error=repr(exc)[:2000]
    )


def _in_process() -> bool:
    """Tasks run in-process and propagate errors (embedded set-up, tests): a task's
    own error fails loudly, as it did before the outbox."""
    return bool(app.conf.task_always_eager and app.conf.task_eager_propagates)


def _task(name: str):
    if name not in app.tasks:
        app.loader.import_default_modules()  # a management command: find tasks.py
    return app.tasks[name]


_NOT_ATEXT = re.compile(r"[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]")


def message_id(key: str) -> str:
    """The e-mail's Message-ID, made from the outbox key: a second copy of the same
    message has the same id, so mail servers and readers can spot it."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "bureau.local"
    local = _NOT_ATEXT.sub("-", key).strip(".") or "outbox"
    return f"<outbox.{local}@{domain}>"


def _email(row: OutboxMessage) -> EmailMessage:
    payload = row.payload
    return EmailMessage(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=payload["to"],
        headers={"Message-ID": message_id(row.key), "X-Bureau-Key": row.key},
    )
