"""Handovers in the admin: read only, scoped by the selector (DOC-6); started and
acknowledged on the handover pages through the services."""

from django.contrib import admin

from bureau.admin_base import ScopedHistoryAdmin
from handovers import selectors
from handovers.models import Handover


@admin.register(Handover)
class HandoverAdmin(ScopedHistoryAdmin):
    list_display = [
        "person",
        "colleague",
        "kind",
        "start_date",
        "end_date",
        "status",
        "acknowledged_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["person", "colleague"]
    exclude = ["matters", "subject_type", "subject_id"]

    def get_queryset(self, request):
        return selectors.handovers_visible_to(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)
