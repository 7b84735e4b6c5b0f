"""Every change of a trip's state: ask, dispatch (through the approval engine), ask
again after a refusal, and record a trip made without a dispatch (discipline).

The same functions serve the staff page, the admin action and the tests.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from approvals import tiers
from approvals.selectors import current_approval_of
from approvals.services import ApprovalError, approval_decide, approval_submit
from bureau.access import person_of
from bureau.outbox import mail_after_commit
from bureau.params import EVIDENCE_TEXT, SHORT_TEXT, clean_text, validate_date_in_bounds
from bureau.policies import policy_in_force
from discipline.services import violation_record
from tests.toy_chapter.models import Trip
from tests.toy_chapter.policies import CHAINS
from tests.toy_chapter.violations import TRIP_WITHOUT_DISPATCH

KIND = "toy_car_trip"  # ApprovalRequest.kind


class TripError(Exception):
    """A move the rules do not allow; the message is for the user."""


def _check(*, day=None, texts=(), distance=None) -> Decimal | None:
    """Inputs within the bureau's bounds, before anything is written."""
    try:
        validate_date_in_bounds(day)
        for text, limit in texts:
            clean_text(text, max_length=limit)
    except ValidationError as exc:
        raise TripError(exc.messages[0]) from None
    if distance is None:
        return None
    try:
        km = Decimal(str(distance))
    except (InvalidOperation, ValueError):
        raise TripError(_("The distance must be a number of kilometres.")) from None
    if not Decimal("0") < km < Decimal("10000"):
        raise TripError(_("The distance must be a number of kilometres."))
    return km


def _history_user(obj, by):
    if getattr(by, "pk", None):
        obj._history_user = by
    return obj


def _route(trip: Trip, *, by) -> None:
    """Submit the trip's next approval round, by the chain in force on its date."""
    version = policy_in_force(CHAINS, trip.date)
    entry, tier = tiers.choose_chain(version.value, "default", trip.distance_km)
    trip.rule = entry["rule"]
    trip.chain_policy_id = version.id
    trip.status = Trip.Status.REQUESTED
    trip.car = ""
    _history_user(trip, by)
    trip.save(update_fields=["rule", "chain_policy_id", "status", "car"])
    approval_submit(
        subject=trip,
        requester=trip.person,
        chain=tiers.tier_chain(tier),
        by=by,
        kind=KIND,
        summary=_("%(name)s: car to %(place)s on %(date)s")
        % {"name": trip.person.name, "place": trip.destination, "date": trip.date},
        chain_policy_id=version.id,
        on=trip.date,
    )


def trip_submit(
    *, by, date: datetime.date, destination: str, purpose: str, distance_km
) -> Trip:
    """Ask for a car: the trip and its approval are saved together."""
    person = person_of(by)
    if person is None:
        raise TripError(_("Only staff ask for a car."))
    km = _check(
        day=date,
        texts=[(destination, 100), (purpose, SHORT_TEXT)],
        distance=distance_km,
    )
    try:
        with transaction.atomic():
            trip = Trip(
                person=person,
                date=date,
                destination=destination.strip(),
                purpose=purpose.strip(),
                distance_km=km,
            )
            trip.full_clean()
            _history_user(trip, by)
            trip.save()
            _route(trip, by=by)
    except ApprovalError as exc:
        raise TripError(str(exc)) from exc
    trip.refresh_from_db()
    return trip


def trip_resubmit(*, trip: Trip, by) -> Trip:
    """Ask again after a refusal or a withdrawal: the next approval round."""
    person = person_of(by)
    try:
        with transaction.atomic():
            locked = (
                Trip.objects.select_for_update()
                .select_related("person")
                .get(pk=trip.pk)
            )
            if person is None or person.pk != locked.person_id:
                raise TripError(_("Only the person who asked may ask again."))
            if locked.status not in (Trip.Status.REFUSED, Trip.Status.WITHDRAWN):
                raise TripError(_("This trip is not refused or withdrawn."))
            _route(locked, by=by)
    except ApprovalError as exc:
        raise TripError(str(exc)) from exc
    locked.refresh_from_db()
    return locked


