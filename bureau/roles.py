"""Groups and permissions per role (ORG-1).

Each role is a Django group named by its code. Apps grant their permissions to roles
in their AppConfig.ready() with `grant`; after `migrate`, `sync_groups` makes the
groups hold exactly what was granted.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import Group, Permission

from bureau.models.org import ADMIN_ROLES, POSITION_ROLE, POSITION_ROLES, Position, Role

_GRANTS: dict[str, set[str]] = defaultdict(set)


def grant(role: str, permissions: list[str]) -> None:
    """Grant `app_label.codename` permissions to a role's group."""
    _GRANTS[role].update(permissions)


def granted(role: str) -> set[str]:
    return set(_GRANTS.get(role, set()))


def sync_groups() -> None:
    by_name = {}
    for perm in Permission.objects.select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
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
    should_be_staff = bool(names & {r.value for r in ADMIN_ROLES}) and person.is_active
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
