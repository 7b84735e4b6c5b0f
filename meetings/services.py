"""Every change of state of meetings (MTG-1): propose an item, plan a meeting, set
its agenda, record it as held (attendance, decisions, the minutes number), and the
monthly reminder of the director's office meeting.

Each runs in a transaction, locks what two clerks could change at once, saves with
the history user and leaves mail to after commit (approvals.notify, the outbox).
Refusals raise MeetingError with the user's message, before anything is written.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from approvals.notify import notify_person
from approvals.services import (
    ApprovalError,
    approval_preview,
    approval_submit,
    approval_withdraw,
)
from attachments.services import AttachmentError, attachment_add, attachment_check
from bureau.access import person_of
from bureau.models import Person, Role
from bureau.params import LONG_TEXT, SHORT_TEXT, clean_text, validate_date_in_bounds
from bureau.policies import policy_in_force
from meetings import rules
from meetings.absences import absences_on
from meetings.models import (
    Attendance,
    Decision,
    Item,
    Meeting,
    MeetingKind,
    MonthlyReminder,
)
from meetings.numbering import NumberingError, take_minutes_number
from meetings.policies import ITEM_CHAIN
from meetings.selectors import keeps_minutes, may_withdraw


class MeetingError(Exception):
    """A move the rules do not allow; the message is for the user."""


def _user(by):
    return by if getattr(by, "pk", None) else None


def _history(obj, by):
    user = _user(by)
    if user is not None:
        obj._history_user = user
    return obj


def _checked(*checks) -> None:
    """bureau.params checks (text, dates) before anything is written."""
    try:
        for check, value in checks:
            check(value)
    except ValidationError as exc:
        raise MeetingError(exc.messages[0]) from None


def _line(limit):
    return lambda value: clean_text(value, max_length=limit, multiline=False)


def _text(limit):
    return lambda value: clean_text(value, max_length=limit)


def _kind(kind) -> MeetingKind:
    if isinstance(kind, MeetingKind):
        return kind
    found = MeetingKind.objects.filter(code=kind).first()
    if found is None:
        raise MeetingError(_("Unknown kind of meeting."))
    return found


def _require_keeper(by) -> None:
    if not keeps_minutes(by):
        raise MeetingError(
            _("Meetings are organised by the comprehensive section (MTG-1).")
        )


# --- items ---------------------------------------------------------------------------


def item_propose(
    *,
    by,
    kind,
    title: str,
    upload,
    description: str = "",
    today: datetime.date | None = None,
) -> Item:
    """A section or unit proposes an item with its materials; it goes to the deputy
    in charge on the approval engine (policy meetings.item_chain) in the same
    transaction. The materials are attachments of the item (attachments app:
    limits from its policy, stored privately, SHA-256): `upload` is one file or a
    list of files. The files and the chain are checked first: a refusal leaves no
    item, no approval and no file."""
    person = person_of(by)
    if person is None:
        raise MeetingError(_("This login is not linked to a person."))
    if not rules.may_propose(person.position):
        raise MeetingError(
            _("Items are proposed by the head of a section or unit, or a leader.")
        )
    kind = _kind(kind)
    if not kind.is_active:
        raise MeetingError(_("This kind of meeting is no longer held."))
    title = (title or "").strip()
    description = (description or "").strip()
    _checked((_line(200), title), (_text(LONG_TEXT), description))
    if not title:
        raise MeetingError(_("Give the item a title."))
    files = [f for f in (upload if isinstance(upload, list | tuple) else [upload]) if f]
    if not files:
        raise MeetingError(_("Attach the item's materials."))
    today = today or timezone.localdate()
    try:
        for file in files:
            attachment_check(file, on=today)
    except AttachmentError as exc:
        raise MeetingError(str(exc)) from None
    chain = policy_in_force(ITEM_CHAIN, today)
    try:
        resolved = approval_preview(requester=person, chain=chain.value, on=today)
    except ApprovalError as exc:
        raise MeetingError(str(exc)) from None
    item = Item(
        kind=kind,
        title=title,
        description=description,
        unit_id=person.unit_id,
        section_id=person.section_id,
        proposed_by=person,
        proposed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            _history(item, by)
            item.save()
            # While the item is with the deputy in charge (its proposer may attach).
            for file in files:
                attachment_add(by=by, obj=item, file=file)
            approval_submit(
                subject=item,
                requester=person,
                chain=chain.value,
                by=by,
                kind="meeting_item",
                summary=_("Meeting item: %(title)s") % {"title": title},
                chain_policy_id=chain.id,
                on=today,
                resolved=resolved,
            )
    except (ApprovalError, AttachmentError) as exc:
        raise MeetingError(str(exc)) from None
    item.refresh_from_db(fields=["status"])
    return item


def item_on_outcome(approval, outcome: str) -> None:
    """The engine's hook: the deputy in charge accepted or refused the item."""
    Item.mirror_approval_outcome(approval, outcome)


