"""The login backend: Django's, except that the signed-in user of every request is
read with their person in the same query (one query less wherever a page asks
`person_of(user)` — nearly every page, and sign-in at 08:00), and that the first
permission check reads the login's own permissions, its groups' permissions and its
groups' names (its roles, bureau.access.has_role) in one query instead of three."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value

from bureau.access import remember_roles


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and obj is None
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_user_perm_cache")
            and not hasattr(user_obj, "_group_perm_cache")
        ):
            _load_permissions_and_roles(user_obj)
        return super()._get_permissions(user_obj, obj, from_name)


def _load_permissions_and_roles(user) -> None:
    """Django's two permission caches and the roles, from one UNION ALL: a row per
    own permission (no group name), a row per group and permission of the group
    (a group without permissions: one row without)."""
    own = (
        Permission.objects.filter(user=user)
        .annotate(group_name=Value(None, output_field=CharField()))
        .values_list("content_type__app_label", "codename", "group_name")
        .order_by()
    )
    groups = (
        Group.objects.filter(user=user)
        .values_list(
            "permissions__content_type__app_label", "permissions__codename", "name"
        )
        .order_by()
    )
    user_perms, group_perms, roles = set(), set(), set()
    for app_label, codename, group_name in own.union(groups, all=True):
        if group_name is None:
            user_perms.add(f"{app_label}.{codename}")
            continue
        roles.add(group_name)
        if codename is not None:
            group_perms.add(f"{app_label}.{codename}")
    user._user_perm_cache = user_perms
    user._group_perm_cache = group_perms
    remember_roles(user, roles)
