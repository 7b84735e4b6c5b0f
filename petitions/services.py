"""Every change of state of a petition: `<noun>_<verb>(*, …, by=user)`, in a
transaction, the case's row locked where two people can race, history user set,
clocks on the deadline engine, the number from the numbering series, the extension
through the approval engine, files through attachments, notifications after
commit (approvals.notify, bureau.outbox)."""

from __future__ import annotations

import datetime
import os
import secrets
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from approvals.notify import notify_person
from approvals.services import ApprovalError, approval_submit
from attachments.services import AttachmentError, attachment_add
from bureau import resolver, workdays
from bureau.access import person_of
from bureau.client_ip import client_ip
from bureau.models import Person
from bureau.params import LONG_TEXT, SHORT_TEXT, date_bounds
from bureau.policies import policy_in_force, policy_value
from deadlines.models import Deadline
from deadlines.notify import Notice, send_notices
from deadlines.registry import label_of
from deadlines.services import (
    calendar_exceptions,
    deadline_cancel,
    deadline_meet,
    deadline_open,
    deadline_pause,
    deadline_reassign,
    deadline_resume,
)
from numbering.services import NumberingError, number_take
from petitions import policies, rules, selectors
from petitions.models import (
    CONCLUDE,
    DECIDE,
    EXTENDED,
    HIGHER,
    REREVIEW_WINDOW,
    REVIEW_WINDOW,
    SERIES,
    Case,
    Category,
    Channel,
    EscalationNotice,
    Extension,
    HalfYearReminder,
    Identity,
    IdentityAccess,
    Reception,
    ReceptionDay,
    Reply,
    Review,
    Routing,
    Statement,
    Township,
    WorkRecord,
)

EXTENSION_KIND = "petitions.extension"


class PetitionError(Exception):
    """A move the rules refuse, with a message for the user (nothing was saved)."""


def _history_user(obj, by) -> None:
    obj._history_user = by if getattr(by, "pk", None) else None


def _today(on):
    return on or timezone.localdate()


def _check_day(on: datetime.date, *, not_before=None, label="") -> None:
    earliest, latest = date_bounds()
    if not earliest <= on <= latest:
        raise PetitionError(_("The date %(day)s is out of range.") % {"day": on})
    if on > timezone.localdate():
        raise PetitionError(_("The date cannot be in the future."))
    if not_before is not None and on < not_before:
        raise PetitionError(
            _("The date cannot be before %(day)s (%(what)s).")
            % {"day": not_before, "what": label}
        )


def _text(value: str, *, required: bool, max_length: int, message: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise PetitionError(message)
    if len(text) > max_length:
        raise PetitionError(
            _("The text is too long (at most %(n)s characters).") % {"n": max_length}
        )
    return text


def _lock(case: Case) -> Case:
    return (
        # Only the case's row: the section and identity are read, not locked
        # (PostgreSQL refuses to lock the nullable side of an outer join).
        Case.objects.select_for_update(of=("self",))
        .select_related("section__head", "identity")
        .get(pk=case.pk)
    )


def _require_officer(by) -> None:
    if not selectors.is_officer(by):
        raise PetitionError(_("Only the petition officer does this."))


def _notify(person, title: str, case: Case) -> None:
    if person is None:
        return
    notify_person(
        person,
        title=title,
        body=_("Rule %(rule)s.") % {"rule": "PET-1"},
        url=reverse("petitions:detail", args=[case.pk]),
    )


def _open_clocks(case: Case):
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        state=Deadline.State.OPEN,
    )


# --- registration (PET-1, PET-4) --------------------------------------------------


@dataclass
class Petitioner:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    report: str = ""
    subject: Person | None = None


def _check_petitioner(channel: str, anonymous: bool, who: Petitioner) -> Petitioner:
    if anonymous and not rules.may_be_anonymous(channel):
        raise PetitionError(_("Only a letter may be anonymous."))
    name = _text(who.name, required=False, max_length=60, message="")
    if not anonymous and not name:
        raise PetitionError(
            _("Enter the petitioner's name (or mark the letter anonymous).")
        )
    phone = (who.phone or "").strip()
    if phone and not rules.valid_phone(phone):
        raise PetitionError(
            _(
                "“%(phone)s” is not a phone number (a mobile, or a landline with its area code)."
            )
            % {"phone": phone}
        )
    if rules.needs_contact_number(channel) and not phone:
        raise PetitionError(_("A visit or a call keeps a contact number (PET-4)."))
    id_number = (who.id_number or "").strip().upper()
    if id_number and not rules.valid_id_number(id_number):
        raise PetitionError(
            _("“%(id)s” is not a valid ID card number.") % {"id": id_number}
        )
    return Petitioner(
        name=name,
        id_number=id_number,
        phone=phone,
        address=_text(who.address, required=False, max_length=SHORT_TEXT, message=""),
        email=(who.email or "").strip(),
        report=_text(who.report, required=False, max_length=4000, message=""),
        subject=who.subject,
    )


