from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Violation(models.Model):
    """One breach of a rule by one person, from any chapter (DIS, ATT-11)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    occurred_on = models.DateField(_("occurred on"))
    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPHELD
    )
    days = models.DecimalField(
        _("days"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Days of absence this violation stands for, where it matters."),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["person", "occurred_on"])]
        constraints = [
            # One violation per kind per source record: a task run twice adds nothing.
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="one_violation_per_source_and_kind",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.occurred_on} {self.kind}"
