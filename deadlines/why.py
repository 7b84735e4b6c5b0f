""" "Why" pages of a deadline (bureau.why): the clock a chapter started on one of its
records — a petition case's time limits and escalation (PET-3, PET-5), a window
matter's committed date (SVC-4) — with the rule, the policy version the clock was
started with (`Deadline.policy_id`) and the values it copied from it.

A chapter registers its own kind with its own selector, so only someone who may see
the record sees why its clock says what it says; others get 404:

    register_why("petitions.deadline", _("…"), deadline_why(Case, cases_visible_to,
                 url=lambda case: …))

The page's id is the deadline's, linked from wherever the clock shows.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.resolver import relation_label
from bureau.why import Judgement
from deadlines.models import Deadline


def deadline_why(model, visible_to, *, url=None, extra_rules=()):
    """A resolver for the deadlines of `model` records visible through
    `visible_to(user)`; `url(record)` the record's page; `extra_rules` rule IDs
    that also judge the clock (the escalation ladder)."""

    def resolve(user, object_id: int, params) -> Judgement | None:
        deadline = (
            Deadline.objects.select_related("responsible")
            .filter(pk=object_id, content_type=ContentType.objects.get_for_model(model))
            .first()
        )
        if deadline is None:
            return None
        record = visible_to(user).filter(pk=deadline.object_id).first()
        if record is None:
            return None
        today = timezone.localdate()
        overdue = (
            deadline.state == Deadline.State.OPEN
            and deadline.due_date is not None
            and deadline.due_date < today
        )
        facts = [
            (_("Record"), deadline.label),
            (_("Start"), deadline.start.isoformat()),
            (
                _("Length"),
                _("%(n)s %(days)s")
                % {
                    "n": deadline.length,
                    "days": deadline.get_day_type_display(),
                },
            ),
            (_("Due"), deadline.due_date.isoformat() if deadline.due_date else "—"),
            (_("State"), deadline.get_state_display()),
            (
                _("Overdue today"),
                _("overdue, past the due date") if overdue else _("not overdue"),
            ),
        ]
        if deadline.remind_from:
            facts.append((_("Reminded from"), deadline.remind_from.isoformat()))
        if deadline.escalate_to:
            facts.append(
                (_("Escalated to when overdue"), relation_label(deadline.escalate_to))
            )
        if deadline.responsible_id:
            facts.append((_("Responsible"), deadline.responsible.name))
        return Judgement(
            title=_("%(clock)s: %(record)s")
            % {"clock": deadline.kind_label, "record": deadline.label},
            person=deadline.responsible.name if deadline.responsible_id else "",
            date=deadline.start,
            rules=[r for r in (deadline.rule, *extra_rules) if r],
            version_ids=[deadline.policy_id] if deadline.policy_id else [],
            facts=facts,
            back_url=url(record) if url else "",
            note=_(
                "The due date is counted from the start by the length, in the kind of "
                "days the policy in force on the start date says; the clock keeps "
                "the values it was started with."
            ),
        )

    return resolve
