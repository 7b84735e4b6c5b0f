"""Large roster files (ORG-1): checked and imported by Celery tasks, with progress.

A file above `settings.ROSTER_IMPORT_TASK_ROWS` rows is not dry-run in the request
(50,000 rows took 12.5 minutes there, in one open transaction). The admin stores it
as an ImportJob and the task checks it in memory (`check_roster`, no transaction, a
few queries for the whole file), recording progress and the row errors. Once the
check is clean an importer confirms, and a second task imports the file with the
same resource as the admin, in one transaction: any bad row and nothing is saved.
"""

from __future__ import annotations

import tablib
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import outbox
from bureau.exports import SafeCSV, SafeXLSX
from bureau.models import ImportJob
from bureau.resources import PersonResource, check_roster
from bureau.roster_rules import RosterColumnsError, header_label

FORMATS = {"csv": SafeCSV, "xlsx": SafeXLSX}
# The job page lists this many rows with errors; the count is always complete.
STORED_ERRORS = 1000


class ImportJobError(Exception):
    """A move the job's state does not allow; the message is for the user."""


def read_dataset(data: bytes, file_format: str) -> tablib.Dataset:
    format_class = FORMATS[file_format]
    fmt = format_class(encoding="utf-8-sig") if file_format == "csv" else format_class()
    if not fmt.is_binary():
        data = data.decode("utf-8-sig")
    return fmt.create_dataset(data)


def format_key(format_class) -> str:
    return "xlsx" if issubclass(format_class, SafeXLSX) else "csv"


def _progress_key(job_id: int) -> str:
    return f"bureau:import-job:{job_id}:progress"


def import_job_progress(job: ImportJob) -> int:
    """Rows done: the import runs in one transaction, so its progress is in the
    cache (a row update would not be seen before the commit)."""
    if job.status == ImportJob.Status.IMPORTING:
        return cache.get(_progress_key(job.pk), 0)
    return job.processed_rows


def import_job_create(
    *, by, file_name: str, file_format: str, data: bytes, total_rows: int
) -> ImportJob:
    """Store an uploaded roster file and have it checked by a task."""
    if file_format not in FORMATS:
        raise ImportJobError(_("Unknown file format."))
    with transaction.atomic():
        job = ImportJob.objects.create(
            file_name=file_name[:255],
            file_format=file_format,
            data=data,
            total_rows=total_rows,
            created_by=by,
        )
        outbox.enqueue_after_commit(
            "bureau.tasks.roster_import_check", job.pk, key=f"roster-check:{job.pk}"
        )
    return job


def import_job_check(*, job_id: int) -> ImportJob | None:
    """Check every row of the job's file; record the errors. Safe to run twice."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.CHECKING]
    ).update(status=ImportJob.Status.CHECKING, processed_rows=0)
    if not claimed:
        return None
    job = ImportJob.objects.get(pk=job_id)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done)

    try:
        dataset = read_dataset(bytes(job.data), job.file_format)
    except Exception:  # any parser's error: the file is not what it says
        return _finish_check(job, message=_("The file could not be read."))
    try:
        result = check_roster(dataset, progress=progress)
    except RosterColumnsError as exc:
        return _finish_check(job, message=str(exc))
    job.total_rows = result.total
    job.processed_rows = result.total
    job.totals = result.totals
    job.errors = result.errors[:STORED_ERRORS]
    job.error_count = len(result.errors)
    job.status = ImportJob.Status.VALID if result.ok else ImportJob.Status.INVALID
    job.save(
        update_fields=[
            "total_rows",
            "processed_rows",
            "totals",
            "errors",
            "error_count",
            "status",
        ]
    )
    return job


def _finish_check(job: ImportJob, *, message: str) -> ImportJob:
    job.status = ImportJob.Status.INVALID
    job.message = message
    job.save(update_fields=["status", "message"])
    return job


def import_job_confirm(*, job: ImportJob, by) -> ImportJob:
    """An importer confirms a clean file: the import is queued."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.VALID:
            raise ImportJobError(
                _("Only a file whose check found no errors can be imported.")
            )
        job.status = ImportJob.Status.CONFIRMED
        job.confirmed_by = by
        job.save(update_fields=["status", "confirmed_by"])
        outbox.enqueue_after_commit(
            "bureau.tasks.roster_import_run", job.pk, key=f"roster-run:{job.pk}"
        )
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Import a confirmed file in one transaction. Runs once: a second delivery
    finds the job no longer confirmed and does nothing."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.CONFIRMED
    ).update(status=ImportJob.Status.IMPORTING)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("confirmed_by").get(pk=job_id)
    key = _progress_key(job_id)
    cache.set(key, 0, 24 * 3600)
    resource = PersonResource(checked=True)
    resource.progress = lambda done: cache.set(key, done, 24 * 3600)
    try:
        dataset = read_dataset(bytes(job.data), job.file_format)
        result = resource.import_data(
            dataset, dry_run=False, raise_errors=False, user=job.confirmed_by
        )
    except Exception:
        job.status = ImportJob.Status.FAILED
        job.message = _("The file could not be read.")
    else:
        errors = result_errors(result)
        job.errors = errors[:STORED_ERRORS]
        job.error_count = len(errors)
        job.totals = {
            "new": result.totals.get("new", 0),
            "update": result.totals.get("update", 0),
            "skip": result.totals.get("skip", 0),
        }
        job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
        if errors:
            job.message = _("Nothing was imported: correct the rows and upload again.")
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save()
    cache.delete(key)
    return job


def result_errors(result) -> list[dict]:
    """Row errors of an import-export Result as plain messages (no tracebacks)."""
    by_row: dict[int, list[str]] = {}
    for error in result.base_errors:
        by_row.setdefault(0, []).append(str(error.error))
    for number, errors in result.row_errors():
        by_row.setdefault(number, []).extend(str(e.error) for e in errors)
    for invalid in result.invalid_rows:
        messages = by_row.setdefault(invalid.number, [])
        for name, errors in invalid.field_specific_errors.items():
            messages.extend(f"{header_label(name)}: {e}" for e in errors)
        messages.extend(str(e) for e in invalid.non_field_specific_errors)
    return [{"row": n, "messages": by_row[n]} for n in sorted(by_row)]
