"""Admin pages of duty: rosters, days, swaps and the log are read here (scoped by
the selectors, history read-only) and changed on the duty pages through the
services; the comprehensive section acknowledges filed rosters here too."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bureau.admin_base import ScopedHistoryAdmin
from duty import selectors, services
from duty.models import Assignment, DutyDay, LogEntry, Roster, Swap


class ReadOnlyAdmin(ScopedHistoryAdmin):
    """Written by the services only (the duty pages): no add, change, delete."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Roster)
class RosterAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "unit", "starts_on", "ends_on", "filing"]
    list_filter = ["kind", "filing", "unit"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"
    readonly_fields = [
        "kind",
        "title",
        "unit",
        "starts_on",
        "ends_on",
        "filing",
        "filed_at",
        "filed_by",
        "acknowledged_at",
        "acknowledged_by",
        "created_by",
        "confirmed_warnings",
    ]
    actions = ["acknowledge"]

    def get_queryset(self, request):
        return selectors.rosters_visible_to(request.user).select_related("unit")

    def has_acknowledge_permission(self, request):
        return request.user.has_perm("duty.acknowledge_roster") and (
            selectors.is_arranger(request.user)
        )

    @admin.action(
        permissions=["acknowledge"], description=_("Acknowledge the filed rosters")
    )
    def acknowledge(self, request, queryset):
        done = 0
        for roster in queryset:
            try:
                services.roster_acknowledge(by=request.user, roster=roster)
            except services.DutyError as exc:
                self.message_user(request, f"{roster}: {exc}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(n)s roster acknowledged.", "%(n)s rosters acknowledged.", done)
            % {"n": done},
        )


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["slot", "person", "arrived_at", "arrival"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DutyDay)
class DutyDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "roster", "leader"]
    list_filter = ["roster__kind"]
    date_hierarchy = "date"
    readonly_fields = ["roster", "date", "leader"]
    inlines = [AssignmentInline]

    def get_queryset(self, request):
        return selectors.days_with_log_visible_to(request.user).select_related(
            "roster", "leader"
        )


@admin.register(Swap)
class SwapAdmin(ReadOnlyAdmin):
    list_display = ["roster", "giver", "given_date", "taker", "returned_date", "status"]
    list_filter = ["status"]
    readonly_fields = [
        "roster",
        "giver",
        "given_date",
        "taker",
        "returned_date",
        "reason",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    ]

    def get_queryset(self, request):
        return selectors.swaps_visible_to(request.user).select_related(
            "roster", "giver", "taker"
        )


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "kind", "day", "caller", "recorded_by", "notified"]
    list_filter = ["kind"]
    search_fields = ["content", "caller"]
    readonly_fields = [
        "day",
        "kind",
        "occurred_at",
        "caller",
        "content",
        "handling",
        "recorded_by",
        "recorded_at",
        "leader_notified",
        "notified_at",
    ]

    def get_queryset(self, request):
        return selectors.log_entries_visible_to(request.user).select_related(
            "day__roster", "recorded_by", "leader_notified"
        )

    @admin.display(description=_("leader notified"))
    def notified(self, obj):
        if obj.notified_at is None:
            return ""
        return gettext("%(name)s at %(time)s") % {
            "name": obj.leader_notified,
            "time": obj.notified_at.strftime("%m-%d %H:%M"),
        }
