"""Finance records: claims with itemised lines (FIN-3..5), purchases and use of funds
(FIN-2, FIN-6), reimbursement batches (FIN-8), fixed assets with their custody ledger
and handovers (FIN-1).

Money is `DecimalField(max_digits=12, decimal_places=2)`, yuan with two places; a
total is stored once (Claim.total, Batch.total) by the service that writes the lines
or the batch, never re-derived elsewhere.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalSubject
from bureau.params import LONG_TEXT, SHORT_TEXT, validate_date_in_bounds


def Money(verbose_name, **kwargs):  # noqa: N802  (a field factory)
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Claim(ApprovalSubject, models.Model):
    """A reimbursement claim (报销单): itemised lines, named handler, purpose,
    witness and approver (FIN-5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved, waiting for payment")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RETURNED = "returned", _("Sent back for correction")
        REJECTED = "rejected", _("Rejected as untrue or unlawful")
        PAID = "paid", _("Paid")

    class Payment(models.TextChoices):
        CASH = "cash", _("Cash")
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        OFFICIAL_CARD = "official_card", _("Official card")

    claimant = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("claimant"),
        on_delete=models.PROTECT,
        related_name="finance_claims",
    )
    handler = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        related_name="finance_claims_handled",
        help_text=_("FIN-5: who handled the expense (经办人)."),
    )
    witness = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("witness"),
        on_delete=models.PROTECT,
        related_name="finance_claims_witnessed",
        help_text=_("FIN-5: who can confirm the expense (证明人), not the claimant."),
    )
    purpose = models.CharField(_("purpose"), max_length=SHORT_TEXT)
    payee = models.CharField(_("payee"), max_length=100)
    expense_date = models.DateField(
        _("date of the expense"), validators=[validate_date_in_bounds]
    )
    payment_method = models.CharField(
        _("paid by"),
        max_length=20,
        choices=Payment.choices,
        help_text=_("FIN-3: 1,000 yuan and more by bank transfer or official card."),
    )
    total = Money(_("total"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approver = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finance_claims_approved",
    )
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    chain_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    thresholds_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The finance officer's check (FIN-5): sent back or rejected, with the reason.
    finance_reason = models.TextField(
        _("finance officer's reason"), max_length=LONG_TEXT, blank=True
    )
    finance_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finance_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    batch = models.ForeignKey(
        "finance.Batch",
        verbose_name=_("reimbursement batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    approval_status_map = {
        "pending": Status.PENDING,
        "approved": Status.APPROVED,
        "refused": Status.REFUSED,
        "withdrawn": Status.WITHDRAWN,
    }
    EDITABLE = (Status.DRAFT, Status.RETURNED, Status.REFUSED, Status.WITHDRAWN)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "batch"], name="finance_claim_queue"),
            models.Index(fields=["-created_at", "-id"], name="finance_claim_newest"),
            models.Index(
                fields=["payee", "expense_date", "total"], name="finance_same_payment"
            ),
            # The queue's lists read newest first: a person's own claims, and the
            # approved ones waiting for a batch (a few hundred among millions).
            models.Index(
                fields=["claimant", "-created_at", "-id"], name="finance_claim_mine"
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status="approved", batch__isnull=True),
                name="finance_claim_to_pay",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0), name="finance_claim_total_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True) | Q(status="paid"),
                name="finance_claim_paid_has_status",
            ),
        ]

    def __str__(self):
        return f"{self.claimant} · {self.purpose} · {self.total} 元"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class ClaimLine(models.Model):
    """One item of a claim (FIN-4): item, unit, quantity, unit price, amount =
    quantity × unit price, and its voucher (FIN-3)."""

    class Voucher(models.TextChoices):
        INVOICE = "invoice", _("Formal invoice (发票)")
        RECEIPT = "receipt", _("Receipt (收据)")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("line"))
    item = models.CharField(_("item"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = Money(_("unit price"))
    amount = Money(_("amount"), help_text=_("FIN-4: quantity × unit price."))
    voucher = models.CharField(
        _("voucher"),
        max_length=10,
        choices=Voucher.choices,
        help_text=_("FIN-3: 200 yuan and more needs a formal invoice."),
    )
    invoice_code = models.CharField(
        _("invoice code"),
        max_length=12,
        blank=True,
        help_text=_("10 or 12 digits; empty for an all-electronic invoice."),
    )
    invoice_number = models.CharField(
        _("invoice number"),
        max_length=20,
        blank=True,
        help_text=_("8 digits, or 20 digits for an all-electronic invoice."),
    )
    invoice_key = models.CharField(max_length=40, blank=True, editable=False)
    fixed_asset = models.BooleanField(
        _("fixed asset"),
        default=False,
        help_text=_("FIN-4: registered as a fixed asset when it arrives."),
    )
    received_at = models.DateTimeField(_("checked on arrival"), null=True, blank=True)
    received_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        ordering = ["claim", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "position"], name="finance_line_position_once"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gt=0) & Q(amount__gt=0),
                name="finance_line_positive",
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity} = {self.amount}"


