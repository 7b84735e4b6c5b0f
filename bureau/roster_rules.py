"""ORG-1 roster files: their columns and the rules a row must pass, without queries.

The import in the admin (django-import-export, small files) and the in-memory check
of large files (`bureau.resources.check_roster`, in a Celery task) both judge a row
with these functions, so both say the same thing about the same file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.models import Person


@dataclass(frozen=True)
class Column:
    field: str  # the resource's field name, also accepted as a header
    label: object  # the header written on export: the model field's verbose name
    aliases: tuple[str, ...] = ()  # other headers people type


def _label(model_field: str):
    return Person._meta.get_field(model_field).verbose_name


def columns() -> list[Column]:
    return [
        Column("employee_no", _label("employee_no"), ("工号", "员工编号")),
        Column("name", _label("name"), ("姓名",)),
        Column("unit", _label("unit"), ("单位代码",)),
        Column("section", _label("section"), ("股室代码",)),
        Column("position", _label("position"), ()),
        Column("title", _label("title"), ()),
        Column("staff_category", _label("staff_category"), ()),
        Column("phone", _label("phone"), ("手机", "联系电话")),
        Column("username", _label("user"), ("登录名", "用户名", "账号")),
        Column("is_active", _label("is_active"), ("在职", "是否在职")),
    ]


REQUIRED = ("employee_no", "name", "unit", "position")


class RosterColumnsError(ValueError):
    """The file's header row is not the roster's: the message names the columns."""


def header_label(field: str) -> str:
    for column in columns():
        if column.field == field:
            return str(column.label)
    return field


def _key(header) -> str:
    return "" if header is None else str(header).strip().lower()


def header_lookup() -> dict[str, str]:
    """Every accepted header (normalised) -> the field: the field's name, its
    Chinese and English verbose names and the aliases."""
    lookup: dict[str, str] = {}
    for column in columns():
        keys = {column.field, *column.aliases}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                keys.add(str(column.label))
        for key in keys:
            lookup[_key(key)] = column.field
    return lookup


def map_headers(headers, column_is_empty=lambda index: False) -> list[str | None]:
    """The field of each header (None for an empty header over an empty column).

    Raises RosterColumnsError naming the missing, unknown and repeated columns.
    """
    lookup = header_lookup()
    fields: list[str | None] = []
    unknown, repeated = [], []
    for index, header in enumerate(headers or []):
        key = _key(header)
        if not key and column_is_empty(index):
            fields.append(None)
            continue
        field = lookup.get(key)
        if field is None:
            unknown.append(
                str(header).strip()
                if key
                else _("column %(n)d (no header)") % {"n": index + 1}
            )
            fields.append(None)
        elif field in fields:
            repeated.append(str(header).strip())
            fields.append(None)
        else:
            fields.append(field)
    missing = [header_label(field) for field in REQUIRED if field not in fields]
    problems = []
    if missing:
        problems.append(
            _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}
        )
    if unknown:
        problems.append(
            _("Unknown columns: %(columns)s.") % {"columns": "、".join(unknown)}
        )
    if repeated:
        problems.append(
            _("Columns given twice: %(columns)s.") % {"columns": "、".join(repeated)}
        )
    if problems:
        problems.append(
            _("A roster file has the columns %(columns)s (the first %(n)d required).")
            % {
                "columns": "、".join(str(c.label) for c in columns()),
                "n": len(REQUIRED),
            }
        )
        raise RosterColumnsError(" ".join(problems))
    return fields


def normalise_headers(dataset) -> None:
    """Rename the dataset's headers to the resource's field names, in place."""

    def column_is_empty(index):
        return all(
            value is None or str(value).strip() == ""
            for value in dataset.get_col(index)
        )

    fields = map_headers(dataset.headers, column_is_empty)
    dataset.headers = [
        field or f"__ignored_{index}" for index, field in enumerate(fields)
    ]


def username_problem(username: str) -> str | None:
    """Why `username` cannot be a login name (the User model's own validators)."""
    field = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
    try:
        field.clean(username, None)
    except ValidationError as exc:
        return _("Login name %(username)s: %(problem)s") % {
            "username": username,
            "problem": " ".join(exc.messages),
        }
    return None


def login_refusal(
    *,
    username: str,
    owner_person_id: int | None,
    privileged: bool,
    person_id: int | None,
) -> str | None:
    """ORG-1: a row may attach an existing login only if it is nobody else's.

    Refused: a login that belongs to another person, and an administrator's or
    staff login that belongs to no person (e.g. the superuser's): attaching it
    would give the row's person that account and its rights.
    """
    if owner_person_id is not None and owner_person_id != person_id:
        return _("The login %(username)s belongs to another person.") % {
            "username": username
        }
    if owner_person_id is None and privileged:
        return _(
            "The login %(username)s is an administrator's account: it cannot be "
            "attached to a person."
        ) % {"username": username}
    return None


def duplicate_employee_no(employee_no: str, first_row: int) -> str:
    return _("Employee number %(value)s is already in row %(row)d of this file.") % {
        "value": employee_no,
        "row": first_row,
    }


def duplicate_username(username: str, first_row: int) -> str:
    return _("Login %(value)s is already used in row %(row)d of this file.") % {
        "value": username,
        "row": first_row,
    }


ONE_DIRECTOR = gettext_lazy("Only one active person can be the director.")
