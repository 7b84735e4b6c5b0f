"""Petitions in the admin: the case's matter only (PET-7: the identity, the report
and the statements are not in the admin, so no admin page or history shows them),
scoped by the chapter's selector, read-only; the routing catalogue kept by the
petition officer; the identity access log read-only for the director, the
inspector and the administrator."""

from django.contrib import admin
from django.utils import timezone

from bureau.admin_base import ScopedHistoryAdmin
from petitions import selectors
from petitions.models import Case, Category, IdentityAccess, Route, Township


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = [
        "number",
        "received_on",
        "channel",
        "category",
        "township",
        "status",
    ]
    list_filter = ["status", "channel", "category"]
    search_fields = ["number"]
    show_full_result_count = False
    fields = [
        "number",
        "channel",
        "received_on",
        "summary",
        "category",
        "township",
        "status",
        "section",
        "handler",
        "by_township",
        "owner",
        "major",
        "higher_organ",
        "higher_due",
        "report_due",
        "decision",
        "decision_text",
        "decided_on",
        "outcome",
        "concluded_on",
        "closed_on",
        "merged_into",
    ]
    readonly_fields = fields
    # The history pages list these fields only: never the query code's hash.
    history_list_display = ["status"]

    def get_queryset(self, request):
        return selectors.cases_visible_to(
            request.user, on=timezone.localdate()
        ).select_related("category", "township")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)


class CatalogueAdmin(ScopedHistoryAdmin):
    """The routing catalogue: the petition officer keeps it (PET-1)."""

    def has_module_permission(self, request):
        return selectors.is_officer(request.user) or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request):
        return self.has_module_permission(request) and super().has_add_permission(
            request
        )

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Township)
class TownshipAdmin(CatalogueAdmin):
    list_display = ["name", "order", "is_active"]


@admin.register(Category)
class CategoryAdmin(CatalogueAdmin):
    list_display = ["name", "order", "is_active"]


@admin.register(Route)
class RouteAdmin(CatalogueAdmin):
    list_display = ["category", "township", "section", "to_township"]
    list_filter = ["category"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("category", "township", "section")
        )


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "who", "action", "case", "address", "detail"]
    list_filter = ["action"]
    search_fields = ["who", "case__number"]
    fields = ["at", "who", "action", "case", "address", "detail"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.access_log_visible_to(request.user)

    def has_module_permission(self, request):
        return selectors.reads_access_log(request.user)

    def has_view_permission(self, request, obj=None):
        return selectors.reads_access_log(request.user)
