"""Trips in the admin: scoped by the chapter's selector, read-only, history in scope
and read-only (ScopedHistoryAdmin); the dispatch action goes through the service."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from approvals.admin import chain_html
from bureau.admin_base import ScopedHistoryAdmin, form_action
from tests.toy_chapter import selectors, services
from tests.toy_chapter.forms import DispatchForm
from tests.toy_chapter.models import Trip


@admin.register(Trip)
class TripAdmin(ScopedHistoryAdmin):
    list_display = ["date", "person", "destination", "distance_km", "status", "car"]
    list_filter = ["status"]
    search_fields = ["person__name", "destination"]
    show_full_result_count = False
    actions = ["decide"]
    readonly_fields = [
        "person",
        "date",
        "destination",
        "purpose",
        "distance_km",
        "status",
        "car",
        "rule",
        "chain",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.with_chain(
            selectors.trips_visible_to(request.user, on=timezone.localdate())
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)  # out of scope: 404, not a redirect
        return super().change_view(request, object_id, form_url, extra_context)

    # Trips are made through the service: nobody adds, edits or deletes them here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        # The engine's deciders (the dispatcher decides on the chapter's page).
        return request.user.has_perm("approvals.decide_approvalrequest")

    @admin.display(description=_("chain"))
    def chain(self, obj):
        approval = obj.current_approval
        return chain_html(approval) if approval else "—"

    @admin.action(permissions=["decide"], description=_("Decide the selected trips"))
    def decide(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=DispatchForm,
            title=gettext("Decide the selected trips"),
            apply=lambda trip, cleaned: services.trip_dispatch(
                trip=trip, by=request.user, **cleaned
            ),
            error_class=services.TripError,
            done_message=gettext("%(n)s trips decided."),
        )