def case_register(
    *,
    by,
    channel: str,
    received_on: datetime.date,
    summary: str,
    category: Category,
    township: Township | None = None,
    anonymous: bool = False,
    petitioner: Petitioner | None = None,
    higher_organ: str = "",
    higher_due: datetime.date | None = None,
    report_due: datetime.date | None = None,
    scan=None,
    by_officer: bool = True,
) -> Case:
    """Register a petition (PET-1): the matter, the petitioner apart (PET-7), the
    registration number, the 15-day clock (PET-2) from the day of receipt, a
    higher level's own due date, the letter's scan. The officer registers
    (`by_officer`); an online petition registers itself (by=None) and a leader's
    reception opens its case: both are then the first petition officer's."""
    if by_officer:
        _require_officer(by)
    if channel not in Channel.values:
        raise PetitionError(_("Choose the channel."))
    _check_day(received_on)
    summary = _text(
        summary,
        required=True,
        max_length=LONG_TEXT,
        message=_("Describe the matter: it cannot be empty."),
    )
    if not category.is_active:
        raise PetitionError(_("This category is no longer in use."))
    who = _check_petitioner(channel, anonymous, petitioner or Petitioner())
    higher_organ = _text(higher_organ, required=False, max_length=100, message="")
    if higher_organ and higher_due is None:
        raise PetitionError(_("A case assigned by a higher level needs its due date."))
    if higher_due is not None and not higher_organ:
        raise PetitionError(_("Name the higher level that assigned the case."))
    if higher_due is not None and higher_due < received_on:
        raise PetitionError(_("The higher level's due date is before the receipt."))
    officer = person_of(by) if by_officer else selectors.petition_officers().first()
    if who.subject is not None and officer is not None and who.subject.pk == officer.pk:
        raise PetitionError(
            _("A petition about yourself is registered by another officer.")
        )
    with transaction.atomic():
        case = Case(
            channel=channel,
            received_on=received_on,
            summary=summary,
            category=category,
            township=township,
            anonymous=anonymous,
            officer=officer,
            higher_organ=higher_organ,
            higher_due=higher_due,
            report_due=report_due,
            registered_by=by if getattr(by, "pk", None) else None,
            duplicate_policy_id=policy_in_force(policies.DUPLICATES, received_on).id,
        )
        if higher_organ:
            case.major = True
        _history_user(case, by)
        case.full_clean()
        case.save()
        identity = Identity(
            case=case,
            name=who.name,
            id_number=who.id_number,
            phone=who.phone,
            address=who.address,
            email=who.email,
            report=who.report,
            subject=who.subject,
        )
        _history_user(identity, by)
        try:
            identity.full_clean(exclude=["case"])
        except ValidationError as exc:
            raise PetitionError("; ".join(exc.messages)) from exc
        identity.save()
        try:
            number = number_take(series=SERIES, owner=case, by=by, on=received_on)
        except NumberingError as exc:
            raise PetitionError(str(exc)) from exc
        case.number = number.text
        case.save(update_fields=["number"])
        deadline_open(kind=DECIDE, record=case, start=received_on, by=by)
        if higher_due is not None:
            deadline_open(kind=HIGHER, record=case, start=higher_due, by=by)
        if scan is not None:
            ext = os.path.splitext(scan.name or "")[1]
            # The stored name says what it is, never who wrote it (PET-7: the
            # attachments' audit list shows names).
            scan.name = pgettext("petition", "letter") + ext.lower()
            try:
                attachment_add(by=by, obj=identity, file=scan, purpose="letter")
            except AttachmentError as exc:
                raise PetitionError(str(exc)) from exc
    return case


def case_submit_online(
    *,
    category: Category,
    township: Township | None,
    summary: str,
    petitioner: Petitioner,
) -> tuple[Case, str]:
    """The online channel: a citizen's petition registers itself and gets a query
    code, shown once; only its hash is kept."""
    if not (petitioner.phone or "").strip():
        raise PetitionError(_("Leave a phone number so that we can reach you."))
    code = secrets.token_hex(8).upper()
    text = _text(
        summary,
        required=True,
        max_length=LONG_TEXT,
        message=_("Describe the matter: it cannot be empty."),
    )
    petitioner.report = text
    with transaction.atomic():
        case = case_register(
            by=None,
            channel=Channel.ONLINE,
            received_on=timezone.localdate(),
            # What the citizen wrote may name people: it is kept in the
            # confidential part; the officer writes the matter (PET-7).
            summary=_("Online petition: the officer summarises it."),
            category=category,
            township=township,
            petitioner=petitioner,
            by_officer=False,
        )
        case.query_code_hash = rules.hash_query_code(code)
        case.save(update_fields=["query_code_hash"])
        for officer in selectors.petition_officers()[:3]:
            _notify(officer, _("Online petition %(no)s") % {"no": case.number}, case)
    return case, f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}"


def identity_update(*, case: Case, by, petitioner: Petitioner) -> Identity:
    """The officer corrects the petitioner's details (history keeps the old)."""
    _require_officer(by)
    with transaction.atomic():
        case = _lock(case)
        who = _check_petitioner(case.channel, case.anonymous, petitioner)
        identity = case.identity
        for name in ("name", "id_number", "phone", "address", "email", "report"):
            setattr(identity, name, getattr(who, name))
        identity.subject = who.subject
        _history_user(identity, by)
        identity.save()
    return identity


def statement_add(*, case: Case, by, witness: str, text: str, taken_on) -> Statement:
    """A witness's statement (PET-7: confidential with the identity)."""
    if not selectors.may_see_identity(by, case):
        raise PetitionError(_("You may not add to this case's confidential part."))
    _check_day(taken_on)
    witness = _text(
        witness, required=True, max_length=60, message=_("Name the witness.")
    )
    text = _text(
        text, required=True, max_length=4000, message=_("Enter the statement.")
    )
    with transaction.atomic():
        statement = Statement(
            identity=case.identity,
            witness=witness,
            text=text,
            taken_on=taken_on,
            recorded_by=by,
        )
        _history_user(statement, by)
        statement.save()
    return statement


def identity_access_log(*, case: Case, by, request=None, action: str, detail: str = ""):
    """PET-7: write who saw or exported a petitioner's identity, when, from where."""
    person = person_of(by)
    return IdentityAccess.objects.create(
        case=case,
        user=by,
        who=(person.name if person else by.get_username())[:60],
        action=action,
        detail=detail[:SHORT_TEXT],
        address=client_ip(request) if request is not None else None,
    )


def identity_exports_log(*, cases, by, request=None) -> None:
    """PET-7: one access row per case whose identity went into an export."""
    person = person_of(by)
    address = client_ip(request) if request is not None else None
    IdentityAccess.objects.bulk_create(
        [
            IdentityAccess(
                case=case,
                user=by,
                who=(person.name if person else by.get_username())[:60],
                action=IdentityAccess.Action.EXPORT,
                detail=_("Register export"),
                address=address,
            )
            for case in cases
        ]
    )


