"""Duty rosters (DUTY-1): the daily rotation of an office or unit, holiday and
major-event rosters with the leader on duty, swaps and the duty log.

A roster has a day per date it covers; a day has the people on duty (an
assignment each, in slot order) and, on holiday and event rosters, the leader on
duty (带班领导). Every model people act on keeps its history.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.params import LONG_TEXT, SHORT_TEXT, validate_date_in_bounds


class Roster(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily duty")
        HOLIDAY = "holiday", _("Holiday duty")
        EVENT = "event", _("Major-event duty")

    class Filing(models.TextChoices):
        # Arranged by the comprehensive section itself: nothing to file.
        NOT_REQUIRED = "not_required", _("Arranged by the comprehensive section")
        UNFILED = "unfiled", _("Not yet filed")
        FILED = "filed", _("Filed, waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by the comprehensive section")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=SHORT_TEXT)
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("office or unit"),
        on_delete=models.PROTECT,
        related_name="duty_rosters",
    )
    starts_on = models.DateField(_("first day"), validators=[validate_date_in_bounds])
    ends_on = models.DateField(_("last day"), validators=[validate_date_in_bounds])
    filing = models.CharField(
        _("filing with the comprehensive section"),
        max_length=20,
        choices=Filing.choices,
        default=Filing.UNFILED,
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("arranged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The version of duty.rotation the roster was generated and checked by.
    rotation_policy_id = models.PositiveBigIntegerField(
        _("policy version"), null=True, blank=True
    )
    # Warnings the arranger confirmed at the last save (DUTY-1 flags), as text.
    confirmed_warnings = models.TextField(_("confirmed warnings"), blank=True)
    # The roster's flags as they stand now (DUTY-1): set when it is saved and again
    # for the days concerned when leave or going out is approved afterwards; a
    # list of {"date", "code", "name", "reason"}, shown in words.
    flags = models.JSONField(_("flags now"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        ordering = ["-starts_on", "-pk"]
        permissions = [("acknowledge_roster", _("Can acknowledge a filed roster"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="duty_roster_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("duty:roster", args=[self.pk])

    @property
    def needs_leader(self) -> bool:
        return self.kind != self.Kind.DAILY


class DutyDay(models.Model):
    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), validators=[validate_date_in_bounds])
    leader = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("leader on duty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_days_led",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty day")
        verbose_name_plural = _("duty days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "date"], name="duty_one_day_per_date"
            )
        ]

    def __str__(self):
        return f"{self.roster} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("duty:log", args=[self.pk])


class Assignment(models.Model):
    """One person on duty on one day of a roster, and when they arrived."""

    class Arrival(models.TextChoices):
        IN_WINDOW = "in_window", _("Arrived in the window")
        EARLY = "early", _("Arrived earlier than the window")
        LATE = "late", _("Arrived late")

    day = models.ForeignKey(
        DutyDay,
        verbose_name=_("duty day"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person on duty"),
        on_delete=models.PROTECT,
        related_name="duty_assignments",
    )
    slot = models.PositiveSmallIntegerField(_("order"), default=1)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrival = models.CharField(
        _("arrival"), max_length=10, choices=Arrival.choices, blank=True
    )
    # The version of duty.arrival the arrival was judged by.
    arrival_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person on duty")
        verbose_name_plural = _("people on duty")
        ordering = ["day__date", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "person"], name="duty_once_per_day_per_person"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.day.date:%Y-%m-%d}"


class Swap(models.Model):
    """A change of duty: `taker` takes `given`'s day; with `returned`, the giver
    takes the taker's day in exchange. Proposed by the person giving (the taker
    agrees) or recorded at once by the arranger."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the colleague's agreement")
        DONE = "done", _("Swapped")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="swaps"
    )
    giver = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("gives their duty"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    given_date = models.DateField(_("day given"), validators=[validate_date_in_bounds])
    taker = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("takes it"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_date = models.DateField(
        _("day taken in exchange"),
        null=True,
        blank=True,
        validators=[validate_date_in_bounds],
    )
    reason = models.CharField(_("reason"), max_length=SHORT_TEXT, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty swap")
        verbose_name_plural = _("duty swaps")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self):
        return _("%(giver)s → %(taker)s, %(date)s") % {
            "giver": self.giver,
            "taker": self.taker,
            "date": self.given_date,
        }


class LogEntry(models.Model):
    """The duty log (值班记录): a call, a visit or an urgent matter on a duty day."""

    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")
        URGENT = "urgent", _("Urgent matter")
        OTHER = "other", _("Other")

    day = models.ForeignKey(
        DutyDay,
        verbose_name=_("duty day"),
        on_delete=models.CASCADE,
        related_name="log_entries",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("time"))
    caller = models.CharField(_("caller or visitor"), max_length=100, blank=True)
    content = models.TextField(_("what was said or happened"), max_length=LONG_TEXT)
    handling = models.TextField(
        _("how it was handled"), max_length=LONG_TEXT, blank=True
    )
    recorded_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # Urgent: the leader on duty told (once) and when.
    leader_notified = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("leader notified"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("leader notified at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log")
        ordering = ["day__date", "occurred_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.occurred_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("duty:log", args=[self.day_id])

    @property
    def is_urgent(self) -> bool:
        return self.kind == self.Kind.URGENT
