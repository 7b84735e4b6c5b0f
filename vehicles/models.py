"""The fleet (VEH-1, VEH-6), car requests and their dispatch (VEH-1..4), the trip
sheet and the odometer's one timeline (VEH-5, VEH-6), misuse found afterwards
(VEH-5), fuel purchases (VEH-10), faults and repairs (VEH-7..9)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import SHORT_TEXT, validate_date_in_bounds


class Shop(models.Model):
    """A designated repair shop or fuel station (VEH-8: repairs only at a designated
    shop; VEH-10: fuel bought at the designated station)."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("Repair shop")
        FUEL = "fuel", _("Fuel station")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=SHORT_TEXT, blank=True)
    active = models.BooleanField(_("designated"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("designated shop or station")
        verbose_name_plural = _("designated shops and stations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="vehicles_shop_name")
        ]

    def __str__(self):
        return self.name


class Driver(models.Model):
    """A driver of the bureau or a unit, with the licence's expiry (warned
    beforehand by policy)."""

    person = models.OneToOneField(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="vehicle_driver",
    )
    licence_no = models.CharField(_("licence number"), max_length=30)
    licence_expires = models.DateField(
        _("licence expires on"), validators=[validate_date_in_bounds]
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        ordering = ["person__name"]

    def __str__(self):
        return self.person.name


class Vehicle(models.Model):
    """A vehicle of the bureau organ or of a unit; all are dispatched by the
    comprehensive section (VEH-1), each has its assigned driver (VEH-6)."""

    class FuelType(models.TextChoices):
        PETROL = "petrol", _("Petrol")
        DIESEL = "diesel", _("Diesel")

    plate = models.CharField(_("plate"), max_length=20, unique=True)
    model_name = models.CharField(_("model"), max_length=60)
    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1)]
    )
    fuel_type = models.CharField(
        _("fuel"), max_length=10, choices=FuelType.choices, default=FuelType.PETROL
    )
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="vehicles",
    )
    driver = models.ForeignKey(
        Driver,
        verbose_name=_("assigned driver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_vehicles",
        help_text=_("VEH-6: each vehicle has its assigned driver."),
    )
    repair_shop = models.ForeignKey(
        Shop,
        verbose_name=_("designated repair shop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Shop.Kind.REPAIR},
    )
    fuel_station = models.ForeignKey(
        Shop,
        verbose_name=_("designated fuel station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Shop.Kind.FUEL},
    )
    baseline_l_per_100km = models.DecimalField(
        _("baseline consumption (L/100 km)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("VEH-10: the vehicle's own baseline fuel use."),
    )
    odometer_km = models.PositiveIntegerField(
        _("odometer (km)"),
        default=0,
        help_text=_("The highest reading on the vehicle's timeline."),
    )
    active = models.BooleanField(_("in service"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate"]

    def __str__(self):
        return self.plate


class Trip(ApprovalSubject, models.Model):
    """A car asked for by a person, dispatched by the comprehensive section (only
    a dispatched trip holds its vehicle and driver for its time range), then driven
    and closed on the trip sheet by the driver."""

    class Purpose(models.TextChoices):
        COUNTRYSIDE = "countryside", _("Countryside work (team or equipment)")
        URGENT = "urgent", _("Urgent task")
        CONFIDENTIAL = "confidential", _("Carrying confidential documents")
        LIAISON = "liaison", _("Outside liaison")
        CASH = "cash", _("Collecting a large sum of cash")
        LENDING = "lending", _("Lending to another organisation")
        ORDINARY_COUNTRYSIDE = "ordinary_countryside", _("Ordinary countryside work")

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for a leader's approval")
        REQUESTED = "requested", _("Waiting for dispatch")
        DISPATCHED = "dispatched", _("Dispatched")
        OUT = "out", _("On the road")
        DONE = "done", pgettext_lazy("trip", "Returned")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    # A dispatched trip holds its slot until it is cancelled; a finished one keeps
    # the time it really used (VEH-1, the exclusion constraints).
    HOLDS_SLOT = (Status.DISPATCHED, Status.OUT, Status.DONE)

    requester = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="vehicle_trips",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    destination = models.CharField(_("destination"), max_length=100)
    passengers = models.PositiveSmallIntegerField(
        _("passengers"), validators=[MinValueValidator(1)]
    )
    passenger_names = models.CharField(
        _("who travels"), max_length=SHORT_TEXT, blank=True
    )
    borrower = models.CharField(
        _("borrowing organisation"),
        max_length=100,
        blank=True,
        help_text=_("VEH-4: only for lending to another organisation."),
    )
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trips",
    )
    driver = models.ForeignKey(
        Driver,
        verbose_name=_("driver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trips",
    )
    # The end of the slot held: the end asked for, or an earlier return.
    slot_ends_at = models.DateTimeField(_("slot held until"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    odometer_out = models.PositiveIntegerField(
        _("odometer at departure"), null=True, blank=True
    )
    odometer_in = models.PositiveIntegerField(
        _("odometer on return"), null=True, blank=True
    )
    check_before = models.CharField(
        _("check before the trip"), max_length=SHORT_TEXT, blank=True
    )
    maintenance_after = models.CharField(
        _("maintenance after the trip"), max_length=SHORT_TEXT, blank=True
    )
    other_cost = models.DecimalField(
        _("tolls and parking (yuan)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
    )
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=SHORT_TEXT, blank=True
    )
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    approval_status_map = {
        "pending": Status.AWAITING_APPROVAL,
        "approved": Status.REQUESTED,
        "refused": Status.REFUSED,
        "withdrawn": Status.WITHDRAWN,
    }

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["vehicle", "starts_at"]),
            models.Index(fields=["driver", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["requester", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="vehicles_trip_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["dispatched", "out", "done"])
                | (
                    Q(vehicle__isnull=False)
                    & Q(driver__isnull=False)
                    & Q(slot_ends_at__isnull=False)
                ),
                name="vehicles_dispatched_trip_has_car_and_driver",
            ),
        ]

    def __str__(self):
        return f"{self.requester} → {self.destination} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def distance_km(self) -> int | None:
        if self.odometer_in is None or self.odometer_out is None:
            return None
        return self.odometer_in - self.odometer_out


class Bump(models.Model):
    """VEH-2: a dispatched trip of lower priority gave its vehicle and driver to a
    trip of higher priority — a recorded transition, never a silent overwrite. The
    bumped trip waits for dispatch again; its requester is told and offered another
    vehicle when one is free."""

    trip = models.ForeignKey(
        Trip,
        verbose_name=_("bumped trip"),
        on_delete=models.PROTECT,
        related_name="bumps",
    )
    for_trip = models.ForeignKey(
        Trip,
        verbose_name=_("in favour of"),
        on_delete=models.PROTECT,
        related_name="bumped_others",
    )
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="+"
    )
    driver = models.ForeignKey(
        Driver, verbose_name=_("driver"), on_delete=models.PROTECT, related_name="+"
    )
    offered_vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle offered instead"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=SHORT_TEXT)
    bumped_at = models.DateTimeField(_("at"))
    bumped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bumped trip")
        verbose_name_plural = _("bumped trips")
        ordering = ["-bumped_at"]

    def __str__(self):
        return f"{self.trip} ⇐ {self.for_trip}"


class OdometerReading(models.Model):
    """One point of a vehicle's odometer timeline, fed by trips, fuel purchases and
    repairs: a reading is never lower than one before it nor higher than one after
    it (VEH-5, VEH-10)."""

    class Source(models.TextChoices):
        INITIAL = "initial", _("Entered with the vehicle")
        DEPARTURE = "departure", _("Trip departure")
        RETURN = "return", _("Trip return")
        FUEL = "fuel", _("Fuel purchase")
        REPAIR = "repair", _("Repair")
        MISUSE = "misuse", _("Use without a dispatch")

    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        related_name="readings",
    )
    at = models.DateTimeField(_("at"))
    km = models.PositiveIntegerField(_("odometer (km)"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("odometer reading")
        verbose_name_plural = _("odometer readings")
        ordering = ["vehicle", "at", "km"]
        indexes = [models.Index(fields=["vehicle", "at"])]

    def __str__(self):
        return f"{self.vehicle} {self.at:%Y-%m-%d %H:%M} {self.km} km"


class Misuse(models.Model):
    """VEH-5: a trip with no dispatch, a private trip or a loan nobody approved,
    found afterwards and recorded by the dispatcher against the driver, with its
    evidence; the driver's violation (discipline) has this record as its source."""

    class Kind(models.TextChoices):
        NO_DISPATCH = "no_dispatch", _("Trip without a dispatch")
        PRIVATE = "private", _("Private trip")
        LOAN = "loan", _("Loan nobody approved")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="+"
    )
    driver = models.ForeignKey(
        Driver,
        verbose_name=_("driver"),
        on_delete=models.PROTECT,
        related_name="misuses",
    )
    occurred_on = models.DateField(_("date"), validators=[validate_date_in_bounds])
    km = models.PositiveIntegerField(_("distance (km)"), null=True, blank=True)
    evidence = models.TextField(_("evidence"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("use without dispatch")
        verbose_name_plural = _("uses without dispatch")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.vehicle} · {self.occurred_on}"


class FuelPurchase(models.Model):
    """VEH-10: every fuel purchase logged — litres, price, amount (litres × price,
    Decimal), station, card, odometer; whether the tank was filled up, and whether
    a fill since the previous one went unlogged (which breaks the consumption
    chain rather than giving a wrong figure)."""

    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        related_name="fuel_purchases",
    )
    trip = models.ForeignKey(
        Trip,
        verbose_name=_("trip"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fuel_purchases",
    )
    bought_at = models.DateTimeField(_("bought at"))
    litres = models.DecimalField(
        _("litres"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    price = models.DecimalField(
        _("price per litre (yuan)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    station = models.ForeignKey(
        Shop,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Shop.Kind.FUEL},
    )
    card_no = models.CharField(_("fuel card"), max_length=30, blank=True)
    odometer = models.PositiveIntegerField(_("odometer (km)"))
    full = models.BooleanField(_("filled up"), default=True)
    missed_before = models.BooleanField(
        _("a fill before this one was not logged"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fuel purchase")
        verbose_name_plural = _("fuel purchases")
        ordering = ["-bought_at", "-pk"]
        indexes = [models.Index(fields=["vehicle", "bought_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(litres__gt=0) & Q(price__gt=0),
                name="vehicles_fuel_positive",
            )
        ]

    def __str__(self):
        return f"{self.vehicle} {self.bought_at:%Y-%m-%d} {self.litres} L"


class Repair(ApprovalSubject, models.Model):
    """VEH-8, VEH-9: a fault reported to the comprehensive section (and the unit's
    head), its cause verified, the repair approved by the unit's leader (the
    approval engine) before it is done at a designated shop under the driver's
    eye, the replaced parts inspected (with a photo) before the bill goes to
    finance, the bill settled within a month (the deadline engine). A repair on
    the road is recorded afterwards with its reason and a witness."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the leader's approval")
        APPROVED = "approved", _("Approved, to be repaired")
        REFUSED = "refused", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REPAIRED = "repaired", _("Repaired, parts to inspect")
        INSPECTED = "inspected", _("Parts inspected")
        BILLED = "billed", _("Bill with finance")
        SETTLED = "settled", _("Settled")

    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        related_name="repairs",
    )
    reported_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="vehicle_repairs",
    )
    reported_at = models.DateTimeField(_("reported at"))
    fault = models.CharField(_("fault"), max_length=SHORT_TEXT)
    on_road = models.BooleanField(_("repaired on the road"), default=False)
    road_reason = models.CharField(
        _("why on the road"), max_length=SHORT_TEXT, blank=True
    )
    witness = models.CharField(_("witness"), max_length=100, blank=True)
    cause = models.CharField(_("verified cause"), max_length=SHORT_TEXT, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    estimate = models.DecimalField(
        _("estimate (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("repair shop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    road_shop = models.CharField(
        _("repair shop on the road"), max_length=100, blank=True
    )
    repaired_at = models.DateTimeField(_("repaired at"), null=True, blank=True)
    odometer = models.PositiveIntegerField(_("odometer (km)"), null=True, blank=True)
    driver_present = models.ForeignKey(
        Driver,
        verbose_name=_("driver present"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    parts_note = models.CharField(
        _("replaced parts inspected"), max_length=SHORT_TEXT, blank=True
    )
    parts_inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parts inspected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    parts_inspected_at = models.DateTimeField(
        _("parts inspected at"), null=True, blank=True
    )
    bill_amount = models.DecimalField(
        _("bill (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    billed_on = models.DateField(_("bill handed to finance on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("bill handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    approval_status_map = {
        "pending": Status.AWAITING_APPROVAL,
        "approved": Status.APPROVED,
        "refused": Status.REFUSED,
        "withdrawn": Status.WITHDRAWN,
    }

    class Meta:
        verbose_name = _("repair")
        verbose_name_plural = _("repairs")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return f"{self.vehicle} · {self.fault}"


class Accident(models.Model):
    """VEH-7: an accident, reported at once; the section head and the deputy in
    charge are told."""

    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="+"
    )
    driver = models.ForeignKey(
        Driver, verbose_name=_("driver"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=100)
    description = models.TextField(_("what happened"))
    injuries = models.BooleanField(_("people injured"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.vehicle} {self.occurred_at:%Y-%m-%d} {self.place}"


class TrafficFine(models.Model):
    """VEH-7: a traffic fine; when the driver is at fault it is the driver's."""

    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="+"
    )
    driver = models.ForeignKey(
        Driver, verbose_name=_("driver"), on_delete=models.PROTECT, related_name="fines"
    )
    occurred_on = models.DateField(_("date"), validators=[validate_date_in_bounds])
    offence = models.CharField(_("offence"), max_length=SHORT_TEXT)
    amount = models.DecimalField(
        _("fine (yuan)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    points = models.PositiveSmallIntegerField(_("penalty points"), default=0)
    driver_at_fault = models.BooleanField(_("the driver's fault"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("traffic fine")
        verbose_name_plural = _("traffic fines")
        ordering = ["-occurred_on"]

    def __str__(self):
        return f"{self.vehicle} {self.occurred_on} {self.amount}"

    @property
    def payer(self) -> str:
        return str(self.driver) if self.driver_at_fault else str(_("the bureau"))


class Inspection(models.Model):
    """VEH-11: a periodic inspection of a vehicle's condition, parking, trips,
    repairs and fuel; a finding leads to a warning, a written self-examination, an
    economic measure or a disciplinary one (through discipline)."""

    class Measure(models.TextChoices):
        NONE = "none", _("No measure")
        WARNING = "warning", _("Warning")
        SELF_EXAMINATION = "self_examination", _("Written self-examination")
        ECONOMIC = "economic", _("Economic measure")
        DISCIPLINARY = "disciplinary", _("Disciplinary measure")

    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspected_on = models.DateField(
        _("inspected on"), validators=[validate_date_in_bounds]
    )
    condition = models.BooleanField(_("condition"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    trips = models.BooleanField(_("trips"), default=False)
    repairs = models.BooleanField(_("repairs"), default=False)
    fuel = models.BooleanField(_("fuel"), default=False)
    findings = models.TextField(_("findings"))
    measure = models.CharField(
        _("measure"), max_length=20, choices=Measure.choices, default=Measure.NONE
    )
    driver = models.ForeignKey(
        Driver,
        verbose_name=_("driver concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.DecimalField(
        _("economic measure (yuan)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self):
        return f"{self.vehicle} {self.inspected_on}"