def item_withdraw(*, item, by, reason: str) -> Item:
    """The proposer takes the item back while it is not decided (MTG-1): with the
    deputy in charge, the approval is withdrawn on the engine; accepted or on a
    planned meeting's agenda, it leaves the agenda (the comprehensive section is
    told). Records who (history), when and why; refused with MeetingError."""
    reason = (reason or "").strip()
    _checked((_line(SHORT_TEXT), reason))
    if not reason:
        raise MeetingError(_("Say why the item is withdrawn."))
    pk = item.pk if isinstance(item, Item) else item
    with transaction.atomic():
        # The meeting first, then the item: the order meeting_record locks them in.
        meeting_id = (
            Item.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
        )
        if meeting_id is not None:
            _lock_meeting(meeting_id)
        item = Item.objects.select_for_update().filter(pk=pk).first()
        if item is None:
            raise MeetingError(_("This item does not exist."))
        if not may_withdraw(by, item):
            raise MeetingError(_withdraw_refusal(item, by))
        meeting = item.meeting
        if item.status == Item.Status.PROPOSED:
            try:
                approval_withdraw(request=item.current_approval, by=by, comment=reason)
            except ApprovalError as exc:
                raise MeetingError(str(exc)) from None
            item.refresh_from_db()
        item.status = Item.Status.WITHDRAWN
        item.meeting, item.agenda_order = None, None
        item.withdrawn_at = timezone.now()
        item.withdraw_reason = reason
        _history(item, by)
        item.save(
            update_fields=[
                "status",
                "meeting",
                "agenda_order",
                "withdrawn_at",
                "withdraw_reason",
            ]
        )
        if meeting is not None:
            for person in comprehensive_section_keepers():
                notify_person(
                    person,
                    title=_("An item was withdrawn from the agenda of %(meeting)s")
                    % {"meeting": meeting.title},
                    body=_("“%(title)s” was withdrawn by its proposer: %(reason)s")
                    % {"title": item.title, "reason": reason},
                    url=meeting.get_absolute_url(),
                )
    return item


def _withdraw_refusal(item: Item, by) -> str:
    person = person_of(by)
    if person is None or item.proposed_by_id != person.pk:
        return _("Only the proposer may withdraw an item.")
    if item.status == Item.Status.DECIDED:
        return _("The meeting has decided this item: it cannot be withdrawn.")
    return _("This item is %(status)s: there is nothing to withdraw.") % {
        "status": item.get_status_display()
    }


# --- meetings ------------------------------------------------------------------------


def _chair_problem(kind: MeetingKind, chair: Person | None) -> str | None:
    if chair is None or not chair.is_active:
        return _("Name the chair of the meeting.")
    if not rules.chair_allowed(kind.chair_rule, chair.position):
        return _("%(name)s may not chair it: %(rule)s chairs a %(kind)s.") % {
            "name": chair.name,
            "rule": rules.Chair(kind.chair_rule).label,
            "kind": kind.name,
        }
    return None


