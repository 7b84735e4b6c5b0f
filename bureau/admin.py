import contextlib
import datetime
import hashlib
import json
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
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
from bureau.params import validate_date_in_bounds
from bureau.policies import policy_in_force, registry
from bureau.policy_editor import PolicyValueForm, shape_hint
from bureau.policy_preview import preview as policy_preview
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
        if "key" not in self.fields:  # a stored version: shown, not rewritten
            return
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


class PolicyVersionForm(forms.Form):
    """When the new version takes effect, and why (the value is PolicyValueForm)."""

    effective_from = forms.DateField(
        label=_("effective from"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[validate_date_in_bounds],
        help_text=_(
            "Records dated from this day on are judged by the new version; earlier "
            "records keep the version they were judged by."
        ),
    )
    note = forms.CharField(
        label=_("note"),
        max_length=200,
        required=False,
        help_text=_("Why this version: the decision or document that set it."),
    )

    def __init__(self, definition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        current = policy_in_force(self.definition.key, timezone.localdate())
        if day <= current.effective_from:
            raise forms.ValidationError(
                gettext(
                    "The new version must take effect after the version in force "
                    "today, which applies from %(date)s."
                )
                % {"date": current.effective_from.isoformat()}
            )
        if Policy.objects.filter(key=self.definition.key, effective_from=day).exists():
            raise forms.ValidationError(
                gettext(
                    "A version already takes effect on %(date)s; choose another day."
                )
                % {"date": day.isoformat()}
            )
        return day


def preview_token(value, day) -> str:
    text = json.dumps([value, day.isoformat()], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def rule_link(rule: str) -> str | None:
    """The rule's page (the "why" pages), when the project has it."""
    try:
        return reverse("rules:rule", args=[rule])
    except NoReverseMatch:
        return None


@admin.register(Policy)
class PolicyAdmin(ScopedHistoryAdmin):
    form = PolicyForm
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

    @admin.display(description=_("new version"))
    def new_version(self, obj):
        if obj.key not in {d.key for d in registry.definitions()}:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bureau_policy_editor", args=[obj.key]),
            gettext("new version"),
        )

    def get_urls(self):
        return [
            path(
                "editor/",
                self.admin_site.admin_view(self.editor_index_view),
                name="bureau_policy_editor_index",
            ),
            path(
                "editor/<str:key>/",
                self.admin_site.admin_view(self.editor_view),
                name="bureau_policy_editor",
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # A stored version is not rewritten: a change is a new version with its own
        # effective date, made in the editor. Only the note may be completed.
        if obj is not None and obj.key in {d.key for d in registry.definitions()}:
            return ["key", "effective_from", "readable_value", "rule"]
        return super().get_readonly_fields(request, obj)

    def get_fields(self, request, obj=None):
        if obj is not None and obj.key in {d.key for d in registry.definitions()}:
            return ["key", "effective_from", "readable_value", "rule", "note"]
        return super().get_fields(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        # The editor is the way to add a version; the JSON form stays only as the
        # "advanced" way (?advanced=1) for a value nobody registered a shape for.
        if request.method == "GET" and "advanced" not in request.GET:
            return redirect("admin:bureau_policy_editor_index")
        return super().add_view(request, form_url, extra_context)

    def _may_edit(self, request) -> bool:
        return is_administrator(request.user) and self.has_add_permission(request)

    def editor_index_view(self, request):
        if not self._may_edit(request):
            raise PermissionDenied
        today = timezone.localdate()
        rows = []
        for definition in sorted(
            registry.definitions(), key=lambda d: (d.key.split(".")[0], d.display_label)
        ):
            version = policy_in_force(definition.key, today)
            rows.append(
                {
                    "definition": definition,
                    "label": definition.display_label,
                    "shape": shape_hint(definition),
                    "value": readable(version.value),
                    "since": version.effective_from,
                    "url": reverse("admin:bureau_policy_editor", args=[definition.key]),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Edit a rule"),
            "rows": rows,
        }
        return TemplateResponse(
            request, "admin/bureau/policy_editor_index.html", context
        )

    def editor_view(self, request, key):
        if not self._may_edit(request):
            raise PermissionDenied
        try:
            definition = registry.get(key)
        except KeyError:
            raise Http404 from None
        today = timezone.localdate()
        current = policy_in_force(key, today)
        data = request.POST if request.method == "POST" else None
        value_form = PolicyValueForm(definition, current.value, data=data)
        next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        version_form = PolicyVersionForm(
            definition, data=data, initial={"effective_from": next_month}
        )
        shown = None
        saved = False
        if data is not None:
            valid = value_form.is_valid() & version_form.is_valid()
            if valid:
                day = version_form.cleaned_data["effective_from"]
                token = preview_token(value_form.value, day)
                # Saved only what was previewed: a value or day changed after the
                # preview is previewed again first.
                if "_save" in data and data.get("previewed") == token:
                    saved = self._save_version(
                        request, definition, value_form, version_form
                    )
                    if saved:
                        self.message_user(
                            request,
                            gettext(
                                "The new version of “%(policy)s” takes effect on "
                                "%(date)s."
                            )
                            % {"policy": definition.display_label, "date": day},
                            messages.SUCCESS,
                        )
                        return redirect(
                            reverse("admin:bureau_policy_changelist") + f"?key={key}"
                        )
                shown = policy_preview(key, value_form.value, day, request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("New version of “%(policy)s”")
            % {"policy": definition.display_label},
            "definition": definition,
            "description": gettext(str(definition.description)),
            "rule_url": rule_link(definition.rule),
            "shape": shape_hint(definition),
            "current": current,
            "current_value": readable(current.value),
            "value_form": value_form,
            "value_html": value_form.render_value(),
            "version_form": version_form,
            "preview": shown,
            "preview_token": preview_token(shown.new, shown.new_from) if shown else "",
            "preview_old": readable(shown.old) if shown else "",
            "preview_new": readable(shown.new) if shown else "",
            "preview_later": [(d, readable(v)) for d, v in shown.later]
            if shown
            else [],
            "index_url": reverse("admin:bureau_policy_editor_index"),
        }
        return TemplateResponse(request, "admin/bureau/policy_editor.html", context)

    def _save_version(self, request, definition, value_form, version_form) -> bool:
        day = version_form.cleaned_data["effective_from"]
        policy = Policy(
            key=definition.key,
            effective_from=day,
            value=value_form.value,
            note=version_form.cleaned_data["note"],
        )
        try:
            policy.full_clean()
            with transaction.atomic():
                policy.save()
        except (IntegrityError, ValidationError):
            version_form.add_error(
                "effective_from",
                gettext(
                    "A version already takes effect on %(date)s; choose another day."
                )
                % {"date": day.isoformat()},
            )
            return False
        return True


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
