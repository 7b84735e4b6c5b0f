"""Menu entries and home-page panels of the vehicles chapter."""

from bureau.access import has_role, person_of
from bureau.models import Role
from vehicles import selectors
from vehicles.models import Trip
from vehicles.roles import DISPATCHER


def sees_board(user) -> bool:
    return has_role(user, DISPATCHER)


def sees_my_trips(user) -> bool:
    return person_of(user) is not None


def sees_public_list(user) -> bool:
    return person_of(user) is not None or user.is_superuser


def dispatch_panel(request, person, today):
    """Requests waiting for dispatch; nothing (and no query) for anyone else."""
    if person is None or not has_role(request.user, DISPATCHER):
        return None
    return {
        "count": Trip.objects.filter(status=Trip.Status.REQUESTED).count(),
        "licences": selectors.licences_to_warn(today),
    }


def driver_panel(request, person, today):
    """The driver's trips of today and tomorrow; nothing for anyone else."""
    if person is None or not has_role(request.user, Role.DRIVER):
        return None
    trips = list(
        selectors.with_related(
            Trip.objects.filter(
                driver__person=person,
                status__in=[Trip.Status.DISPATCHED, Trip.Status.OUT],
            )
        ).order_by("starts_at")[:5]
    )
    return {"trips": trips}


def sees_repairs(user) -> bool:
    return (
        has_role(user, DISPATCHER)
        or has_role(user, Role.DRIVER)
        or has_role(user, Role.UNIT_HEAD)
        or has_role(user, Role.FINANCE_OFFICER)
    )
