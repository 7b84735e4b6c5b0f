"""Meetings and their decisions (MTG-1): the kinds of meeting as data, items (議題)
proposed through the deputy in charge, meetings with their agenda, attendance and
minutes, and the decisions other chapters cite by a foreign key.

A decision is citeable once its meeting's minutes have their number:
`局务会纪要〔2026〕3号 · 决定 2` (`Decision.citation`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.models import Role
from bureau.params import LONG_TEXT, validate_date_in_bounds
from meetings import rules

# The kind whose decisions DIS-5 warnings, FIN-2 valuable equipment and FIN-6 fund use
# cite (seeded by the migration 0002_meeting_kinds).
BUREAU_AFFAIRS = "bureau_affairs"
DIRECTOR_OFFICE = "director_office"
TOPIC = "topic"


def validate_roles(value) -> None:
    if not isinstance(value, list) or any(r not in Role.values for r in value):
        raise ValidationError(
            _("List the roles by their codes: %(codes)s.")
            % {"codes": ", ".join(Role.values)}
        )


class MeetingKind(models.Model):
    """A kind of meeting of the bureau (MTG-1), as data: who chairs it, who takes
    part, whether it is held monthly and when the comprehensive section is reminded."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    minutes_name = models.CharField(
        _("name of the minutes"),
        max_length=40,
        help_text=_("Used in the minutes number, e.g. 局务会纪要."),
    )
    chair_rule = models.CharField(
        _("who chairs"), max_length=20, choices=rules.Chair.choices
    )
    participants = models.CharField(
        _("who takes part"), max_length=20, choices=rules.Participants.choices
    )
    members = models.ManyToManyField(
        "bureau.Person",
        verbose_name=_("members"),
        blank=True,
        related_name="meeting_kinds",
        help_text=_(
            "The meeting's members (局务会成员); none listed: the bureau leaders."
        ),
    )
    approval_body = models.CharField(
        _("meeting step of the approval engine"),
        max_length=40,
        blank=True,
        help_text=_(
            "Approval steps of this meeting (e.g. bureau_affairs_meeting) cite "
            "decisions of this kind."
        ),
    )
    readers = models.JSONField(
        _("roles that read every minutes"),
        default=list,
        blank=True,
        validators=[validate_roles],
        help_text=_(
            "Duties that cite these decisions (e.g. discipline_inspector for DIS-5, "
            "finance_officer for FIN-2 and FIN-6)."
        ),
    )
    monthly = models.BooleanField(_("held monthly"), default=False)
    reminder_day = models.PositiveSmallIntegerField(
        _("reminder day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "A monthly meeting: the comprehensive section is reminded when the month "
            "has none by this day."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kind of meeting")
        verbose_name_plural = _("kinds of meeting")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.monthly and not self.reminder_day:
            raise ValidationError(
                {"reminder_day": _("A monthly meeting needs its reminder day.")}
            )


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Part(models.TextChoices):
        AM = "am", _("Morning")
        PM = "pm", _("Afternoon")

    kind = models.ForeignKey(
        MeetingKind,
        verbose_name=_("kind of meeting"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    planned_on = models.DateField(
        _("planned for"), validators=[validate_date_in_bounds]
    )
    part = models.CharField(
        _("time of day"), max_length=2, choices=Part.choices, default=Part.AM
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    chair = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="meetings_chaired",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    held_on = models.DateField(
        _("held on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    notes = models.TextField(
        _("proceedings"),
        blank=True,
        max_length=LONG_TEXT,
        help_text=_("What was conveyed and discussed (传达、通报)."),
    )
    minutes_year = models.PositiveSmallIntegerField(
        _("minutes year"), null=True, blank=True
    )
    minutes_number = models.PositiveIntegerField(
        _("minutes number"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=200, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["kind", "planned_on"])]
        constraints = [
            # A minutes number is given once per kind and year.
            models.UniqueConstraint(
                fields=["kind", "minutes_year", "minutes_number"],
                condition=Q(minutes_number__isnull=False),
                name="one_minutes_number_per_kind_year",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def minutes_reference(self) -> str:
        """局务会纪要〔2026〕3号 — empty until the minutes are recorded."""
        if self.minutes_number is None:
            return ""
        return rules.minutes_reference(
            self.kind.minutes_name, self.minutes_year, self.minutes_number
        )


class Item(ApprovalSubject, models.Model):
    """An item (議題) a section or unit asks a meeting to take up, proposed through
    its deputy in charge (a one-step chain on the approval engine). Its materials
    are attachments (the attachments app, `register_owner("meetings.item")`)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("With the deputy in charge")
        ACCEPTED = "accepted", _("Accepted, waiting for a meeting")
        REFUSED = "refused", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SCHEDULED = "scheduled", _("On a meeting's agenda")
        DECIDED = "decided", _("Decided")

    approval_status_map = {
        "pending": Status.PROPOSED,
        "approved": Status.ACCEPTED,
        "refused": Status.REFUSED,
        "withdrawn": Status.WITHDRAWN,
    }

    kind = models.ForeignKey(
        MeetingKind,
        verbose_name=_("for the meeting"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is asked"), max_length=LONG_TEXT, blank=True)
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="meeting_items",
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda",
    )
    agenda_order = models.PositiveSmallIntegerField(
        _("place on the agenda"), null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(
        _("reason for withdrawing"), max_length=200, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting item")
        verbose_name_plural = _("meeting items")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["section", "status"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:item", args=[self.pk])

    @property
    def proposer_label(self) -> str:
        return str(self.section or self.unit)


class Attendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_attendance",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(
        _("reason"),
        max_length=100,
        blank=True,
        help_text=_("Why excused, e.g. the kind of leave approved."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance at a meeting")
        verbose_name_plural = _("attendance at meetings")
        ordering = ["meeting_id", "status", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="one_attendance_per_meeting_person"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.get_status_display()}"


class Decision(models.Model):
    """A meeting's decision on an item: what other chapters cite by a foreign key."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    item = models.OneToOneField(
        Item,
        verbose_name=pgettext_lazy("agenda", "item"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    number = models.PositiveSmallIntegerField(
        _("number in the minutes"), help_text=_("决定 1, 2, … of the minutes.")
    )
    text = models.TextField(_("decision"), max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["-meeting__held_on", "meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="one_decision_number_per_meeting"
            )
        ]

    def __str__(self):
        return self.citation

    def get_absolute_url(self):
        return reverse("meetings:decision", args=[self.pk])

    @property
    def citation(self) -> str:
        """局务会纪要〔2026〕3号 · 决定 2 (select_related("meeting__kind"))."""
        return rules.decision_citation(self.meeting.minutes_reference, self.number)

    @property
    def meeting_body(self) -> str:
        """The approval engine's meeting body this decision can decide a step of."""
        return self.meeting.kind.approval_body

    @property
    def held_on(self):
        return self.meeting.held_on


class MonthlyReminder(models.Model):
    """Done-marker of the monthly-meeting reminder: one per kind and month."""

    kind = models.ForeignKey(MeetingKind, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="the first day of the month")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly meeting reminder")
        verbose_name_plural = _("monthly meeting reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "month"], name="one_meeting_reminder_per_month"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.month:%Y-%m}"
