"""Every change at the service windows: a contact logged with its outcome (SVC-1),
the one-time notification slip and the acceptance receipt it issues (SVC-1,
SVC-2), a hand-off taken over, a leader's answer, an accepted matter handled, a
handover between the A and B posts (SVC-4)."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.notify import notify_person
from bureau.access import person_of
from bureau.models import Person, Role
from bureau.params import LONG_TEXT, SHORT_TEXT, clean_text, validate_date_in_bounds
from bureau.policies import policy_in_force
from bureau.workdays import is_working_day
from deadlines.registry import kind_of
from deadlines.services import (
    calendar_exceptions,
    deadline_cancel_for,
    deadline_meet_for,
    deadline_open,
)
from discipline.services import violation_record
from numbering.services import number_take
from window import rules, selectors
from window.models import (
    COMMITTED_DEADLINE,
    RECEIPT_SERIES,
    SLIP_SERIES,
    Appointment,
    Capacity,
    Commitment,
    Complaint,
    Contact,
    Handover,
    Matter,
    Receipt,
    Slip,
    Window,
)
from window.policies import APPOINTMENTS, TIME_LIMITS

ONE_TIME_NOTICE = "discipline.one_time_notice"  # DIS-2 (discipline.kinds)

REQUIREMENT_MESSAGES = {
    "service": lambda: _("Choose the service of the catalogue the matter concerns."),
    "missing": lambda: _(
        "Tick every material still missing: a one-time notification slip lists at "
        "least one."
    ),
    "handed_to": lambda: _("A hand-off names the person who receives it."),
    "leader": lambda: _("Name the leader who is asked."),
    "note": lambda: _("Write what was explained, or the reason of the refusal."),
    "basis": lambda: _("A refusal states its basis (the provision it rests on)."),
}


class WindowError(Exception):
    """A move the window's rules refuse; the message is for the user."""


def _history(obj, by):
    if getattr(by, "pk", None) and getattr(by, "is_authenticated", False):
        obj._history_user = by
    return obj


def _actor(by) -> Person:
    person = person_of(by)
    if person is None:
        raise WindowError(_("Only staff with a place in the bureau work at a window."))
    return person


def _text(value: str, limit: int, *, multiline: bool = False) -> str:
    try:
        return clean_text(value or "", max_length=limit, multiline=multiline).strip()
    except ValidationError as exc:
        raise WindowError(exc.messages[0]) from None


def _check_day(day: datetime.date) -> None:
    try:
        validate_date_in_bounds(day)
    except ValidationError as exc:
        raise WindowError(exc.messages[0]) from None


def _is_post(window: Window, person: Person) -> bool:
    return person.pk in (window.post_a_id, window.post_b_id)


# --- SVC-1: a contact and its outcome ---------------------------------------------------


