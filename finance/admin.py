"""Finance in the admin: scoped by the chapter's selectors, read-only (every change
goes through the services on the chapter's pages), history in scope and read-only."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.admin import chain_html
from bureau.admin_base import ScopedHistoryAdmin
from finance import selectors
from finance.models import (
    Asset,
    Batch,
    Claim,
    ClaimLine,
    CustodyEntry,
    Handover,
    Reception,
    ReceptionItem,
    Spending,
    Statement,
    UnitIncome,
)


class ReadOnlyAdmin(ScopedHistoryAdmin):
    """A finance record in the admin: scoped (get_queryset of each admin), nothing
    added, changed or deleted here; the page shows its `readonly_fields`."""

    show_full_result_count = False

    def get_fields(self, request, obj=None):
        return list(self.readonly_fields)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OnChainAdmin(ReadOnlyAdmin):
    """A record decided through the approval engine (claims, spendings, receptions):
    scoped by its `visible_to` selector on today's date, with its current chain."""

    visible_to = None  # staticmethod(a selector taking (user, on=date))
    related: tuple[str, ...] = ()

    def get_queryset(self, request):
        visible = self.visible_to(request.user, on=timezone.localdate())
        return selectors.with_chain(visible).select_related(*self.related)

    @admin.display(description=_("chain"))
    def chain(self, obj):
        approval = obj.current_approval
        return chain_html(approval) if approval else "—"


class ReadOnlyInline(admin.TabularInline):
    """The lines of a record, shown as they are: `fields`, all read-only, to whoever
    may view the record (its admin's scope and view permission; the lines have no
    permission of their own in the roles' grants)."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        parent = self.admin_site._registry[self.parent_model]
        return parent.has_view_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(ReadOnlyInline):
    model = ClaimLine
    fields = [
        "position",
        "item",
        "unit",
        "quantity",
        "unit_price",
        "amount",
        "voucher",
        "invoice_code",
        "invoice_number",
        "fixed_asset",
        "received_at",
    ]


@admin.register(Claim)
class ClaimAdmin(OnChainAdmin):
    visible_to = staticmethod(selectors.claims_visible_to)
    related = ("claimant", "batch")
    list_display = ["pk", "claimant", "purpose", "payee", "total", "status", "batch"]
    list_filter = ["status"]
    search_fields = ["claimant__name", "purpose", "payee"]
    inlines = [LineInline]
    readonly_fields = [
        "claimant",
        "handler",
        "witness",
        "purpose",
        "payee",
        "expense_date",
        "payment_method",
        "total",
        "status",
        "approver",
        "finance_reason",
        "finance_by",
        "finance_at",
        "batch",
        "paid_at",
        "chain",
    ]


@admin.register(Spending)
class SpendingAdmin(OnChainAdmin):
    visible_to = staticmethod(selectors.spendings_visible_to)
    related = ("requester",)
    list_display = ["pk", "kind", "title", "requester", "amount", "tier", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "requester__name"]
    readonly_fields = [
        "kind",
        "requester",
        "title",
        "purpose",
        "category",
        "amount",
        "needed_on",
        "status",
        "valuable",
        "tier",
        "meeting_decision",
        "county_reference",
        "county_decided_on",
        "chain",
    ]


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["number", "pay_on", "total", "status", "paid_at"]
    list_filter = ["status"]
    readonly_fields = [
        "number",
        "pay_on",
        "total",
        "status",
        "created_by",
        "paid_by",
        "paid_at",
    ]

    def get_queryset(self, request):
        return selectors.batches_visible_to(request.user)


class CustodyInline(ReadOnlyInline):
    model = CustodyEntry
    fields = ["on", "kind", "custodian", "place", "handover", "note", "recorded_by"]


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "category", "value", "acquired_on"]
    search_fields = ["number", "name"]
    readonly_fields = ["number", "name", "category", "value", "acquired_on"]
    inlines = [CustodyInline]

    def get_queryset(self, request):
        return selectors.assets_visible_to(request.user, on=timezone.localdate())


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["pk", "from_person", "to_person", "reason", "status"]
    list_filter = ["status"]
    readonly_fields = [
        "from_person",
        "to_person",
        "reason",
        "status",
        "created_by",
        "from_signed_at",
        "to_signed_at",
    ]

    def get_queryset(self, request):
        return selectors.handovers_visible_to(request.user).select_related(
            "from_person", "to_person"
        )


class ReceptionItemInline(ReadOnlyInline):
    model = ReceptionItem
    fields = ["position", "item", "amount", "approved"]


@admin.register(Reception)
class ReceptionAdmin(OnChainAdmin):
    visible_to = staticmethod(selectors.receptions_visible_to)
    related = ("requester",)
    list_display = [
        "pk",
        "on",
        "guest_unit",
        "kind",
        "requester",
        "estimated_cost",
        "borne_by_person",
        "status",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["guest_unit", "requester__name"]
    inlines = [ReceptionItemInline]
    readonly_fields = [
        "kind",
        "requester",
        "unit",
        "guest_unit",
        "guests",
        "guest_level",
        "purpose",
        "guest_count",
        "companion_count",
        "place",
        "on",
        "standard_per_head",
        "estimated_cost",
        "status",
        "actual_total",
        "borne_by_person",
        "settled_by",
        "settled_at",
        "chain",
    ]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["month", "unit", "income", "expense", "sent_at", "sent_to"]
    readonly_fields = [
        "unit",
        "month",
        "income",
        "claims_paid",
        "fund_uses",
        "receptions",
        "expense",
        "generated_at",
        "generated_by",
        "sent_at",
        "sent_by",
        "sent_to",
    ]

    def get_queryset(self, request):
        return selectors.statements_visible_to(request.user).select_related(
            "unit", "sent_to"
        )


@admin.register(UnitIncome)
class UnitIncomeAdmin(ReadOnlyAdmin):
    list_display = ["month", "unit", "amount", "entered_by"]
    readonly_fields = ["unit", "month", "amount", "note", "entered_by", "entered_at"]

    def get_queryset(self, request):
        if selectors.sees_all_finance(request.user):
            return UnitIncome.objects.select_related("unit", "entered_by")
        return UnitIncome.objects.none()
