from django.utils import timezone

from bureau.access import sees_calendar_warnings
from bureau.models import Organisation
from bureau.navigation import menu_for, menu_groups
from bureau.workdays import arrangement_warnings


def shell(request):
    """What the base template needs on every page: organisation, menu, warnings."""
    user = getattr(request, "user", None)
    context = {"organisation": Organisation.current()}
    if user is not None and user.is_authenticated:
        context["nav_items"] = menu_for(user)
        context["nav_groups"] = menu_groups(context["nav_items"])
        context["me"] = getattr(user, "person", None)
        if user.is_staff and sees_calendar_warnings(user):
            context["calendar_warnings"] = arrangement_warnings(timezone.localdate())
    return context
