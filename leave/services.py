"""Every change of a leave request: submit, withdraw, report back, file; and the
hook through which the approval engine tells leave the outcome.

`leave_quote` and `annual_check` write nothing but stay here: they are
`leave_submit`'s checks run ahead for the preview, raising its `LeaveError`.
Plain reads are in `leave.selectors`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals import services as approval_services
from approvals.chains import ResolvedStep
from attachments.services import AttachmentError, attachment_add
from bureau import workdays
from bureau.access import person_of
from bureau.history_sql import update_with_history
from bureau.models import Person
from bureau.params import LONG_TEXT, clean_text, validate_date_in_bounds
from bureau.policies import policies_preload, policy_in_force, policy_value
from bureau.scoping import clerk_keeps
from deadlines.services import (
    deadline_cancel_for,
    deadline_meet_for,
    deadline_open,
    deadline_policy_keys,
    deadlines_scan,
)
from handovers.models import Handover
from handovers.services import HandoverError, handover_cancel_for, handover_open
from leave import rules
from leave.excuses import leave_excuses_changed
from leave.models import (
    NO_OVERLAP_CONSTRAINT,
    RETURN_DEADLINE,
    LeaveRequest,
    LeaveType,
)
from leave.selectors import (
    FORM_OVER_DAYS,
    AnnualBalance,
    annual_annotations,
    annual_balance,
    balance_from,
    can_file,
    filing_place,
    needs_form,
    needs_form_for,
    overlapping_requests,
)
from numbering.services import number_take

OVERLAP_MESSAGE = gettext_lazy("You have another leave request in this period.")

# LV-7: the printed leave form's number (registered in leave.apps). Taken when the
# leave is approved, in the approval's transaction, for leave that needs the form.
FORM_SERIES = "leave.form"
FORM_NUMBER_TEMPLATE = "{code}请假〔{year}〕{n}号"


class LeaveError(Exception):
    """A leave move the rules do not allow; the message is for the user."""


@dataclass(frozen=True)
class Quote:
    """What a request would be: its length, its rule and its chain resolved to names."""

    days: Decimal
    rule: str
    tier_up_to: float | None
    chain: list[dict]
    policy_id: int | None
    steps: list[ResolvedStep]
    is_retroactive: bool

    @property
    def needs_form(self) -> bool:
        return needs_form_for(self.days, self.start_date)

    start_date: datetime.date | None = None


def _history_user(obj, user):
    if getattr(user, "pk", None):
        obj._history_user = user
    return obj


def _check_input(*, dates=(), texts=()) -> None:
    """Dates within the bureau's bounds and texts of a bounded length, before any
    rule is judged or anything written (bureau.params)."""
    try:
        for value in dates:
            validate_date_in_bounds(value)
        for value in texts:
            clean_text(value, max_length=LONG_TEXT)
    except ValidationError as exc:
        raise LeaveError(exc.messages[0]) from None


def leave_quote(
    *,
    person: Person,
    start_date: datetime.date,
    start_half: str,
    end_date: datetime.date,
    end_half: str,
    today: datetime.date,
    leader_consent: str = "",
) -> Quote:
    """Check a request and resolve its chain, without writing anything."""
    _check_input(dates=[start_date, end_date], texts=[leader_consent])
    if rules.session_key(end_date, end_half) < rules.session_key(
        start_date, start_half
    ):
        raise LeaveError(_("The leave ends before it starts."))
    if (end_date - start_date).days > 366:
        raise LeaveError(_("A leave request covers at most a year."))
    days = rules.leave_days(
        workdays.working_days_in(start_date, end_date),
        start_date,
        start_half,
        end_date,
        end_half,
    )
    if days <= 0:
        raise LeaveError(_("There is no working time in this period."))
    retroactive = start_date < today
    if retroactive:
        window = policy_value("leave.retroactive_days", today)
        problem = rules.retroactive_problem(
            start_date, today, window, bool(leader_consent.strip())
        )
        if problem == "too_late":
            raise LeaveError(
                _(
                    "Leave can be asked for afterwards only within %(n)s days of its "
                    "first day (LV-8); %(start)s is %(late)s days ago. This time off "
                    "counts as absence."
                )
                % {"n": window, "start": start_date, "late": (today - start_date).days}
            )
        if problem == "needs_consent":
            raise LeaveError(
                _(
                    "Leave asked for afterwards needs your leader's consent (LV-8): "
                    "name who agreed and when."
                )
            )
    version = policy_in_force("leave.chains", start_date)
    entry = version.value.get(person.position)
    if entry is None:
        raise LeaveError(_("No leave chain is defined for this position."))
    tier = rules.tier_for(entry["tiers"], days)
    steps = approval_services.approval_preview(
        requester=person, chain=tier["steps"], on=today
    )
    return Quote(
        days=days,
        rule=entry.get("rule", ""),
        tier_up_to=tier.get("up_to"),
        chain=tier["steps"],
        policy_id=version.id,
        steps=steps,
        is_retroactive=retroactive,
        start_date=start_date,
    )


def annual_problem_message(days: Decimal, balance: AnnualBalance) -> str | None:
    """LV-11: the refusal when `days` of annual leave exceed what is available (the
    year's balance minus pending annual requests); None when they fit."""
    available = rules.annual_problem(
        days, balance.entitlement, balance.taken, balance.requested
    )
    if available is None:
        return None
    return _(
        "Not enough annual leave for %(year)s: you ask for %(days)s days, "
        "%(available)s are available (%(entitlement)s in the year, "
        "%(taken)s taken, %(requested)s in pending requests)."
    ) % {
        "year": balance.year,
        "days": days,
        "available": available,
        "entitlement": balance.entitlement,
        "taken": balance.taken,
        "requested": balance.requested,
    }


def annual_check(
    *, person: Person, leave_type: str, start_date: datetime.date, days: Decimal
) -> AnnualBalance | None:
    """For the preview: the balance of annual leave (None for other types); raises
    LeaveError when the request is longer than what is available."""
    if leave_type != LeaveType.ANNUAL:
        return None
    balance = annual_balance(person, start_date.year)
    problem = annual_problem_message(days, balance)
    if problem:
        raise LeaveError(problem)
    return balance


def leave_submit(
    *,
    by,
    leave_type: str,
    start_date: datetime.date,
    start_half: str,
    end_date: datetime.date,
    end_half: str,
    reason: str,
    handover_note: str,
    handover_to: Person | None = None,
    leader_consent: str = "",
    person: Person | None = None,
    today: datetime.date | None = None,
) -> LeaveRequest:
    """Ask for leave: the request and its approval chain, in one transaction."""
    person = person or person_of(by)
    if person is None:
        raise LeaveError(_("This login is not linked to a person."))
    today = today or timezone.localdate()
    _check_input(texts=[reason, handover_note])
    quote = leave_quote(
        person=person,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        today=today,
        leader_consent=leader_consent,
    )
    problem = None
    try:
        # A savepoint when nested: a refusal by the database leaves an enclosing
        # transaction usable.
        with transaction.atomic():
            _lock_person(person)
            problem = _submission_problem(
                person=person,
                leave_type=leave_type,
                start_date=start_date,
                start_half=start_half,
                end_date=end_date,
                end_half=end_half,
                days=quote.days,
            )
            if problem is None:
                leave = _create(
                    person=person,
                    by=by,
                    leave_type=leave_type,
                    start_date=start_date,
                    start_half=start_half,
                    end_date=end_date,
                    end_half=end_half,
                    reason=reason,
                    handover_note=handover_note,
                    handover_to=handover_to,
                    leader_consent=leader_consent,
                    quote=quote,
                    today=today,
                )
    except HandoverError as exc:
        # DOC-6: the colleague named cannot take over; nothing is written.
        problem = str(exc)
    except IntegrityError as exc:
        # PostgreSQL's exclusion constraint, the last line behind the check: the
        # request and its approval are rolled back together.
        if not _is_overlap_violation(exc):
            raise
        problem = OVERLAP_MESSAGE
    # Refused after the block: nothing was written, and an enclosing transaction
    # stays usable.
    if problem is not None:
        raise LeaveError(str(problem))
    return leave


def leave_submit_with_attachment(*, by, attachment=None, **kwargs) -> LeaveRequest:
    """Ask for leave with a file (e.g. a sick note) in one transaction: a file the
    attachments refuse leaves no request, and a request refused leaves no file."""
    with transaction.atomic():
        leave = leave_submit(by=by, **kwargs)
        if attachment:
            purpose = "sick_note" if leave.leave_type == LeaveType.SICK else "other"
            try:
                attachment_add(by=by, obj=leave, file=attachment, purpose=purpose)
            except AttachmentError as exc:
                raise LeaveError(str(exc)) from None
    return leave


def _lock_person(person: Person) -> None:
    """Lock the person's row before anything is read: two requests of one person
    are checked one after the other. A statement of its own, so that on PostgreSQL
    (READ COMMITTED) the checks that follow read what the other request committed
    while this one waited; a lock taken by the checking query itself would read the
    rows as they were before the wait. On SQLite the transaction (BEGIN IMMEDIATE,
    settings) already holds the database's write lock before this read."""
    Person.objects.select_for_update().filter(pk=person.pk).values_list(
        "pk", flat=True
    ).get()


def _submission_problem(
    *,
    person: Person,
    leave_type: str,
    start_date: datetime.date,
    start_half: str,
    end_date: datetime.date,
    end_half: str,
    days: Decimal,
) -> str | None:
    """Under the person's lock, one query: another pending or approved request
    sharing a half day, and for annual leave the balance (LV-11)."""
    overlapping = overlapping_requests(
        OuterRef("pk"), start_date, start_half, end_date, end_half
    )
    state = Person.objects.filter(pk=person.pk).annotate(
        overlapping=Exists(overlapping)
    )
    annual = leave_type == LeaveType.ANNUAL
    if annual:
        state = state.annotate(**annual_annotations(start_date.year))
    row = state.values().get()
    if row["overlapping"]:
        return OVERLAP_MESSAGE
    if annual:
        return annual_problem_message(days, balance_from(row, start_date.year))
    return None


def _is_overlap_violation(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None) or str(exc)
    return NO_OVERLAP_CONSTRAINT in name


def _create(
    *,
    person,
    by,
    leave_type,
    start_date,
    start_half,
    end_date,
    end_half,
    reason,
    handover_note,
    handover_to,
    leader_consent,
    quote,
    today,
) -> LeaveRequest:
    leave = LeaveRequest(
        person=person,
        leave_type=leave_type,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=quote.days,
        reason=reason.strip(),
        handover_note=handover_note.strip(),
        rule=quote.rule,
        chain_policy_id=quote.policy_id,
        submitted_on=today,
        is_retroactive=quote.is_retroactive,
        leader_consent=leader_consent.strip() if quote.is_retroactive else "",
    )
    _history_user(leave, by)
    leave.save()
    if handover_to is not None:
        # DOC-6: the matters in progress are handed over to the colleague named,
        # who acknowledges them; the decider sees the handover beside the request.
        handover_open(
            by=by,
            person=person,
            colleague=handover_to,
            start_date=start_date,
            end_date=end_date,
            kind=Handover.Kind.LEAVE,
            note=leave.handover_note,
            subject=leave,
        )
    approval_services.approval_submit(
        subject=leave,
        requester=person,
        chain=quote.chain,
        by=by,
        kind="leave",
        summary=_("%(name)s: %(type)s, %(start)s, %(days)s days")
        % {
            "name": person.name,
            "type": leave.get_leave_type_display(),
            "start": start_date,
            "days": quote.days,
        },
        chain_policy_id=quote.policy_id,
        on=today,
        resolved=quote.steps,
    )
    return leave


def leave_on_outcome(approval, outcome: str) -> None:
    """The approval engine's hook: the leave takes the approval's final status."""
    # The person with it (the deadline's responsible one); only the leave's row
    # is locked, as before.
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=approval.object_id)
    )
    if leave.status == outcome:
        return
    leave.status = outcome
    # The row and its history row in one statement (PostgreSQL).
    update_with_history(leave, update_fields=["status"])
    if outcome == LeaveRequest.Status.APPROVED:
        # LV-7's and LV-9's policies in one query.
        policies_preload(FORM_OVER_DAYS, *deadline_policy_keys(RETURN_DEADLINE))
        if needs_form(leave):
            # LV-7: the form's number, given once, in the transaction that approves:
            # a decision rolled back takes no number; printing never numbers.
            number_take(series=FORM_SERIES, owner=leave)
        leave_excuses_changed(leave.person_id, leave.start_date, leave.end_date)
        # LV-9: the clock to report back, from the last day of leave.
        deadline_open(kind=RETURN_DEADLINE, record=leave, start=leave.end_date)
    else:
        deadline_cancel_for(leave, RETURN_DEADLINE, by=None)
        # DOC-6: no leave, no handover.
        handover_cancel_for(subject=leave, by=None)


