"""Staff pages: my deadlines, and the leaders' dashboard of overdue items."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bureau.access import person_of
from deadlines import selectors

MINE_LIMIT = 200


@require_GET
def mine(request):
    """Every open deadline I answer for, soonest first."""
    today = timezone.localdate()
    person = person_of(request.user)
    items = (
        selectors.my_open_deadlines(person, today, limit=MINE_LIMIT) if person else []
    )
    return render(request, "deadlines/mine.html", {"items": items, "today": today})


@require_GET
def dashboard(request):
    """Leaders: overdue and soon-due deadlines per section of the people in their
    charge (the director and administrators: the whole bureau)."""
    if not selectors.sees_others(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "deadlines/dashboard.html",
        {
            "today": today,
            "sections": selectors.overdue_by_section(request.user, today),
            "items": selectors.overdue_items(request.user, today),
        },
    )
