"""The petition officer's desk and the owning leader's cases (PET-6) on the home
page; no names (PET-7). Nothing, and no query, for anyone else."""

from django.urls import reverse

from bureau.access import person_of
from petitions import selectors
from petitions.models import Case


def sees_petitions(user) -> bool:
    return person_of(user) is not None


def desk_panel(request, person, today):
    if person is None or not selectors.is_officer(request.user):
        return None
    return {
        "open": Case.objects.exclude(
            status__in=[Case.Status.CLOSED, Case.Status.MERGED]
        ).count(),
        "overdue": selectors.overdue_count(today),
        "url": reverse("petitions:list"),
    }


def owned_panel(request, person, today):
    if person is None or not selectors.is_leader(person):
        return None
    cases = selectors.cases_owned_by(person)
    if not cases:
        return None
    for case in cases:
        case.overdue = case.next_due is not None and case.next_due < today
    return {"cases": cases}
