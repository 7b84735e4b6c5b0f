"""Deadlines (one engine for PET-2/3/5, DOC-2, DOC-5, VEH-9, SVC-2/3, LV-9): a clock
on any record, its pause/resume log and the markers of what was sent."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bureau.params import validate_date_in_bounds
from deadlines import registry, rules


class DayType(models.TextChoices):
    CALENDAR = rules.CALENDAR, pgettext_lazy("day type", "Calendar days")
    WORKING = rules.WORKING, pgettext_lazy("day type", "Working days")


class Deadline(models.Model):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("deadline state", "Open")
        MET = "met", pgettext_lazy("deadline state", "Met")
        MISSED = "missed", pgettext_lazy("deadline state", "Missed")
        CANCELLED = "cancelled", pgettext_lazy("deadline state", "Cancelled")

    kind = models.CharField(_("kind"), max_length=60)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("record"), max_length=200)
    rule = models.CharField(_("rule"), max_length=20)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    start = models.DateField(_("start"), validators=[validate_date_in_bounds])
    # The policy version the period was taken from (None: the registered default)
    # and its values, copied so a reader sees what the clock was computed with.
    policy_id = models.PositiveBigIntegerField(_("policy version"), null=True)
    length = models.PositiveIntegerField(_("length (days)"))
    # A period the record sets itself (a supervised task's due date, DOC-5), in the
    # policy's day type; None: the policy's length. Day type, reminders and
    # escalation still come from the policy.
    fixed_length = models.PositiveIntegerField(
        _("length set by the record"), null=True, blank=True
    )
    day_type = models.CharField(_("day type"), max_length=10, choices=DayType.choices)
    remind_days = models.PositiveIntegerField(_("remind days before"))
    escalate_to = models.CharField(_("escalate to"), max_length=40, blank=True)
    # Caches of rules.due_date / rules.remind_on, always written by the engine's
    # recomputation; None while the clock is stopped.
    due_date = models.DateField(_("due date"), null=True, blank=True)
    remind_from = models.DateField(_("remind from"), null=True, blank=True)
    responsible = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        null=True,
        related_name="deadlines",
    )
    # Where the responsible person worked when it was opened: the leaders' dashboard
    # groups overdue items by section.
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                name="deadlines_one_per_kind_and_record",
            )
        ]
        indexes = [
            models.Index(fields=["state", "due_date"], name="deadline_state_due"),
            models.Index(fields=["state", "remind_from"], name="deadline_state_remind"),
            models.Index(
                fields=["responsible", "state", "due_date"], name="deadline_mine"
            ),
            models.Index(
                fields=["section", "state", "due_date"], name="deadline_section"
            ),
            # A record's running clocks, soonest first: the "next due" of a
            # chapter's list (petitions' open list orders by it) is one probe.
            models.Index(
                fields=["content_type", "object_id", "due_date"],
                condition=models.Q(state="open"),
                name="deadline_open_of_record",
            ),
        ]

    def __str__(self):
        return f"{self.kind_label}: {self.label}"

    def get_absolute_url(self):
        return registry.url_of(self.kind, self.object_id)

    @property
    def kind_label(self) -> str:
        return registry.label_of(self.kind)

    @property
    def url(self) -> str:
        return self.get_absolute_url()

    def light_on(self, today):
        if self.state != self.State.OPEN:
            return ""
        return rules.light(today=today, due=self.due_date, remind_from=self.remind_from)


class DeadlineEvent(models.Model):
    """The log the clock is rebuilt from: pauses and resumptions (append only)."""

    class Kind(models.TextChoices):
        PAUSE = rules.PAUSE, _("Paused")
        RESUME = rules.RESUME, _("Resumed")

    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("deadline"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("on"), validators=[validate_date_in_bounds])
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(
        "auth.User",
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class DeadlineNotice(models.Model):
    """A reminder or escalation sent: one per deadline, kind and due date, so two
    scans (or two workers) never send it twice; a due date that moves (a pause, a
    new policy) is a new due date and gets its own reminder."""

    class Kind(models.TextChoices):
        REMIND = "remind", _("Reminder")
        ESCALATE = "escalate", _("Escalation")

    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("deadline"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_date = models.DateField(_("due date"))
    recipient = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_on = models.DateField(_("sent on"))
    # The scan that wrote the row: after INSERT … ON CONFLICT DO NOTHING, the rows
    # with this scan's token are the ones it won and must send.
    run = models.CharField(max_length=32, db_index=True)

    class Meta:
        verbose_name = _("deadline notice")
        verbose_name_plural = _("deadline notices")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "due_date"],
                name="deadlines_one_notice_per_due_date",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date}"