def contact_log(
    *,
    window: Window,
    visitor: str,
    summary: str,
    outcome: str,
    by,
    channel: str = Contact.Channel.VISIT,
    phone: str = "",
    service=None,
    matter: Matter | None = None,
    missing=(),
    note: str = "",
    basis: str = "",
    handed_to: Person | None = None,
    leader: Person | None = None,
    at: datetime.datetime | None = None,
) -> Contact:
    """SVC-1: log a visitor or a call with the person who received it (the acting
    officer, 首问责任人) and its outcome. Accepting issues a numbered receipt with
    the committed date; incomplete materials a numbered one-time notification slip
    from the catalogue version in force (SVC-2); a hand-off names its receiver, who
    sees it in their queue. A matter continues when the visitor comes back.
    Refused with a message, nothing saved, when anything is missing."""
    me = _actor(by)
    at = at or timezone.now()
    day = timezone.localtime(at).date()
    _check_day(day)
    if not window.is_active or not _is_post(window, me):
        raise WindowError(_("Only the window's A and B posts log its contacts."))
    if outcome not in Contact.Outcome.values:
        raise WindowError(_("Choose one of the outcomes."))
    if channel not in Contact.Channel.values:
        raise WindowError(_("Choose visit or phone call."))
    visitor = _text(visitor, 50)
    summary = _text(summary, SHORT_TEXT)
    phone = _text(phone, 30)
    note = _text(note, LONG_TEXT, multiline=True)
    basis = _text(basis, SHORT_TEXT)
    if not visitor:
        raise WindowError(_("Write the visitor's or caller's name."))
    if not summary:
        raise WindowError(_("Write what was asked."))
    if matter is not None:
        if matter.window_id != window.pk:
            raise WindowError(_("The matter belongs to another window."))
        service = matter.service
    missing = list(missing)
    given = {
        name
        for name, value in {
            "service": service,
            "missing": missing,
            "handed_to": handed_to,
            "leader": leader,
            "note": note,
            "basis": basis,
        }.items()
        if value
    }
    unmet = rules.unmet_requirements(outcome, given)
    if unmet:
        raise WindowError(REQUIREMENT_MESSAGES[unmet[0]]())
    if outcome == Contact.Outcome.HANDED_OFF:
        if handed_to.pk == me.pk:
            raise WindowError(_("A hand-off goes to someone else."))
        if not handed_to.is_active:
            raise WindowError(_("The receiver no longer works in the bureau."))
    if outcome == Contact.Outcome.ASKED_LEADER and (
        leader.pk == me.pk or not selectors.leaders().filter(pk=leader.pk).exists()
    ):
        raise WindowError(_("Ask a leader: a section or unit head or above."))
    version = None
    if outcome in (Contact.Outcome.ACCEPTED, Contact.Outcome.NOTIFIED):
        version = selectors.version_in_force(service.pk, day)
        if version is None:
            raise WindowError(
                _("The catalogue has no version of %(service)s in force on %(day)s.")
                % {"service": service, "day": day.isoformat()}
            )
    materials = []
    if outcome == Contact.Outcome.NOTIFIED:
        ids = {getattr(m, "pk", m) for m in missing}
        materials = list(version.materials.filter(pk__in=ids))
        if len(materials) != len(ids):
            raise WindowError(
                _("Tick only materials of the catalogue version in force (%(v)s).")
                % {"v": version}
            )

    with transaction.atomic():
        if matter is not None:
            matter = Matter.objects.select_for_update().get(pk=matter.pk)
            if not matter.is_open:
                raise WindowError(_("The matter is closed already."))
        accepted_before = (
            outcome == Contact.Outcome.ACCEPTED
            and matter is not None
            and Receipt.objects.filter(matter=matter).exists()
        )
        if accepted_before:
            raise WindowError(_("The matter is accepted already."))
        if matter is None and service is not None:
            matter = _history(
                Matter(
                    window=window,
                    service=service,
                    applicant=visitor,
                    phone=phone,
                    owner=me,
                    opened_on=day,
                ),
                by,
            )
            matter.save()
        contact = _history(
            Contact(
                window=window,
                channel=channel,
                received_at=at,
                received_by=me,
                visitor=visitor,
                phone=phone,
                service=service,
                matter=matter,
                summary=summary,
                outcome=outcome,
                note=note,
                basis=basis,
                handed_to=handed_to if outcome == Contact.Outcome.HANDED_OFF else None,
                leader=leader if outcome == Contact.Outcome.ASKED_LEADER else None,
            ),
            by,
        )
        contact.full_clean()
        contact.save()
        new_status = {
            Contact.Outcome.HANDLED: Matter.Status.HANDLED,
            Contact.Outcome.ACCEPTED: Matter.Status.ACCEPTED,
            Contact.Outcome.NOTIFIED: Matter.Status.AWAITING,
            Contact.Outcome.REFUSED: Matter.Status.REFUSED,
        }.get(outcome)
        if matter is not None and new_status and matter.status != new_status:
            matter.status = new_status
            if new_status == Matter.Status.HANDLED:
                matter.handled_on = day
            _history(matter, by).save(update_fields=["status", "handled_on"])
            _clock_close(matter, new_status, by=by, on=day)
        if outcome == Contact.Outcome.NOTIFIED:
            _slip_issue(contact=contact, version=version, materials=materials, by=by)
        elif outcome == Contact.Outcome.ACCEPTED:
            _receipt_issue(contact=contact, version=version, by=by)
        elif outcome == Contact.Outcome.HANDED_OFF:
            notify_person(
                handed_to,
                title=_("Handed to you at %(window)s: %(summary)s")
                % {"window": window, "summary": summary},
                body=_("%(visitor)s, received by %(officer)s. Take it over.")
                % {"visitor": visitor, "officer": me.name},
                url=reverse("window:contact", args=[contact.pk]),
            )
        elif outcome == Contact.Outcome.ASKED_LEADER:
            notify_person(
                leader,
                title=_("A question from %(window)s: %(summary)s")
                % {"window": window, "summary": summary},
                body=_("Asked by %(officer)s.") % {"officer": me.name},
                url=reverse("window:contact", args=[contact.pk]),
            )
    return contact


