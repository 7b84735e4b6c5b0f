import contextlib
import json
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm, SelectableFieldsExportForm

from bureau import imports, workdays
from bureau.access import is_administrator
from bureau.admin_base import ScopedHistoryAdmin
from bureau.exports import BureauImportExportMixin
from bureau.forms import LongTextField
from bureau.models import (
    ActingAssignment,
    CalendarDay,
    ClerkAssignment,
    HolidayArrangement,
    ImportJob,
    Organisation,
    OutboxMessage,
    Person,
    Policy,
    Role,
    SeasonalSchedule,
    Section,
    Unit,
)
from bureau.policies import policy_in_force, registry
from bureau.readable import readable
from bureau.resources import PersonResource
from bureau.roles import role_label
from bureau.roster_rules import RosterColumnsError, header_label, normalise_headers

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


class RosterImportForm(ImportForm):
    """The import form, which reads the file once to name wrong columns (ORG-1)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats
        self.dataset = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        chosen = cleaned.get("format")
        if not upload or chosen in (None, ""):
            return cleaned
        format_class = self.format_classes[int(chosen)]
        content = b"".join(upload.chunks())
        try:
            dataset = imports.read_dataset(content, imports.format_key(format_class))
        except Exception:  # any parser's error: the file is not what it says
            raise forms.ValidationError(
                {
                    "import_file": gettext(
                        "The file could not be read as %(format)s: choose the "
                        "file's format."
                    )
                    % {"format": format_class().get_title()}
                }
            ) from None
        try:
            normalise_headers(dataset)
        except RosterColumnsError as exc:
            raise forms.ValidationError({"import_file": str(exc)}) from None
        self.dataset = dataset
        self.content = content
        self.format_class = format_class
        return cleaned


class RosterExportForm(SelectableFieldsExportForm):
    """The export's column choices, labelled as the file's headers."""

    def _get_field_label(self, resource, field_name):
        return header_label(field_name)


@admin.register(Person)
class PersonAdmin(BureauImportExportMixin, ScopedHistoryAdmin):
    resource_classes = [PersonResource]
    import_form_class = RosterImportForm
    export_form_class = RosterExportForm
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

    def get_urls(self):
        return [
            path(
                "import/jobs/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="bureau_person_import_job",
            ),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        """A file over ROSTER_IMPORT_TASK_ROWS rows goes to a task (bureau.imports);
        a smaller one is previewed here as before."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "import_file" in request.FILES:
            form = self.create_import_form(request)
            if form.is_valid() and len(form.dataset) > settings.ROSTER_IMPORT_TASK_ROWS:
                job = imports.import_job_create(
                    by=request.user,
                    file_name=form.cleaned_data["import_file"].name,
                    file_format=imports.format_key(form.format_class),
                    data=form.content,
                    total_rows=len(form.dataset),
                )
                return redirect("admin:bureau_person_import_job", job_id=job.pk)
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "fields_list" in context:
            # The columns the file needs, as the export writes them.
            context["fields_list"] = [
                (name, [header_label(f) for f in names])
                for name, names in context["fields_list"]
            ]
        return response

    def import_job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id, kind="roster")
        if request.method == "POST":
            try:
                job = imports.import_job_confirm(job=job, by=request.user)
            except imports.ImportJobError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:bureau_person_import_job", job_id=job.pk)
        done = imports.import_job_progress(job)
        return TemplateResponse(
            request,
            "admin/bureau/person_import_job.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Roster import: %(file)s") % {"file": job.file_name},
                "job": job,
                "done_rows": done,
                "percent": min(100, done * 100 // job.total_rows)
                if job.total_rows
                else 0,
                "changelist_url": reverse("admin:bureau_person_changelist"),
                "import_url": reverse("admin:bureau_person_import"),
                "can_confirm": job.status == ImportJob.Status.VALID,
            },
        )


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
    holidays_text = LongTextField(
        label=_("Holidays"),
        rows=10,
        required=False,
        help_text=_(
            "One per line: a date or a range and the holiday's name, e.g. "
            "2027-02-05~2027-02-13 春节"
        ),
    )
    workdays_text = LongTextField(
        label=_("Make-up working days"),
        rows=5,
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


RULE_PREFIX = re.compile(r"[A-Z]+-\d+|SYS")


class PolicyKeyFilter(admin.SimpleListFilter):
    title = _("policy")
    parameter_name = "key"

    def lookups(self, request, model_admin):
        return sorted(
            ((d.key, d.display_label) for d in registry.definitions()),
            key=lambda pair: pair[1],
        )

    def queryset(self, request, queryset):
        return queryset.filter(key=self.value()) if self.value() else queryset


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["key", "effective_from", "value", "note"]
        widgets = {"key": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].widget.choices = [
            (d.key, d.display_label)
            for d in sorted(registry.definitions(), key=lambda d: d.display_label)
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
    list_display = [
        "label",
        "effective_from",
        "in_force_today",
        "readable_value",
        "note_text",
        "rule",
    ]
    list_filter = [PolicyKeyFilter]
    search_fields = ["key", "note"]

    @admin.display(description=_("policy"), ordering="key")
    def label(self, obj):
        return registry.label(obj.key)

    @admin.display(description=_("value"))
    def readable_value(self, obj):
        return readable(obj.value)

    @admin.display(description=_("note"))
    def note_text(self, obj):
        # "ATT-2: rulebook default": the rule ID goes to help text.
        rule, sep, rest = obj.note.partition(": ")
        if sep and RULE_PREFIX.fullmatch(rule):
            if rest == "rulebook default":  # written by load_defaults
                rest = gettext("rulebook default")
            return format_html('{} <small class="help">{}</small>', rest, rule)
        return obj.note

    @admin.display(description=_("in force today"), boolean=True)
    def in_force_today(self, obj):
        try:
            return policy_in_force(obj.key, timezone.localdate()).id == obj.pk
        except KeyError:
            return False

    @admin.display(description=_("rule"))
    def rule(self, obj):
        # The rule ID is a reference for who reads the rulebook: help text.
        try:
            rule = registry.get(obj.key).rule
        except KeyError:
            rule = "?"
        return format_html('<small class="help">{}</small>', rule)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: what waits, what failed and why (bureau.outbox). Rows are put back
    with `manage.py outbox_sweep --release-stuck/--retry-failed`, never by hand."""

    list_display = ["key", "kind", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["key"]
    readonly_fields = [
        "kind",
        "key",
        "payload",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


# Groups are the roles (ORG-1): their names are codes the code looks up
# (`bureau_staff`); people read the role's label ("科员").
def _group_label(group) -> str:
    return str(role_label(group.name))


Group.__str__ = _group_label


class RoleGroupAdmin(DjangoGroupAdmin):
    list_display = ["role"]

    @admin.display(description=_("role"), ordering="name")
    def role(self, obj):
        return _group_label(obj)


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