def meeting_plan(
    *,
    by,
    kind,
    title: str,
    planned_on: datetime.date,
    chair: Person,
    part: str = Meeting.Part.AM,
    place: str = "",
) -> Meeting:
    """The comprehensive section plans a meeting (its agenda comes next)."""
    _require_keeper(by)
    kind = _kind(kind)
    title, place = (title or "").strip(), (place or "").strip()
    _checked(
        (_line(200), title), (_line(100), place), (validate_date_in_bounds, planned_on)
    )
    if not title:
        raise MeetingError(_("Give the meeting a title."))
    if not kind.is_active:
        raise MeetingError(_("This kind of meeting is no longer held."))
    if part not in Meeting.Part.values:
        raise MeetingError(_("Choose the morning or the afternoon."))
    problem = _chair_problem(kind, chair)
    if problem:
        raise MeetingError(problem)
    meeting = Meeting(
        kind=kind,
        title=title,
        planned_on=planned_on,
        part=part,
        place=place,
        chair=chair,
        created_by=_user(by),
    )
    with transaction.atomic():
        _history(meeting, by)
        meeting.save()
    return meeting


def _lock_meeting(meeting) -> Meeting:
    pk = meeting.pk if isinstance(meeting, Meeting) else meeting
    return Meeting.objects.select_for_update().select_related("kind").get(pk=pk)


def meeting_set_agenda(*, meeting, items, by) -> Meeting:
    """Put accepted items on a planned meeting's agenda, in this order; items left
    out go back to waiting for a meeting."""
    _require_keeper(by)
    ids = list(dict.fromkeys(getattr(i, "pk", i) for i in items))
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if meeting.status == Meeting.Status.CANCELLED:
            raise MeetingError(_("This meeting is cancelled."))
        if meeting.status != Meeting.Status.PLANNED:
            raise MeetingError(_("The meeting is held: its agenda is in the minutes."))
        chosen = {
            item.pk: item
            for item in Item.objects.select_for_update().filter(pk__in=ids)
        }
        if len(chosen) != len(ids):
            raise MeetingError(_("An item chosen does not exist."))
        for item in chosen.values():
            on_this = item.status == Item.Status.SCHEDULED and (
                item.meeting_id == meeting.pk
            )
            if not on_this and item.status != Item.Status.ACCEPTED:
                raise MeetingError(
                    _("“%(title)s” is not an accepted item waiting for a meeting.")
                    % {"title": item.title}
                )
            if item.kind_id != meeting.kind_id:
                raise MeetingError(
                    _("“%(title)s” is proposed for another kind of meeting.")
                    % {"title": item.title}
                )
        changed = []
        for item in (
            Item.objects.select_for_update().filter(meeting=meeting).exclude(pk__in=ids)
        ):
            item.meeting, item.agenda_order = None, None
            item.status = Item.Status.ACCEPTED
            changed.append(item)
        for order, pk in enumerate(ids, start=1):
            item = chosen[pk]
            item.meeting, item.agenda_order = meeting, order
            item.status = Item.Status.SCHEDULED
            changed.append(item)
        for item in changed:
            _history(item, by)
            item.save(update_fields=["meeting", "agenda_order", "status"])
    return meeting


def meeting_cancel(*, meeting, by, reason: str) -> Meeting:
    """The comprehensive section calls off a planned meeting: its agenda items go
    back to waiting for a meeting (keeping their acceptance); the meeting stays in
    the list as cancelled, with who, when and why. No minutes number is taken."""
    _require_keeper(by)
    reason = (reason or "").strip()
    _checked((_line(SHORT_TEXT), reason))
    if not reason:
        raise MeetingError(_("Say why the meeting is cancelled."))
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if meeting.status == Meeting.Status.HELD:
            raise MeetingError(
                _(
                    "The meeting is held and its minutes recorded: it cannot be cancelled."
                )
            )
        if meeting.status == Meeting.Status.CANCELLED:
            raise MeetingError(_("This meeting is cancelled already."))
        for item in Item.objects.select_for_update().filter(meeting=meeting):
            item.meeting, item.agenda_order = None, None
            item.status = Item.Status.ACCEPTED
            _history(item, by)
            item.save(update_fields=["meeting", "agenda_order", "status"])
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancelled_at = timezone.now()
        meeting.cancelled_by = _user(by)
        meeting.cancel_reason = reason
        _history(meeting, by)
        meeting.save(
            update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"]
        )
    return meeting


