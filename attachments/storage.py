"""Where attachment files live, and how a file whose row never committed goes away.

Files are written to the default storage (FileSystemStorage under MEDIA_ROOT) at
`attachments/<2 hex>/<32 hex>`: a random name, never the uploaded one. The file is
written inside the caller's transaction, before the row; three things make sure no
file outlives a row that was never committed:

1. `attachment_add` deletes the file at once when anything fails within it;
2. every file written is remembered on the database connection until its
   transaction commits (`transaction.on_commit` forgets it). When the transaction
   has ended (the end of each request and Celery task, or `discard_uncommitted()`),
   a file still remembered belongs to a rolled-back transaction or savepoint, and
   is deleted;
3. a crash in between leaves a file without a row: `sweep_orphans` (the
   `attachments_sweep` command and a daily beat task) deletes files under
   `attachments/` that no row names and that are older than a grace period.
"""

from __future__ import annotations

import datetime
import logging
import secrets

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from attachments.models import Attachment

logger = logging.getLogger(__name__)

PREFIX = "attachments"
_PENDING = "_attachments_uncommitted"


def storage():
    return default_storage


def new_storage_name() -> str:
    token = secrets.token_hex(16)
    return f"{PREFIX}/{token[:2]}/{token}"


def _pending(using=DEFAULT_DB_ALIAS) -> set[str]:
    connection = connections[using]
    pending = getattr(connection, _PENDING, None)
    if pending is None:
        pending = set()
        setattr(connection, _PENDING, pending)
    return pending


def remember_uncommitted(name: str, using=DEFAULT_DB_ALIAS) -> None:
    """Remember a file written in the current transaction until it commits."""
    pending = _pending(using)
    pending.add(name)
    transaction.on_commit(lambda: pending.discard(name), using=using)


def delete_quietly(name: str) -> None:
    try:
        storage().delete(name)
    except OSError:  # pragma: no cover - logged, the sweep tries again
        logger.warning("attachment file %s could not be deleted", name)


def discard_uncommitted(*args, **kwargs) -> int:
    """Delete the files of transactions that ended without committing them. Does
    nothing while a transaction is still open (its outcome is not known yet).
    Connected to request_finished and task_postrun. Returns how many."""
    removed = 0
    for connection in connections.all(initialized_only=True):
        pending = getattr(connection, _PENDING, None)
        if not pending or connection.in_atomic_block:
            continue
        for name in list(pending):
            delete_quietly(name)
            pending.discard(name)
            removed += 1
    return removed


def _walk(directory: str):
    dirs, files = storage().listdir(directory)
    for name in files:
        yield f"{directory}/{name}"
    for sub in dirs:
        yield from _walk(f"{directory}/{sub}")


def sweep_orphans(*, older_than: datetime.timedelta, commit: bool) -> list[str]:
    """Files under attachments/ that no row names and older than `older_than`:
    deleted when `commit`, else only listed (a dry run)."""
    store = storage()
    if not store.exists(PREFIX):
        return []
    cutoff = timezone.now() - older_than
    found = []
    for name in _walk(PREFIX):
        if store.get_modified_time(name) > cutoff:
            continue
        if Attachment.objects.filter(stored_as=name).exists():
            continue
        found.append(name)
        if commit:
            delete_quietly(name)
    return found
