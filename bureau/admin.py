import contextlib
import json

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from bureau import workdays
from bureau.access import is_administrator
from bureau.admin_base import ScopedHistoryAdmin
from bureau.models import (
    ActingAssignment,
    CalendarDay,
    ClerkAssignment,
    HolidayArrangement,
    Organisation,
    Person,
    Policy,
    Role,
    SeasonalSchedule,
    Section,
    Unit,
)
from bureau.policies import policy_in_force, registry
from bureau.resources import PersonResource

admin.site.site_header = _("Bureau administration")
admin.site.site_title = _("Bureau administration")
admin.site.index_title = _("What is yours to decide and keep")


@admin.register(Organisation)
class OrganisationAdmin(ScopedHistoryAdmin):
    list_display = ["name", "short_name", "doc_code"]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["name", "code", "head", "deputy_in_charge", "is_comprehensive", "order"]
    autocomplete_fields = ["head", "deputy_in_charge"]


@admin.register(Unit)
class UnitAdmin(ScopedHistoryAdmin):
    list_display = ["name", "kind", "head", "deputy_in_charge", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["head", "deputy_in_charge"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(ScopedHistoryAdmin):
    list_display = ["name", "unit", "head", "deputy_in_charge", "is_comprehensive"]
    list_filter = ["unit", "is_comprehensive"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["head", "deputy_in_charge"]


@admin.register(Person)
class PersonAdmin(ImportExportMixin, ScopedHistoryAdmin):
    resource_classes = [PersonResource]
    formats = [XLSX, CSV]
    list_display = [
        "name",
        "employee_no",
        "unit",
        "section",
        "position",
        "title",
        "staff_category",
        "is_active",
    ]
    list_filter = ["unit", "section", "position", "staff_category", "is_active"]
    search_fields = ["name", "employee_no", "user__username"]
    list_select_related = ["unit", "section"]
    autocomplete_fields = ["user"]


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(ScopedHistoryAdmin):
    list_display = ["principal", "stand_in", "starts_on", "ends_on", "reason"]
    list_select_related = ["principal", "stand_in"]
    autocomplete_fields = ["principal", "stand_in"]
    date_hierarchy = "starts_on"


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedHistoryAdmin):
    list_display = ["date", "is_working_day", "kind", "name", "source"]
    list_filter = ["kind", "source", "is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        # An edit by hand is the bureau's override: re-seeding a year keeps it.
        obj.source = CalendarDay.Source.OVERRIDE
        super().save_model(request, obj, form, change)


class HolidayArrangementForm(forms.ModelForm):
    holidays_text = forms.CharField(
        label=_("Holidays"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_(
            "One per line: a date or a range and the holiday's name, e.g. "
            "2027-02-05~2027-02-13 春节"
        ),
    )
    workdays_text = forms.CharField(
        label=_("Make-up working days"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Weekend days that are working days, e.g. 2027-02-14 春节调休"),
    )

    class Meta:
        model = HolidayArrangement
        fields = ["year", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            days = CalendarDay.objects.filter(date__year=self.instance.year).exclude(
                source=CalendarDay.Source.OVERRIDE
            )
            self.fields["holidays_text"].initial = "\n".join(
                f"{d.date} {d.name}" for d in days if not d.is_working_day
            )
            self.fields["workdays_text"].initial = "\n".join(
                f"{d.date} {d.name}" for d in days if d.is_working_day
            )

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if not year:
            return cleaned
        try:
            cleaned["holidays"] = workdays.parse_day_list(
                cleaned.get("holidays_text", ""), year=year
            )
            cleaned["workdays"] = workdays.parse_day_list(
                cleaned.get("workdays_text", ""), year=year
            )
        except workdays.ArrangementError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if not cleaned["holidays"]:
            raise forms.ValidationError(_("An arrangement lists at least one holiday."))
        try:
            workdays.validate_arrangement(
                year=year, holidays=cleaned["holidays"], workdays=cleaned["workdays"]
            )
        except workdays.ArrangementError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned


@admin.register(HolidayArrangement)
class HolidayArrangementAdmin(ScopedHistoryAdmin):
    form = HolidayArrangementForm
    list_display = ["year", "document", "source", "entered_at"]
    actions = ["seed_from_package"]

    def save_model(self, request, obj, form, change):
        try:
            saved = workdays.arrangement_enter(
                year=form.cleaned_data["year"],
                holidays=form.cleaned_data["holidays"],
                workdays=form.cleaned_data["workdays"],
                document=form.cleaned_data.get("document", ""),
            )
        except workdays.ArrangementError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        obj.pk = saved.pk

    @admin.action(
        description=_("Reload from the calendar package"), permissions=["change"]
    )
    def seed_from_package(self, request, queryset):
        done = 0
        for arrangement in queryset:
            try:
                workdays.arrangement_from_package(arrangement.year)
                done += 1
            except workdays.ArrangementError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        self.message_user(
            request, gettext("%(n)d year(s) reloaded.") % {"n": done}, messages.SUCCESS
        )


@admin.register(SeasonalSchedule)
class SeasonalScheduleAdmin(ScopedHistoryAdmin):
    list_display = [
        "name",
        "unit",
        "starts_month",
        "starts_day",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
    ]
    list_filter = ["unit"]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["key", "effective_from", "value", "note"]
        widgets = {"key": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].widget.choices = [
            (d.key, f"{d.key} ({d.rule})") for d in registry.definitions()
        ]
        key = self.initial.get("key") or self.data.get("key")
        if key:
            with contextlib.suppress(KeyError):
                definition = registry.get(key)
                self.fields["value"].help_text = gettext(
                    "%(rule)s — %(description)s Rulebook default: %(default)s"
                ) % {
                    "rule": definition.rule,
                    "description": definition.description,
                    "default": json.dumps(definition.default, ensure_ascii=False),
                }


@admin.register(Policy)
class PolicyAdmin(ScopedHistoryAdmin):
    form = PolicyForm
    list_display = ["key", "rule", "effective_from", "in_force_today", "value", "note"]
    list_filter = ["key"]
    search_fields = ["key", "note"]

    @admin.display(description=_("in force today"), boolean=True)
    def in_force_today(self, obj):
        try:
            return policy_in_force(obj.key, timezone.localdate()).id == obj.pk
        except KeyError:
            return False

    @admin.display(description=_("rule"))
    def rule(self, obj):
        try:
            return registry.get(obj.key).rule
        except KeyError:
            return "?"


@admin.register(ClerkAssignment)
class ClerkAssignmentAdmin(ScopedHistoryAdmin):
    """Which units an attendance clerk keeps (none: every unit), for attendance
    and leave alike (bureau.scoping). The administrator's to set."""

    list_display = ["person", "unit"]
    list_filter = ["unit"]
    search_fields = ["person__name", "person__employee_no"]
    list_select_related = ["person", "unit"]

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)

    def get_queryset(self, request):
        if not is_administrator(request.user):
            return ClerkAssignment.objects.none()
        return super().get_queryset(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = Person.objects.filter(
                user__groups__name=Role.ATTENDANCE_CLERK
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
