"""A file attached to any record (a generic relation), stored under a random name.

The original file name is kept for display only (`name`, cleaned); the file lives at
`stored_as` in the default storage (under MEDIA_ROOT), a name made of a random id
that says nothing about the file or its record. Nothing serves MEDIA_URL: the file
is read only through attachments.views.download, which asks the owning chapter's
selector first. Removing is soft: the row stays (with its history) and the file is
kept for audit.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AttachmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)

    def of(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )


class Attachment(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    owner = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("purpose"), max_length=40, blank=True)
    name = models.CharField(_("file name"), max_length=200)
    stored_as = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(_("file type"), max_length=10)
    mime_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.CharField(
        _("reason for removal"), max_length=200, blank=True
    )
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("attachments:download", args=[self.pk])

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
