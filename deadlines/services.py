"""Every change of a deadline: open, pause, resume, meet, cancel, reassign; the
recomputation after a policy or calendar change; and the scan that sends each
reminder and escalation once."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from bureau import resolver
from bureau.history_sql import insert_with_history
from bureau.models import CalendarDay, Person
from bureau.params import DATE_BOUNDS, clean_text, validate_date_in_bounds
from bureau.policies import policies_preload, policy_in_force, registry
from deadlines import rules
from deadlines.models import Deadline, DeadlineEvent, DeadlineNotice
from deadlines.notify import Notice, send_notices
from deadlines.registry import (
    DeadlineKind,
    kind_of,
    kinds_for_policy,
    label_of,
    pausable,
    url_of,
)
from deadlines.selectors import may_pause

State = Deadline.State
COMPUTED = ["policy_id", "length", "day_type", "remind_days", "escalate_to"]
CACHED = ["due_date", "remind_from"]


class DeadlineError(Exception):
    """A deadline move the rules do not allow; the message is for the user."""


def _history_user(obj, user):
    if getattr(user, "pk", None):
        obj._history_user = user
    return obj


def _check_date(value: datetime.date) -> None:
    try:
        validate_date_in_bounds(value)
    except ValidationError as exc:
        raise DeadlineError(exc.messages[0]) from None


def calendar_exceptions(since: datetime.date | None = None) -> dict:
    """The bureau's stored calendar days from `since` on: a few dozen rows a year,
    one query."""
    days = CalendarDay.objects.all()
    if since is not None:
        days = days.filter(date__gte=since)
    return dict(days.values_list("date", "is_working_day"))


def _events_of(deadline: Deadline) -> list[tuple[str, datetime.date]]:
    if deadline.pk is None:
        return []
    events = getattr(deadline, "_prefetched_objects_cache", {}).get("events")
    if events is None:
        events = deadline.events.order_by("pk")
    return [(e.kind, e.on) for e in events]


def _apply_policy(deadline: Deadline, kind: DeadlineKind) -> None:
    """The values of the policy version in force on the deadline's start."""
    version = policy_in_force(kind.policy_key, deadline.start)
    value = version.value
    deadline.policy_id = version.id
    deadline.length = (
        deadline.fixed_length if deadline.fixed_length is not None else value["length"]
    )
    deadline.day_type = value["day_type"]
    deadline.remind_days = value["remind_days"]
    deadline.escalate_to = value["escalate_to"]


def _compute(deadline: Deadline, exceptions: dict) -> None:
    """Write the caches from the pure rules: never incremented, always rebuilt."""
    pauses = rules.pauses_from_events(_events_of(deadline))
    due = rules.due_date(
        start=deadline.start,
        length=deadline.length,
        day_type=deadline.day_type,
        pauses=pauses,
        exceptions=exceptions,
    )
    deadline.due_date = due
    deadline.remind_from = rules.remind_on(
        due=due,
        remind_days=deadline.remind_days,
        day_type=deadline.day_type,
        exceptions=exceptions,
    )


def content_type_of(record) -> ContentType:
    return ContentType.objects.get_for_model(type(record))


def deadline_for(record, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        kind=kind, content_type=content_type_of(record), object_id=record.pk
    ).first()


def deadline_policy_keys(kind: str) -> list[str]:
    """The policies `deadline_open(kind=…)` reads (its kind's, the date bounds): a
    caller reading policies of its own preloads them all in one query."""
    return [kind_of(kind).policy_key, DATE_BOUNDS]


