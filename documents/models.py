"""Official documents (DOC-1..6): outgoing drafts through check and sign-off to a
gap-free number, incoming documents with leaders' instructions and circulation,
supervised tasks, archives and loans, the print log and handovers.

The kinds of document (the 15 types of the 公文 rules) are data; who checks and signs
is a chain on the approval engine (policy `documents.outgoing_chains`); numbers come
from the numbering series `documents.outgoing`; files are attachments; clocks are
the deadline engine's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import LONG_TEXT, SHORT_TEXT, validate_date_in_bounds


class Urgency(models.IntegerChoices):
    """Higher is more urgent: every list sorts by it first (DOC-2)."""

    NORMAL = 0, _("Normal")
    URGENT = 1, _("Urgent")
    VERY_URGENT = 2, _("Very urgent")


class Secrecy(models.IntegerChoices):
    NONE = 0, _("Not classified")
    SECRET = 1, _("Secret")
    CONFIDENTIAL = 2, _("Confidential")


class DocumentType(models.Model):
    """One of the kinds of official document (公文种类): data, seeded with the 15
    types of the rules by migration 0002, kept by the administrator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("type of document")
        verbose_name_plural = _("types of document")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class DoneForDrafterHistory(models.Model):
    """DOC-6: each history row of a draft says whether the change was made by the
    colleague who took over the drafter's matters (`done_by`, the history user's
    person), for the drafter — on the row only, so that a later change by anyone
    else (a decision, the number) never inherits it. The service sets
    `document._done_by` before saving; `documents.history` copies it here."""

    done_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("done on the drafter's behalf by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("DOC-6: the colleague who took over the drafter's matters."),
    )

    class Meta:
        abstract = True