def case_summarise(*, case: Case, by, summary: str) -> Case:
    """The officer rewrites the matter (an online petition's arrives as the
    citizen wrote it, in the confidential part; the matter names nobody)."""
    _require_officer(by)
    summary = _text(
        summary,
        required=True,
        max_length=LONG_TEXT,
        message=_("Describe the matter: it cannot be empty."),
    )
    with transaction.atomic():
        case = _lock(case)
        case.summary = summary
        _history_user(case, by)
        case.save(update_fields=["summary"])
    return case


def case_merge(*, case: Case, into: Case, by) -> Case:
    """PET-1 (并单): `case` is a duplicate of `into`; it is kept, with its own
    history, marked merged, its clocks cancelled; `into` lists it."""
    _require_officer(by)
    if case.pk == into.pk:
        raise PetitionError(_("A case cannot be merged into itself."))
    with transaction.atomic():
        first, second = sorted([case.pk, into.pk])
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update().filter(pk__in=[first, second])
        }
        case, into = locked[case.pk], locked[into.pk]
        if not case.open or not into.open:
            raise PetitionError(_("Only open cases are merged."))
        case.status = Case.Status.MERGED
        case.merged_into = into
        _history_user(case, by)
        case.save(update_fields=["status", "merged_into"])
        for deadline in _open_clocks(case):
            deadline_cancel(deadline=deadline, by=by)
    return case


# --- routing (PET-1) --------------------------------------------------------------


def case_route(
    *,
    case: Case,
    by,
    section=None,
    township: Township | None = None,
    handler: Person | None = None,
    note: str = "",
    on: datetime.date | None = None,
) -> Case:
    """Route the case to a section (and its handler) or to a township (an outside
    handler whose answers the officer enters). Routing again is recorded with its
    reason; the 15-day clock runs on unless the policy says it restarts."""
    _require_officer(by)
    on = _today(on)
    if (section is None) == (township is None):
        raise PetitionError(_("Route the case to a section or to a township."))
    if handler is not None and (section is None or handler.section_id != section.pk):
        raise PetitionError(_("The handler must belong to the section."))
    note = _text(note, required=False, max_length=SHORT_TEXT, message="")
    with transaction.atomic():
        case = _lock(case)
        _check_day(on, not_before=case.received_on, label=_("the receipt"))
        if case.status not in (
            Case.Status.REGISTERED,
            Case.Status.ROUTED,
            Case.Status.OBJECTED,
        ):
            raise PetitionError(_("The case has been decided: it is not routed again."))
        previous = case.routings.order_by("-pk").first()
        if previous is not None and not note:
            raise PetitionError(_("Say why the case is routed again."))
        subject_id = case.identity.subject_id
        receivers = {handler.pk if handler else None}
        if section is not None and section.head_id:
            receivers.add(section.head_id)
        if subject_id is not None and subject_id in receivers:
            raise PetitionError(
                _("The petition is about this person: route it elsewhere (PET-7).")
            )
        routing = Routing(
            case=case,
            section=section,
            township=township,
            handler=handler,
            routed_on=on,
            note=note,
            routed_by=by,
        )
        _history_user(routing, by)
        routing.save()
        case.section = section
        case.handler = handler
        case.by_township = township is not None
        if township is not None and case.township_id is None:
            case.township = township
        case.status = Case.Status.ROUTED
        _history_user(case, by)
        case.save(
            update_fields=["section", "handler", "by_township", "township", "status"]
        )
        objected = previous is not None and previous.objected_on is not None
        version = policy_in_force(policies.OBJECTION, case.received_on)
        decide = selectors.deadline_of(case, DECIDE)
        if objected and version.value["restart_clock"] and decide is not None:
            # Restart: the days up to the re-routing do not count (a pause from the
            # start or the last event: the clock's log shows it).
            last = max([e.on for e in decide.events.all()], default=decide.start)
            if decide.due_date is not None and decide.state == Deadline.State.OPEN:
                deadline_pause(
                    deadline=decide,
                    on=last,
                    by=by,
                    reason=_("Re-routed after objection"),
                )
                # Resumed the day after: the re-routing day, like the receipt,
                # is not counted.
                deadline_resume(
                    deadline=decide, on=on + datetime.timedelta(days=1), by=by
                )
        case = Case.objects.select_related("section__head", "handler", "officer").get(
            pk=case.pk
        )
        responsible = case.responsible
        for deadline in _open_clocks(case):
            if responsible is not None:
                deadline_reassign(deadline=deadline, responsible=responsible, by=by)
        if not case.by_township:
            title = _("Petition %(no)s routed to you") % {"no": case.number}
            _notify(case.handler or (section.head if section else None), title, case)
    return case


def routing_object(*, case: Case, by, reason: str, on: datetime.date | None = None):
    """The receiver objects to the routing with a reason, within the policy's
    working days (PET-1); the officer then routes the case again."""
    on = _today(on)
    reason = _text(
        reason,
        required=True,
        max_length=SHORT_TEXT,
        message=_("Give the reason for the objection."),
    )
    with transaction.atomic():
        case = _lock(case)
        if not selectors.may_object(by, case):
            raise PetitionError(_("Only the receiver of the routing may object."))
        if case.status != Case.Status.ROUTED:
            raise PetitionError(
                _("Only a case waiting for its decision can be objected to.")
            )
        routing = case.routings.select_for_update().order_by("-pk").first()
        _check_day(on, not_before=routing.routed_on, label=_("the routing"))
        version = policy_in_force(policies.OBJECTION, routing.routed_on)
        last = rules.objection_last_day(
            routed_on=routing.routed_on,
            working_days=version.value["working_days"],
            exceptions=calendar_exceptions(routing.routed_on),
        )
        if not rules.may_object(on=on, last_day=last):
            raise PetitionError(
                _("Objections to this routing were possible until %(day)s.")
                % {"day": last}
            )
        routing.objected_on = on
        routing.objection = reason
        routing.objected_by = by
        routing.objection_policy_id = version.id
        _history_user(routing, by)
        routing.save()
        case.status = Case.Status.OBJECTED
        _history_user(case, by)
        case.save(update_fields=["status"])
        if case.officer_id:
            _notify(
                case.officer,
                _("Routing of %(no)s objected to") % {"no": case.number},
                case,
            )
    return routing


