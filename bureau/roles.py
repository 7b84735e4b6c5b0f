"""Groups and permissions per role (ORG-1).

Each role is a Django group named by its code. Apps grant their permissions to roles
in their AppConfig.ready() with `grant`; after `migrate`, `sync_groups` makes the
groups hold exactly what was granted.

The bureau's own roles are `bureau.models.Role`; a chapter that brings a duty of its
own (a dispatcher, a window clerk) registers it with `register_role` from its
`ready()`, and it is then a role like the others: its group is created and synced,
and `admin=True` gives its holders the admin (is_staff), as ADMIN_ROLES does.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import Group, Permission

from bureau.models.org import ADMIN_ROLES, POSITION_ROLE, POSITION_ROLES, Position, Role

_GRANTS: dict[str, set[str]] = defaultdict(set)
# Roles registered by chapters: code -> (label, works in the admin).
_REGISTERED: dict[str, tuple[object, bool]] = {}


def register_role(code: str, label, *, admin: bool = False) -> None:
    """A chapter's duty, e.g. register_role("dispatcher", _("Dispatcher"),
    admin=True). The same call twice is a no-op; a code the bureau or another
    chapter already uses is refused."""
    if code in Role.values:
        raise ValueError(f"{code!r} is one of the bureau's own roles")
    if code in _REGISTERED and _REGISTERED[code] != (label, admin):
        raise ValueError(f"role {code!r} is already registered differently")
    _REGISTERED[code] = (label, admin)


def unregister_role(code: str) -> None:
    _REGISTERED.pop(code, None)


def role_codes() -> list[str]:
    """Every role: the bureau's, then the chapters' in registration order."""
    return [*Role.values, *_REGISTERED]


def role_label(code: str):
    if code in Role.values:
        return Role(code).label
    return _REGISTERED.get(code, (code, False))[0]


def admin_role_codes() -> set[str]:
    return {r.value for r in ADMIN_ROLES} | {
        code for code, (_label, admin) in _REGISTERED.items() if admin
    }


def grant(role: str, permissions: list[str]) -> None:
    """Grant `app_label.codename` permissions to a role's group."""
    _GRANTS[role].update(permissions)


def granted(role: str) -> set[str]:
    return set(_GRANTS.get(role, set()))


def sync_groups() -> None:
    by_name = {}
    for perm in Permission.objects.select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role in role_codes():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [
            by_name[name] for name in sorted(_GRANTS.get(role, ())) if name in by_name
        ]
        group.permissions.set(wanted)


def sync_person_roles(person) -> None:
    """Keep the login's position group and staff flag in step with the person."""
    user = person.user
    if user is None:
        return
    position_role = POSITION_ROLE[Position(person.position)]
    current = set(user.groups.values_list("name", flat=True))
    stale = (current & {r.value for r in POSITION_ROLES}) - {position_role.value}
    if stale:
        user.groups.remove(*Group.objects.filter(name__in=stale))
    if position_role.value not in current:
        group, _created = Group.objects.get_or_create(name=position_role.value)
        user.groups.add(group)
    names = (current - stale) | {position_role.value}
    should_be_staff = bool(names & admin_role_codes()) and person.is_active
    changed = []
    if user.is_staff != should_be_staff and not user.is_superuser:
        user.is_staff = should_be_staff
        changed.append("is_staff")
    if user.is_active != person.is_active:
        user.is_active = person.is_active
        changed.append("is_active")
    if user.first_name != person.name[:150]:
        # The admin greets people (and lists deciders) by their name.
        user.first_name = person.name[:150]
        changed.append("first_name")
    if changed:
        user.save(update_fields=changed)
    person._role_names = names
    user._bureau_roles = names