class OutgoingDocument(ApprovalSubject, models.Model):
    """A draft in the bureau's (or a section's) name and what became of it (DOC-1):
    drafted → checked and signed on the approval engine → proofread by the drafter
    → numbered by the document clerk (bureau documents) → filed."""

    class Level(models.TextChoices):
        BUREAU = "bureau", _("In the bureau's name")
        SECTION = "section", _("Section-level")
        COUNTY = "county", _("For the county's signature")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CHECKING = "checking", _("Being checked and signed")
        RETURNED = "returned", _("Returned to the drafter")
        SIGNED = "signed", _("Signed off, to proofread")
        PROOFREAD = "proofread", _("Proofread, to number and file")
        NUMBERED = "numbered", _("Numbered, to file")
        FILED = "filed", _("Filed (archived)")

    approval_status_map = {
        "pending": Status.CHECKING,
        "approved": Status.SIGNED,
        "refused": Status.RETURNED,
        "withdrawn": Status.DRAFT,
    }

    level = models.CharField(
        _("issued as"), max_length=10, choices=Level.choices, default=Level.BUREAU
    )
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("type of document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("document title"), max_length=SHORT_TEXT)
    main_recipients = models.CharField(_("main recipients"), max_length=SHORT_TEXT)
    copy_to = models.CharField(_("copy to"), max_length=SHORT_TEXT, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    drafter = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("drafter"),
        on_delete=models.PROTECT,
        related_name="outgoing_drafts",
    )
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("sponsoring section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    # The rule and chain version the draft was last routed by.
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    chain_policy_id = models.PositiveBigIntegerField(
        _("policy version"), null=True, blank=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    proofread_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("proofread by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # DOC-6: proofread by the colleague who took over the drafter's matters
    # (`proofread_by`), for the drafter — like an approval step's stand-in
    # (approver and acting_for, ORG-2); empty when the drafter proofread.
    proofread_for = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("proofread on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("DOC-6: the drafter, when a colleague proofread for them."),
    )
    proofread_at = models.DateTimeField(_("proofread at"), null=True, blank=True)
    # The number as printed, copied from the numbering register in the transaction
    # that took it (the register is the record; this is for lists and search).
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    numbered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("numbered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    numbered_at = models.DateTimeField(_("numbered at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed (archived) by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    history = HistoricalRecords(bases=[DoneForDrafterHistory])

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-urgency", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "urgency"], name="doc_out_status"),
            models.Index(fields=["section", "status"], name="doc_out_section"),
            models.Index(fields=["drafter", "status"], name="doc_out_drafter"),
            # The register opens on this year (created_at's range): without it,
            # every page and its count read the whole table (issue 14).
            models.Index(fields=["created_at"], name="doc_out_created"),
            # The register's order, read backwards: a search for a word in most
            # titles (关于, 的) stops after a page of rows instead of sorting
            # every match (0.6 s at 300,000 documents).
            models.Index(
                fields=["urgency", "created_at", "id"], name="doc_out_register"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~Q(doc_number=""),
                name="doc_out_one_document_per_number",
            ),
            # Filing a bureau document needs its number (DOC-1).
            models.CheckConstraint(
                condition=~Q(level="bureau", status__in=["numbered", "filed"])
                | ~Q(doc_number=""),
                name="doc_out_bureau_filed_has_number",
            ),
        ]

    def __str__(self):
        return self.doc_number or self.title

    def get_absolute_url(self):
        return reverse("documents:outgoing", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_secret(self) -> bool:
        return self.secrecy > Secrecy.NONE


class AccessLog(models.Model):
    """Every view of a secret document (DOC-2: none lost or leaked)."""

    class What(models.TextChoices):
        VIEW = "view", _("Viewed")
        SHEET = "sheet", _("Printed the routing sheet")

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("record type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("person", "who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=10, choices=What.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("secret document access")
        verbose_name_plural = _("secret document accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.user} {self.get_what_display()} {self.at:%Y-%m-%d %H:%M}"


class IncomingDocument(models.Model):
    """A document received (DOC-2): signed for and registered by the comprehensive
    section, proposed for handling (拟办), instructed by leaders (阅批), circulated
    (传阅), handled as instructed, then filed or returned — nothing leaves the
    register without one of those."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        IN_PROGRESS = "in_progress", _("With leaders and handlers")
        HANDLED = "handled", _("Handled, to file or return")
        FILED = "filed", _("Filed (archived)")
        RETURNED = "returned", _("Returned to the sender")

    reg_number = models.CharField(
        pgettext_lazy("incoming", "registration number"), max_length=60
    )
    sender = models.CharField(_("sender"), max_length=SHORT_TEXT)
    their_number = models.CharField(_("their number"), max_length=60, blank=True)
    dated = models.DateField(
        _("dated"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    received_on = models.DateField(
        _("received on"), validators=[validate_date_in_bounds]
    )
    title = models.CharField(_("document title"), max_length=SHORT_TEXT)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    return_required = models.BooleanField(
        _("to be returned"),
        default=False,
        help_text=_("The sender wants the document back after handling."),
    )
    proposal = models.TextField(
        _("proposed handling (拟办)"), max_length=LONG_TEXT, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed or returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("filed or returned at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-urgency", "-received_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "urgency"], name="doc_in_status"),
            models.Index(fields=["received_on"], name="doc_in_received"),
            # The register's order (see OutgoingDocument's doc_out_register).
            models.Index(
                fields=["urgency", "received_on", "id"], name="doc_in_register"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reg_number"],
                condition=~Q(reg_number=""),
                name="doc_in_one_reg_number",
            )
        ]

    def __str__(self):
        return f"{self.reg_number} {self.title}"

    def get_absolute_url(self):
        return reverse("documents:incoming", args=[self.pk])

    @property
    def is_secret(self) -> bool:
        return self.secrecy > Secrecy.NONE

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.FILED, self.Status.RETURNED)


class Hop(models.Model):
    """One hop of an incoming document to one person, with its deadline on the
    deadline engine: a leader's instruction asked (阅批), a reading in a
    circulation (传阅), or handling (承办) by a handler a leader named."""

    class Purpose(models.TextChoices):
        INSTRUCT = "instruct", _("For instructions")
        READ = "read", _("To read (circulation)")
        HANDLE = "handle", _("To handle")

    incoming = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.PROTECT,
        related_name="hops",
    )
    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="document_hops",
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    note = models.CharField(_("purpose note"), max_length=SHORT_TEXT, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent out at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=LONG_TEXT, blank=True)
    urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)
    urge_count = models.PositiveSmallIntegerField(_("times urged"), default=0)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # DOC-6: read or handled by the colleague who took over the recipient's
    # matters (a handover in force), for the recipient; empty when the recipient
    # did it. Like an approval step's stand-in (ORG-2), the record shows both.
    done_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("done on their behalf by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("DOC-6: the colleague who took over the recipient's matters."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hop of an incoming document")
        verbose_name_plural = _("hops of incoming documents")
        ordering = ["incoming_id", "sent_at", "pk"]
        indexes = [models.Index(fields=["person", "done_at"], name="doc_hop_mine")]
        constraints = [
            # One open hop per person and purpose on a document.
            models.UniqueConstraint(
                fields=["incoming", "person", "purpose"],
                condition=Q(done_at__isnull=True, withdrawn_at__isnull=True),
                name="doc_hop_one_open_per_person_purpose",
            )
        ]

    def __str__(self):
        return f"{self.incoming} → {self.person} ({self.get_purpose_display()})"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.withdrawn_at is None


class Instruction(models.Model):
    """A leader's instruction on an incoming document (阅批), naming the handlers,
    who are notified at once. A supervised task may come from one (DOC-5)."""

    incoming = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    leader = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="document_instructions",
    )
    text = models.TextField(_("instruction"), max_length=LONG_TEXT)
    handlers = models.ManyToManyField(
        "bureau.Person", verbose_name=_("handlers"), blank=True, related_name="+"
    )
    at = models.DateTimeField(_("instructed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["incoming_id", "at", "pk"]

    def __str__(self):
        return f"{self.leader}: {self.text[:40]}"


class SupervisionTask(models.Model):
    """A task supervised by the comprehensive section (督办, DOC-5): from a higher
    level, a leader's instruction on an incoming document or a meeting decision;
    assigned to a section with a due date on the deadline engine (green, yellow,
    red); followed up, reported back, checked and closed (销号)."""

    class Source(models.TextChoices):
        HIGHER = "higher", _("Assigned by a higher level")
        INSTRUCTION = "instruction", _("A leader's instruction")
        MEETING = "meeting", _("A meeting decision")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned, in progress")
        REPORTED = "reported", _("Reported back, to check")
        CLOSED = "closed", _("Closed (销号)")

    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_reference = models.CharField(
        _("source reference"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_(
            "The higher level's document or instruction, e.g. 市卫健〔2026〕8号."
        ),
    )
    instruction = models.ForeignKey(
        Instruction,
        verbose_name=_("leader's instruction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    meeting_decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("meeting decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("task"), max_length=SHORT_TEXT)
    requirements = models.TextField(_("requirements"), max_length=LONG_TEXT, blank=True)
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("supervising leader"),
        on_delete=models.PROTECT,
        related_name="supervised_tasks",
    )
    assigned_on = models.DateField(
        _("assigned on"), validators=[validate_date_in_bounds]
    )
    due_on = models.DateField(_("due on"), validators=[validate_date_in_bounds])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed (销号) on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervised task")
        verbose_name_plural = _("supervised tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["section", "status"], name="doc_task_section")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("assigned_on")),
                name="doc_task_due_after_assigned",
            ),
            models.CheckConstraint(
                condition=~Q(source="instruction") | Q(instruction__isnull=False),
                name="doc_task_instruction_cited",
            ),
            models.CheckConstraint(
                condition=~Q(source="meeting") | Q(meeting_decision__isnull=False),
                name="doc_task_decision_cited",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:task", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class TaskNote(models.Model):
    """The task's record: follow-up, the section's report, the check."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        REPORT = "report", _("Report from the section")
        SENT_BACK = "sent_back", _("Sent back")
        CLOSED = "closed", _("Checked and closed")

    task = models.ForeignKey(
        SupervisionTask,
        verbose_name=_("supervised task"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    kind = models.CharField(_("kind of note"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=LONG_TEXT)
    by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("noted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # DOC-6: written by a colleague who took over this person's matters.
    acting_for = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("DOC-6: the person whose matters the author took over."),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("note on a supervised task")
        verbose_name_plural = _("notes on supervised tasks")
        ordering = ["task_id", "at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class MonthlyReport(models.Model):
    """A section head's monthly summary and next month's plan (DOC-5)."""

    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(
        _("month reported"), help_text="the first day of the month"
    )
    summary = models.TextField(_("this month's work"), max_length=LONG_TEXT)
    plan = models.TextField(_("next month's plan"), max_length=LONG_TEXT)
    sent_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent out at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly summary and plan")
        verbose_name_plural = _("monthly summaries and plans")
        ordering = ["-month", "section_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "month"], name="doc_one_monthly_report"
            )
        ]

    def __str__(self):
        return f"{self.section} {self.month:%Y-%m}"


class ArchiveEntry(models.Model):
    """One item of a year's archive catalogue (DOC-3): a filed outgoing document
    or a filed or returned incoming one, with its retention period from policy."""

    class Kind(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing")
        INCOMING = "incoming", _("Incoming")

    year = models.PositiveSmallIntegerField(_("year filed"))
    item_no = models.PositiveIntegerField(_("item number"))
    kind = models.CharField(_("kind of document"), max_length=10, choices=Kind.choices)
    outgoing = models.OneToOneField(
        OutgoingDocument,
        verbose_name=_("outgoing document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_entry",
    )
    incoming = models.OneToOneField(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_entry",
    )
    doc_type = models.CharField(_("type of document"), max_length=20, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    title = models.CharField(_("document title"), max_length=SHORT_TEXT)
    dated = models.DateField(_("dated"))
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"), help_text=_("0: kept permanently.")
    )
    retention_policy_id = models.PositiveBigIntegerField(
        _("policy version"), null=True, blank=True
    )
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("archived at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archive entry")
        verbose_name_plural = _("archive catalogue")
        ordering = ["-year", "item_no"]
        constraints = [
            models.UniqueConstraint(fields=["year", "item_no"], name="doc_arch_item"),
            models.CheckConstraint(
                condition=Q(outgoing__isnull=False, incoming__isnull=True)
                | Q(outgoing__isnull=True, incoming__isnull=False),
                name="doc_arch_one_document",
            ),
        ]

    def __str__(self):
        return f"{self.year}-{self.item_no} {self.title}"

    @property
    def retention_label(self) -> str:
        if self.retention_years == 0:
            return str(_("Permanent"))
        return str(_("%(n)s years") % {"n": self.retention_years})


class Loan(models.Model):
    """A loan of an archived file (DOC-3): registered with a due date on the deadline
    engine (reminded once), its return recorded."""

    entry = models.ForeignKey(
        ArchiveEntry,
        verbose_name=_("archive entry"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    borrower = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="document_loans",
    )
    purpose = models.CharField(_("purpose of the loan"), max_length=SHORT_TEXT)
    lent_on = models.DateField(_("lent on"), validators=[validate_date_in_bounds])
    due_on = models.DateField(_("to return by"), validators=[validate_date_in_bounds])
    returned_on = models.DateField(
        _("returned on"), null=True, blank=True, validators=[validate_date_in_bounds]
    )
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan of a file")
        verbose_name_plural = _("loans of files")
        ordering = ["-lent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("lent_on")),
                name="doc_loan_due_after_start",
            ),
            # One file is out to one borrower at a time.
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(returned_on__isnull=True),
                name="doc_loan_one_open_per_entry",
            ),
        ]

    def __str__(self):
        return f"{self.entry} → {self.borrower}"

    def get_absolute_url(self):
        return reverse("documents:archive") + f"?year={self.entry.year}"


class PrintJob(models.Model):
    """A print or copy job (DOC-4): who asked, what (the document number when it is
    one), how many copies, the copy numbers of a secret document, and the work
    reason — no private printing."""

    class Kind(models.TextChoices):
        PRINT = "print", _("Print")
        COPY = "copy", pgettext_lazy("print job", "Copy")

    requested_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="print_jobs",
    )
    section = models.ForeignKey(
        "bureau.Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("print or copy"), max_length=5, choices=Kind.choices)
    what = models.CharField(_("what is printed"), max_length=SHORT_TEXT)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    copies = models.PositiveIntegerField(_("copies"))
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    copy_numbers = models.CharField(
        _("copy numbers"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("For a secret document: the numbers of the copies, e.g. 1-20."),
    )
    reason = models.CharField(_("work reason"), max_length=SHORT_TEXT)
    done_on = models.DateField(_("done on"), validators=[validate_date_in_bounds])
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("print or copy job")
        verbose_name_plural = _("print room log")
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["done_on", "section"], name="doc_print_month")]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="doc_print_copies"),
            models.CheckConstraint(condition=~Q(reason=""), name="doc_print_reason"),
        ]

    def __str__(self):
        return f"{self.done_on} {self.what} ×{self.copies}"