def deadline_open(
    *,
    kind: str,
    record,
    start: datetime.date,
    by=None,
    responsible: Person | None = None,
    length: int | None = None,
) -> Deadline:
    """Start the clock of `kind` on `record` from `start`. Once per kind and record:
    opening again returns the deadline already there, unchanged. `length`: the
    period the record sets itself (e.g. a supervised task's due date), counted in
    the policy's day type; by default the policy's length."""
    definition = kind_of(kind)
    policies_preload(*deadline_policy_keys(kind))
    _check_date(start)
    if length is not None and (isinstance(length, bool) or length < 0):
        raise DeadlineError(_("A period is a whole number of days, not negative."))
    content_type = content_type_of(record)
    # Not looked up first: the unique (kind, record) constraint answers "opened
    # already?" in the INSERT below (a savepoint either way), one statement less
    # for every deadline opened.
    person = responsible if responsible is not None else definition.responsible(record)
    deadline = Deadline(
        kind=kind,
        content_type=content_type,
        object_id=record.pk,
        label=str(definition.describe(record))[:200],
        rule=definition.rule,
        legal_basis=str(definition.legal_basis)[:300],
        start=start,
        responsible=person,
        fixed_length=length,
        section_id=getattr(person, "section_id", None),
        unit_id=getattr(person, "unit_id", None),
    )
    _apply_policy(deadline, definition)
    _compute(deadline, calendar_exceptions(start))
    _history_user(deadline, by)
    try:
        with transaction.atomic():
            # The row and its history row in one statement (PostgreSQL).
            insert_with_history(deadline)
    except IntegrityError:
        # Opened before (or at the same moment by another transaction): that one
        # stands, unchanged.
        return Deadline.objects.get(
            kind=kind, content_type=content_type, object_id=record.pk
        )
    return deadline


def _locked(deadline: Deadline) -> Deadline:
    return (
        Deadline.objects.select_for_update()
        .prefetch_related(Prefetch("events", DeadlineEvent.objects.order_by("pk")))
        .get(pk=deadline.pk)
    )


def _log(deadline, *, kind, on, by, reason) -> None:
    _check_date(on)
    if len(reason or "") > 200:
        raise DeadlineError(_("The reason is too long (at most 200 characters)."))
    with transaction.atomic():
        deadline = _locked(deadline)
        if deadline.state != State.OPEN:
            raise DeadlineError(_("This deadline is closed."))
        events = _events_of(deadline)
        pauses = rules.pauses_from_events(events)
        paused = bool(pauses) and pauses[-1][1] is None
        if kind == rules.PAUSE and paused:
            raise DeadlineError(_("The clock is already stopped."))
        if kind == rules.RESUME and not paused:
            raise DeadlineError(_("The clock is running: there is nothing to resume."))
        last = max([day for _k, day in events], default=deadline.start)
        if on < last:
            raise DeadlineError(
                _("The date cannot be before %(day)s (the start or the last event).")
                % {"day": last}
            )
        DeadlineEvent.objects.create(
            deadline=deadline,
            kind=kind,
            on=on,
            reason=(reason or "").strip(),
            by=by if getattr(by, "pk", None) else None,
        )
        deadline._prefetched_objects_cache.pop("events", None)
        _compute(deadline, calendar_exceptions(deadline.start))
        _history_user(deadline, by)
        deadline.save(update_fields=CACHED)
    return deadline


def deadline_pause(*, deadline: Deadline, on: datetime.date, by, reason: str = ""):
    """Stop the clock from `on` (e.g. waiting for the petitioner's materials)."""
    return _log(deadline, kind=rules.PAUSE, on=on, by=by, reason=reason)


def deadline_resume(*, deadline: Deadline, on: datetime.date, by, reason: str = ""):
    """Start the clock again from `on`: the due date moves by the paused days."""
    return _log(deadline, kind=rules.RESUME, on=on, by=by, reason=reason)


def _by_hand(deadline: Deadline, *, kind: str, by, reason: str, on) -> Deadline:
    """A pause or resumption asked for on the deadline's page: only for a kind
    that declares it (`pausable`), by the person responsible or a leader over
    them, with a reason, not in the future."""
    today = timezone.localdate()
    on = on or today
    if not pausable(deadline.kind):
        raise DeadlineError(
            _(
                "This kind of deadline is not paused by hand: its clock runs by its rule."
            )
        )
    if not may_pause(by, deadline):
        raise DeadlineError(
            _(
                "Only the person responsible for this deadline, or a leader over "
                "them, may pause or resume it."
            )
        )
    try:
        reason = clean_text(reason or "", max_length=200, multiline=False).strip()
    except ValidationError as exc:
        raise DeadlineError(exc.messages[0]) from None
    if not reason:
        raise DeadlineError(_("Give the reason: it is recorded with the pause."))
    if on > today:
        raise DeadlineError(_("The date cannot be in the future."))
    return _log(deadline, kind=kind, on=on, by=by, reason=reason)


