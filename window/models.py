"""The service window (SVC-1..4): windows with their A and B posts, the versioned
service catalogue, the first-inquiry log, matters with their one-time notification
slips and acceptance receipts, and the handover log."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bureau.params import LONG_TEXT, SHORT_TEXT, validate_date_in_bounds

# Numbering series (numbering.registry, registered in apps.py).
RECEIPT_SERIES = "window.receipt"
RECEIPT_TEMPLATE = "{code}受〔{year}〕{n}号"
SLIP_SERIES = "window.notice"
SLIP_TEMPLATE = "{code}告〔{year}〕{n}号"
# SVC-1: the clock of the committed date on the deadline engine (one per matter).
COMMITTED_DEADLINE = "window.committed"


class Window(models.Model):
    """A service window (服务窗口) of the bureau or a township, with its A post
    (the officer in charge) and its B post (who stands in, SVC-4)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="windows",
        help_text=_("The unit whose staff keep the window."),
    )
    place = models.CharField(_("place"), max_length=SHORT_TEXT, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    post_a = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("A post"),
        on_delete=models.PROTECT,
        related_name="windows_as_a",
    )
    post_b = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("B post"),
        on_delete=models.PROTECT,
        related_name="windows_as_b",
    )
    is_active = models.BooleanField(_("open"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service window")
        verbose_name_plural = _("service windows")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(post_a=F("post_b")), name="window_a_and_b_differ"
            )
        ]

    def __str__(self):
        return self.name

    def posts(self) -> list[tuple[str, int]]:
        return [("A", self.post_a_id), ("B", self.post_b_id)]