def trip_assign_car(*, approval, step, decision, data, by) -> None:
    """Step hook "assign_car" (inside the engine's transaction): the dispatcher's
    positive decision names the car; a refusal assigns none. Raising refuses the
    decision and nothing is saved."""
    if decision not in ("agreed", "approved"):
        return
    car = str(data.get("car") or "").strip()
    if not car:
        raise ApprovalError(_("Name the car assigned to this trip."))
    if len(car) > 20:
        raise ApprovalError(_("A car is named by its plate (at most 20 characters)."))
    trip = Trip.objects.select_for_update().get(pk=approval.object_id)
    taken = (
        Trip.objects.filter(
            date=trip.date,
            car=car,
            status__in=[Trip.Status.REQUESTED, Trip.Status.DISPATCHED],
        )
        .exclude(pk=trip.pk)
        .exists()
    )
    if taken:
        raise ApprovalError(
            _("%(car)s is already assigned on %(date)s.")
            % {"car": car, "date": trip.date}
        )
    trip.car = car
    _history_user(trip, by)
    trip.save(update_fields=["car"])


def trip_on_outcome(approval, outcome: str) -> None:
    """The engine's outcome hook (inside its transaction): the trip takes the
    outcome; the person is told which car, by e-mail after commit (the outbox)."""
    trip, changed = Trip.mirror_approval_outcome(approval, outcome)
    if outcome != "approved" and trip.car:
        trip.car = ""  # a refused trip holds no car
        trip.save(update_fields=["car"])
    if changed and outcome == "approved":
        address = trip.person.user.email if trip.person.user_id else ""
        if address:
            mail_after_commit(
                key=f"toy_cars.dispatched:{approval.pk}",
                subject=_("Car dispatched: %(car)s") % {"car": trip.car},
                body=_("Your trip to %(place)s on %(date)s: car %(car)s.")
                % {"place": trip.destination, "date": trip.date, "car": trip.car},
                to=[address],
            )


def trip_dispatch(
    *, trip: Trip, by, decision: str, car: str = "", comment: str = ""
) -> Trip:
    """Decide the trip's current step through the engine (the approver or their
    stand-in); the dispatcher's step takes the car through the step hook."""
    approval = current_approval_of(trip)
    if approval is None or not approval.is_open:
        raise TripError(_("This trip is not waiting for a decision."))
    try:
        approval_decide(
            request=approval,
            by=by,
            decision=decision,
            comment=comment,
            data={"car": car},
        )
    except ApprovalError as exc:
        raise TripError(str(exc)) from exc
    except IntegrityError:
        # The constraint's last word when two dispatchers race for one car.
        raise TripError(
            _("%(car)s is already assigned on %(date)s.")
            % {"car": car, "date": trip.date}
        ) from None
    trip.refresh_from_db()
    return trip


def trip_record_undispatched(
    *, person, date: datetime.date, destination: str, car: str, evidence: str, by
) -> Trip:
    """A trip found afterwards (the car's log) that had no dispatch: recorded, and a
    violation (TOY-2) whose ladder gives the outcome, in one transaction."""
    _check(day=date, texts=[(destination, 100), (car, 20), (evidence, EVIDENCE_TEXT)])
    with transaction.atomic():
        trip = Trip(
            person=person,
            date=date,
            destination=destination.strip(),
            purpose=evidence.strip()[:SHORT_TEXT],
            distance_km=Decimal("0"),
            status=Trip.Status.UNDISPATCHED,
            car=car.strip(),
        )
        _history_user(trip, by)
        trip.save()
        violation_record(
            person=person,
            occurred_on=date,
            kind=TRIP_WITHOUT_DISPATCH,
            source=trip,
            evidence=evidence,
            by=by,
        )
    return trip
