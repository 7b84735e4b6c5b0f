"""The register of numbers and the counter of each series in each year."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Counter(models.Model):
    """The last number given in a series in a year. Only numbering.services writes
    it, with the row locked, inside the caller's transaction: a transaction that
    rolls back takes its increment with it. No history: the register (Number) is
    the record, the counter only where the next number starts."""

    series = models.CharField(_("series"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("numbering counter")
        verbose_name_plural = _("numbering counters")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year"], name="numbering_counter_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"


class Number(models.Model):
    """A number given once: its series, year and n, the text as printed and the
    record it was given to. It never changes; a voided number stays here with its
    reason."""

    series = models.CharField(_("series"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    n = models.PositiveIntegerField(_("number in the year"))
    text = models.CharField(_("number"), max_length=100)
    # Few indexes: every number writes each of them twice (row and history). The
    # owner's lookups go through the one-live-number constraint's index (series,
    # content type, id); users are rarely deleted, so the user columns go unindexed.
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("record type"),
        on_delete=models.PROTECT,
        db_index=False,
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    owner = GenericForeignKey("content_type", "object_id")
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    voided = models.BooleanField(_("voided"), default=False)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    reason = models.TextField(_("reason for voiding"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("number")
        verbose_name_plural = _("register of numbers")
        ordering = ["series", "-year", "-n"]
        permissions = [("void_number", _("Can void a number"))]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "n"], name="numbering_number_unique_n"
            ),
            # One live number per record and series: asking again returns it. A
            # voided number leaves the record free to take a new one.
            models.UniqueConstraint(
                fields=["series", "content_type", "object_id"],
                condition=Q(voided=False),
                name="numbering_number_one_live_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(n__gte=1), name="numbering_number_from_one"
            ),
            models.CheckConstraint(
                condition=Q(voided=False) | ~Q(reason=""),
                name="numbering_number_voided_with_reason",
            ),
        ]

    def __str__(self):
        return self.text