def case_set_owner(*, case: Case, by, owner: Person | None, major: bool = True) -> Case:
    """PET-6 (包案): a bureau leader owns a major or assigned case."""
    _require_officer(by)
    if owner is not None and not selectors.is_leader(owner):
        raise PetitionError(
            _("A case is owned by a bureau leader (the director or a deputy).")
        )
    with transaction.atomic():
        case = _lock(case)
        if owner is not None and case.identity.subject_id == owner.pk:
            raise PetitionError(_("The petition is about this person (PET-7)."))
        case.owner = owner
        case.major = major
        _history_user(case, by)
        case.save(update_fields=["owner", "major"])
        if owner is not None:
            _notify(owner, _("You own petition %(no)s") % {"no": case.number}, case)
    return case


# --- the decision and the conclusion (PET-2) --------------------------------------


def _template(key: str, on: datetime.date) -> str:
    return policy_value(policies.TEMPLATES, on)[key]


def template_values(case: Case, **extra) -> dict:
    return {
        "number": case.number,
        "received_on": f"{case.received_on:%Y年%m月%d日}",
        "matter": case.summary[:60],
        **extra,
    }


def case_decide(
    *, case: Case, by, decision: str, text: str, on: datetime.date | None = None
) -> Case:
    """PET-2: the written decision within 15 days of receipt — accepted, or not
    accepted with the reason (which becomes the notice to deliver)."""
    on = _today(on)
    if decision not in Case.Decision.values:
        raise PetitionError(_("Choose accepted or not accepted."))
    text = _text(
        text,
        required=True,
        max_length=LONG_TEXT,
        message=_("Write the decision (for a refusal, its reason)."),
    )
    with transaction.atomic():
        case = _lock(case)
        if not selectors.may_handle(by, case):
            raise PetitionError(_("Only the case's handler decides it."))
        if case.status != Case.Status.ROUTED:
            raise PetitionError(_("This case is not waiting for a decision."))
        _check_day(on, not_before=case.received_on, label=_("the receipt"))
        case.decision = decision
        case.decision_text = text
        case.decided_on = on
        accepted = decision == Case.Decision.ACCEPTED
        case.status = Case.Status.ACCEPTED if accepted else Case.Status.NOT_ACCEPTED
        _history_user(case, by)
        case.save(update_fields=["decision", "decision_text", "decided_on", "status"])
        decide = selectors.deadline_of(case, DECIDE)
        if decide is not None:
            deadline_meet(deadline=decide, by=by, on=on)
        if accepted and not case.is_higher:
            deadline_open(kind=CONCLUDE, record=case, start=on, by=by)
        if not accepted:
            reply = Reply(
                case=case,
                kind=Reply.Kind.NOTICE,
                text=rules.fill_template(
                    _template("not_accepted", on), template_values(case, reason=text)
                ),
                written_on=on,
                recorded_by=by,
            )
            _history_user(reply, by)
            reply.save()
            if selectors.deadline_of(case, HIGHER) is not None:
                _meet(case, HIGHER, by=by, on=on)
    return case


def _meet(case, kind, *, by, on):
    deadline = selectors.deadline_of(case, kind)
    if deadline is not None and deadline.state == Deadline.State.OPEN:
        deadline_meet(deadline=deadline, by=by, on=on)


def case_conclude(
    *, case: Case, by, outcome: str, text: str, on: datetime.date | None = None
) -> Case:
    """PET-2/PET-4: the handling opinion (支持 / 解释说明 / 不予支持), written; the
    conclusion clock (60 days, or as extended, or the higher level's date) is met
    or missed on this day. The officer then delivers it."""
    on = _today(on)
    if outcome not in Case.Outcome.values:
        raise PetitionError(_("Choose the outcome."))
    text = _text(
        text,
        required=True,
        max_length=LONG_TEXT,
        message=_("Write the reply to the petitioner."),
    )
    with transaction.atomic():
        case = _lock(case)
        if not selectors.may_handle(by, case):
            raise PetitionError(_("Only the case's handler concludes it."))
        if case.status != Case.Status.ACCEPTED:
            raise PetitionError(_("Only an accepted case is concluded."))
        if Extension.objects.filter(
            case=case, status=Extension.Status.PENDING
        ).exists():
            raise PetitionError(_("An extension is waiting for approval."))
        _check_day(on, not_before=case.decided_on, label=_("the decision"))
        case.outcome = outcome
        case.concluded_on = on
        case.status = Case.Status.CONCLUDED
        _history_user(case, by)
        case.save(update_fields=["outcome", "concluded_on", "status"])
        for kind in (CONCLUDE, EXTENDED, HIGHER):
            _meet(case, kind, by=by, on=on)
        reply = Reply(
            case=case,
            kind=Reply.Kind.OPINION,
            outcome=outcome,
            text=text,
            written_on=on,
            recorded_by=by,
        )
        _history_user(reply, by)
        reply.save()
    return case


def report_record(*, case: Case, by, on: datetime.date | None = None) -> Case:
    """PET-2: the closing report to the higher level that assigned the case."""
    _require_officer(by)
    on = _today(on)
    with transaction.atomic():
        case = _lock(case)
        if not case.is_higher:
            raise PetitionError(
                _("Only a case assigned by a higher level has a closing report.")
            )
        if case.status not in (
            Case.Status.CONCLUDED,
            Case.Status.NOT_ACCEPTED,
            Case.Status.REPLIED,
            Case.Status.UNDER_REVIEW,
            Case.Status.CLOSED,
        ):
            raise PetitionError(_("The case is not concluded yet."))
        _check_day(on, not_before=case.received_on, label=_("the receipt"))
        case.report_sent_on = on
        _history_user(case, by)
        case.save(update_fields=["report_sent_on"])
    return case


