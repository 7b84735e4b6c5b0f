"""Policies: every rule parameter, as data with an effective date.

Each key has a registered definition (see `bureau.policies`) with its default from
RULES.md; a record here is a version of it in force from `effective_from` on.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.policies import registry


class Policy(models.Model):
    key = models.CharField(_("key"), max_length=80, db_index=True)
    effective_from = models.DateField(_("effective from"))
    value = models.JSONField(_("value"))
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Why this version: the decision or document that set it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="one_policy_version_per_day"
            )
        ]

    def __str__(self):
        return f"{self.key} @ {self.effective_from}"

    def clean(self):
        registry.validate(self.key, self.value)
