"""Supervised tasks and the section heads' monthly summary and plan (DOC-5)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.notify import notify_person
from bureau.access import has_role
from bureau.models import DoneMarker, Person, Role, Section
from bureau.policies import policy_in_force
from deadlines.registry import kind_of
from deadlines.services import (
    calendar_exceptions,
    deadline_for,
    deadline_meet_for,
    deadline_open,
)
from documents import rules, selectors
from documents.models import Instruction, MonthlyReport, SupervisionTask, TaskNote
from documents.policies import MONTHLY_REPORT
from documents.services.common import (
    DocumentError,
    _date,
    _history,
    _line,
    _person,
    _text,
)
from meetings.selectors import CitationRefused, decision_for_citation

TASK_DEADLINE = "documents.supervision"
TASK_LEADER_DEADLINE = "documents.supervision_leader"
TASK_DEADLINES = (TASK_DEADLINE, TASK_LEADER_DEADLINE)


def _require_supervisor_desk(by) -> None:
    if not selectors.registers_tasks(by):
        raise DocumentError(
            _(
                "Supervised tasks are registered by the comprehensive section's "
                "document clerk or a bureau leader."
            )
        )


def _open_clocks(task, by) -> None:
    """The section head's clock and the supervising leader's, both due on the
    task's due date (reminders to each; the section's escalates when overdue)."""
    exceptions = calendar_exceptions(task.assigned_on)
    for kind in TASK_DEADLINES:
        value = policy_in_force(kind_of(kind).policy_key, task.assigned_on).value
        length = rules.period_length(
            task.assigned_on, task.due_on, value["day_type"], exceptions
        )
        deadline_open(
            kind=kind, record=task, start=task.assigned_on, by=by, length=length
        )


def task_register(
    *,
    by,
    source: str,
    title: str,
    section,
    supervisor,
    due_on: datetime.date,
    assigned_on: datetime.date | None = None,
    requirements: str = "",
    source_reference: str = "",
    instruction=None,
    meeting_decision=None,
) -> SupervisionTask:
    """Register a task and assign it to a section with a due date (DOC-5)."""
    _require_supervisor_desk(by)
    if source not in SupervisionTask.Source.values:
        raise DocumentError(_("Say where the task comes from."))
    if not isinstance(section, Section):
        raise DocumentError(_("Choose the section the task is assigned to."))
    if not isinstance(supervisor, Person) or not supervisor.is_active:
        raise DocumentError(_("Name the supervising leader."))
    assigned_on = _date(
        assigned_on or timezone.localdate(), _("Give the day assigned.")
    )
    due_on = _date(due_on, _("Give the due date."))
    if rules.due_before_assigned(assigned_on, due_on):
        raise DocumentError(_("The due date cannot be before the day it is assigned."))
    fields = {
        "title": _line(title, required_message=_("Say what the task is.")),
        "requirements": _text(requirements),
        "source_reference": _line(source_reference),
    }
    if source == SupervisionTask.Source.INSTRUCTION:
        if not isinstance(instruction, Instruction):
            raise DocumentError(
                _("Choose the leader's instruction the task comes from.")
            )
        if (
            not selectors.incoming_visible_to(by)
            .filter(pk=instruction.incoming_id)
            .exists()
        ):
            raise DocumentError(
                _("Choose the leader's instruction the task comes from.")
            )
    else:
        instruction = None
    if source == SupervisionTask.Source.MEETING:
        try:
            meeting_decision = decision_for_citation(meeting_decision, user=by)
        except CitationRefused as exc:
            raise DocumentError(str(exc)) from None
    else:
        meeting_decision = None
    with transaction.atomic():
        task = SupervisionTask(
            source=source,
            instruction=instruction,
            meeting_decision=meeting_decision,
            section=section,
            supervisor=supervisor,
            assigned_on=assigned_on,
            due_on=due_on,
            created_by=by,
            **fields,
        )
        _history(task, by)
        task.save()
        _open_clocks(task, by)
        if section.head_id:
            notify_person(
                section.head,
                title=_("Supervised task: %(t)s (due %(d)s)")
                % {"t": task.title, "d": task.due_on.isoformat()},
                body=task.requirements,
                url=task.get_absolute_url(),
            )
    return task


def _locked_task(task) -> SupervisionTask:
    pk = getattr(task, "pk", task)
    try:
        return SupervisionTask.objects.select_for_update().get(pk=pk)
    except SupervisionTask.DoesNotExist:
        raise DocumentError(_("This task does not exist.")) from None


def _note(task, by, kind, text, acting_for=None) -> TaskNote:
    note = TaskNote(
        task=task, kind=kind, text=text, by=_person(by), acting_for=acting_for
    )
    _history(note, by)
    note.save()
    return note


def task_follow_up(*, task, by, text: str) -> TaskNote:
    """A note of progress (跟踪), by the section or the supervisors."""
    text = _text(text)
    if not text:
        raise DocumentError(_("Write what was done."))
    with transaction.atomic():
        task = _locked_task(task)
        if task.is_closed:
            raise DocumentError(_("This task is closed."))
        acting_for = None
        if not selectors.works_on_task(by, task):
            # DOC-6: the colleague who took over the head's or the supervisor's
            # matters follows up for them.
            acting_for = selectors.covers_for_task(by, task)
            if acting_for is None:
                raise DocumentError(_("This task is not yours to follow up."))
        return _note(task, by, TaskNote.Kind.PROGRESS, text, acting_for)


def task_report(*, task, by, text: str) -> SupervisionTask:
    """The section reports the task done (反馈): it waits for the check."""
    text = _text(text)
    if not text:
        raise DocumentError(_("Say how the task was done."))
    with transaction.atomic():
        task = _locked_task(task)
        acting_for = None
        if not selectors.in_task_section(by, task):
            # DOC-6: the colleague covering the section's head reports for them.
            acting_for = selectors.covers_for_task(by, task)
            if acting_for is None or acting_for.pk != task.section.head_id:
                raise DocumentError(
                    _("The section the task is assigned to reports back.")
                )
        if task.status != SupervisionTask.Status.ASSIGNED:
            raise DocumentError(
                _("This task is %(s)s.") % {"s": task.get_status_display()}
            )
        _note(task, by, TaskNote.Kind.REPORT, text, acting_for)
        task.status = SupervisionTask.Status.REPORTED
        _history(task, by)
        task.save(update_fields=["status"])
    return task


def task_check(
    *, task, by, decision: str, comment: str = "", on: datetime.date | None = None
) -> SupervisionTask:
    """The supervisors check the report: close the task (销号; its clocks are met,
    or missed when after the due date) or send it back with a comment."""
    comment = _text(comment)
    if decision not in ("close", "send_back"):
        raise DocumentError(_("Close the task or send it back."))
    if decision == "send_back" and not comment:
        raise DocumentError(_("Say why the task is sent back."))
    on = on or timezone.localdate()
    with transaction.atomic():
        task = _locked_task(task)
        if not selectors.checks_task(by, task):
            raise DocumentError(
                _("The document clerk or the supervising leader checks the task.")
            )
        if task.status != SupervisionTask.Status.REPORTED:
            raise DocumentError(_("Only a task reported back is checked."))
        if decision == "close":
            _note(task, by, TaskNote.Kind.CLOSED, comment or _("Closed."))
            task.status = SupervisionTask.Status.CLOSED
            task.closed_on = on
            for kind in TASK_DEADLINES:
                deadline_meet_for(task, kind, by=by, on=on)
        else:
            _note(task, by, TaskNote.Kind.SENT_BACK, comment)
            task.status = SupervisionTask.Status.ASSIGNED
        _history(task, by)
        task.save(update_fields=["status", "closed_on"])
    return task


def task_light(task, today: datetime.date) -> str:
    deadline = deadline_for(task, TASK_DEADLINE)
    return deadline.light_on(today) if deadline else ""


# --- monthly summary and plan --------------------------------------------------------


def monthly_report_send(
    *, by, month: datetime.date, summary: str, plan: str
) -> MonthlyReport:
    """The section head sends the month's summary and next month's plan; sending
    again the same month revises it (history keeps the first)."""
    person = _person(by)
    if not has_role(by, Role.SECTION_HEAD) or person.section_id is None:
        raise DocumentError(_("Section heads send the monthly summary and plan."))
    section = Section.objects.filter(pk=person.section_id, head=person).first()
    if section is None:
        raise DocumentError(_("Section heads send the monthly summary and plan."))
    month = _date(month, _("Choose the month.")).replace(day=1)
    if month > timezone.localdate():
        raise DocumentError(_("A summary is sent for a month begun."))
    summary, plan = _text(summary), _text(plan)
    if not summary or not plan:
        raise DocumentError(_("Write both the summary and the plan."))
    with transaction.atomic():
        report = (
            MonthlyReport.objects.select_for_update()
            .filter(section=section, month=month)
            .first()
        )
        if report is None:
            report = MonthlyReport(section=section, month=month, sent_by=person)
        report.summary, report.plan, report.sent_by = summary, plan, person
        _history(report, by)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise DocumentError(_("Sent at the same moment by someone else.")) from None
    return report


def monthly_reminders(*, today: datetime.date, commit: bool = False) -> list[Section]:
    """Remind each section head who has not sent last month's summary and plan,
    once per section and month, from the first day of the month after; returns
    the sections reminded (or that would be, on a dry run)."""
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    due = rules.report_due_on(
        month, policy_in_force(MONTHLY_REPORT, today).value["due_day"]
    )
    missing = [s for s in selectors.sections_without_report(month) if s.head_id]
    reminded = []
    for section in missing:
        key = f"documents.monthly_reminder:{section.pk}:{month:%Y-%m}"
        if DoneMarker.objects.filter(key=key).exists():
            continue
        reminded.append(section)
        if not commit:
            continue
        with transaction.atomic():
            _marker, created = DoneMarker.objects.get_or_create(key=key)
            if created:
                notify_person(
                    section.head,
                    title=_("Send %(m)s's summary and plan by %(d)s")
                    % {"m": f"{month:%Y-%m}", "d": due.isoformat()},
                    url=reverse("documents:monthly"),
                )
    return reminded
