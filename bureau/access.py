"""Small questions about what a login may do, shared by views, admin and templates."""

from bureau.models import Person, Role


def person_of(user) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def has_role(user, role: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_bureau_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._bureau_roles = cached
    return role in cached


def remember_roles(user, names: set[str]) -> None:
    """The login's roles read elsewhere (bureau.backends, with its permissions)."""
    user._bureau_roles = names


def forget_roles(sender, instance, action, reverse, **kwargs) -> None:
    """m2m_changed of a login's groups: its remembered roles are read again."""
    if reverse or not action.startswith("post_"):
        return
    instance.__dict__.pop("_bureau_roles", None)
    person = instance._state.fields_cache.get("person")
    if person is not None:
        person.__dict__.pop("_role_names", None)


def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser) or has_role(
        user, Role.ADMINISTRATOR
    )


def sees_calendar_warnings(user) -> bool:
    return is_administrator(user) or has_role(user, Role.ATTENDANCE_CLERK)
