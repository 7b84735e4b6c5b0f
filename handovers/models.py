"""Handovers before leave or a trip (DOC-6): the matters in progress of a person
handed over to a named colleague, who acknowledges them.

An engine beside approvals and deadlines, not a chapter: leave starts a handover
with its request, documents' pages start one for a trip, and the chapters that hold
matters (documents, petitions) list them through `handovers.registry` — none of
them imports another chapter.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bureau.params import LONG_TEXT, validate_date_in_bounds


class Handover(models.Model):
    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave")
        TRIP = "trip", _("Business trip")
        OTHER = "other", _("Other absence")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for acknowledgement")
        # A context of its own: approvals' "Acknowledged" (a leave filed, 已备案)
        # would otherwise translate it, Django merging every app's catalogue.
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("handover", "Acknowledged")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    colleague = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("taken over by"),
        on_delete=models.PROTECT,
        related_name="handovers_taken",
    )
    kind = models.CharField(_("reason"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("from"), validators=[validate_date_in_bounds])
    end_date = models.DateField(_("until"), validators=[validate_date_in_bounds])
    note = models.TextField(_("handover note"), max_length=LONG_TEXT, blank=True)
    # The record the handover belongs to (a leave request), when there is one.
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("belongs to (type)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(
        _("belongs to (number)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # What was handed over, as the providers listed it when the colleague
    # acknowledged it (kind, label, url, state, due): the record keeps it.
    matters = models.JSONField(_("matters handed over"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["colleague", "status"], name="handover_colleague"),
            models.Index(fields=["person", "status"], name="handover_person"),
            models.Index(
                fields=["subject_type", "subject_id"], name="handover_subject"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=F("colleague")), name="handover_two_people"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="handover_end_after_start",
            ),
            # One live handover per leave request.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(subject_id__isnull=False) & ~Q(status="cancelled"),
                name="handover_one_per_subject",
            ),
        ]

    def __str__(self):
        return f"{self.person} → {self.colleague} ({self.start_date}–{self.end_date})"

    def get_absolute_url(self):
        return reverse("handovers:detail", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING
