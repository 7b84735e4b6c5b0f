"""Petitions (信访, PET-1..8): the case's matter, and apart from it the petitioner's
identity, the report and witnesses' statements (PET-7), which only the petition
officer, the case's handlers and its owning leader see — every view logged.

A case: registered by channel (PET-1, PET-4) with its registration number from the
numbering series; routed to a section or to a township; decided within 15 days and
concluded within 60 (PET-2, deadline engine), once extended through the approval
engine; answered in writing or by phone (PET-4); open to review and re-review for
30 days after the written decision is delivered (PET-3); closed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import EVIDENCE_TEXT, LONG_TEXT, SHORT_TEXT, validate_date_in_bounds
from petitions import rules

# Deadline kinds (deadlines engine) and the numbering series.
DECIDE = "petitions.decide"
CONCLUDE = "petitions.conclude"
EXTENDED = "petitions.extended"
HIGHER = "petitions.higher"
REVIEW_WINDOW = "petitions.review"
REREVIEW_WINDOW = "petitions.rereview"
CASE_KINDS = (DECIDE, CONCLUDE, HIGHER, REVIEW_WINDOW)
SERIES = "petitions.registration"
NUMBER_TEMPLATE = "{code}信〔{year}〕{n}号"


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    ONLINE = "online", _("Online")


class Township(models.Model):
    """A township of the county (乡镇): local matters are routed to it."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A category of the routing catalogue (PET-1)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("petition category")
        verbose_name_plural = _("petition categories")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Route(models.Model):
    """The routing catalogue (PET-1): category × township → the responsible section,
    or the township itself for local matters. A row without a township holds for
    every township without a row of its own."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="routes",
    )
    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routes",
        help_text=_("Empty: every township without a row of its own."),
    )
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("responsible section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_routes",
    )
    to_township = models.BooleanField(
        _("handled by the township"),
        default=False,
        help_text=_("A local matter: the township handles it (PET-1)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing catalogue")
        ordering = ["category__order", "category_id", "township_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "township"], name="petitions_route_unique"
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(township__isnull=True),
                name="petitions_route_default_unique",
            ),
            models.CheckConstraint(
                condition=(Q(section__isnull=False) & Q(to_township=False))
                | (Q(section__isnull=True) & Q(to_township=True)),
                name="petitions_route_one_target",
            ),
        ]

    def __str__(self):
        where = self.township or _("any township")
        target = self.section or _("the township")
        return f"{self.category} × {where} → {target}"

    def clean(self):
        if bool(self.section_id) == bool(self.to_township):
            raise ValidationError(
                _("Name the responsible section, or tick “handled by the township”.")
            )


class Case(models.Model):
    """The case's matter: what everyone allowed to see the case sees. Nothing here
    names the petitioner (PET-7): that is `Identity`."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ROUTED = "routed", _("Routed, waiting for the decision")
        OBJECTED = "objected", _("Objected to, waiting for re-routing")
        ACCEPTED = "accepted", _("Accepted, being handled")
        NOT_ACCEPTED = (
            "not_accepted",
            pgettext_lazy("petition decision", "Not accepted"),
        )
        CONCLUDED = "concluded", _("Concluded, reply to deliver")
        REPLIED = "replied", _("Replied, review window open")
        UNDER_REVIEW = "under_review", _("Under review by a higher organ")
        CLOSED = "closed", pgettext_lazy("petition case", "Closed")
        MERGED = "merged", _("Merged into another case")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = (
            "not_accepted",
            pgettext_lazy("petition decision", "Not accepted"),
        )

    class Outcome(models.TextChoices):
        SUPPORT = "support", _("Supported (支持)")
        EXPLAIN = "explain", _("Explained (解释说明)")
        REJECT = "reject", _("Not supported (不予支持)")

    number = models.CharField(_("registration number"), max_length=60, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(
        _("received on"), validators=[validate_date_in_bounds]
    )
    summary = models.TextField(
        _("matter"),
        max_length=LONG_TEXT,
        help_text=_("What the petition asks, without naming the petitioner (PET-7)."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT
    )
    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The township the matter concerns (empty: county level)."),
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=Status.choices,
        default=Status.REGISTERED,
    )
    # Routing (PET-1): a section of the bureau, or the township as an outside
    # handler whose answers the officer enters.
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("handling section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_cases",
    )
    handler = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_cases",
    )
    by_township = models.BooleanField(_("handled by the township"), default=False)
    officer = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("petition officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_cases_registered",
    )
    # 包案 (PET-6): major and assigned cases are owned by a bureau leader.
    owner = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("owning leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_cases_owned",
    )
    major = models.BooleanField(_("major case"), default=False)
    # Assigned by a higher level (PET-2): their own due date and closing report.
    higher_organ = models.CharField(
        _("assigned by"), max_length=100, blank=True, help_text=_("Empty: our own.")
    )
    higher_due = models.DateField(
        _("due date set by the higher level"),
        null=True,
        blank=True,
        validators=[validate_date_in_bounds],
    )
    report_due = models.DateField(
        _("closing report due"),
        null=True,
        blank=True,
        validators=[validate_date_in_bounds],
    )
    report_sent_on = models.DateField(
        _("closing report sent on"),
        null=True,
        blank=True,
        validators=[validate_date_in_bounds],
    )
    # The written decision within 15 days (PET-2).
    decision = models.CharField(
        _("decision"), max_length=15, choices=Decision.choices, blank=True
    )
    decision_text = models.TextField(
        _("written decision"), max_length=LONG_TEXT, blank=True
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    concluded_on = models.DateField(
        _("concluded on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
    )
    # The online channel (part 7): the query code, hashed (never stored in clear).
    query_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # The policy versions the case was judged by.
    duplicate_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["query_code_hash"])

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["query_code_hash"],
                condition=~Q(query_code_hash=""),
                name="petitions_query_code_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_on"], name="petition_status"),
            models.Index(fields=["section", "status"], name="petition_section"),
            # The open list reads the open cases only (1 % of five years).
            models.Index(
                fields=["received_on"],
                condition=~models.Q(status__in=["closed", "merged"]),
                name="petition_open",
            ),
        ]

    def __str__(self):
        return self.number or _("petition %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("petitions:detail", args=[self.pk])

    @property
    def signed(self) -> bool:
        """A signed letter (PET-4: it must get a written reply)."""
        return self.channel == Channel.LETTER and not self.anonymous

    @property
    def is_higher(self) -> bool:
        return bool(self.higher_organ)

    @property
    def responsible(self):
        """Who answers for the case's clocks: the handler, else the handling
        section's head, else the officer (a township's case, or not routed yet)."""
        if self.handler_id:
            return self.handler
        if self.section_id and self.section.head_id:
            return self.section.head
        return self.officer

    @property
    def open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.MERGED)


class Identity(models.Model):
    """Who petitioned, the full report and whom it is about (PET-7). Seen only by
    the petition officer, the case's handlers and its owning leader; every view and
    export is written to `IdentityAccess`. Not in the admin."""

    case = models.OneToOneField(
        Case,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="identity",
    )
    name = models.CharField(_("petitioner"), max_length=60, blank=True)
    id_number = models.CharField(_("ID card number"), max_length=18, blank=True)
    phone = models.CharField(_("contact number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=SHORT_TEXT, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    report = models.TextField(
        _("the report in full"), max_length=EVIDENCE_TEXT, blank=True
    )
    subject = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("member of staff the petition is about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("They never see the case (PET-7)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("petitioner's identity")
        verbose_name_plural = _("petitioners' identities")
        indexes = [
            models.Index(fields=["phone"], name="petition_identity_phone"),
            models.Index(fields=["id_number"], name="petition_identity_id"),
        ]

    def __str__(self):
        return str(_("Identity of %(case)s") % {"case": self.case})

    def save(self, *args, **kwargs):
        self.phone = rules.normalise_phone(self.phone)
        self.id_number = (self.id_number or "").strip().upper()
        super().save(*args, **kwargs)


class Statement(models.Model):
    """A witness's statement (PET-7: confidential like the identity)."""

    identity = models.ForeignKey(
        Identity,
        verbose_name=_("identity"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    witness = models.CharField(_("witness"), max_length=60)
    text = models.TextField(_("statement"), max_length=EVIDENCE_TEXT)
    taken_on = models.DateField(_("taken on"), validators=[validate_date_in_bounds])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("witness statement")
        verbose_name_plural = _("witness statements")
        ordering = ["taken_on", "pk"]

    def __str__(self):
        return str(_("Statement %(pk)s") % {"pk": self.pk})


class Routing(models.Model):
    """One routing of a case (PET-1), and the receiver's objection to it."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="routings",
    )
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handler = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    routed_on = models.DateField(_("routed on"), validators=[validate_date_in_bounds])
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    objected_on = models.DateField(
        _("objected on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    objection = models.CharField(_("objection"), max_length=SHORT_TEXT, blank=True)
    objected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    objection_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing")
        verbose_name_plural = _("routings")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.case} → {self.section or self.township}"

    @property
    def target(self):
        return self.section or self.township


class Extension(ApprovalSubject, models.Model):
    """PET-2: a complex matter extended once, by at most 30 days, with the bureau's
    approval (approval engine; chain in the policy petitions.extension)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(
        Case,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"), max_length=LONG_TEXT)
    requested_on = models.DateField(
        _("requested on"), validators=[validate_date_in_bounds]
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    new_due = models.DateField(_("extended to"), null=True, blank=True)
    policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["pending", "approved"]),
                name="petitions_one_extension",
            )
        ]

    def __str__(self):
        return str(
            _("%(case)s: extended by %(days)s days")
            % {"case": self.case, "days": self.days}
        )


class Reply(models.Model):
    """What goes back to the petitioner (PET-4): the written notice of a case not
    accepted, or the handling opinion (支持 / 解释说明 / 不予支持), and how and when it
    was delivered — a result returned by phone records the number called."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice of non-acceptance")
        OPINION = "opinion", _("Handling opinion")

    class Method(models.TextChoices):
        POST = "post", _("By post")
        IN_PERSON = "in_person", _("Handed over in person")
        EMAIL = "email", _("By e-mail")
        ONLINE = "online", _("Online (query code)")
        PHONE = "phone", _("By phone")

    case = models.ForeignKey(
        Case,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Case.Outcome.choices, blank=True
    )
    text = models.TextField(_("reply"), max_length=LONG_TEXT)
    written_on = models.DateField(_("written on"), validators=[validate_date_in_bounds])
    method = models.CharField(
        _("delivered"), max_length=10, choices=Method.choices, blank=True
    )
    delivered_on = models.DateField(
        _("delivered on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    delivery_note = models.CharField(
        _("delivery record"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Registered-mail number, who signed for it, or what was said."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.case}: {self.get_kind_display()}"


class Review(models.Model):
    """PET-3: a review (复查) or re-review (复核) asked of a higher organ; the
    officer records the request and the organ's outcome."""

    class Level(models.TextChoices):
        REVIEW = "review", _("Review (复查)")
        REREVIEW = "rereview", _("Re-review (复核)")

    case = models.ForeignKey(
        Case,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    organ = models.CharField(_("organ"), max_length=100)
    requested_on = models.DateField(
        _("requested on"), validators=[validate_date_in_bounds]
    )
    outcome = models.TextField(_("outcome"), max_length=LONG_TEXT, blank=True)
    outcome_on = models.DateField(
        _("outcome received on"),
        null=True,
        blank=True,
        validators=[validate_date_in_bounds],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "level"], name="petitions_one_review_per_level"
            )
        ]

    def __str__(self):
        return f"{self.case}: {self.get_level_display()}"


class IdentityAccess(models.Model):
    """PET-7: every view or export of a petitioner's identity — who, when, what,
    from where. Append only; read by the director and the inspector."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed the case with the identity")
        EXPORT = "export", _("Exported the register with identities")
        DOWNLOAD = "download", _("Downloaded a confidential file")

    case = models.ForeignKey(
        Case,
        verbose_name=_("petition"),
        on_delete=models.PROTECT,
        related_name="identity_accesses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    who = models.CharField(pgettext_lazy("person", "who"), max_length=60)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=SHORT_TEXT, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "at"], name="petition_access_case")]

    def __str__(self):
        return f"{self.who} {self.get_action_display()} {self.case}"


class EscalationNotice(models.Model):
    """PET-5: a rung of the escalation ladder sent for a petition deadline, once
    per deadline, rung and due date."""

    deadline = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.CASCADE, related_name="+"
    )
    rung = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    recipient = models.ForeignKey(
        "bureau.Person", on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField()
    run = models.CharField(max_length=32, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "rung", "due_date"],
                name="petitions_escalation_once",
            )
        ]

    def __str__(self):
        return f"{self.deadline_id} rung {self.rung} {self.due_date}"


class ReceptionDay(models.Model):
    """PET-6: a leader's reception day (领导接访日): every Wednesday the calendar
    says is a working day, a bureau leader in rotation; a swap is recorded."""

    date = models.DateField(
        _("date"), unique=True, validators=[validate_date_in_bounds]
    )
    leader = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("receiving leader"),
        on_delete=models.PROTECT,
        related_name="reception_days",
    )
    swapped_from = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("swapped from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    swap_reason = models.CharField(
        _("reason for the swap"), max_length=SHORT_TEXT, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception rota")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.leader}"


class Reception(models.Model):
    """PET-6: one petitioner received on a reception day: who came (confidential
    like a case's identity: the officer and the receiving leader see it), what
    about, what was promised; it may open a case."""

    day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.PROTECT,
        related_name="receptions",
    )
    visitor = models.CharField(_("who came"), max_length=60)
    phone = models.CharField(_("contact number"), max_length=20, blank=True)
    matter = models.TextField(_("what about"), max_length=LONG_TEXT)
    promised = models.TextField(
        _("what was promised"), max_length=LONG_TEXT, blank=True
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case opened"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receptions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("petitions", "reception")
        verbose_name_plural = pgettext_lazy("petitions", "receptions")
        ordering = ["day__date", "pk"]

    def __str__(self):
        return str(_("Reception %(pk)s") % {"pk": self.pk})


class WorkRecord(models.Model):
    """PET-8: the petition work the rulebook asks each half-year — a petition work
    meeting (held through meetings/, linked here), the township target assessment,
    training."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Petition work meeting")
        ASSESSMENT = "assessment", _("Township target assessment")
        TRAINING = "training", _("Training")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("held on"), validators=[validate_date_in_bounds])
    title = models.CharField(_("title"), max_length=SHORT_TEXT)
    notes = models.TextField(_("notes"), max_length=LONG_TEXT, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("petition work record")
        verbose_name_plural = _("petition work records")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()} {self.title}"


class HalfYearReminder(models.Model):
    """PET-8: a reminder sent for a half-year and kind (once: the done-marker)."""

    year = models.PositiveSmallIntegerField()
    half = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "half", "kind"], name="petitions_half_year_once"
            )
        ]

    def __str__(self):
        return f"{self.year}/{self.half} {self.kind}"