def due_date_after(
    deadline: Deadline, *, kind: str, on: datetime.date
) -> datetime.date | None:
    """What the due date would be after one more pause or resumption on `on`
    (the confirmation page says it before anything is recorded). None: stopped."""
    pauses = rules.pauses_from_events(_events_of(deadline) + [(kind, on)])
    return rules.due_date(
        start=deadline.start,
        length=deadline.length,
        day_type=deadline.day_type,
        pauses=pauses,
        exceptions=calendar_exceptions(deadline.start),
    )


def deadline_pause_by_hand(
    *, deadline: Deadline, by, reason: str, on: datetime.date | None = None
) -> Deadline:
    """The clock stopped by hand from `on` (today by default), with the reason."""
    return _by_hand(deadline, kind=rules.PAUSE, by=by, reason=reason, on=on)


def deadline_resume_by_hand(
    *, deadline: Deadline, by, reason: str, on: datetime.date | None = None
) -> Deadline:
    """The clock started again by hand: the due date moves by the paused days."""
    return _by_hand(deadline, kind=rules.RESUME, by=by, reason=reason, on=on)


def _close(deadline: Deadline, *, state: str | None, on, by) -> Deadline:
    _check_date(on)
    with transaction.atomic():
        deadline = _locked(deadline)
        if deadline.state != State.OPEN:
            return deadline
        deadline.state = state or rules.outcome_when_done(
            done_on=on, due=deadline.due_date
        )
        deadline.closed_on = on
        _history_user(deadline, by)
        deadline.save(update_fields=["state", "closed_on"])
    return deadline


def deadline_meet(
    *, deadline: Deadline, by, on: datetime.date | None = None
) -> Deadline:
    """The obligation is done on `on`: met if by the due date, else missed."""
    return _close(deadline, state=None, on=on or timezone.localdate(), by=by)


def deadline_cancel(
    *, deadline: Deadline, by, on: datetime.date | None = None
) -> Deadline:
    """The obligation fell away (the request withdrawn, the case merged)."""
    return _close(deadline, state=State.CANCELLED, on=on or timezone.localdate(), by=by)


def deadline_meet_for(record, kind: str, *, by, on=None) -> Deadline | None:
    """Meet the `kind` deadline of `record`, if there is one (chapters call this)."""
    deadline = deadline_for(record, kind)
    return None if deadline is None else deadline_meet(deadline=deadline, by=by, on=on)


def deadline_cancel_for(record, kind: str, *, by, on=None) -> Deadline | None:
    deadline = deadline_for(record, kind)
    return (
        None if deadline is None else deadline_cancel(deadline=deadline, by=by, on=on)
    )


def deadline_reassign(*, deadline: Deadline, responsible: Person, by) -> Deadline:
    """Another person answers for the deadline from now on (reminders go to them)."""
    with transaction.atomic():
        deadline = _locked(deadline)
        if deadline.state != State.OPEN:
            raise DeadlineError(_("This deadline is closed."))
        if deadline.responsible_id == responsible.pk:
            return deadline
        deadline.responsible = responsible
        deadline.section_id = responsible.section_id
        deadline.unit_id = responsible.unit_id
        _history_user(deadline, by)
        deadline.save(update_fields=["responsible", "section", "unit"])
    return deadline


# --- recomputation -------------------------------------------------------------


