"""Leave requests (LV-1..11): asked in the browser, decided through the approval
engine, reported back (LV-9) and filed (LV-10)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import LONG_TEXT, validate_date_in_bounds, validate_year_in_bounds


class LeaveType(models.TextChoices):
    """LV-11: at least these; pay follows county documents outside the system."""

    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    MARRIAGE = "marriage", _("Marriage leave")
    MATERNITY = "maternity", _("Maternity leave")
    PATERNITY = "paternity", _("Paternity leave")
    BEREAVEMENT = "bereavement", _("Bereavement leave")
    HOME_VISIT = "home_visit", _("Home visit leave")


class Half(models.TextChoices):
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")


class FiledWith(models.TextChoices):
    """LV-10: where approved leave is filed."""

    COUNTY_ORGANISATION = "county_org", _("County organisation department")
    ATTENDANCE_SECTION = "attendance", _("Attendance section")


# PostgreSQL only, added by migration 0005 (not in Meta: SQLite cannot build it): no
# two pending or approved requests of one person share a half day.
NO_OVERLAP_CONSTRAINT = "leave_no_overlapping_requests"

# LV-9: the deadline engine's kind for reporting back (registered in apps.py).
RETURN_DEADLINE = "leave.return"


class LeaveRequest(ApprovalSubject, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    leave_type = models.CharField(
        _("leave type"), max_length=20, choices=LeaveType.choices
    )
    start_date = models.DateField(_("start date"), validators=[validate_date_in_bounds])
    start_half = models.CharField(
        _("from (half)"), max_length=2, choices=Half.choices, default=Half.AM
    )
    end_date = models.DateField(_("end date"), validators=[validate_date_in_bounds])
    end_half = models.CharField(
        _("until (half)"), max_length=2, choices=Half.choices, default=Half.PM
    )
    days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"), max_length=LONG_TEXT)
    handover_note = models.TextField(
        _("handover"),
        max_length=LONG_TEXT,
        help_text=_("DOC-6: matters in progress and who takes them over."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    chain_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    submitted_on = models.DateField(_("asked on"))
    is_retroactive = models.BooleanField(_("asked afterwards"), default=False)
    leader_consent = models.CharField(
        _("leader's consent"),
        max_length=200,
        blank=True,
        help_text=_("LV-8: who consented to leave asked afterwards, and when."),
    )
    # LV-9: reporting back.
    returned_at = models.DateTimeField(_("reported back at"), null=True, blank=True)
    actual_end_date = models.DateField(
        _("actual end"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    actual_end_half = models.CharField(
        _("actual end (half)"), max_length=2, choices=Half.choices, blank=True
    )
    actual_days = models.DecimalField(
        _("days taken"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # LV-10: filing.
    filed_with = models.CharField(
        _("filed with"), max_length=12, choices=FiledWith.choices, blank=True
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_reference = models.CharField(
        _("filing reference"), max_length=100, blank=True
    )
    filed_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-pk"]
        permissions = [("file_leaverequest", _("Can record the filing of leave"))]
        indexes = [
            models.Index(fields=["person", "status", "start_date"]),
            models.Index(fields=["status", "end_date"]),
        ]

    def __str__(self):
        return _("%(name)s: %(type)s %(start)s–%(end)s (%(days)s days)") % {
            "name": self.person.name,
            "type": self.get_leave_type_display(),
            "start": self.start_date,
            "end": self.end_date,
            "days": self.days,
        }

    def get_absolute_url(self):
        return reverse("leave:detail", args=[self.pk])

    @property
    def effective_end(self):
        """The last session of leave: shortened by an early return (LV-9)."""
        if self.actual_end_date:
            return self.actual_end_date, self.actual_end_half
        return self.end_date, self.end_half

    @property
    def approval(self):
        """The current approval request (uses the prefetched `approvals`)."""
        return self.current_approval


class AnnualLeaveEntitlement(models.Model):
    """LV-9, LV-11: a person's annual leave (年休假) for a year, set by the
    administrator; without a row the policy `leave.annual_days_default` applies."""

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="annual_leave_entitlements",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[validate_year_in_bounds]
    )
    days = models.DecimalField(
        _("annual leave days"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(366)],
        help_text=_(
            "The national rule by years of service: 5 days (1 to 10 years), "
            "10 days (10 to 20 years), 15 days (20 years and more)."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual leave entitlement")
        verbose_name_plural = _("annual leave entitlements")
        ordering = ["-year", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], name="leave_annual_entitlement_unique"
            )
        ]

    def __str__(self):
        return _("%(name)s: %(year)s, %(days)s days") % {
            "name": self.person.name,
            "year": self.year,
            "days": self.days,
        }
