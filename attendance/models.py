"""Attendance records (ATT-1..13, STUDY-1).

One `SessionRecord` per person per work session (a database constraint, so two
simultaneous clicks leave one row); the sign-in sheet of a unit and session is a
`Sheet` whose `closed_at` / `settled_at` are the done-markers of ATT-6 and of the
end-of-session settlement. Nothing here is ever deleted: corrections keep history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import LONG_TEXT, validate_date_in_bounds


def _local(moment) -> str:
    """A stored (UTC) moment as the bureau reads it: Asia/Shanghai wall time."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# A going-out report and a study leave are decided through the approval engine in one
# step; list pages prefetch this to show who decides without a query per row.
APPROVAL_PREFETCH = (
    "approvals__steps__approver",
    "approvals__steps__acting_for",
    "approvals__steps__decided_by",
)


def _decision_step(subject):
    """The step of the subject's current approval (its chains have one)."""
    approval = subject.current_approval
    if approval is None:
        return None
    steps = sorted(approval.steps.all(), key=lambda s: s.order)
    return steps[-1] if steps else None


def _step_value(subject, name):
    step = _decision_step(subject)
    return getattr(step, name) if step is not None else None


class Part(models.TextChoices):
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")


class Arrival(models.TextChoices):
    NONE = "", _("Not signed in")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent (half day)")


class Departure(models.TextChoices):
    NONE = "", _("Not signed out")
    ON_TIME = "on_time", _("On time")
    EARLY = "early_leave", _("Early leave")
    ABSENT = "absent", _("Absent (half day)")


class SheetStatus(models.TextChoices):
    """The sign-in sheet's categories, fixed at start + 10 minutes (ATT-6)."""

    NONE = "", _("Sheet not closed")
    IN = "in", _("In")
    LATE = "late", _("Late")
    LEAVE = "leave", _("On leave")
    BUSINESS = "business", _("Out on business")
    MISSING = "missing", _("Missing")


class Outcome(models.TextChoices):
    OPEN = "open", _("Not settled")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    EARLY = "early_leave", _("Early leave")
    LATE_EARLY = "late_early", _("Late and early leave")
    ABSENT = "absent", _("Absent (half day)")
    EXCUSED = "excused", _("Excused")


OUTCOME_REASONS = {
    "excused": _("excused"),
    "no_sign_in": _("no sign-in by the end of the session"),
    "late_beyond_limit": _("arrived more than the late limit after the start"),
    "away_from_post": _("away from post without leave beyond the limit"),
    "no_sign_out": _("no sign-out"),
    "early_beyond_limit": _("left more than the early-leave limit before the end"),
    "late_and_early": _("late and early leave"),
    "late": _("late"),
    "early_leave": _("early leave"),
    "on_time": _("on time"),
}


