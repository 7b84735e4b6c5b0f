"""Staff roster import and export (xlsx and csv) with django-import-export (ORG-1).

The file's columns carry the model's field names in the bureau's language (工号,
名称, 单位 …); the English field names are accepted too. A small file is previewed
first (dry run, row-level errors) and imported in one transaction: a file with any
bad row imports nothing. A large file is checked in memory by `check_roster` in a
Celery task (`bureau.imports`), then imported by the same resource in the task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets
from import_export.instance_loaders import CachedInstanceLoader

from bureau.exports import BureauResource
from bureau.models import Person, Position, Section, StaffCategory, Unit
from bureau.roster_rules import (
    ONE_DIRECTOR,
    columns,
    duplicate_employee_no,
    duplicate_username,
    header_label,
    login_refusal,
    normalise_headers,
    username_problem,
)


class ChoiceWidget(widgets.Widget):
    """Accepts a choice's code or its label (Chinese or English); exports the code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self._lookup = None

    def _labels(self) -> dict[str, str]:
        if self._lookup is None:
            lookup = {}
            for choice in self.choices:
                lookup[choice.value] = choice.value
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        lookup[str(choice.label)] = choice.value
            self._lookup = lookup
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return ""
        try:
            return self._labels()[text]
        except KeyError:
            raise ValueError(
                _("%(value)r is not one of: %(choices)s")
                % {"value": text, "choices": ", ".join(c.value for c in self.choices)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a spreadsheet cell
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    """Text, trimmed; a number read from a spreadsheet cell becomes its digits."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)


class PersonResource(BureauResource):
    employee_no = fields.Field(
        attribute="employee_no", column_name="employee_no", widget=TextWidget()
    )
    name = fields.Field(attribute="name", column_name="name", widget=TextWidget())
    unit = fields.Field(
        attribute="unit",
        column_name="unit",
        widget=widgets.CachedForeignKeyWidget(Unit, field="code"),
    )
    section = fields.Field(
        attribute="section",
        column_name="section",
        widget=widgets.CachedForeignKeyWidget(Section, field="code"),
    )
    position = fields.Field(
        attribute="position", column_name="position", widget=ChoiceWidget(Position)
    )
    title = fields.Field(attribute="title", column_name="title", widget=TextWidget())
    staff_category = fields.Field(
        attribute="staff_category",
        column_name="staff_category",
        widget=ChoiceWidget(StaffCategory),
    )
    phone = fields.Field(attribute="phone", column_name="phone", widget=TextWidget())
    username = fields.Field(column_name="username", widget=TextWidget())
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
        instance_loader_class = CachedInstanceLoader

    def __init__(self, *, checked: bool = False, **kwargs):
        """`checked`: the file passed `check_roster` (the task's import), so the
        per-row uniqueness and constraint queries are left to the database's own
        constraints (a row that breaks one still fails, and nothing is saved)."""
        super().__init__(**kwargs)
        self.checked = checked
        self.progress: Callable[[int], None] | None = None
        self._seen_numbers: dict[str, int] = {}
        self._seen_usernames: dict[str, int] = {}

    # --- export: the headers in the bureau's language ---------------------------

    def get_export_headers(self, selected_fields=None):
        return [
            header_label(f.column_name)
            for f in self.get_export_fields(selected_fields)
            if f
        ]

    def get_diff_headers(self):
        return [header_label(f.column_name) for f in self.get_import_fields()]

    def get_queryset(self):
        return Person.objects.select_related("unit", "section", "user")

    def dehydrate_username(self, person):
        return person.user.get_username() if person.user_id else ""

    # --- import -------------------------------------------------------------------

    def import_data(self, dataset, **kwargs):
        # A file with any bad row imports nothing, also from the admin's import view.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        # Chinese or English headers -> field names; wrong columns: RosterColumnsError.
        self._seen_numbers = {}
        self._seen_usernames = {}
        normalise_headers(dataset)
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if row.get("is_active") in (None, ""):
            row["is_active"] = "1"
        if not row.get("staff_category"):
            row["staff_category"] = StaffCategory.CIVIL_SERVANT.value

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        number = kwargs.get("row_number", 0)
        first = self._seen_numbers.setdefault(instance.employee_no, number)
        if first != number:
            errors.setdefault("employee_no", []).append(
                duplicate_employee_no(instance.employee_no, first)
            )
        username = _text(row.get("username"))
        if username and (
            instance.user_id is None or instance.user.get_username() != username
        ):
            problem = self._login_problem(instance, username, number)
            if problem:
                errors.setdefault("username", []).append(problem)
        if errors:
            raise ValidationError(errors)

    def _login_problem(self, instance, username, number) -> str | None:
        problem = username_problem(username)
        if problem:
            return problem
        first = self._seen_usernames.setdefault(username, number)
        if first != number:
            return duplicate_username(username, first)
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            owner = (
                Person.objects.filter(user=user).values_list("pk", flat=True).first()
            )
            refusal = login_refusal(
                username=username,
                owner_person_id=owner,
                privileged=user.is_staff or user.is_superuser,
                person_id=instance.pk,
            )
            if refusal:
                return refusal
        else:
            user = User(username=username)
            user.set_unusable_password()
            user.save()
        instance.user = user
        return None

    def validate_instance(self, instance, import_validation_errors=None, **kwargs):
        # The preview names a row's wrong cells by the file's headers.
        try:
            if self.checked:
                errors = dict(import_validation_errors or {})
                try:
                    instance.full_clean(
                        exclude=errors.keys(),
                        validate_unique=False,
                        validate_constraints=False,
                    )
                except ValidationError as exc:
                    errors = exc.update_error_dict(errors)
                if errors:
                    raise ValidationError(errors)
            else:
                super().validate_instance(instance, import_validation_errors, **kwargs)
        except ValidationError as exc:
            raise ValidationError(
                {
                    name if name == NON_FIELD_ERRORS else header_label(name): errors
                    for name, errors in exc.message_dict.items()
                }
            ) from None

    def save_instance(self, instance, is_create, row, **kwargs):
        # The history names who imported (also from a Celery task, with no request).
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        super().save_instance(instance, is_create, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        number = kwargs.get("row_number", 0)
        if self.progress is not None and number % 500 == 0:
            self.progress(number)


# --- the in-memory check of a large file ------------------------------------------


@dataclass
class RosterCheck:
    total: int = 0
    errors: list[dict] = field(default_factory=list)  # [{"row": n, "messages": []}]
    totals: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "update": 0, "skip": 0}
    )

    @property
    def ok(self) -> bool:
        return not self.errors


PLAIN_FIELDS = [
    "employee_no",
    "name",
    "position",
    "title",
    "staff_category",
    "phone",
    "is_active",
]
CHUNK = 2000


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def check_roster(
    dataset, *, progress: Callable[[int], None] | None = None, every: int = 1000
) -> RosterCheck:
    """Check every row of a roster file as the import would, without writing.

    A handful of queries for the whole file (units, sections, the people and logins
    the file names, in chunks), then every row is judged in memory: the field
    values and the model's own clean() (without its per-row queries), employee
    numbers and logins given twice, logins that may not be attached (ORG-1), the
    one active director. Raises RosterColumnsError for a wrong header row.
    """
    normalise_headers(dataset)
    resource = PersonResource()
    present = [c.field for c in columns() if c.field in dataset.headers]
    rows = [dict(zip(dataset.headers, row, strict=False)) for row in dataset]
    result = RosterCheck(total=len(rows))

    units = {u.code: u for u in Unit.objects.all()}
    units_by_id = {u.pk: u for u in units.values()}
    sections = {s.code: s for s in Section.objects.all()}
    sections_by_id = {s.pk: s for s in sections.values()}
    numbers = {_text(row.get("employee_no")) for row in rows}
    existing: dict[str, Person] = {}
    for chunk in _chunks(numbers):
        for person in Person.objects.filter(employee_no__in=chunk).select_related(
            "user"
        ):
            existing[person.employee_no] = person
    User = get_user_model()
    usernames = {_text(row.get("username")) for row in rows} - {""}
    users: dict[str, object] = {}
    for chunk in _chunks(usernames):
        for user in User.objects.filter(username__in=chunk).only(
            "pk", "username", "is_staff", "is_superuser"
        ):
            users[user.username] = user
    owners: dict[int, int] = {}
    for chunk in _chunks([u.pk for u in users.values()]):
        owners.update(
            Person.objects.filter(user_id__in=chunk).values_list("user_id", "pk")
        )
    directors = set(
        Person.objects.filter(position=Position.DIRECTOR, is_active=True).values_list(
            "employee_no", flat=True
        )
    )

    seen_numbers: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    file_directors: list[tuple[int, str]] = []
    messages_by_row: dict[int, list[str]] = {}
    for number, row in enumerate(rows, 1):
        messages: list[str] = []
        # As the import: a quoted csv cell unquoted, the defaults filled in.
        resource.before_import_row(row)
        employee_no = _text(row.get("employee_no"))
        old = existing.get(employee_no)
        values = {}
        if old:
            values = {name: getattr(old, name) for name in PLAIN_FIELDS}
            values["unit"] = units_by_id.get(old.unit_id)
            values["section"] = sections_by_id.get(old.section_id)
        for name in present:
            if name in ("username",):
                continue
            raw = row.get(name)
            if name == "unit":
                code = _text(raw)
                values["unit"] = units.get(code)
                if values["unit"] is None:
                    messages.append(
                        f"{header_label('unit')}: "
                        + _("no unit with code %(code)r") % {"code": code}
                    )
            elif name == "section":
                code = _text(raw)
                values["section"] = sections.get(code) if code else None
                if code and values["section"] is None:
                    messages.append(
                        f"{header_label('section')}: "
                        + _("no section with code %(code)r") % {"code": code}
                    )
            else:
                try:
                    values[name] = resource.fields[name].clean(row)
                except (ValueError, ValidationError) as exc:
                    text = "; ".join(getattr(exc, "messages", [str(exc)]))
                    messages.append(f"{header_label(name)}: {text}")
        person = Person(**values)
        if old:
            person.pk = old.pk
        try:
            # The model's rules without its queries: the foreign keys were looked
            # up above, uniqueness and the director are checked over the file.
            person.full_clean(
                exclude=["unit", "section", "user"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                label = header_label(name) if name != "__all__" else ""
                messages.extend(f"{label}: {e}" if label else e for e in errors)
        first = seen_numbers.setdefault(employee_no, number)
        if first != number:
            messages.append(duplicate_employee_no(employee_no, first))
        username = _text(row.get("username"))
        old_username = old.user.get_username() if old and old.user_id else None
        if username and username != old_username:
            problem = username_problem(username)
            if not problem:
                first = seen_usernames.setdefault(username, number)
                if first != number:
                    problem = duplicate_username(username, first)
            if not problem and username in users:
                user = users[username]
                problem = login_refusal(
                    username=username,
                    owner_person_id=owners.get(user.pk),
                    privileged=user.is_staff or user.is_superuser,
                    person_id=old.pk if old else None,
                )
            if problem:
                messages.append(problem)
        if employee_no in directors:
            directors.discard(employee_no)
        if person.position == Position.DIRECTOR and person.is_active:
            file_directors.append((number, employee_no))
        if messages:
            messages_by_row[number] = messages
        elif old is None:
            result.totals["new"] += 1
        elif any(
            getattr(old, name) != getattr(person, name)
            for name in ("name", "position", "title", "staff_category", "phone")
        ) or (
            old.unit_id != getattr(person.unit, "pk", None)
            or old.section_id != getattr(person.section, "pk", None)
            or old.is_active != person.is_active
            or (username and username != old_username)
        ):
            result.totals["update"] += 1
        else:
            result.totals["skip"] += 1
        if progress is not None and number % every == 0:
            progress(number)
    if len(directors) + len(file_directors) > 1:
        for number, _no in file_directors:
            messages_by_row.setdefault(number, []).append(str(ONE_DIRECTOR))
    result.errors = [
        {"row": number, "messages": messages_by_row[number]}
        for number in sorted(messages_by_row)
    ]
    if progress is not None:
        progress(len(rows))
    return result
