from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.access import sees_calendar_warnings
from bureau.models import Organisation
from bureau.navigation import menu_for, menu_groups
from bureau.workdays import arrangement_warnings


def shell(request):
    """What the base template needs on every page: organisation, menu, warnings."""
    user = getattr(request, "user", None)
    context = {"organisation": Organisation.current()}
    if settings.DEMO_CLOCK:  # the embedded demo outside working hours
        now = timezone.localtime()
        context["demo_clock"] = _(
            "Demo clock: outside working hours this demo runs from the start of "
            "the next work session, so that signing in can be tried (demo "
            "time %(demo)s, real time %(real)s). “python3 dev.py up --real-clock” "
            "runs it on the real time."
        ) % {
            "demo": now.strftime("%Y-%m-%d %H:%M"),
            "real": (now - settings.DEMO_CLOCK).strftime("%Y-%m-%d %H:%M"),
        }
    if user is not None and user.is_authenticated:
        context["nav_items"] = menu_for(user)
        context["nav_groups"] = menu_groups(context["nav_items"])
        context["me"] = getattr(user, "person", None)
        if user.is_staff and sees_calendar_warnings(user):
            context["calendar_warnings"] = arrangement_warnings(timezone.localdate())
    return context
