"""Attendance in the admin: scoped through the selectors, read-only where the
records are the system's (corrections go through the correction page, with a
reason), nothing deletable."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from attendance.models import (
    APPROVAL_PREFETCH,
    AwayFromPost,
    GoingOut,
    LongAbsenceFlag,
    MonthClose,
    SessionRecord,
    Sheet,
    SheetStatus,
    StudySession,
)
from attendance.selectors import (
    SCOPE,
    clerk_unit_ids,
    going_outs_visible_to,
    keeps_all_units,
    people_scope,
    records_visible_to,
)
from bureau import readable
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

    exclude = ["outcome_reason", "policy_versions"]
    readonly_fields = ["reason_display", "policy_versions_text"]

    @admin.display(description=_("policy versions"))
    def policy_versions_text(self, obj):
        return readable.policy_versions(obj.policy_versions)

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
    """Read-only: reports are acknowledged or refused through the approval engine
    (admin "Approval requests", or the in-app inbox)."""

    list_display = [
        "person",
        "destination",
        "leaves_at",
        "expected_return",
        "reported_to",
        "status",
        "returned_at",
    ]
    list_filter = ["status", "date"]
    search_fields = ["person__name", "destination"]

    def get_queryset(self, request):
        return (
            going_outs_visible_to(request.user)
            .select_related("person")
            .prefetch_related(*APPROVAL_PREFETCH)
        )

    @admin.display(description=_("reported to"))
    def reported_to(self, obj):
        step = obj.decision_step
        if step is None or step.approver is None:
            return "—"
        if step.acting_for is not None:
            return _("%(person)s (acting for %(principal)s)") % {
                "person": step.approver,
                "principal": step.acting_for,
            }
        return str(step.approver)


@admin.register(AwayFromPost)
class AwayFromPostAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ["person", "date", "part", "left_at", "returned_at", "minutes"]
    list_filter = ["date"]

    def get_queryset(self, request):
        return AwayFromPost.objects.filter(people_scope(request.user, "person__"))


@admin.register(Sheet)
class SheetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["date", "part", "unit", "closed_at", "settled_at", "counts_text"]
    list_filter = ["date", "unit"]
    exclude = ["counts", "policy_versions"]
    readonly_fields = ["counts_text", "policy_versions_text"]

    @admin.display(description=_("counts at closing"))
    def counts_text(self, obj):
        return readable.counted(obj.counts, SheetStatus.choices)

    @admin.display(description=_("policy versions"))
    def policy_versions_text(self, obj):
        return readable.policy_versions(obj.policy_versions)

    def get_queryset(self, request):
        if SCOPE.sees_everyone(request.user):
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
