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
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import SHORT_TEXT


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
        FILED = "filed", _("Filed")

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
    title = models.CharField(_("title"), max_length=SHORT_TEXT)
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
    chain_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    proofread_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("proofread by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-urgency", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "urgency"], name="doc_out_status"),
            models.Index(fields=["section", "status"], name="doc_out_section"),
            models.Index(fields=["drafter", "status"], name="doc_out_drafter"),
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
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
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