def _slip_issue(*, contact: Contact, version, materials, by) -> Slip:
    """SVC-2: the slip, numbered, with every missing material at once; a later
    slip asking for a material an earlier one of the matter should have listed is
    a one-time-notification violation (DIS-2), flagged to the inspector."""
    matter = contact.matter
    day = timezone.localtime(contact.received_at).date()
    earlier = list(
        Slip.objects.filter(matter=matter)
        .select_related("issued_by")
        .prefetch_related("missing", "version__materials")
        .order_by("issued_on", "pk")
    )
    slip = _history(
        Slip(
            matter=matter,
            contact=contact,
            version=version,
            issued_on=day,
            issued_by=contact.received_by,
        ),
        by,
    )
    slip.save()
    slip.missing.set(materials)
    number_take(series=SLIP_SERIES, owner=slip, by=by, on=day)
    if earlier:
        first = earlier[0]
        breach = rules.one_time_breach(
            asked_before={m.name for s in earlier for m in s.missing.all()},
            required_before={m.name for m in first.version.materials.all()},
            asked_now={m.name for m in materials},
        )
        if breach:
            _flag_breach(slip=slip, first=first, names=sorted(breach), by=by)
    return slip


def _flag_breach(*, slip: Slip, first: Slip, names: list[str], by):
    evidence = _(
        "%(matter)s: the slip of %(now)s asks for %(names)s, which the slip of "
        "%(then)s did not list although the catalogue required it."
    ) % {
        "matter": slip.matter,
        "now": slip.issued_on.isoformat(),
        "names": "、".join(names),
        "then": first.issued_on.isoformat(),
    }
    violation = violation_record(
        person=first.issued_by,
        occurred_on=slip.issued_on,
        kind=ONE_TIME_NOTICE,
        source=slip,
        evidence=evidence[:1000],
        by=by,
        needs_decision=True,
    )
    for inspector in Person.objects.filter(
        is_active=True, user__groups__name=Role.DISCIPLINE_INSPECTOR
    ):
        notify_person(
            inspector,
            title=_("One-time notification to examine: %(who)s")
            % {"who": first.issued_by.name},
            body=evidence,
            url=reverse("window:matter", args=[slip.matter_id]),
        )
    return violation


def _receipt_issue(*, contact: Contact, version, by) -> Receipt:
    """SVC-1: the numbered receipt; the committed date is the version's committed
    time limit counted from the day of acceptance (policy window.time_limits:
    working days of the bureau's calendar by default), by the deadline engine's
    rule."""
    day = timezone.localtime(contact.received_at).date()
    limits = policy_in_force(TIME_LIMITS, day)
    committed = rules.committed_date(
        accepted_on=day,
        days=version.committed_days,
        day_type=limits["day_type"],
        exceptions=calendar_exceptions(day),
    )
    receipt = _history(
        Receipt(
            matter=contact.matter,
            contact=contact,
            version=version,
            accepted_on=day,
            accepted_by=contact.received_by,
            committed_on=committed,
            policy_id=limits.id,
        ),
        by,
    )
    receipt.save()
    number_take(series=RECEIPT_SERIES, owner=receipt, by=by, on=day)
    receipt_clock_open(receipt, by=by)
    return receipt