# --- the extension (PET-2, approval engine) ---------------------------------------


def extension_request(
    *, case: Case, by, days: int, reason: str, on: datetime.date | None = None
) -> Extension:
    """A complex matter: ask the bureau for more days, once, at most the policy's
    maximum (30), before the 60 days run out."""
    on = _today(on)
    reason = _text(
        reason,
        required=True,
        max_length=LONG_TEXT,
        message=_("Say why the matter needs more time."),
    )
    requester = person_of(by)
    try:
        with transaction.atomic():
            case = _lock(case)
            if not selectors.may_handle(by, case) or requester is None:
                raise PetitionError(_("Only the case's handler asks for an extension."))
            if case.status != Case.Status.ACCEPTED or case.is_higher:
                raise PetitionError(
                    _("Only an accepted case on the 60-day clock can be extended.")
                )
            version = policy_in_force(policies.EXTENSION, case.received_on)
            limits = version.value
            if not rules.extension_days_allowed(days, limits["max_days"]):
                raise PetitionError(
                    _("An extension is from 1 to %(n)s days (PET-2).")
                    % {"n": limits["max_days"]}
                )
            counted = case.extensions.filter(
                status__in=[Extension.Status.PENDING, Extension.Status.APPROVED]
            ).count()
            if not rules.may_extend(
                granted_or_pending=counted, max_times=limits["max_times"]
            ):
                raise PetitionError(
                    _("The case has been extended once already (PET-2).")
                )
            conclude = selectors.deadline_of(case, CONCLUDE)
            if conclude is None or conclude.state != Deadline.State.OPEN:
                raise PetitionError(_("The case has no running 60-day clock."))
            if conclude.due_date is not None and on > conclude.due_date:
                raise PetitionError(
                    _("The 60 days ended on %(day)s: ask before they run out.")
                    % {"day": conclude.due_date}
                )
            extension = Extension(
                case=case,
                days=days,
                reason=reason,
                requested_on=on,
                requested_by=by,
                policy_id=version.id,
            )
            _history_user(extension, by)
            extension.save()
            chain = policy_in_force(policies.EXTENSION_CHAIN, on)
            approval_submit(
                subject=extension,
                requester=requester,
                chain=chain.value,
                by=by,
                kind=EXTENSION_KIND,
                summary=_("Extension of petition %(no)s by %(days)s days")
                % {"no": case.number, "days": days},
                chain_policy_id=chain.id,
                on=on,
            )
    except ApprovalError as exc:
        raise PetitionError(str(exc)) from exc
    except IntegrityError as exc:
        raise PetitionError(
            _("The case has been extended once already (PET-2).")
        ) from exc
    return extension


def extension_on_outcome(approval, outcome: str) -> None:
    """The engine's outcome (inside its transaction): an approved extension moves
    the conclusion's due date by its days, counted in the clock's day type."""
    extension, changed = Extension.mirror_approval_outcome(approval, outcome)
    if not changed or outcome != Extension.Status.APPROVED:
        return
    case = Case.objects.select_for_update().get(pk=extension.case_id)
    conclude = selectors.deadline_of(case, CONCLUDE)
    if conclude is None or conclude.due_date is None:
        return
    new_due = rules.extended_due(
        due=conclude.due_date,
        days=extension.days,
        day_type=conclude.day_type,
        exceptions=calendar_exceptions(conclude.due_date),
    )
    extension.new_due = new_due
    extension.save(update_fields=["new_due"])
    if conclude.state == Deadline.State.OPEN:
        deadline_cancel(deadline=conclude, by=None)
    # A clock on a date set by a decision: start on the new due date, length 0.
    deadline_open(
        kind=EXTENDED, record=case, start=new_due, responsible=case.responsible
    )


# --- replies (PET-4) and the review window (PET-3) --------------------------------


def reply_deliver(
    *,
    case: Case,
    by,
    method: str,
    delivered_on: datetime.date,
    note: str = "",
) -> Reply:
    """PET-4: the officer records how the written reply (or the notice) reached the
    petitioner, or that the result was given back by phone. The review window
    (PET-3) runs from this day."""
    _require_officer(by)
    if method not in Reply.Method.values:
        raise PetitionError(_("Choose how the reply was delivered."))
    note = _text(note, required=False, max_length=SHORT_TEXT, message="")
    with transaction.atomic():
        case = _lock(case)
        if case.status not in (Case.Status.CONCLUDED, Case.Status.NOT_ACCEPTED):
            raise PetitionError(_("There is no reply waiting to be delivered."))
        if case.channel == Channel.LETTER and case.anonymous:
            raise PetitionError(_("An anonymous letter gets no reply: close the case."))
        if case.signed and method not in rules.written_methods():
            raise PetitionError(
                _(
                    "A signed letter gets a written reply: by post, in person, e-mail or online (PET-4)."
                )
            )
        if method == Reply.Method.PHONE and not case.identity.phone:
            raise PetitionError(_("There is no contact number on record."))
        if method == Reply.Method.ONLINE and not case.query_code_hash:
            raise PetitionError(
                _("Only an online petition is answered through its query code.")
            )
        if method == Reply.Method.EMAIL and not case.identity.email:
            raise PetitionError(_("There is no e-mail address on record."))
        reply = (
            case.replies.select_for_update().filter(delivered_on__isnull=True).last()
        )
        if reply is None:
            raise PetitionError(_("There is no reply waiting to be delivered."))
        _check_day(delivered_on, not_before=reply.written_on, label=_("the reply"))
        reply.method = method
        reply.delivered_on = delivered_on
        reply.delivery_note = note
        _history_user(reply, by)
        reply.save()
        case.status = Case.Status.REPLIED
        _history_user(case, by)
        case.save(update_fields=["status"])
        deadline_open(kind=REVIEW_WINDOW, record=case, start=delivered_on, by=by)
    return reply


