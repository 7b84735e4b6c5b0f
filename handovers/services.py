"""Every change of state of a handover (DOC-6): started (with a leave request or by
hand for a trip), acknowledged by the colleague named, cancelled with its leave."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.notify import notify_person
from bureau.access import person_of
from bureau.models import Person
from bureau.params import LONG_TEXT, clean_text
from handovers import rules
from handovers.models import Handover
from handovers.registry import open_matters_of


class HandoverError(Exception):
    """A move DOC-6 does not allow; the message is for the user."""


def _history(obj, by):
    if getattr(by, "pk", None):
        obj._history_user = by
    return obj


def handover_open(
    *,
    by,
    colleague: Person | None,
    start_date: datetime.date,
    end_date: datetime.date,
    kind: str = Handover.Kind.TRIP,
    note: str = "",
    person: Person | None = None,
    subject=None,
) -> Handover:
    """Hand the matters in progress of `person` (the acting user's person by
    default) over to `colleague` from `start_date` to `end_date`; the colleague is
    told. Called inside the caller's transaction when it belongs to a record (a
    leave request): a refusal raises HandoverError before anything is written."""
    person = person or person_of(by)
    if person is None:
        raise HandoverError(_("This login is not linked to a person."))
    if kind not in Handover.Kind.values:
        raise HandoverError(_("Choose the reason of the absence."))
    try:
        note = clean_text(note or "", max_length=LONG_TEXT).strip()
    except ValidationError as exc:
        raise HandoverError(exc.messages[0]) from None
    problem = rules.handover_problem(
        person_id=person.pk,
        colleague_id=getattr(colleague, "pk", None),
        colleague_active=bool(colleague and colleague.is_active),
        start_date=start_date,
        end_date=end_date,
    )
    if problem:
        raise HandoverError(problem)
    handover = Handover(
        person=person,
        colleague=colleague,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        note=note,
        started_by=by,
    )
    if subject is not None:
        handover.subject_type = ContentType.objects.get_for_model(subject)
        handover.subject_id = subject.pk
    with transaction.atomic():
        _history(handover, by)
        handover.full_clean()
        handover.save()
        notify_person(
            colleague,
            title=_("%(name)s hands matters over to you (%(start)s–%(end)s)")
            % {"name": person.name, "start": start_date, "end": end_date},
            body=note,
            url=handover.get_absolute_url(),
        )
    return handover


def handover_acknowledge(*, handover: Handover, by) -> Handover:
    """DOC-6: the colleague named acknowledges; the matters open at that moment
    are kept on the record, and the person handing over is told."""
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        me = person_of(by)
        problem = rules.acknowledge_problem(
            status=locked.status,
            is_colleague=me is not None and me.pk == locked.colleague_id,
            waiting=Handover.Status.WAITING,
        )
        if problem:
            raise HandoverError(problem)
        locked.status = Handover.Status.ACKNOWLEDGED
        locked.acknowledged_at = timezone.now()
        locked.matters = [m.as_dict() for m in open_matters_of(locked.person_id)]
        _history(locked, by)
        locked.save(update_fields=["status", "acknowledged_at", "matters"])
        notify_person(
            locked.person,
            title=_("%(name)s has acknowledged your handover")
            % {"name": locked.colleague.name},
            url=locked.get_absolute_url(),
        )
    return locked


def handover_cancel(*, handover: Handover, by) -> Handover:
    """The person cancels a handover started by hand (a trip called off) while it
    is still waiting; a leave's handover goes with its leave request."""
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        me = person_of(by)
        if me is None or me.pk != locked.person_id:
            raise HandoverError(_("Only the person handing over cancels it."))
        if locked.subject_id is not None:
            raise HandoverError(
                _("This handover belongs to a leave request; withdraw the request.")
            )
        if locked.status == Handover.Status.CANCELLED:
            return locked
        locked.status = Handover.Status.CANCELLED
        _history(locked, by)
        locked.save(update_fields=["status"])
    return locked


def handover_cancel_for(*, subject, by) -> int:
    """The record a handover belongs to is withdrawn or refused (a leave request):
    its handover is cancelled. Returns how many were (0 or 1)."""
    found = list(
        Handover.objects.select_for_update()
        .filter(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
        )
        .exclude(status=Handover.Status.CANCELLED)
    )
    for handover in found:
        handover.status = Handover.Status.CANCELLED
        _history(handover, by)
        handover.save(update_fields=["status"])
    return len(found)