def leave_withdraw(*, leave: LeaveRequest, by, comment: str = "") -> LeaveRequest:
    approval = leave.approvals.first()
    if approval is None:
        raise LeaveError(_("This request has no approval to withdraw."))
    try:
        approval_services.approval_withdraw(request=approval, by=by, comment=comment)
    except approval_services.ApprovalError as exc:
        raise LeaveError(str(exc)) from exc
    leave.refresh_from_db()
    return leave


def leave_return(
    *,
    leave: LeaveRequest,
    by,
    back_date: datetime.date,
    back_half: str,
) -> LeaveRequest:
    """LV-9: report back (销假). Back before the end shortens the leave."""
    _check_input(dates=[back_date])
    person = person_of(by)
    with transaction.atomic():
        leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
        if person is None or person.pk != leave.person_id:
            raise LeaveError(_("Only the person on leave reports back."))
        if leave.status != LeaveRequest.Status.APPROVED:
            raise LeaveError(_("Only approved leave is reported back."))
        if leave.returned_at is not None:
            return leave
        back = rules.session_key(back_date, back_half)
        if back <= rules.session_key(leave.start_date, leave.start_half):
            raise LeaveError(_("The leave has not started by then."))
        leave.returned_at = timezone.now()
        if back <= rules.session_key(leave.end_date, leave.end_half):
            end_date, end_half = rules.previous_session(back_date, back_half)
            leave.actual_end_date = end_date
            leave.actual_end_half = end_half
            leave.actual_days = rules.leave_days(
                workdays.working_days_in(leave.start_date, end_date),
                leave.start_date,
                leave.start_half,
                end_date,
                end_half,
            )
        else:
            leave.actual_days = leave.days
        _history_user(leave, by)
        leave.save(
            update_fields=[
                "returned_at",
                "actual_end_date",
                "actual_end_half",
                "actual_days",
            ]
        )
        if leave.actual_end_date:
            leave_excuses_changed(leave.person_id, back_date, leave.end_date)
        deadline_meet_for(
            leave, RETURN_DEADLINE, by=by, on=timezone.localdate(leave.returned_at)
        )
    return leave


