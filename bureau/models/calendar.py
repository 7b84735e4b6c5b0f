"""The working calendar (CAL-1) and the daily schedules (CAL-2)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.params import validate_date_in_bounds, validate_year_in_bounds


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday pattern, or an override of one.

    Days not stored follow the pattern: Monday to Friday work, weekends rest.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        MAKEUP_WORKDAY = "makeup", _("Make-up working day (調休)")
        BUREAU_REST = "bureau_rest", _("Bureau rest day")
        BUREAU_WORKDAY = "bureau_work", _("Bureau working day")

    class Source(models.TextChoices):
        PACKAGE = "package", _("Calendar package")
        STATE_COUNCIL = "state_council", _("State Council arrangement")
        OVERRIDE = "override", _("Bureau override")

    date = models.DateField(
        _("date"), unique=True, validators=[validate_date_in_bounds]
    )
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.OVERRIDE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class HolidayArrangement(models.Model):
    """A year's holiday arrangement as published by the State Council (CAL-1).

    A year has an arrangement once this record exists; its days are CalendarDay rows.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[validate_year_in_bounds]
    )
    document = models.CharField(
        _("document"),
        max_length=200,
        blank=True,
        help_text=_("The State Council notice it comes from."),
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=CalendarDay.Source.choices,
        default=CalendarDay.Source.STATE_COUNCIL,
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday arrangement")
        verbose_name_plural = _("holiday arrangements")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class SeasonalSchedule(models.Model):
    """Work sessions from a month and day on, until the next season starts (CAL-2).

    A schedule with no unit is the default for every unit; a unit's own schedules
    replace the default for that unit.
    """

    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        help_text=_("Empty: the default of every unit."),
    )
    name = models.CharField(_("name"), max_length=40)
    starts_month = models.PositiveSmallIntegerField(_("starts in month"))
    starts_day = models.PositiveSmallIntegerField(_("starts on day"))
    morning_start = models.TimeField(_("morning start"))
    morning_end = models.TimeField(_("morning end"))
    afternoon_start = models.TimeField(_("afternoon start"))
    afternoon_end = models.TimeField(_("afternoon end"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seasonal schedule")
        verbose_name_plural = _("seasonal schedules")
        ordering = ["unit_id", "starts_month", "starts_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "starts_month", "starts_day"],
                name="one_schedule_per_start",
            ),
            models.UniqueConstraint(
                fields=["starts_month", "starts_day"],
                condition=Q(unit__isnull=True),
                name="one_default_schedule_per_start",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.starts_month:02d}-{self.starts_day:02d})"

    def clean(self):
        try:
            datetime.date(2024, self.starts_month or 0, self.starts_day or 0)
        except ValueError as exc:
            raise ValidationError(_("The start is not a day of the year.")) from exc
        if not (
            self.morning_start
            < self.morning_end
            <= self.afternoon_start
            < self.afternoon_end
        ):
            raise ValidationError(
                _("The sessions must be in order: morning, then afternoon.")
            )
