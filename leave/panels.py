"""The home page's "my requests" panel (the foundation's "my day")."""

from django.db.models import Q

from leave import selectors
from leave.models import LeaveRequest


def my_requests_panel(request, person, today):
    """Requests still waiting, and approved leave not over yet: at most five."""
    if person is None:
        return None
    items = list(
        selectors.my_requests(person)
        .filter(
            Q(status=LeaveRequest.Status.PENDING)
            | Q(status=LeaveRequest.Status.APPROVED, end_date__gte=today)
        )
        .order_by("start_date")[:5]
    )
    return {"items": items}