def leave_file(
    *,
    leave: LeaveRequest,
    by,
    reference: str = "",
    filed_on: datetime.date | None = None,
) -> LeaveRequest:
    if not can_file(by):
        raise LeaveError(_("Only the attendance clerk records the filing of leave."))
    with transaction.atomic():
        leave = (
            LeaveRequest.objects.select_for_update()
            .select_related("person")
            .get(pk=leave.pk)
        )
        if not clerk_keeps(by, leave.person):
            raise LeaveError(
                _("This leave is of a unit whose attendance you do not keep.")
            )
        if leave.status != LeaveRequest.Status.APPROVED:
            raise LeaveError(_("Only approved leave is filed."))
        if leave.filed_on is not None:
            return leave
        leave.filed_with = filing_place(leave.person)
        leave.filed_on = filed_on or timezone.localdate()
        leave.filing_reference = (reference or "").strip()[:100]
        leave.filed_by = person_of(by)
        _history_user(leave, by)
        leave.save(
            update_fields=["filed_with", "filed_on", "filing_reference", "filed_by"]
        )
    return leave


def leave_remind_returns(*, on: datetime.date, commit: bool) -> list[LeaveRequest]:
    """LV-9: remind the people whose leave is ending to report back: the deadline
    engine's scan for the leave kind (each reminder once; dry run unless commit).
    Returns the leave reminded (or that would be)."""
    result = deadlines_scan(today=on, commit=commit, kinds=[RETURN_DEADLINE])
    ids = result.object_ids(RETURN_DEADLINE)
    found = LeaveRequest.objects.select_related("person").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
