"""A trip by one of the bureau's cars: asked for by a person, agreed by their
supervisor, dispatched by the dispatcher who assigns the car (the approval engine),
or found afterwards as a trip made without a dispatch (a discipline violation)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import SHORT_TEXT, validate_date_in_bounds


class Trip(ApprovalSubject, models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for dispatch")
        DISPATCHED = "dispatched", _("Dispatched")
        REFUSED = "refused", _("Not dispatched")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNDISPATCHED = "undispatched", _("Made without a dispatch")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="toy_trips",
    )
    date = models.DateField(_("date"), validators=[validate_date_in_bounds])
    destination = models.CharField(_("destination"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=SHORT_TEXT)
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=6, decimal_places=1
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    car = models.CharField(_("car"), max_length=20, blank=True)
    # The rule and the version of the chain policy the trip was routed by.
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    chain_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    # The engine's statuses in this chapter's words (ApprovalSubject mirrors them).
    approval_status_map = {
        "pending": Status.REQUESTED,
        "approved": Status.DISPATCHED,
        "refused": Status.REFUSED,
        "withdrawn": Status.WITHDRAWN,
    }

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["person", "date"])]
        constraints = [
            # A car goes out once a day (the last line under a race; the step hook
            # checks first and says so in words).
            models.UniqueConstraint(
                fields=["date", "car"],
                condition=Q(status__in=["requested", "dispatched"]) & ~Q(car=""),
                name="toy_one_trip_per_car_a_day",
            )
        ]

    def __str__(self):
        return f"{self.person} → {self.destination} {self.date:%Y-%m-%d}"