class Service(models.Model):
    """A service of the catalogue (e.g. 生育服务证); its particulars are versions."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("service catalogue")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ServiceVersion(models.Model):
    """What a service requires from a date on (SVC-2). A slip or receipt cites the
    version in force on its date; a cited version is never changed (a new version
    with a later effective date is added instead)."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    effective_from = models.DateField(
        _("effective from"), validators=[validate_date_in_bounds]
    )
    legal_basis = models.TextField(_("legal basis"), max_length=LONG_TEXT)
    conditions = models.TextField(_("conditions"), max_length=LONG_TEXT)
    procedure = models.TextField(_("procedure"), max_length=LONG_TEXT)
    statutory_days = models.PositiveSmallIntegerField(
        _("statutory time limit (working days)"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    committed_days = models.PositiveSmallIntegerField(
        _("committed time limit (working days)"),
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_(
            "SVC-2: the bureau's public commitment, not longer than the statutory "
            "limit; 0 means handled on the spot."
        ),
    )
    fee = models.CharField(_("fee"), max_length=100, default="免费")
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        related_name="service_versions",
        null=True,
        blank=True,
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        ordering = ["service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "effective_from"],
                name="one_service_version_per_day",
            ),
            models.CheckConstraint(
                condition=Q(committed_days__lte=F("statutory_days")),
                name="committed_within_statutory",
            ),
        ]

    def __str__(self):
        return f"{self.service} ({self.effective_from:%Y-%m-%d})"


class Material(models.Model):
    """A material a version requires (SVC-2): name, original or copy, how many,
    who issues it."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        BOTH = "both", _("Original and copy")

    version = models.ForeignKey(
        ServiceVersion,
        verbose_name=_("service version"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    name = models.CharField(_("material"), max_length=100)
    form = models.CharField(
        _("original or copy"),
        max_length=10,
        choices=Form.choices,
        default=Form.ORIGINAL,
    )
    copies = models.PositiveSmallIntegerField(
        _("how many"), default=1, validators=[MinValueValidator(1)]
    )
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name"], name="one_material_name_per_version"
            )
        ]

    def __str__(self):
        return self.name


class Matter(models.Model):
    """An application of one visitor for one service, over one or more contacts;
    owned by whoever first received it (首问责任人, SVC-1)."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Waiting for materials")
        ACCEPTED = "accepted", _("Accepted")
        HANDLED = "handled", _("Handled")
        REFUSED = "refused", _("Refused")

    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.CharField(_("applicant"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    owner = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("first-inquiry officer"),
        on_delete=models.PROTECT,
        related_name="window_matters",
        help_text=_("SVC-1: whoever first received it owns it from then on."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AWAITING
    )
    opened_on = models.DateField(_("opened on"), validators=[validate_date_in_bounds])
    handled_on = models.DateField(
        _("handled on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["window", "status"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self):
        return f"{self.applicant} · {self.service}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.AWAITING, self.Status.ACCEPTED)


class Contact(models.Model):
    """SVC-1: one visitor or call, logged with the person who first received it
    (首问责任人) and what became of it."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone call")

    class Outcome(models.TextChoices):
        HANDLED = "handled", _("Handled on the spot")
        ACCEPTED = "accepted", _("Complete: accepted, receipt issued")
        NOTIFIED = "notified", _("Incomplete: one-time notification slip")
        HANDED_OFF = "handed_off", _("Someone else's duty: handed over")
        ASKED_LEADER = "asked_leader", _("Unclear: asked of a leader")
        OUTSIDE = "outside", _("Outside the system: explained")
        REFUSED = "refused", _("Refused, with reason and basis")

    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.VISIT
    )
    received_at = models.DateTimeField(
        _("received at"), validators=[validate_date_in_bounds]
    )
    received_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("first-inquiry officer"),
        on_delete=models.PROTECT,
        related_name="window_contacts",
    )
    visitor = models.CharField(_("visitor"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("matter"),
        on_delete=models.PROTECT,
        related_name="contacts",
        null=True,
        blank=True,
    )
    summary = models.CharField(_("what was asked"), max_length=SHORT_TEXT)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    note = models.TextField(
        _("explanation"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("What was explained, or the reason of a refusal."),
    )
    basis = models.CharField(
        _("basis"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("SVC-2: the provision a refusal rests on."),
    )
    # Hand-off (首接责任人): who received it; they see it in their queue and take it.
    handed_to = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("received by (hand-off)"),
        on_delete=models.PROTECT,
        related_name="window_handoffs",
        null=True,
        blank=True,
    )
    taken_at = models.DateTimeField(_("taken over at"), null=True, blank=True)
    # Unclear: the leader asked, and their answer.
    leader = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("leader asked"),
        on_delete=models.PROTECT,
        related_name="window_questions",
        null=True,
        blank=True,
    )
    answer = models.TextField(_("leader's answer"), max_length=LONG_TEXT, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("first-inquiry log entry")
        verbose_name_plural = _("first-inquiry log")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["window", "-received_at"]),
            models.Index(fields=["handed_to", "taken_at"]),
            models.Index(fields=["leader", "answered_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="handed_off") | Q(handed_to__isnull=False),
                name="handoff_names_its_receiver",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="asked_leader") | Q(leader__isnull=False),
                name="question_names_its_leader",
            ),
        ]

    def __str__(self):
        return f"{self.visitor} · {self.summary}"


class Slip(models.Model):
    """一次性告知单 (SVC-1, SVC-2): every material still missing, at once, from the
    catalogue version in force on its date; printed for both to sign, the stub kept.
    Never changed once issued."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.PROTECT, related_name="slips"
    )
    contact = models.OneToOneField(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="slip",
    )
    version = models.ForeignKey(
        ServiceVersion,
        verbose_name=_("catalogue version"),
        on_delete=models.PROTECT,
        related_name="slips",
    )
    issued_on = models.DateField(_("issued on"), validators=[validate_date_in_bounds])
    issued_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    missing = models.ManyToManyField(
        Material, verbose_name=_("missing materials"), related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("one-time notification slip")
        verbose_name_plural = _("one-time notification slips")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.matter} · {self.issued_on:%Y-%m-%d}"


class Receipt(models.Model):
    """受理回执单 (SVC-1): complete materials accepted, numbered, with the committed
    date counted in working days from the catalogue version in force."""

    matter = models.OneToOneField(
        Matter,
        verbose_name=_("matter"),
        on_delete=models.PROTECT,
        related_name="receipt",
    )
    contact = models.OneToOneField(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="receipt",
    )
    version = models.ForeignKey(
        ServiceVersion,
        verbose_name=_("catalogue version"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    accepted_on = models.DateField(
        _("accepted on"), validators=[validate_date_in_bounds]
    )
    accepted_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_on = models.DateField(
        _("committed date"), validators=[validate_date_in_bounds]
    )
    policy_id = models.PositiveBigIntegerField(
        _("policy version"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acceptance receipt")
        verbose_name_plural = _("acceptance receipts")
        ordering = ["-accepted_on", "-pk"]

    def __str__(self):
        return f"{self.matter} · {self.accepted_on:%Y-%m-%d}"


class Handover(models.Model):
    """SVC-4: every handover between the A and B posts, logged."""

    class Reason(models.TextChoices):
        AWAY = "away", _("Away (leave or going out)")
        BACK = "back", _("Back at the window")
        SHIFT = "shift", _("Shift change")

    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    at = models.DateTimeField(_("at"), validators=[validate_date_in_bounds])
    from_person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("taken over by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)
    open_matters = models.PositiveIntegerField(_("open matters handed over"), default=0)
    recorded_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=F("to_person")),
                name="handover_between_two_people",
            )
        ]

    def __str__(self):
        return f"{self.window} {self.from_person} → {self.to_person}"


class Capacity(models.Model):
    """SVC-3: how many appointments a window takes for a service per half day (on
    the calendar's working days). Without a row, the policy's default applies."""

    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        related_name="capacities",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="capacities",
    )
    per_half_day = models.PositiveSmallIntegerField(
        _("appointments per half day"),
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment capacity")
        verbose_name_plural = _("appointment capacities")
        constraints = [
            models.UniqueConstraint(
                fields=["window", "service"], name="one_capacity_per_window_service"
            )
        ]

    def __str__(self):
        return f"{self.window} · {self.service}: {self.per_half_day}"


class Appointment(models.Model):
    """SVC-3: what cannot be done the same day is given an appointment at the
    window; whoever is at the window that day sees it and keeps it."""

    class Part(models.TextChoices):
        AM = "am", _("Morning")
        PM = "pm", _("Afternoon")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        KEPT = "kept", _("Kept: handled")
        MISSED_BY_VISITOR = "missed_visitor", _("The visitor did not come")
        MISSED_BY_BUREAU = "missed_bureau", _("Missed by the bureau")

    matter = models.ForeignKey(
        Matter,
        verbose_name=_("matter"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"), validators=[validate_date_in_bounds])
    part = models.CharField(_("half day"), max_length=2, choices=Part.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    booked_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    booked_at = models.DateTimeField(_("booked at"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity judged by"), help_text=_("SVC-3: the half day's capacity then.")
    )
    policy_id = models.PositiveBigIntegerField(
        _("policy version"), null=True, blank=True
    )
    closed_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["day", "part", "pk"]
        indexes = [models.Index(fields=["window", "day", "status"])]

    def __str__(self):
        return f"{self.matter} · {self.day:%Y-%m-%d} {self.get_part_display()}"


class Commitment(models.Model):
    """SVC-5: a public service commitment (服务承诺), published with its date."""

    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("commitment"), max_length=LONG_TEXT)
    effective_from = models.DateField(
        _("effective from"), validators=[validate_date_in_bounds]
    )
    is_published = models.BooleanField(_("published"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service commitment")
        verbose_name_plural = _("service commitments")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Complaint(models.Model):
    """SVC-5: a complaint against a commitment or a person (online, by phone or in
    person), investigated by the inspector; upheld, it becomes a violation of the
    right kind (DIS-1, DIS-2, DIS-3) through discipline; the result goes back."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Not upheld")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(
        _("received at"), validators=[validate_date_in_bounds]
    )
    complainant = models.CharField(_("complainant"), max_length=50)
    contact = models.CharField(_("phone or address"), max_length=100)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
    )
    person_named = models.CharField(
        _("person complained about (as named)"), max_length=50, blank=True
    )
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("missed appointment"),
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
    )
    text = models.TextField(_("complaint"), max_length=LONG_TEXT)
    code = models.CharField(_("query code"), max_length=12, unique=True)
    recorded_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.REGISTERED,
    )
    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person responsible"),
        on_delete=models.PROTECT,
        related_name="window_complaints",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("violation kind"), max_length=60, blank=True)
    occurred_on = models.DateField(
        _("occurred on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    finding = models.TextField(_("finding"), max_length=LONG_TEXT, blank=True)
    decided_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("investigated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reply = models.TextField(_("result told"), max_length=LONG_TEXT, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.complainant} · {self.received_at:%Y-%m-%d}"