class InvoiceUse(models.Model):
    """An invoice claimed: the key (code-number, or the 20-digit number) is unique
    in the whole database (FIN-5: the same invoice is never claimed twice; the last
    line under a race of two submissions)."""

    key = models.CharField(_("invoice"), max_length=40, unique=True)
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.CASCADE,
        related_name="invoice_uses",
    )

    class Meta:
        verbose_name = _("invoice claimed")
        verbose_name_plural = _("invoices claimed")

    def __str__(self):
        return self.key


class Spending(ApprovalSubject, models.Model):
    """A purchase (FIN-2, through the comprehensive section) or a use of funds
    (FIN-6), approved by a chain chosen by its amount at submission."""

    class Kind(models.TextChoices):
        FUND_USE = "fund_use", _("Use of funds")
        PURCHASE = "purchase", _("Purchase or printing")

    class Category(models.TextChoices):
        OFFICE = "office", _("Office supplies")
        PRINTING = "printing", _("Printing")
        EQUIPMENT = "equipment", _("Equipment")
        FURNITURE = "furniture", _("Furniture")
        VEHICLE = "vehicle", _("Vehicle")
        SERVICES = "services", _("Services")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requester = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="finance_spendings",
    )
    title = models.CharField(_("title"), max_length=100)
    purpose = models.TextField(_("purpose"), max_length=LONG_TEXT)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    amount = Money(_("amount"))
    needed_on = models.DateField(_("needed on"), validators=[validate_date_in_bounds])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    valuable = models.BooleanField(
        _("valuable equipment"),
        default=False,
        help_text=_("FIN-2: needs a bureau affairs meeting decision."),
    )
    tier = models.PositiveSmallIntegerField(_("tier"), default=1)
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    chain_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    valuable_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    meeting_decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("meeting decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finance_spendings",
    )
    county_reference = models.CharField(
        _("county's reference"), max_length=100, blank=True
    )
    county_decided_on = models.DateField(_("county decided on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    approval_status_map = {
        "pending": Status.PENDING,
        "approved": Status.APPROVED,
        "refused": Status.REFUSED,
        "withdrawn": Status.WITHDRAWN,
    }

    class Meta:
        verbose_name = _("purchase or use of funds")
        verbose_name_plural = _("purchases and use of funds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_spending_positive"
            )
        ]

    def __str__(self):
        return f"{self.title} · {self.amount} 元"


