"""Staff roster import and export (xlsx and csv) with django-import-export.

A file is previewed first (dry run, row-level errors); a file with any bad row
imports nothing: the whole import runs in one transaction that is rolled back.
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from bureau.models import Person, Position, Section, StaffCategory, Unit


class ChoiceWidget(widgets.Widget):
    """Accepts a choice's code or its label (Chinese or English); exports the code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return ""
        for choice in self.choices:
            labels = {choice.value}
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    labels.add(str(choice.label))
            if text in labels:
                return choice.value
        raise ValueError(
            _("%(value)r is not one of: %(choices)s")
            % {"value": text, "choices": ", ".join(c.value for c in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PersonResource(resources.ModelResource):
    employee_no = fields.Field(attribute="employee_no", column_name="employee_no")
    name = fields.Field(attribute="name", column_name="name")
    unit = fields.Field(
        attribute="unit",
        column_name="unit",
        widget=widgets.ForeignKeyWidget(Unit, field="code"),
    )
    section = fields.Field(
        attribute="section",
        column_name="section",
        widget=widgets.ForeignKeyWidget(Section, field="code"),
    )
    position = fields.Field(
        attribute="position", column_name="position", widget=ChoiceWidget(Position)
    )
    title = fields.Field(attribute="title", column_name="title")
    staff_category = fields.Field(
        attribute="staff_category",
        column_name="staff_category",
        widget=ChoiceWidget(StaffCategory),
    )
    phone = fields.Field(attribute="phone", column_name="phone")
    username = fields.Field(column_name="username")
    is_active = fields.Field(
        attribute="is_active", column_name="is_active", widget=widgets.BooleanWidget()
    )

    class Meta:
        model = Person
        import_id_fields = ["employee_no"]
        fields = [
            "employee_no",
            "name",
            "unit",
            "section",
            "position",
            "title",
            "staff_category",
            "phone",
            "username",
            "is_active",
        ]
        export_order = fields
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_data(self, dataset, **kwargs):
        # A file with any bad row imports nothing, also from the admin's import view.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def get_queryset(self):
        return Person.objects.select_related("unit", "section", "user")

    def dehydrate_username(self, person):
        return person.user.get_username() if person.user_id else ""

    def before_import_row(self, row, **kwargs):
        if row.get("is_active") in (None, ""):
            row["is_active"] = "1"
        if not row.get("staff_category"):
            row["staff_category"] = StaffCategory.CIVIL_SERVANT.value

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        username = (row.get("username") or "").strip()
        if username and (
            instance.user_id is None or instance.user.get_username() != username
        ):
            User = get_user_model()
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
                user.set_unusable_password()
                user.save()
            elif Person.objects.filter(user=user).exclude(pk=instance.pk).exists():
                raise ValueError(
                    _("The login %(username)s belongs to another person.")
                    % {"username": username}
                )
            instance.user = user