def receipt_clock_open(receipt: Receipt, *, by=None):
    """SVC-1: the committed date as a live clock on the deadline engine (kind
    `window.committed`), owned by the matter's first-inquiry officer: due on the
    date printed on the receipt, reminded and escalated per the kind's policy.
    Opened once per matter (a second call returns the clock already there)."""
    kind = kind_of(COMMITTED_DEADLINE)
    day_type = policy_in_force(kind.policy_key, receipt.accepted_on).value["day_type"]
    length = rules.period_length(
        start=receipt.accepted_on,
        due=receipt.committed_on,
        day_type=day_type,
        exceptions=calendar_exceptions(receipt.accepted_on),
    )
    return deadline_open(
        kind=COMMITTED_DEADLINE,
        record=receipt.matter,
        start=receipt.accepted_on,
        by=by,
        responsible=receipt.matter.owner,
        length=length,
    )


def _clock_close(matter: Matter, status: str, *, by, on: datetime.date) -> None:
    """SVC-1: handling the matter meets its committed-date clock (met by the date,
    else missed); refusing it cancels the clock (nothing is owed any more)."""
    if status == Matter.Status.HANDLED:
        deadline_meet_for(matter, COMMITTED_DEADLINE, by=by, on=on)
    elif status == Matter.Status.REFUSED:
        deadline_cancel_for(matter, COMMITTED_DEADLINE, by=by, on=on)


def contact_take(*, contact: Contact, by) -> Contact:
    """首接责任人: the receiver of a hand-off takes it over (once)."""
    me = _actor(by)
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if locked.handed_to_id != me.pk:
            raise WindowError(_("Only the receiver takes over a hand-off."))
        if locked.taken_at is not None:
            return locked
        locked.taken_at = timezone.now()
        _history(locked, by).save(update_fields=["taken_at"])
    return locked


def contact_answer(*, contact: Contact, answer: str, by) -> Contact:
    """SVC-1: the leader asked answers an unclear matter; the officer who asked is
    told."""
    me = _actor(by)
    answer = _text(answer, LONG_TEXT, multiline=True)
    if not answer:
        raise WindowError(_("Write the answer."))
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if locked.leader_id != me.pk:
            raise WindowError(_("Only the leader asked answers."))
        if locked.answered_at is not None:
            raise WindowError(_("The question is answered already."))
        locked.answer = answer
        locked.answered_at = timezone.now()
        _history(locked, by).save(update_fields=["answer", "answered_at"])
        notify_person(
            locked.received_by,
            title=_("%(leader)s answered: %(summary)s")
            % {"leader": me.name, "summary": locked.summary},
            body=answer,
            url=reverse("window:contact", args=[locked.pk]),
        )
    return locked


