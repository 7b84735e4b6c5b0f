"""The home page's "waiting for my decision" panel and who sees the inbox."""

from django.urls import reverse

from approvals import selectors
from bureau.access import person_of
from bureau.models import Position, Role


def sees_inbox(user) -> bool:
    person = person_of(user)
    return person is not None and (
        person.position != Position.SECTION_STAFF
        and person.position != Position.UNIT_STAFF
        or user.has_perm("approvals.decide_approvalrequest")
    )


def waiting_panel(request, person, today):
    if person is None:
        return None
    waiting = selectors.waiting_for(person, today).select_related("requester")
    items = list(waiting.order_by("submitted_at")[:5])
    # The document clerk records the county's decisions (LV-3, LV-4): those wait
    # for them too, on the admin desk.
    county = None
    if person.has_role(Role.DOCUMENT_CLERK):
        county = selectors.waiting_for_county().count()
    if not items and county is None and not sees_inbox(request.user):
        return None
    return {
        "items": items,
        "count": waiting.count() if len(items) == 5 else len(items),
        "county": county,
        "county_url": reverse("admin:approvals_approvalrequest_changelist")
        + "?waiting=external",
    }
