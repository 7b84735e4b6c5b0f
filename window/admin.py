"""The windows and the catalogue in the admin (the administrator keeps them,
SVC-2); the log, matters, slips, receipts and handovers read-only and scoped by
the window's selectors — they are made by the services only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bureau.admin_base import ScopedHistoryAdmin
from window import rules, selectors
from window.models import (
    Appointment,
    Capacity,
    Commitment,
    Complaint,
    Contact,
    Handover,
    Material,
    Matter,
    Receipt,
    Service,
    ServiceVersion,
    Slip,
    Window,
)


class ReadOnlyAdmin(ScopedHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Window)
class WindowAdmin(ScopedHistoryAdmin):
    list_display = ["name", "unit", "post_a", "post_b", "is_active"]
    list_filter = ["is_active", "unit"]
    search_fields = ["name"]
    list_select_related = ["unit", "post_a", "post_b"]

    def get_queryset(self, request):
        return selectors.windows_visible_to(request.user).select_related(
            "unit", "post_a", "post_b"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Service)
class ServiceAdmin(ScopedHistoryAdmin):
    list_display = ["name", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 3
    fields = ["order", "name", "form", "copies", "issuer"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _cited(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _cited(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _cited(obj)


def _cited(version) -> bool:
    """A version a slip or receipt cites is what the visitor was told: it is never
    changed (SVC-2); a later version is added instead."""
    if version is None or version.pk is None:
        return False
    return version.slips.exists() or version.receipts.exists()


class ServiceVersionForm(forms.ModelForm):
    class Meta:
        model = ServiceVersion
        fields = [
            "service",
            "effective_from",
            "legal_basis",
            "conditions",
            "procedure",
            "statutory_days",
            "committed_days",
            "fee",
            "window",
            "contact",
        ]

    def clean(self):
        data = super().clean()
        committed, statutory = data.get("committed_days"), data.get("statutory_days")
        known = committed is not None and statutory is not None
        if known and not rules.committed_within_statutory(committed, statutory):
            raise forms.ValidationError(
                _(
                    "The committed time limit cannot be longer than the "
                    "statutory one (SVC-2)."
                )
            )
        return data


@admin.register(ServiceVersion)
class ServiceVersionAdmin(ScopedHistoryAdmin):
    form = ServiceVersionForm
    list_display = [
        "service",
        "effective_from",
        "committed_days",
        "statutory_days",
        "fee",
        "window",
    ]
    list_filter = ["service"]
    list_select_related = ["service", "window"]
    date_hierarchy = "effective_from"
    inlines = [MaterialInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _cited(obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = [
        "received_at",
        "window",
        "channel",
        "visitor",
        "summary",
        "outcome",
        "received_by",
        "handed_to",
    ]
    list_filter = ["outcome", "channel", "window"]
    search_fields = ["visitor", "summary"]
    date_hierarchy = "received_at"
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.with_details(selectors.contacts_visible_to(request.user))


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    list_display = ["opened_on", "window", "applicant", "service", "owner", "status"]
    list_filter = ["status", "window"]
    search_fields = ["applicant"]
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.matters_visible_to(request.user).select_related(
            "window", "service", "owner"
        )


@admin.register(Slip)
class SlipAdmin(ReadOnlyAdmin):
    list_display = ["issued_on", "matter", "issued_by", "version"]
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.slips_visible_to(request.user).select_related(
            "matter__service", "issued_by", "version__service"
        )


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["accepted_on", "matter", "accepted_by", "committed_on"]
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.receipts_visible_to(request.user).select_related(
            "matter__service", "accepted_by"
        )


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["at", "window", "from_person", "to_person", "reason"]
    list_filter = ["reason", "window"]
    show_full_result_count = False

    def get_queryset(self, request):
        return Handover.objects.filter(
            window__in=selectors.windows_visible_to(request.user).values("pk")
        ).select_related("window", "from_person", "to_person")


@admin.register(Capacity)
class CapacityAdmin(ScopedHistoryAdmin):
    """SVC-3: the administrator sets a window's appointments per half day for a
    service (the policy window.appointments gives the default)."""

    list_display = ["window", "service", "per_half_day"]
    list_select_related = ["window", "service"]

    def get_queryset(self, request):
        return Capacity.objects.filter(
            window__in=selectors.windows_visible_to(request.user).values("pk")
        ).select_related("window", "service")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["day", "part", "window", "matter", "status", "booked_by"]
    list_filter = ["status", "window"]
    date_hierarchy = "day"
    show_full_result_count = False

    def get_queryset(self, request):
        return Appointment.objects.filter(
            matter__in=selectors.matters_visible_to(request.user).values("pk")
        ).select_related("window", "matter__service", "booked_by")


@admin.register(Commitment)
class CommitmentAdmin(ScopedHistoryAdmin):
    """SVC-5: the published service commitments, kept by the administrator."""

    list_display = ["title", "effective_from", "is_published", "order"]
    list_filter = ["is_published"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "channel", "complainant", "status", "person"]
    list_filter = ["status", "channel"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    exclude = ["code"]

    def get_queryset(self, request):
        return selectors.complaints_visible_to(request.user).select_related(
            "person", "window", "commitment"
        )