class Batch(models.Model):
    """Reimbursements paid together (FIN-8): approved claims, a number from the
    numbering series, the pay day, the total (stored once), paid once."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be paid")
        PAID = "paid", _("Paid")

    number = models.CharField(_("number"), max_length=60, blank=True)
    pay_on = models.DateField(_("pay day"), validators=[validate_date_in_bounds])
    total = Money(_("total"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    paid_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reimbursement batch")
        verbose_name_plural = _("reimbursement batches")
        ordering = ["-pay_on", "-pk"]

    def __str__(self):
        return self.number


class Asset(models.Model):
    """A fixed asset (FIN-1): its custodian and place come from the custody ledger
    (the latest entry), never typed on the asset."""

    number = models.CharField(_("asset number"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=Spending.Category.choices,
        default=Spending.Category.EQUIPMENT,
    )
    value = Money(pgettext_lazy("item value", "value"))
    acquired_on = models.DateField(
        _("acquired on"), validators=[validate_date_in_bounds]
    )
    source_line = models.OneToOneField(
        ClaimLine,
        verbose_name=_("claim line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="asset",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fixed asset")
        verbose_name_plural = _("fixed assets")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.name}"


class Handover(models.Model):
    """A handover list (FIN-1): the assets one person holds, handed to another when
    they change post or leave; done when both sides have signed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for signatures")
        DONE = "done", _("Handed over")

    from_person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        related_name="finance_handovers_out",
    )
    to_person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="finance_handovers_in",
    )
    reason = models.CharField(_("reason"), max_length=SHORT_TEXT)
    assets = models.ManyToManyField(Asset, verbose_name=_("assets"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: prepared automatically on an organisation change."),
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    from_signed_at = models.DateTimeField(
        _("signed by who hands over"), null=True, blank=True
    )
    to_signed_at = models.DateTimeField(
        _("signed by who receives"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover list")
        verbose_name_plural = _("handover lists")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")),
                name="finance_handover_two_people",
            )
        ]

    def __str__(self):
        return f"{self.from_person} → {self.to_person}"


class CustodyEntry(models.Model):
    """The custody ledger (FIN-1), append-only: issued to, returned, transferred,
    handed over. The asset's custodian and place are those of its latest entry
    (a return leaves it with nobody, in store)."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issued")
        RETURN = "return", _("Returned to store")
        TRANSFER = "transfer", _("Transferred")
        HANDOVER = "handover", _("Handed over")

    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        related_name="custody",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    custodian = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("custodian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finance_custody",
    )
    place = models.CharField(_("place"), max_length=100)
    on = models.DateField(_("date"), validators=[validate_date_in_bounds])
    handover = models.ForeignKey(
        Handover,
        verbose_name=_("handover list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody ledger")
        ordering = ["asset", "pk"]
        indexes = [models.Index(fields=["asset", "-id"], name="finance_custody_last")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="return", custodian__isnull=True)
                | (~Q(kind="return") & Q(custodian__isnull=False)),
                name="finance_custody_has_custodian",
            )
        ]

    def __str__(self):
        return f"{self.asset} · {self.get_kind_display()} · {self.on}"


class Reception(ApprovalSubject, models.Model):
    """A reception approval form (公务接待审批单, FIN-9): the guests, the purpose with
    the sending unit's letter (an attachment), the numbers, the place, the standard
    per head of the guests' level (policy) and the estimated cost; after the
    reception the settlement: the actual items, and the part borne by the person."""

    class Kind(models.TextChoices):
        WORK_MEAL = "work_meal", _("Work meal for township staff")
        VISITORS = "visitors", _("Visitors from higher or peer levels")
        UNIT = "unit_reception", _("A unit's reception")

    class Level(models.TextChoices):
        TOWNSHIP = "township_level", _("Township level")
        COUNTY = "county_level", _("County level")
        CITY = "city_level", _("City level")
        PROVINCE = "province_level", _("Provincial level and above")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved, to be settled")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SETTLED = "settled", _("Settled")

    kind = models.CharField(_("kind of reception"), max_length=20, choices=Kind.choices)
    requester = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="finance_receptions",
    )
    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="finance_receptions",
    )
    guest_unit = models.CharField(_("guests' unit"), max_length=100)
    guests = models.TextField(
        _("guests' names and posts"),
        max_length=LONG_TEXT,
        help_text=_("One guest a line: name and post."),
    )
    guest_level = models.CharField(
        _("guests' level"), max_length=20, choices=Level.choices
    )
    purpose = models.CharField(_("purpose"), max_length=SHORT_TEXT)
    guest_count = models.PositiveSmallIntegerField(_("number of guests"))
    companion_count = models.PositiveSmallIntegerField(_("number of companions"))
    companions = models.ManyToManyField(
        "bureau.Person",
        verbose_name=_("named companions"),
        blank=True,
        related_name="finance_receptions_accompanied",
    )
    place = models.CharField(_("place"), max_length=100)
    on = models.DateField(
        _("date of the reception"), validators=[validate_date_in_bounds]
    )
    standard_per_head = Money(
        _("standard per head"),
        help_text=_("FIN-9: the county's standard for the guests' level."),
    )
    estimated_cost = Money(_("estimated cost"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    rule = models.CharField(_("rule"), max_length=10, blank=True)
    chain_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    standards_policy_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The settlement (stored once by reception_settle).
    actual_total = Money(_("actual cost"), null=True, blank=True)
    borne_by_person = Money(_("borne by the person"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("settled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    approval_status_map = {
        "pending": Status.PENDING,
        "approved": Status.APPROVED,
        "refused": Status.REFUSED,
        "withdrawn": Status.WITHDRAWN,
    }

    class Meta:
        verbose_name = _("reception approval form")
        verbose_name_plural = _("reception approval forms")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guest_count__gt=0) & Q(estimated_cost__gt=0),
                name="finance_reception_positive",
            ),
            models.CheckConstraint(
                condition=Q(borne_by_person__isnull=True)
                | Q(
                    borne_by_person__gte=0,
                    borne_by_person__lte=models.F("actual_total"),
                ),
                name="finance_reception_borne_within_actual",
            ),
        ]

    def __str__(self):
        return f"{self.guest_unit} · {self.on} · {self.estimated_cost} 元"

    @property
    def heads(self) -> int:
        return self.guest_count + self.companion_count

    @property
    def paid_by_bureau(self):
        if self.actual_total is None:
            return None
        return self.actual_total - (self.borne_by_person or 0)


class ReceptionItem(models.Model):
    """One actual item of a reception's settlement; an item not on the approved
    form is borne by the person whole (FIN-9)."""

    reception = models.ForeignKey(
        Reception,
        verbose_name=_("reception"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("line"))
    item = models.CharField(_("item"), max_length=100)
    amount = Money(_("amount"))
    approved = models.BooleanField(_("approved item"), default=True)

    class Meta:
        verbose_name = _("reception item")
        verbose_name_plural = _("reception items")
        ordering = ["reception", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["reception", "position"], name="finance_reception_item_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_reception_item_positive"
            ),
        ]

    def __str__(self):
        return f"{self.item} {self.amount}"


class UnitIncome(models.Model):
    """A unit's income of a month, entered by finance (FIN-7)."""

    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="finance_incomes",
    )
    month = models.DateField(_("month"), validators=[validate_date_in_bounds])
    amount = Money(_("income"))
    note = models.CharField(_("note"), max_length=SHORT_TEXT, blank=True)
    entered_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit income")
        verbose_name_plural = _("unit incomes")
        ordering = ["-month", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"], name="finance_income_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="finance_income_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.month:%Y-%m} · {self.amount}"


class Statement(models.Model):
    """A unit's income and expense statement of a month (FIN-7): the totals stored
    once when generated; sent to the unit head once (then frozen)."""

    unit = models.ForeignKey(
        "bureau.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="finance_statements",
    )
    month = models.DateField(_("month"), validators=[validate_date_in_bounds])
    income = Money(_("income"))
    claims_paid = Money(_("claims paid"))
    fund_uses = Money(_("use of funds"))
    receptions = Money(_("receptions"))
    expense = Money(_("expense"))
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("generated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_to = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("sent to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finance_statements_received",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly statement")
        verbose_name_plural = _("monthly statements")
        ordering = ["-month", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"], name="finance_statement_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(sent_to__isnull=False),
                name="finance_statement_sent_to_someone",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.month:%Y-%m}"

    @property
    def balance(self):
        return self.income - self.expense