def matter_handle(*, matter: Matter, by, on: datetime.date | None = None) -> Matter:
    """An accepted matter is handled (done) by the window's A or B post."""
    me = _actor(by)
    on = on or timezone.localdate()
    _check_day(on)
    with transaction.atomic():
        locked = (
            Matter.objects.select_for_update()
            .select_related("window")
            .get(pk=matter.pk)
        )
        if not _is_post(locked.window, me):
            raise WindowError(_("Only the window's A and B posts handle its matters."))
        if locked.status == Matter.Status.HANDLED:
            return locked
        if locked.status != Matter.Status.ACCEPTED:
            raise WindowError(
                _("Only an accepted matter is handled here; it is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if on < locked.opened_on:
            raise WindowError(_("A matter is not handled before it was opened."))
        locked.status = Matter.Status.HANDLED
        locked.handled_on = on
        _history(locked, by).save(update_fields=["status", "handled_on"])
        _clock_close(locked, Matter.Status.HANDLED, by=by, on=on)
    return locked


# --- SVC-4: handovers --------------------------------------------------------------------


def handover_record(
    *,
    window: Window,
    reason: str,
    by,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Handover:
    """SVC-4: the post at the window hands over to the other post (going away, a
    shift change) or takes it back; logged with the open matters handed over."""
    me = _actor(by)
    at = at or timezone.now()
    _check_day(timezone.localtime(at).date())
    if reason not in Handover.Reason.values:
        raise WindowError(_("Choose the reason of the handover."))
    note = _text(note, SHORT_TEXT)
    with transaction.atomic():
        locked = Window.objects.select_for_update().get(pk=window.pk)
        if not _is_post(locked, me):
            raise WindowError(_("Only the window's A and B posts hand over."))
        other_id = locked.post_b_id if me.pk == locked.post_a_id else locked.post_a_id
        if reason == Handover.Reason.BACK:
            # Back at the window: the stand-in hands the matters back.
            giver_id, taker_id = other_id, me.pk
        else:
            giver_id, taker_id = me.pk, other_id
        handover = _history(
            Handover(
                window=locked,
                at=at,
                from_person_id=giver_id,
                to_person_id=taker_id,
                reason=reason,
                note=note,
                open_matters=Matter.objects.filter(
                    window=locked, owner_id=giver_id, status__in=selectors.OPEN
                ).count(),
                recorded_by=me,
            ),
            by,
        )
        handover.save()
    return handover


# --- SVC-3: appointments -----------------------------------------------------------------

APPOINTMENT_REFUSALS = {
    "not_future": lambda: _(
        "An appointment is for a later day: what can be done today is done today."
    ),
    "too_far": lambda: _("That day is beyond the days appointments are given for."),
    "not_working_day": lambda: _(
        "That day is not a working day of the bureau's calendar."
    ),
    "full": lambda: _("That half day is fully booked: choose another."),
}


def capacity_of(window_id: int, service_id: int, on: datetime.date) -> tuple:
    """SVC-3: (appointments per half day, policy version id) for a window and a
    service: the administrator's row, else the policy's default."""
    policy = policy_in_force(APPOINTMENTS, on)
    row = (
        Capacity.objects.filter(window_id=window_id, service_id=service_id)
        .values_list("per_half_day", flat=True)
        .first()
    )
    return (policy["per_half_day"] if row is None else row), policy.id


def appointment_book(
    *,
    matter: Matter,
    day: datetime.date,
    part: str,
    by,
    today: datetime.date | None = None,
):
    """SVC-3: an accepted matter that cannot be done the same day gets an
    appointment at its window — on a working day, within the horizon, never
    beyond the half day's capacity (the window's row is locked while counting, so
    two officers cannot book the last place twice)."""
    me = _actor(by)
    _check_day(day)
    if part not in Appointment.Part.values:
        raise WindowError(_("Choose the morning or the afternoon."))
    today = today or timezone.localdate()
    with transaction.atomic():
        window = Window.objects.select_for_update().get(pk=matter.window_id)
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if not _is_post(window, me):
            raise WindowError(_("Only the window's A and B posts give appointments."))
        if locked.status != Matter.Status.ACCEPTED:
            raise WindowError(_("Only an accepted matter gets an appointment."))
        if locked.appointments.filter(status=Appointment.Status.BOOKED).exists():
            raise WindowError(_("The matter has an appointment already."))
        capacity, policy_id = capacity_of(window.pk, locked.service_id, day)
        booked = Appointment.objects.filter(
            window=window,
            service_id=locked.service_id,
            day=day,
            part=part,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.KEPT],
        ).count()
        refusal = rules.appointment_refusal(
            day=day,
            today=today,
            is_working_day=is_working_day(day),
            booked=booked,
            capacity=capacity,
            days_ahead=policy_in_force(APPOINTMENTS, today)["days_ahead"],
        )
        if refusal:
            raise WindowError(APPOINTMENT_REFUSALS[refusal]())
        appointment = _history(
            Appointment(
                matter=locked,
                window=window,
                service_id=locked.service_id,
                day=day,
                part=part,
                booked_by=me,
                booked_at=timezone.now(),
                capacity=capacity,
                policy_id=policy_id,
            ),
            by,
        )
        appointment.save()
    return appointment


def appointment_close(
    *,
    appointment: Appointment,
    outcome: str,
    by,
    note: str = "",
    today: datetime.date | None = None,
):
    """SVC-3: whoever is at the window on the day closes the appointment: kept
    (the matter is handled), the visitor did not come, or missed by the bureau
    (which the visitor may complain about)."""
    me = _actor(by)
    note = _text(note, SHORT_TEXT)
    closing = {
        Appointment.Status.KEPT,
        Appointment.Status.MISSED_BY_VISITOR,
        Appointment.Status.MISSED_BY_BUREAU,
    }
    if outcome not in closing:
        raise WindowError(_("Choose what became of the appointment."))
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update()
            .select_related("window", "matter")
            .get(pk=appointment.pk)
        )
        if not _is_post(locked.window, me):
            raise WindowError(_("Only the window's A and B posts close appointments."))
        if locked.status == outcome:
            return locked
        if locked.status != Appointment.Status.BOOKED:
            raise WindowError(_("The appointment is closed already."))
        today = today or timezone.localdate()
        if outcome == Appointment.Status.KEPT:
            if locked.day != today:
                raise WindowError(_("An appointment is kept on its day."))
            matter_handle(matter=locked.matter, by=by, on=today)
        elif today < locked.day:
            raise WindowError(_("An appointment is missed only from its day on."))
        if outcome == Appointment.Status.MISSED_BY_BUREAU and not note:
            raise WindowError(_("Say why the bureau missed the appointment."))
        locked.status = outcome
        locked.closed_by = me
        locked.closed_at = timezone.now()
        locked.note = note
        _history(locked, by).save(
            update_fields=["status", "closed_by", "closed_at", "note"]
        )
    return locked


# --- SVC-5: complaints -----------------------------------------------------------------

COMPLAINT_PROBLEMS = {
    "finding": lambda: _("State the finding of the investigation."),
    "person": lambda: _("An upheld complaint names the person responsible."),
    "kind": lambda: _("Choose the kind of violation (DIS-1, DIS-2 or DIS-3)."),
}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def complaint_register(
    *,
    channel: str,
    complainant: str,
    contact: str,
    text: str,
    by=None,
    commitment: Commitment | None = None,
    window: Window | None = None,
    person_named: str = "",
    appointment: Appointment | None = None,
    at: datetime.datetime | None = None,
) -> Complaint:
    """SVC-5: a complaint registered — by a citizen on the public page (no `by`)
    or by the inspector for a call or a visit. It gets a query code with which the
    complainant reads the result; the inspectors are told."""
    at = at or timezone.now()
    if channel not in Complaint.Channel.values:
        raise WindowError(_("Choose how the complaint came in."))
    recorder = None
    if by is not None and getattr(by, "is_authenticated", False):
        recorder = _actor(by)
        if channel == Complaint.Channel.ONLINE:
            raise WindowError(_("Online complaints come through the public page."))
    elif channel != Complaint.Channel.ONLINE:
        raise WindowError(_("Choose how the complaint came in."))
    complainant = _text(complainant, 50)
    contact = _text(contact, 100)
    text = _text(text, LONG_TEXT, multiline=True)
    person_named = _text(person_named, 50)
    if not complainant or not contact:
        raise WindowError(
            _("Give a name and a phone or address, so that the result can be told.")
        )
    if not text:
        raise WindowError(_("Write what the complaint is about."))
    if commitment is not None and not commitment.is_published:
        raise WindowError(_("Choose one of the published commitments."))
    if appointment is not None and (
        appointment.status != Appointment.Status.MISSED_BY_BUREAU
    ):
        raise WindowError(_("Only an appointment the bureau missed is complained of."))
    with transaction.atomic():
        complaint = _history(
            Complaint(
                channel=channel,
                received_at=at,
                complainant=complainant,
                contact=contact,
                commitment=commitment,
                window=window or (appointment.window if appointment else None),
                person_named=person_named,
                appointment=appointment,
                text=text,
                code=_new_code(),
                recorded_by=recorder,
            ),
            by,
        )
        complaint.full_clean()
        complaint.save()
        for inspector in Person.objects.filter(
            is_active=True, user__groups__name=Role.DISCIPLINE_INSPECTOR
        ):
            notify_person(
                inspector,
                title=_("A complaint to investigate: %(who)s") % {"who": complainant},
                body=text[:500],
                url=reverse("window:complaint", args=[complaint.pk]),
            )
    return complaint


def _is_inspector(by) -> bool:
    person = person_of(by)
    return person is not None and person.has_role(Role.DISCIPLINE_INSPECTOR)


def complaint_decide(
    *,
    complaint: Complaint,
    upheld: bool,
    finding: str,
    by,
    person: Person | None = None,
    kind: str = "",
    occurred_on: datetime.date | None = None,
) -> Complaint:
    """SVC-5: the inspector's finding. Upheld: a violation of the kind chosen
    (DIS-1 first inquiry, DIS-2 one-time notification, DIS-3 efficiency) is
    recorded through discipline, with the complaint as its source, upheld at once
    (the complaint was the investigation). Decided once."""
    me = _actor(by)
    if not _is_inspector(by):
        raise WindowError(_("Only the discipline inspector decides complaints."))
    finding = _text(finding, LONG_TEXT, multiline=True)
    problem = rules.complaint_decision_problem(
        upheld=upheld, kind=kind, has_person=person is not None, finding=finding
    )
    if problem:
        raise WindowError(COMPLAINT_PROBLEMS[problem]())
    if upheld and person.pk == me.pk:
        raise WindowError(_("Nobody decides a complaint against themself."))
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status != Complaint.Status.REGISTERED:
            raise WindowError(_("The complaint is decided already."))
        day = occurred_on or timezone.localtime(locked.received_at).date()
        _check_day(day)
        locked.status = (
            Complaint.Status.UPHELD if upheld else Complaint.Status.DISMISSED
        )
        locked.person = person if upheld else None
        locked.kind = kind if upheld else ""
        locked.occurred_on = day if upheld else None
        locked.finding = finding
        locked.decided_by = me
        locked.decided_at = timezone.now()
        _history(locked, by).save()
        if upheld:
            violation_record(
                person=person,
                occurred_on=day,
                kind=kind,
                source=locked,
                evidence=(
                    _("Complaint of %(who)s: %(finding)s")
                    % {"who": locked.complainant, "finding": finding}
                )[:1000],
                by=by,
                needs_decision=False,
            )
    return locked


def complaint_reply(*, complaint: Complaint, reply: str, by) -> Complaint:
    """SVC-5: the result told to the complainant (read with the query code on the
    public page; told by phone or letter as well)."""
    _actor(by)
    if not _is_inspector(by):
        raise WindowError(_("Only the discipline inspector replies to complaints."))
    reply = _text(reply, LONG_TEXT, multiline=True)
    if not reply:
        raise WindowError(_("Write the result told to the complainant."))
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status == Complaint.Status.REGISTERED:
            raise WindowError(_("Decide the complaint before telling the result."))
        locked.reply = reply
        locked.replied_at = timezone.now()
        _history(locked, by).save(update_fields=["reply", "replied_at"])
    return locked