def _window(case: Case):
    """The review window running now: re-review's once a review has its outcome."""
    rereview = selectors.deadline_of(case, REREVIEW_WINDOW)
    return rereview or selectors.deadline_of(case, REVIEW_WINDOW)


def review_request(
    *, case: Case, by, level: str, organ: str, requested_on: datetime.date
) -> Review:
    """PET-3: a review (复查) asked within 30 days of the written decision's delivery,
    or a re-review (复核) within 30 days of the review's outcome; recorded by the
    officer, decided by the higher organ."""
    _require_officer(by)
    if level not in Review.Level.values:
        raise PetitionError(_("Choose review or re-review."))
    organ = _text(organ, required=True, max_length=100, message=_("Name the organ."))
    with transaction.atomic():
        case = _lock(case)
        if case.status != Case.Status.REPLIED:
            raise PetitionError(
                _("A review can be asked only after the written decision is delivered.")
            )
        has_review = case.reviews.filter(level=Review.Level.REVIEW).exists()
        if (level == Review.Level.REREVIEW) != has_review:
            raise PetitionError(
                _("A re-review follows a review; a review comes first.")
            )
        window = _window(case)
        _check_day(requested_on, not_before=window.start, label=_("the window's start"))
        if not rules.review_window_open(on=requested_on, window_due=window.due_date):
            raise PetitionError(
                _("The 30 days for a request ended on %(day)s (PET-3).")
                % {"day": window.due_date}
            )
        review = Review(
            case=case,
            level=level,
            organ=organ,
            requested_on=requested_on,
            recorded_by=by,
        )
        _history_user(review, by)
        review.save()
        case.status = Case.Status.UNDER_REVIEW
        _history_user(case, by)
        case.save(update_fields=["status"])
        deadline_meet(deadline=window, by=by, on=requested_on)
    return review


def review_outcome(*, case: Case, by, outcome: str, on: datetime.date) -> Review:
    """PET-3: the higher organ's outcome. After a review the re-review window opens;
    after a re-review the case is closed (the last word)."""
    _require_officer(by)
    outcome = _text(
        outcome, required=True, max_length=LONG_TEXT, message=_("Enter the outcome.")
    )
    with transaction.atomic():
        case = _lock(case)
        if case.status != Case.Status.UNDER_REVIEW:
            raise PetitionError(_("No review is pending."))
        review = case.reviews.select_for_update().filter(outcome_on__isnull=True).get()
        _check_day(on, not_before=review.requested_on, label=_("the request"))
        review.outcome = outcome
        review.outcome_on = on
        _history_user(review, by)
        review.save()
        if review.level == Review.Level.REVIEW:
            case.status = Case.Status.REPLIED
            deadline_open(kind=REREVIEW_WINDOW, record=case, start=on, by=by)
        else:
            case.status = Case.Status.CLOSED
            case.closed_on = on
        _history_user(case, by)
        case.save(update_fields=["status", "closed_on"])
    return review


def case_close(*, case: Case, by, on: datetime.date | None = None) -> Case:
    """Close a case: the review window has passed without a request (PET-3), and
    what PET-4 asks has gone back to the petitioner. An anonymous letter closes
    once concluded. `by=None`: the nightly run."""
    if by is not None:
        _require_officer(by)
    on = _today(on)
    with transaction.atomic():
        case = _lock(case)
        anonymous_letter = case.channel == Channel.LETTER and case.anonymous
        if anonymous_letter and case.status in (
            Case.Status.CONCLUDED,
            Case.Status.NOT_ACCEPTED,
        ):
            pass
        elif case.status != Case.Status.REPLIED:
            if case.status in (Case.Status.CONCLUDED, Case.Status.NOT_ACCEPTED):
                raise PetitionError(
                    _(
                        "The reply has not been delivered: a case closes only after the petitioner has it (PET-4)."
                    )
                )
            raise PetitionError(_("This case cannot be closed now."))
        else:
            reply = case.replies.filter(delivered_on__isnull=False).last()
            if reply is None or not rules.reply_satisfies(
                channel=case.channel,
                anonymous=case.anonymous,
                method=reply.method,
                delivered=True,
            ):
                raise PetitionError(_("The reply has not been delivered (PET-4)."))
            window = _window(case)
            if window.due_date is None or not rules.may_close_after_window(
                on=on, window_due=window.due_date
            ):
                raise PetitionError(
                    _("The petitioner may ask for a review until %(day)s (PET-3).")
                    % {"day": window.due_date}
                )
            deadline_meet(deadline=window, by=by, on=window.due_date)
        case.status = Case.Status.CLOSED
        case.closed_on = on
        _history_user(case, by)
        case.save(update_fields=["status", "closed_on"])
    return case


def cases_close_expired(*, today: datetime.date, commit: bool) -> list[int]:
    """The nightly run: close every replied case whose review window passed
    yesterday or earlier without a request. A dry run lists them."""
    ct = ContentType.objects.get_for_model(Case)
    ids = list(
        Deadline.objects.filter(
            content_type=ct,
            kind__in=[REVIEW_WINDOW, REREVIEW_WINDOW],
            state=Deadline.State.OPEN,
            due_date__lt=today,
        ).values_list("object_id", flat=True)
    )
    ids = list(
        Case.objects.filter(pk__in=ids, status=Case.Status.REPLIED).values_list(
            "pk", flat=True
        )
    )
    if not commit:
        return ids
    closed = []
    for pk in ids:
        try:
            case_close(case=Case(pk=pk), by=None, on=today)
        except PetitionError:
            continue
        closed.append(pk)
    return closed


# --- PET-5: the escalation ladder -------------------------------------------------