def expected_participants(meeting: Meeting) -> QuerySet[Person]:
    """Who is expected at the meeting by its kind (MTG-1): the members (the bureau
    leaders when none are listed), the middle level and above for the director's
    office meeting, the heads of the sections and units concerned for a topic
    meeting — and the chair."""
    kind = meeting.kind
    people = Person.objects.filter(is_active=True)
    scope = Q(pk=meeting.chair_id)
    if kind.participants == rules.Participants.MEMBERS and kind.members.exists():
        return people.filter(scope | Q(pk__in=kind.members.values("pk")))
    scope |= Q(position__in=sorted(rules.expected_positions(kind.participants)))
    if kind.participants == rules.Participants.CONCERNED:
        agenda = Item.objects.filter(meeting=meeting)
        scope |= Q(headed_sections__in=agenda.values("section_id")) | Q(
            headed_units__in=agenda.filter(section__isnull=True).values("unit_id")
        )
    return people.filter(scope).distinct()


def meeting_record(
    *,
    meeting,
    by,
    held_on: datetime.date,
    chair: Person,
    attended,
    decisions: dict,
    notes: str = "",
) -> Meeting:
    """Record a held meeting: date, chair, who attended, who was excused (approved
    leave, through the absence providers) or absent, and per agenda item the
    decision text. An item left without a decision goes back to waiting for a
    meeting. The minutes take their number (per kind and year) in this transaction;
    from then on each decision is citeable."""
    _require_keeper(by)
    notes = (notes or "").strip()
    texts = {int(k): (v or "").strip() for k, v in (decisions or {}).items()}
    _checked(
        (_text(LONG_TEXT), notes),
        (validate_date_in_bounds, held_on),
        *[(_text(LONG_TEXT), text) for text in texts.values()],
    )
    if held_on is None or held_on > timezone.localdate():
        raise MeetingError(_("A meeting is recorded once it has been held."))
    if not notes and not any(texts.values()):
        raise MeetingError(_("Record the proceedings or at least one decision."))
    attended_ids = {getattr(p, "pk", p) for p in attended or ()}
    try:
        with transaction.atomic():
            meeting = _lock_meeting(meeting)
            if meeting.status == Meeting.Status.CANCELLED:
                raise MeetingError(_("This meeting is cancelled."))
            if meeting.status != Meeting.Status.PLANNED:
                raise MeetingError(_("This meeting is recorded already."))
            problem = _chair_problem(meeting.kind, chair)
            if problem:
                raise MeetingError(problem)
            agenda = list(
                Item.objects.select_for_update()
                .filter(meeting=meeting)
                .order_by("agenda_order", "pk")
            )
            if set(texts) - {item.pk for item in agenda}:
                raise MeetingError(_("A decision names an item not on the agenda."))
            if Person.objects.filter(pk__in=attended_ids, is_active=True).count() != (
                len(attended_ids)
            ):
                raise MeetingError(_("Someone marked present is not on the staff."))
            meeting.chair = chair
            present = attended_ids | {chair.pk}
            expected = set(expected_participants(meeting).values_list("pk", flat=True))
            missing = expected - present
            excused = absences_on(missing, held_on, meeting.part)
            rows = [
                Attendance(
                    meeting=meeting, person_id=pk, status=Attendance.Status.ATTENDED
                )
                for pk in sorted(present)
            ] + [
                Attendance(
                    meeting=meeting,
                    person_id=pk,
                    status=(
                        Attendance.Status.EXCUSED
                        if pk in excused
                        else Attendance.Status.ABSENT
                    ),
                    reason=excused.get(pk, "")[:100],
                )
                for pk in sorted(missing)
            ]
            made, number = [], 0
            for item in agenda:
                text = texts.get(item.pk, "")
                if text:
                    number += 1
                    made.append(
                        Decision(meeting=meeting, item=item, number=number, text=text)
                    )
                    item.status = Item.Status.DECIDED
                else:
                    item.status = Item.Status.ACCEPTED
                    item.meeting, item.agenda_order = None, None
                _history(item, by)
                item.save(update_fields=["status", "meeting", "agenda_order"])
            meeting.minutes_year = held_on.year
            meeting.minutes_number = take_minutes_number(
                meeting=meeting, on=held_on, by=_user(by)
            )
            meeting.status = Meeting.Status.HELD
            meeting.held_on = held_on
            meeting.notes = notes
            meeting.recorded_by = _user(by)
            meeting.recorded_at = timezone.now()
            _history(meeting, by)
            meeting.save()
            bulk_create_with_history(rows, Attendance, default_user=_user(by))
            bulk_create_with_history(made, Decision, default_user=_user(by))
    except NumberingError as exc:
        raise MeetingError(str(exc)) from None
    return meeting


