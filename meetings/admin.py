"""Admin pages of meetings: the kinds of meeting are data the administrator keeps;
meetings, items and decisions are read here (scoped by the selectors, history
read-only) and changed on the meetings pages through the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from attachments.admin import AttachmentInline
from bureau.access import is_administrator
from bureau.admin_base import ScopedHistoryAdmin
from meetings import selectors
from meetings.models import Attendance, Decision, Item, Meeting, MeetingKind


class ReadOnlyAdmin(ScopedHistoryAdmin):
    """Written by the services only (the meetings pages): no add, change, delete."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingKind)
class MeetingKindAdmin(ScopedHistoryAdmin):
    list_display = [
        "name",
        "minutes_name",
        "chair_rule",
        "participants",
        "monthly",
        "reminder_day",
        "is_active",
    ]
    filter_horizontal = ["members"]

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request):
        return is_administrator(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        # Minutes numbers and decisions hang on a kind: retire it (in use: off).
        return False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ["person", "status", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = [
        "planned_on",
        "kind",
        "title",
        "status",
        "held_on",
        "chair",
        "minutes_reference",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    date_hierarchy = "planned_on"
    inlines = [AttendanceInline]
    readonly_fields = [
        "kind",
        "title",
        "planned_on",
        "part",
        "place",
        "chair",
        "status",
        "held_on",
        "notes",
        "minutes_year",
        "minutes_number",
        "created_by",
        "recorded_by",
        "recorded_at",
        "cancelled_by",
        "cancelled_at",
        "cancel_reason",
    ]

    def get_queryset(self, request):
        return selectors.meetings_visible_to(request.user).select_related(
            "kind", "chair"
        )

    @admin.display(description=_("minutes number"))
    def minutes_reference(self, obj):
        return obj.minutes_reference


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "proposer", "status", "proposed_at", "meeting"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    # The materials: download links (the item's own scope asked again).
    inlines = [AttachmentInline]
    readonly_fields = [
        "kind",
        "title",
        "description",
        "unit",
        "section",
        "proposed_by",
        "proposed_at",
        "status",
        "meeting",
        "agenda_order",
        "withdrawn_at",
        "withdraw_reason",
    ]

    def get_queryset(self, request):
        return selectors.items_visible_to(request.user).select_related(
            "kind", "section", "unit", "meeting"
        )

    @admin.display(description=_("proposed by"))
    def proposer(self, obj):
        return obj.proposer_label


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["citation", "item", "held_on"]
    search_fields = ["text", "item__title"]
    readonly_fields = ["meeting", "item", "number", "text"]

    def get_queryset(self, request):
        return selectors.decisions_visible_to(request.user).select_related(
            "meeting__kind", "item"
        )

    @admin.display(description=_("reference"))
    def citation(self, obj):
        return obj.citation

    @admin.display(description=_("held on"))
    def held_on(self, obj):
        return obj.meeting.held_on
