"""Attendance in the admin: scoped through the selectors, read-only where the
records are the system's (corrections go through the correction page, with a
reason), nothing deletable."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from attendance import services
from attendance.models import (
    AwayFromPost,
    GoingOut,
    LongAbsenceFlag,
    MonthClose,
    SessionRecord,
    Sheet,
    StudySession,
)
from attendance.selectors import (
    clerk_unit_ids,
    going_outs_visible_to,
    keeps_all_units,
    people_scope,
    records_visible_to,
    sees_everyone,
)
from bureau.admin_base import ScopedHistoryAdmin


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SessionRecord)
class SessionRecordAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = [
        "date",
        "part",
        "person",
        "unit",
        "sheet_status",
        "signed_in_at",
        "arrival",
        "signed_out_at",
        "outcome",
        "correct_link",
    ]
    list_filter = ["date", "part", "outcome", "sheet_status", "unit"]
    search_fields = ["person__name", "person__employee_no"]
    date_hierarchy = "date"
    list_select_related = ["person", "unit"]

    exclude = ["outcome_reason"]
    readonly_fields = ["reason_display"]

    def get_queryset(self, request):
        return records_visible_to(request.user).select_related("person", "unit")

    @admin.display(description=_("reason"))
    def reason_display(self, obj):
        # The stored code ("late", "no_sign_in") in words.
        return obj.reason_text

    @admin.display(description=_("Correct"))
    def correct_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("attendance:record_correct", args=[obj.pk]),
            _("Correct"),
        )


@admin.register(GoingOut)
class GoingOutAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = [
        "person",
        "destination",
        "leaves_at",
        "expected_return",
        "approver",
        "status",
        "returned_at",
    ]
    list_filter = ["status", "date"]
    search_fields = ["person__name", "destination"]
    actions = ["acknowledge"]

    def get_queryset(self, request):
        return going_outs_visible_to(request.user).select_related("person", "approver")

    def has_decide_permission(self, request):
        return request.user.has_perm("attendance.decide_goingout")

    @admin.action(
        description=_("Acknowledge the selected reports"), permissions=["decide"]
    )
    def acknowledge(self, request, queryset):
        changed = 0
        for going_out in queryset:
            try:
                _g, did = services.going_out_decide(
                    user=request.user, going_out_id=going_out.pk, acknowledge=True
                )
            except services.AttendanceError as exc:
                self.message_user(request, f"{going_out}: {exc}", messages.WARNING)
                continue
            changed += did
        self.message_user(
            request,
            ngettext(
                "%(n)d report acknowledged.", "%(n)d reports acknowledged.", changed
            )
            % {"n": changed},
        )


@admin.register(AwayFromPost)
class AwayFromPostAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ["person", "date", "part", "left_at", "returned_at", "minutes"]
    list_filter = ["date"]

    def get_queryset(self, request):
        return AwayFromPost.objects.filter(people_scope(request.user, "person__"))


@admin.register(Sheet)
class SheetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["date", "part", "unit", "closed_at", "settled_at", "counts"]
    list_filter = ["date", "unit"]

    def get_queryset(self, request):
        if sees_everyone(request.user):
            return Sheet.objects.select_related("unit")
        # A unit clerk sees their units' sheets.
        return Sheet.objects.filter(
            unit_id__in=sorted(clerk_unit_ids(request.user) or ())
        ).select_related("unit")


@admin.register(StudySession)
class StudySessionAdmin(ScopedHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "ends_at", "settled_at"]
    list_filter = ["kind"]
    fields = [
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "location",
        "units",
        "notes",
        "discussion",
    ]
    filter_horizontal = ["units"]

    # Study sessions are bureau-wide: the all-units clerk keeps them.
    def has_add_permission(self, request):
        return keeps_all_units(request.user)

    def has_change_permission(self, request, obj=None):
        return keeps_all_units(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthClose)
class MonthCloseAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ["year", "month", "is_closed", "reason", "changed_by", "changed_at"]

    def get_queryset(self, request):
        if not keeps_all_units(request.user):
            return MonthClose.objects.none()
        return super().get_queryset(request)


@admin.register(LongAbsenceFlag)
class LongAbsenceFlagAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["person", "kind", "year", "starts_on", "ends_on", "days"]

    def get_queryset(self, request):
        return LongAbsenceFlag.objects.filter(people_scope(request.user, "person__"))