class SessionRecord(models.Model):
    # No index of its own: the unique (person, date, part) serves every lookup by
    # person (and by person and dates); sign-in writes one index less (issue 17).
    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="attendance_records",
        db_index=False,
    )
    # Where the person worked on that day: the report's totals follow the record.
    # No index of their own either (issue 17): the sheet and the report read by
    # day and unit through (date, part, unit); a unit, section or user is never
    # looked up the other way except when deleting one, which PROTECT refuses.
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    date = models.DateField(_("date"))
    part = models.CharField(_("work session"), max_length=2, choices=Part.choices)
    starts_at = models.DateTimeField(_("session starts"))
    ends_at = models.DateTimeField(_("session ends"))
    signed_in_at = models.DateTimeField(
        _("signed in at"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    signed_out_at = models.DateTimeField(
        _("signed out at"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    arrival = models.CharField(
        _("arrival"), max_length=10, choices=Arrival.choices, blank=True, default=""
    )
    departure = models.CharField(
        _("departure"), max_length=12, choices=Departure.choices, blank=True, default=""
    )
    sheet_status = models.CharField(
        _("sheet"), max_length=10, choices=SheetStatus.choices, blank=True, default=""
    )
    excuse_kind = models.CharField(_("excuse"), max_length=20, blank=True)
    excuse_label = models.CharField(_("excuse label"), max_length=60, blank=True)
    excuse_source = models.CharField(_("excused by"), max_length=80, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN
    )
    outcome_reason = models.CharField(_("reason"), max_length=30, blank=True)
    late = models.BooleanField(_("late"), default=False)
    early = models.BooleanField(_("early leave"), default=False)
    absence_days = models.DecimalField(
        _("absence days"), max_digits=3, decimal_places=1, default=0
    )
    policy_versions = models.JSONField(
        _("policy versions"),
        default=dict,
        blank=True,
        help_text=_("The policy versions this record was judged by (key: id)."),
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    correction_reason = models.TextField(
        _("correction reason"), blank=True, max_length=LONG_TEXT
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["-date", "part", "person_id"]
        constraints = [
            # ATT-1: one record per person per session, whatever the clicks.
            models.UniqueConstraint(
                fields=["person", "date", "part"], name="one_record_per_session"
            )
        ]
        # (person, date) is the unique constraint's prefix: no index of its own.
        # The two partial indexes serve the monthly report's "late arrivals by
        # day" and "leave by kind" (issue 17: each was a scan of the whole month);
        # an on-time sign-in writes neither.
        indexes = [
            models.Index(fields=["date", "part", "unit"]),
            models.Index(
                fields=["date"], condition=Q(late=True), name="att_record_late_by_day"
            ),
            models.Index(
                fields=["date"],
                include=["person", "excuse_label"],
                condition=Q(outcome=Outcome.EXCUSED) & ~Q(excuse_kind="business"),
                name="att_record_leave_by_day",
            ),
        ]
        permissions = [("correct_sessionrecord", "Can correct attendance records")]

    def __str__(self):
        return f"{self.person} {self.date} {self.get_part_display()}"

    @property
    def reason_text(self):
        return OUTCOME_REASONS.get(self.outcome_reason, self.outcome_reason)


class Sheet(models.Model):
    """A unit's sign-in sheet for one session (ATT-6): the done-markers."""

    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"))
    part = models.CharField(_("work session"), max_length=2, choices=Part.choices)
    starts_at = models.DateTimeField(_("session starts"))
    ends_at = models.DateTimeField(_("session ends"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    counts = models.JSONField(_("counts at closing"), default=dict, blank=True)
    policy_versions = models.JSONField(_("policy versions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sign-in sheet")
        verbose_name_plural = _("sign-in sheets")
        ordering = ["-date", "part", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "date", "part"], name="one_sheet_per_unit_session"
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.date} {self.get_part_display()}"


class GoingOut(ApprovalSubject, models.Model):
    """ATT-7: going out during work hours, reported first to one's supervisor.

    The report is acknowledged (or refused) through the approval engine: a one-step
    chain (policy `attendance.going_out_chain`) to the supervisor by position, whose
    stand-in may decide (ORG-2); `status` mirrors the approval and then the return.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Reported, awaiting acknowledgement")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("going out", "Acknowledged")
        REFUSED = "refused", _("Refused")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="going_outs",
    )
    date = models.DateField(_("date"))
    leaves_at = models.DateTimeField(
        _("leaves at"), validators=[validate_date_in_bounds]
    )
    expected_return = models.DateTimeField(
        _("expected return"), validators=[validate_date_in_bounds]
    )
    destination = models.CharField(_("destination"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    history = HistoricalRecords()

    approval_status_map = {
        "pending": Status.REQUESTED,
        "approved": Status.ACKNOWLEDGED,
        "withdrawn": Status.CANCELLED,
    }

    class Meta:
        verbose_name = _("going-out report")
        verbose_name_plural = _("going-out reports")
        ordering = ["-leaves_at"]
        indexes = [models.Index(fields=["date", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_return__gt=models.F("leaves_at")),
                name="going_out_returns_after_leaving",
            )
        ]

    def __str__(self):
        return f"{self.person} → {self.destination} {_local(self.leaves_at)}"

    # Who it was reported to, read from the approval (prefetch APPROVAL_PREFETCH).
    decision_step = property(lambda self: _decision_step(self))
    approver = property(lambda self: _step_value(self, "approver"))
    approver_acting_for = property(lambda self: _step_value(self, "acting_for"))
    decided_at = property(lambda self: _step_value(self, "decided_at"))
    decision_note = property(lambda self: _step_value(self, "comment") or "")


class AwayFromPost(models.Model):
    """ATT-5/7: the clerk's record of an unreported absence from post."""

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="away_records",
    )
    date = models.DateField(_("date"))
    part = models.CharField(_("work session"), max_length=2, choices=Part.choices)
    left_at = models.DateTimeField(_("left at"), validators=[validate_date_in_bounds])
    returned_at = models.DateTimeField(
        _("returned at"), validators=[validate_date_in_bounds]
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence from post")
        verbose_name_plural = _("absences from post")
        ordering = ["-left_at"]
        indexes = [models.Index(fields=["person", "date"])]

    def __str__(self):
        return f"{self.person} {_local(self.left_at)} ({self.minutes}′)"


class StudySession(models.Model):
    """ATT-9, STUDY-1: a collective study or activity; counts as work time."""

    class Kind(models.TextChoices):
        STUDY = "study", _("Collective study")
        ACTIVITY = "activity", _("Collective activity")

    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.STUDY
    )
    title = models.CharField(_("subject"), max_length=100)
    starts_at = models.DateTimeField(
        _("starts at"), validators=[validate_date_in_bounds]
    )
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_date_in_bounds])
    location = models.CharField(_("location"), max_length=100, blank=True)
    units = models.ManyToManyField(
        "bureau.Unit",
        verbose_name=_("units taking part"),
        blank=True,
        related_name="+",
        help_text=_("Empty: the bureau organ only."),
    )
    notes = models.TextField(_("notes / minutes"), blank=True, max_length=LONG_TEXT)
    discussion = models.TextField(
        _("discussion record"), blank=True, max_length=LONG_TEXT
    )
    settled_at = models.DateTimeField(_("attendance settled at"), null=True, blank=True)
    policy_versions = models.JSONField(_("policy versions"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "starts_at"], name="one_study_session_per_start"
            )
        ]

    def __str__(self):
        return f"{self.title} {_local(self.starts_at)}"


class StudyAttendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        LEAVE = "leave", _("Leave approved")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        StudySession,
        verbose_name=_("study session"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="study_attendance",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    absence_days = models.DecimalField(
        _("absence days"), max_digits=3, decimal_places=1, default=0
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("study attendance")
        verbose_name_plural = _("study attendance")
        ordering = ["session", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_study_attendance_per_person"
            )
        ]

    def __str__(self):
        return f"{self.person} {self.session}: {self.get_status_display()}"


class StudyLeave(ApprovalSubject, models.Model):
    """ATT-9: leave from a study session, asked of the deputy in charge (general
    staff) or the director (middle level and above) through the approval engine
    (policy `attendance.study_leave_chains`); `status` mirrors the approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    session = models.ForeignKey(
        StudySession,
        verbose_name=_("study session"),
        on_delete=models.PROTECT,
        related_name="leaves",
    )
    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="study_leaves",
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("study leave")
        verbose_name_plural = _("study leaves")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_open_study_leave",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.session}"

    decision_step = property(lambda self: _decision_step(self))
    approver = property(lambda self: _step_value(self, "approver"))
    approver_acting_for = property(lambda self: _step_value(self, "acting_for"))
    decided_at = property(lambda self: _step_value(self, "decided_at"))


class MonthClose(models.Model):
    """ATT-6/13: the published monthly summary. Closed, its records are locked;
    reopening needs a recorded reason (history keeps every close and reopen)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    is_closed = models.BooleanField(_("closed"), default=True)
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly close")
        verbose_name_plural = _("monthly closes")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"], name="one_close_per_month"
            )
        ]
        permissions = [("close_month", "Can close and reopen an attendance month")]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class LongAbsenceFlag(models.Model):
    """ATT-12: absence beyond the limits; dismissal is proposed (a violation)."""

    class Kind(models.TextChoices):
        CONSECUTIVE = "consecutive", _("Consecutive absence")
        YEAR = "year", _("Absence in the year")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    policy_version = models.PositiveBigIntegerField(
        _("policy version"), null=True, blank=True
    )
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("long absence")
        verbose_name_plural = _("long absences")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "year", "starts_on"],
                name="one_long_absence_flag",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.get_kind_display()} {self.days}"


class PlanGeneration(models.Model):
    """One row: a counter bumped in the same transaction as every change of a
    calendar day, seasonal schedule or policy, so that every process sees at once
    that its cached day plans are stale, even without a shared cache (plan.py)."""

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("day plan generation")
        verbose_name_plural = _("day plan generations")

    def __str__(self):
        return str(self.value)


class ReportExport(models.Model):
    """The month's report prepared as an xlsx by a worker (issue 17, province scale).

    Built with the scope of who asked, at the time it runs, and only they may follow
    its progress and download it. The file lives under MEDIA_ROOT and is served by
    the download view only (never from MEDIA_URL). The worker's done-marker is the
    status: a second delivery of the task finds it done and does nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        READING = "reading", _("Reading the month")
        WRITING = "writing", _("Writing the sheet")
        DONE = "done", _("Ready to download")
        FAILED = "failed", pgettext_lazy("export", "Failed")

    RUNNING = {Status.QUEUED, Status.READING, Status.WRITING}

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(
        pgettext_lazy("count", "people"), default=0
    )
    rows_done = models.PositiveIntegerField(_("people written"), default=0)
    file = models.FileField(
        _("file"), upload_to="attendance/exports/%Y/%m/", blank=True, editable=False
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly report export")
        verbose_name_plural = _("monthly report exports")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.year}-{self.month:02d} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        # Reading the month is the first tenth, writing the rest.
        return min(99, 10 + 90 * self.rows_done // self.rows_total)


# Moved to the ground floor (leave scopes clerks too); re-exported for old imports.
from bureau.models import ClerkAssignment  # noqa: E402, F401
