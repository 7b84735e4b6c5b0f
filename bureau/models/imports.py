"""A large roster file, validated and imported by a Celery task (ORG-1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """An uploaded file too large to check within one request.

    The task checks every row in memory and records the row errors; once the check
    is clean, an importer confirms and the same task machinery imports the file in
    one transaction (a file with any bad row imports nothing).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued for checking")
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Rows to correct")
        VALID = "valid", _("Checked, ready to import")
        CONFIRMED = "confirmed", _("Queued for import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Import failed")

    RUNNING = {Status.QUEUED, Status.CHECKING, Status.CONFIRMED, Status.IMPORTING}

    kind = models.CharField(_("kind"), max_length=40, default="roster")
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=10)
    data = models.BinaryField(_("file"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