def deadlines_recompute(
    *, kinds: Iterable[str] | None = None, queryset: QuerySet | None = None
) -> int:
    """Compute the open deadlines again from their start, the policy version in
    force on it, their events and the calendar (after a policy or calendar change).
    Saves only those whose values changed, with history. Returns how many."""
    deadlines = queryset if queryset is not None else Deadline.objects.all()
    deadlines = deadlines.filter(state=State.OPEN)
    if kinds is not None:
        deadlines = deadlines.filter(kind__in=list(kinds))
    changed_total = 0
    with transaction.atomic():
        first = deadlines.order_by("start").values_list("start", flat=True).first()
        if first is None:
            return 0
        exceptions = calendar_exceptions(first)
        batch = deadlines.select_for_update().prefetch_related(
            Prefetch("events", DeadlineEvent.objects.order_by("pk"))
        )
        changed = []
        for deadline in batch.iterator(chunk_size=2000):
            before = [getattr(deadline, name) for name in COMPUTED + CACHED]
            try:
                definition = kind_of(deadline.kind)
            except KeyError:
                continue  # a kind no longer registered: left as it is
            _apply_policy(deadline, definition)
            _compute(deadline, exceptions)
            if [getattr(deadline, name) for name in COMPUTED + CACHED] != before:
                changed.append(deadline)
        if changed:
            bulk_update_with_history(
                changed, Deadline, COMPUTED + CACHED, batch_size=500
            )
        changed_total = len(changed)
    return changed_total


