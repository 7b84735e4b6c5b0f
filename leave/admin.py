"""Leave in the admin: scoped by the leave selector; the attendance clerk records
filings (LV-10). Decisions are taken on the approvals desk (approvals admin)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from approvals.admin import chain_html
from attachments.admin import AttachmentInline
from bureau.access import is_administrator
from bureau.admin_base import ScopedHistoryAdmin, form_action
from bureau.forms import BoundedDateField
from leave import selectors, services
from leave.models import AnnualLeaveEntitlement, LeaveRequest


class FilingForm(forms.Form):
    reference = forms.CharField(
        label=_("Filing reference"), max_length=100, required=False
    )
    filed_on = BoundedDateField(
        label=_("Filed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class FiledFilter(admin.SimpleListFilter):
    title = _("filing")
    parameter_name = "filed"

    def lookups(self, request, model_admin):
        return [("no", _("Approved, not filed")), ("yes", _("Filed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(
                status=LeaveRequest.Status.APPROVED, filed_on__isnull=True
            )
        if self.value() == "yes":
            return queryset.filter(filed_on__isnull=False)
        return queryset


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ScopedHistoryAdmin):
    list_display = [
        "person",
        "leave_type",
        "start_date",
        "end_date",
        "days",
        "status",
        "where",
        "filed_with",
    ]
    list_filter = ["status", FiledFilter, "leave_type"]
    search_fields = ["person__name"]
    date_hierarchy = "start_date"
    show_full_result_count = False
    actions = ["record_filing"]
    inlines = [AttachmentInline]
    readonly_fields = [
        "person",
        "leave_type",
        "start_date",
        "start_half",
        "end_date",
        "end_half",
        "days",
        "reason",
        "handover_note",
        "status",
        "rule",
        "is_retroactive",
        "leader_consent",
        "returned_at",
        "actual_end_date",
        "actual_end_half",
        "actual_days",
        "filed_with",
        "filed_on",
        "filing_reference",
        "filed_by",
        "chain",
        "links",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.with_chain(
            selectors.leave_requests_visible_to(request.user, on=timezone.localdate())
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Out of scope (e.g. another unit's leave for a unit clerk) is 404 here as
        # on the history pages, not a redirect that confirms the id exists.
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_file_permission(self, request):
        return request.user.has_perm("leave.file_leaverequest") and selectors.can_file(
            request.user
        )

    @admin.display(description=_("waiting at"))
    def where(self, obj):
        approval = obj.approval
        step = approval.current_step() if approval else None
        return f"{step.get_action_display()} · {step.who}" if step else "—"

    @admin.display(description=_("chain"))
    def chain(self, obj):
        approval = obj.approval
        return chain_html(approval) if approval else "—"

    @admin.display(description=_("links"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("leave:detail", args=[obj.pk]),
            gettext("Page"),
        )

    @admin.action(permissions=["file"], description=_("Record the filing (LV-10)"))
    def record_filing(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=FilingForm,
            initial={"filed_on": timezone.localdate()},
            title=gettext("Record the filing (LV-10)"),
            apply=lambda leave, cleaned: services.leave_file(
                leave=leave, by=request.user, **cleaned
            ),
            error_class=services.LeaveError,
            done_message=gettext("%(n)s leave requests filed."),
        )


@admin.register(AnnualLeaveEntitlement)
class AnnualLeaveEntitlementAdmin(ScopedHistoryAdmin):
    """LV-11: the administrator sets a person's annual leave for a year (an override
    of the policy `leave.annual_days_default`); only the administrator sees it."""

    list_display = ["person", "year", "days", "note"]
    list_filter = ["year"]
    search_fields = ["person__name", "person__employee_no"]
    autocomplete_fields = ["person"]
    fields = ["person", "year", "days", "note"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("person")
        return qs if is_administrator(request.user) else qs.none()

    def _allowed(self, request):
        return is_administrator(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)