@dataclass
class EscalationResult:
    sent: list = field(default_factory=list)
    unresolved: int = 0


def petitions_escalate(*, today: datetime.date, commit: bool) -> EscalationResult:
    """PET-5: overdue petition clocks climb the policy's ladder (section head →
    deputy in charge → director), each rung sent once per deadline and due date
    (a unique marker inserted with ON CONFLICT DO NOTHING carrying this run's
    token: two runs at once never send twice)."""
    ladder = policy_value(policies.ESCALATION, today)["ladder"]
    result = EscalationResult()
    ct = ContentType.objects.get_for_model(Case)
    overdue = list(
        Deadline.objects.filter(
            content_type=ct,
            kind__in=list(selectors.OPEN_CLOCKS),
            state=Deadline.State.OPEN,
            due_date__lt=today,
            responsible__isnull=False,
        )
    )
    # The handful of people responsible, with what the resolver reads, fetched
    # once: not one copy of their section and unit per overdue clock.
    people = Person.objects.select_related(
        "section__head",
        "section__deputy_in_charge",
        "unit__head",
        "unit__deputy_in_charge",
    ).in_bulk({deadline.responsible_id for deadline in overdue})
    for deadline in overdue:
        deadline.responsible = people[deadline.responsible_id]
    sent_before = {
        (deadline_id, rung, due): recipient_id
        for deadline_id, rung, due, recipient_id in EscalationNotice.objects.filter(
            deadline__in=overdue
        ).values_list("deadline_id", "rung", "due_date", "recipient_id")
    }
    wanted = []
    for deadline in overdue:
        overdue_days = (today - deadline.due_date).days
        for rung in rules.rungs_due(overdue_days=overdue_days, ladder=ladder):
            if (deadline.pk, rung, deadline.due_date) not in sent_before:
                wanted.append((deadline, rung))
    pairs = {(d.responsible, ladder[r]["to"]) for d, r in wanted}
    approvers = resolver.resolve_many(list(pairs), today) if pairs else {}
    token = uuid.uuid4().hex
    markers, plans = [], []
    told = {(d, due): set() for (d, _r, due) in sent_before}
    for (d, _r, due), recipient_id in sent_before.items():
        told[(d, due)].add(recipient_id)
    for deadline, rung in wanted:
        approver = approvers.get((deadline.responsible.pk, ladder[rung]["to"]))
        if approver is None:
            result.unresolved += 1
            continue
        already = told.setdefault((deadline.pk, deadline.due_date), set())
        # A rung that lands on someone a lower rung told already (the handler is
        # a section head: the section head's rung goes to the deputy) is marked
        # but not sent again.
        repeat = approver.person.pk in already
        already.add(approver.person.pk)
        markers.append(
            EscalationNotice(
                deadline_id=deadline.pk,
                rung=rung,
                due_date=deadline.due_date,
                recipient_id=approver.person.pk,
                sent_on=today,
                run=token,
            )
        )
        if not repeat:
            plans.append((deadline, rung, approver.person))
    if not commit:
        result.sent = plans
        return result
    with transaction.atomic():
        EscalationNotice.objects.bulk_create(markers, ignore_conflicts=True)
        won = set(
            EscalationNotice.objects.filter(run=token).values_list(
                "deadline_id", "rung"
            )
        )
        notices = []
        # Reversed once (a run may send thousands): /petitions/<pk>/.
        detail_prefix, detail_suffix = reverse("petitions:detail", args=[0]).rsplit(
            "/0/", 1
        )
        kind_labels = {kind: label_of(kind) for kind in selectors.OPEN_CLOCKS}
        for deadline, rung, person in plans:
            if (deadline.pk, rung) not in won:
                continue
            title = _("Overdue since %(due)s: %(kind)s: %(record)s") % {
                "due": deadline.due_date,
                "kind": kind_labels[deadline.kind],
                "record": deadline.label,
            }
            body = _(
                "%(person)s has not completed it; it is escalated to you (step "
                "%(rung)s of the ladder). The case's page shows the time limit and "
                "why it is overdue."
            ) % {"person": deadline.responsible.name, "rung": rung + 1}
            url = f"{detail_prefix}/{deadline.object_id}/{detail_suffix}"
            notices.append(Notice(person.pk, title, body, url))
            result.sent.append((deadline, rung, person))
        # In bulk: three statements whatever the number of notices.
        send_notices(notices)
    return result


def identity_download_logged(request, attachment) -> None:
    """attachments' download hook: the letter's scan is the identity's (PET-7)."""
    identity = Identity.objects.filter(pk=attachment.object_id).first()
    if identity is None:
        return
    identity_access_log(
        case=Case(pk=identity.case_id),
        by=request.user,
        request=request,
        action=IdentityAccess.Action.DOWNLOAD,
        detail=attachment.name,
    )


# --- PET-6: the leaders' reception rota -------------------------------------------


def rota_plan(
    *, by, start: datetime.date, end: datetime.date, leaders: list[Person] | None = None
) -> list[ReceptionDay]:
    """PET-6: a leader for every reception day from `start` to `end` that has none
    yet — the policy's weekday when the calendar says it is a working day — the
    bureau's leaders in turn, carrying on from the last day planned."""
    _require_officer(by)
    if end < start:
        raise PetitionError(_("The end is before the start."))
    if (end - start).days > 366:
        raise PetitionError(_("Plan at most a year at a time."))
    for day in (start, end):
        earliest, latest = date_bounds()
        if not earliest <= day <= latest:
            raise PetitionError(_("The date %(day)s is out of range.") % {"day": day})
    leaders = leaders or list(selectors.bureau_leaders())
    if not leaders:
        raise PetitionError(_("There is no bureau leader to receive petitioners."))
    weekday = policy_value(policies.ROTA, start)["weekday"]
    days = rules.reception_days(
        start, end, weekday=weekday, is_working=workdays.is_working_day
    )
    with transaction.atomic():
        taken = set(
            ReceptionDay.objects.select_for_update()
            .filter(date__in=days)
            .values_list("date", flat=True)
        )
        planned = []
        free = [d for d in days if d not in taken]
        if not free:
            return planned
        # The turn carries on from the last day planned before the first free one
        # (a swapped day counts for the leader the rota had given it).
        last = ReceptionDay.objects.filter(date__lt=free[0]).order_by("-date").first()
        ids = [p.pk for p in leaders]
        turn = (last.swapped_from_id or last.leader_id) if last else None
        first = (ids.index(turn) + 1) if turn in ids else 0
        for day, leader in rules.rotate(free, leaders, start=first):
            row = ReceptionDay(date=day, leader=leader)
            _history_user(row, by)
            row.save()
            planned.append(row)
    return planned