def on_policy_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a Policy version: recompute the open deadlines of
    the kinds that take their period from it, in the same transaction."""
    keys = kinds_for_policy(instance.key)
    if keys:
        registry.clear_cache()
        deadlines_recompute(kinds=keys)


def _recompute_working_days() -> None:
    deadlines_recompute(queryset=Deadline.objects.filter(day_type=rules.WORKING))


def on_calendar_changed(sender, instance, **kwargs) -> None:
    """A calendar day entered, changed or removed: open working-day deadlines are
    computed again once, when the transaction commits (an arrangement saves its
    days one by one; a rolled-back change schedules nothing)."""
    connection = transaction.get_connection()
    if any(item[1] is _recompute_working_days for item in connection.run_on_commit):
        return
    transaction.on_commit(_recompute_working_days)


# --- the scan ------------------------------------------------------------------


@dataclass
class ScanResult:
    reminders: list[dict] = field(default_factory=list)
    escalations: list[dict] = field(default_factory=list)
    unresolved: int = 0  # escalations with nobody to send to (a vacant post)
    sent: int = 0

    def object_ids(self, kind: str, which: str = "reminders") -> list[int]:
        return [row["object_id"] for row in getattr(self, which) if row["kind"] == kind]


_FIELDS = (
    "pk",
    "kind",
    "object_id",
    "label",
    "rule",
    "due_date",
    "responsible_id",
    "responsible__name",
    "escalate_to",
)


def _without_notice(queryset: QuerySet, kind: str) -> QuerySet:
    return queryset.exclude(
        Exists(
            DeadlineNotice.objects.filter(
                deadline=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date")
            )
        )
    )


def reminders_due(today: datetime.date, kinds=None) -> QuerySet:
    """Open deadlines inside their reminder window, not yet reminded for their
    current due date: one indexed query."""
    due = Deadline.objects.filter(
        state=State.OPEN,
        remind_from__lte=today,
        due_date__gte=today,
        responsible__isnull=False,
    )
    if kinds is not None:
        due = due.filter(kind__in=list(kinds))
    return _without_notice(due, DeadlineNotice.Kind.REMIND)


def escalations_due(today: datetime.date, kinds=None) -> QuerySet:
    """Open deadlines past their due date, with somewhere to escalate to, not yet
    escalated for their current due date."""
    due = Deadline.objects.filter(
        state=State.OPEN, due_date__lt=today, responsible__isnull=False
    ).exclude(escalate_to="")
    if kinds is not None:
        due = due.filter(kind__in=list(kinds))
    return _without_notice(due, DeadlineNotice.Kind.ESCALATE)


def _escalation_targets(rows: list[dict], today) -> dict:
    """{(responsible id, relation): Person | None}: one resolution per pair, not
    per deadline, and one stand-in lookup per holder."""
    pairs = {(row["responsible_id"], row["escalate_to"]) for row in rows}
    people = Person.objects.select_related(
        "user",
        "section__head",
        "section__deputy_in_charge",
        "unit__head",
        "unit__deputy_in_charge",
    ).in_bulk({pk for pk, _relation in pairs})
    known = [
        (people[pk], relation)
        for pk, relation in pairs
        if pk in people and resolver.is_relation(relation)
    ]
    approvers = resolver.resolve_many(known, today)
    return {
        pair: approvers[pair].person if approvers.get(pair) is not None else None
        for pair in pairs
    }


def _reminder(row: dict) -> tuple[str, str]:
    title = _("Due %(due)s: %(kind)s: %(record)s") % {
        "due": row["due_date"],
        "kind": label_of(row["kind"]),
        "record": row["label"],
    }
    body = _("Rule %(rule)s. Please complete it by %(due)s.") % {
        "rule": row["rule"],
        "due": row["due_date"],
    }
    return title, body


def _escalation(row: dict) -> tuple[str, str]:
    title = _("Overdue since %(due)s: %(kind)s: %(record)s") % {
        "due": row["due_date"],
        "kind": label_of(row["kind"]),
        "record": row["label"],
    }
    body = _(
        "Rule %(rule)s. %(person)s has not completed it by %(due)s; it is "
        "escalated to you."
    ) % {
        "rule": row["rule"],
        "person": row["responsible__name"],
        "due": row["due_date"],
    }
    return title, body


def deadlines_scan(
    *, today: datetime.date, commit: bool, kinds: Iterable[str] | None = None
) -> ScanResult:
    """Send every reminder and escalation that is due, once (the beat task and
    `manage.py deadlines_scan --commit`). A dry run returns what would be sent.

    Set-based: two queries find the work, the markers are inserted in bulk with
    ON CONFLICT DO NOTHING, and only the markers this scan inserted (its token) are
    sent, so two scans at once never send the same notice twice.
    """
    kinds = list(kinds) if kinds is not None else None
    result = ScanResult()
    if not commit:
        result.reminders = list(reminders_due(today, kinds).values(*_FIELDS))
        result.escalations = list(escalations_due(today, kinds).values(*_FIELDS))
        return result
    token = uuid.uuid4().hex
    with transaction.atomic():
        reminders = list(reminders_due(today, kinds).values(*_FIELDS))
        escalations = list(escalations_due(today, kinds).values(*_FIELDS))
        targets = _escalation_targets(escalations, today)
        markers = [
            DeadlineNotice(
                deadline_id=row["pk"],
                kind=DeadlineNotice.Kind.REMIND,
                due_date=row["due_date"],
                recipient_id=row["responsible_id"],
                sent_on=today,
                run=token,
            )
            for row in reminders
        ]
        for row in escalations:
            target = targets[(row["responsible_id"], row["escalate_to"])]
            if target is None:
                result.unresolved += 1  # tried again next scan
                continue
            row["recipient_id"] = target.pk
            markers.append(
                DeadlineNotice(
                    deadline_id=row["pk"],
                    kind=DeadlineNotice.Kind.ESCALATE,
                    due_date=row["due_date"],
                    recipient_id=target.pk,
                    sent_on=today,
                    run=token,
                )
            )
        DeadlineNotice.objects.bulk_create(
            markers, ignore_conflicts=True, batch_size=500
        )
        won = set(
            DeadlineNotice.objects.filter(run=token).values_list("deadline_id", "kind")
        )
        notices = []
        for row in reminders:
            if (row["pk"], DeadlineNotice.Kind.REMIND) in won:
                title, body = _reminder(row)
                url = url_of(row["kind"], row["object_id"])
                notices.append(Notice(row["responsible_id"], title, body, url))
                result.reminders.append(row)
        for row in escalations:
            if (row["pk"], DeadlineNotice.Kind.ESCALATE) in won:
                title, body = _escalation(row)
                url = url_of(row["kind"], row["object_id"])
                notices.append(Notice(row["recipient_id"], title, body, url))
                result.escalations.append(row)
        result.sent = send_notices(notices)
    return result