# --- the monthly reminder ----------------------------------------------------------


def comprehensive_section_keepers() -> list[Person]:
    """Who hears the reminder: the comprehensive section's head and the document
    clerks (who keep the minutes)."""
    return list(
        Person.objects.filter(is_active=True)
        .filter(
            Q(headed_sections__is_comprehensive=True)
            | Q(user__groups__name=Role.DOCUMENT_CLERK)
        )
        .distinct()
        .order_by("pk")
    )


def _month_has_meeting(kind: MeetingKind, day: datetime.date) -> bool:
    start, end = rules.month_start(day), rules.month_end(day)
    return (
        Meeting.objects.filter(kind=kind)
        .filter(
            Q(held_on__range=(start, end))
            | Q(status=Meeting.Status.PLANNED, planned_on__range=(start, end))
        )
        .exists()
    )


def remind_monthly_meetings(
    *, today: datetime.date | None = None, commit: bool = True
) -> list[tuple[MeetingKind, list[Person]]]:
    """MTG-1: for each monthly kind whose month has no meeting (held, or planned
    within the month) by its reminder day, tell the comprehensive section — once a
    month (MonthlyReminder is the done-marker; a second run sends nothing).
    `commit=False` reports what would be sent and writes nothing."""
    today = today or timezone.localdate()
    month = rules.month_start(today)
    sent = []
    for kind in MeetingKind.objects.filter(is_active=True, monthly=True):
        if not rules.reminder_due(
            today,
            kind.reminder_day,
            month_has_meeting=_month_has_meeting(kind, today),
        ):
            continue
        if MonthlyReminder.objects.filter(kind=kind, month=month).exists():
            continue
        recipients = comprehensive_section_keepers()
        if commit and not _send_reminder(kind, month, recipients):
            continue
        sent.append((kind, recipients))
    return sent


def _send_reminder(kind: MeetingKind, month: datetime.date, recipients) -> bool:
    try:
        with transaction.atomic():
            MonthlyReminder.objects.create(
                kind=kind, month=month, recipients=len(recipients)
            )
            url = reverse("meetings:new") + f"?kind={kind.code}"
            for person in recipients:
                notify_person(
                    person,
                    title=_("No %(kind)s yet this month (%(month)s)")
                    % {"kind": kind.name, "month": month.strftime("%Y-%m")},
                    body=_(
                        "The %(kind)s is held once a month (MTG-1); none is held or "
                        "planned in %(month)s. Plan it, or record why not."
                    )
                    % {"kind": kind.name, "month": month.strftime("%Y-%m")},
                    url=url,
                )
    except IntegrityError:
        return False  # another run sent it a moment ago
    return True