def rota_swap(*, day: ReceptionDay, by, leader: Person, reason: str) -> ReceptionDay:
    """PET-6: another leader receives that day; who it was and why is recorded."""
    _require_officer(by)
    if not selectors.is_leader(leader):
        raise PetitionError(_("Petitioners are received by a bureau leader."))
    reason = _text(reason, required=True, max_length=SHORT_TEXT, message=_("Say why."))
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
        if day.leader_id == leader.pk:
            return day
        if day.receptions.exists():
            raise PetitionError(_("Petitioners were received that day already."))
        day.swapped_from = day.leader
        day.leader = leader
        day.swap_reason = reason
        _history_user(day, by)
        day.save()
        _notify_rota(leader, day)
    return day


def _notify_rota(leader, day):
    notify_person(
        leader,
        title=_("You receive petitioners on %(day)s") % {"day": day.date},
        body=_("Rule PET-6."),
        url=reverse("petitions:rota"),
    )


def reception_record(
    *,
    day: ReceptionDay,
    by,
    visitor: str,
    phone: str,
    matter: str,
    promised: str = "",
    category: Category | None = None,
    township: Township | None = None,
) -> Reception:
    """PET-6: one petitioner received (who, what about, what was promised); with a
    category it also opens a case (a visit: the contact number is required)."""
    person = person_of(by)
    if not (selectors.is_officer(by) or (person and person.pk == day.leader_id)):
        raise PetitionError(
            _("The petition officer or the receiving leader records this.")
        )
    visitor = _text(visitor, required=True, max_length=60, message=_("Who came?"))
    matter = _text(
        matter, required=True, max_length=LONG_TEXT, message=_("What about?")
    )
    promised = _text(promised, required=False, max_length=LONG_TEXT, message="")
    if phone and not rules.valid_phone(phone):
        raise PetitionError(_("“%(phone)s” is not a phone number.") % {"phone": phone})
    if day.date > timezone.localdate():
        raise PetitionError(_("The reception day has not come yet."))
    with transaction.atomic():
        case = None
        if category is not None:
            case = case_register(
                by=by,
                channel=Channel.VISIT,
                received_on=day.date,
                summary=matter,
                category=category,
                township=township,
                petitioner=Petitioner(name=visitor, phone=phone),
                by_officer=selectors.is_officer(by),
            )
            if case.owner_id is None:
                case.owner = day.leader
                case.save(update_fields=["owner"])
        reception = Reception(
            day=day,
            visitor=visitor,
            phone=rules.normalise_phone(phone),
            matter=matter,
            promised=promised,
            case=case,
            recorded_by=by,
        )
        _history_user(reception, by)
        reception.save()
    return reception


# --- PET-8: meetings, assessment, training ----------------------------------------


def work_record_add(
    *,
    by,
    kind: str,
    held_on: datetime.date,
    title: str,
    notes: str = "",
    meeting=None,
) -> WorkRecord:
    """PET-8: the officer records a petition work meeting (linking the meeting held
    through meetings/), a township assessment or a training."""
    _require_officer(by)
    if kind not in WorkRecord.Kind.values:
        raise PetitionError(_("Choose what is recorded."))
    _check_day(held_on)
    title = _text(
        title, required=True, max_length=SHORT_TEXT, message=_("Give it a title.")
    )
    notes = _text(notes, required=False, max_length=LONG_TEXT, message="")
    if meeting is not None and (
        kind != WorkRecord.Kind.MEETING or meeting.status != "held"
    ):
        raise PetitionError(_("Only a held meeting is linked, to a meeting record."))
    with transaction.atomic():
        record = WorkRecord(
            kind=kind,
            held_on=held_on,
            title=title,
            notes=notes,
            meeting=meeting,
            recorded_by=by,
        )
        _history_user(record, by)
        record.save()
    return record


def pet8_remind(*, today: datetime.date, commit: bool) -> list[str]:
    """PET-8: in the half-year's last days, tell the petition officers and the
    director what the half-year still lacks — once per half-year and kind."""
    value = policy_value(policies.PET8, today)
    half, start, end = rules.half_year(today)
    if not rules.pet8_remind_now(
        today=today, half_end=end, days_before=value["remind_days"]
    ):
        return []
    counts = selectors.pet8_counts(start, end, value["meeting_kind"])
    missing = rules.pet8_missing(counts, value["required"])
    missing = [
        kind
        for kind in missing
        if not HalfYearReminder.objects.filter(
            year=today.year, half=half, kind=kind
        ).exists()
    ]
    if not commit or not missing:
        return missing
    recipients = list(selectors.petition_officers())
    director = resolver.director(today)
    if director is not None:
        recipients.append(director)
    labels = dict(WorkRecord.Kind.choices)
    with transaction.atomic():
        for kind in missing:
            _marker, created = HalfYearReminder.objects.get_or_create(
                year=today.year, half=half, kind=kind, defaults={"sent_on": today}
            )
            if not created:
                continue
            for person in recipients:
                notify_person(
                    person,
                    title=_("Half-year ending %(end)s without: %(what)s")
                    % {"end": end, "what": labels[kind]},
                    body=_("Rule PET-8."),
                    url=reverse("petitions:work"),
                )
    return missing
