"""ATT-7, ATT-9: going-out reports and study leave move onto the approval engine.

Every existing GoingOut and StudyLeave gets its ApprovalRequest (round 1) and its one
ApprovalStep carrying the decision it had: who it was addressed to and for whom they
stood in (ORG-2), the relation, the decision, who decided and when, and the note.
History is written for both (created when the report was made, by the reporter;
changed when it was decided, by the user the subject's own history names for that
change, else the approver). Undecided rows stay pending, so the supervisor still sees
them in the "waiting for my decision" inbox. The next migration removes the fields
that held the decision on the subject itself.

The text of the summary is frozen here (the service's wording when this was written)
so that the migration does not depend on application code that may change later.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone, translation
from django.utils.translation import gettext

GOING_OUT_SUMMARY = "%(name)s: going out to %(place)s, %(start)s–%(end)s (%(reason)s)"
STUDY_LEAVE_SUMMARY = "%(name)s: leave from %(session)s, %(start)s (%(reason)s)"
REASON = "moved onto the approval engine (ATT-7, ATT-9)"


def _local(moment, fmt):
    return timezone.localtime(moment).strftime(fmt)


def _decision_user(history_model, subject, status, fallback):
    """Who the subject's own history names for the change to `status`."""
    row = (
        history_model.objects.filter(id=subject.pk, status=status)
        .order_by("history_date", "history_id")
        .values_list("history_user_id", flat=True)
        .first()
    )
    return row or fallback


def _history(model, history_model, obj, *, at, kind, user_id):
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    history_model.objects.create(
        **values,
        history_date=at,
        history_type=kind,
        history_user_id=user_id,
        history_change_reason=REASON,
    )


def _route(apps, *, subject, content_type, kind, summary, outcome, step):
    """One approval with one step, and their history."""
    Request = apps.get_model("approvals", "ApprovalRequest")
    Step = apps.get_model("approvals", "ApprovalStep")
    HRequest = apps.get_model("approvals", "HistoricalApprovalRequest")
    HStep = apps.get_model("approvals", "HistoricalApprovalStep")
    Person = apps.get_model("bureau", "Person")

    decided_at = step["decided_at"]
    pending = outcome == "pending"
    reporter_user = (
        Person.objects.filter(pk=subject.person_id)
        .values_list("user_id", flat=True)
        .first()
    )
    request = Request(
        content_type_id=content_type.pk,
        object_id=subject.pk,
        round=1,
        kind=kind,
        summary=summary[:200],
        requester_id=subject.person_id,
        status="pending",
        current_order=1,
        chain_policy_id=None,
        submitted_at=subject.created_at,
        finished_at=None,
    )
    request.save()
    created = Step(
        request=request,
        order=1,
        action=step["action"],
        relation=step["relation"],
        approver_id=step["approver_id"],
        acting_for_id=step["acting_for_id"],
        status="pending",
    )
    created.save()
    _history(
        Request, HRequest, request, at=request.submitted_at, kind="+",
        user_id=reporter_user,
    )
    _history(
        Step, HStep, created, at=request.submitted_at, kind="+",
        user_id=reporter_user,
    )
    if pending:
        return
    at = decided_at or subject.created_at
    request.status = outcome
    request.current_order = None
    request.finished_at = at
    request.save()
    created.status = "cancelled" if outcome == "withdrawn" else "done"
    created.decision = step["decision"]
    created.comment = step["comment"]
    created.decided_at = decided_at if outcome != "withdrawn" else None
    created.decided_by_id = step["decided_by_id"]
    created.save()
    _history(Request, HRequest, request, at=at, kind="~", user_id=step["user_id"])
    _history(Step, HStep, created, at=at, kind="~", user_id=step["user_id"])


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GoingOut = apps.get_model("attendance", "GoingOut")
    HGoingOut = apps.get_model("attendance", "HistoricalGoingOut")
    StudyLeave = apps.get_model("attendance", "StudyLeave")
    HStudyLeave = apps.get_model("attendance", "HistoricalStudyLeave")
    Person = apps.get_model("bureau", "Person")
    users = dict(Person.objects.values_list("pk", "user_id"))

    with translation.override(settings.LANGUAGE_CODE):
        if GoingOut.objects.exists():
            content_type, _ = ContentType.objects.get_or_create(
                app_label="attendance", model="goingout"
            )
            for going_out in GoingOut.objects.select_related("person").order_by("pk"):
                _going_out(apps, going_out, content_type, HGoingOut, users)
        if StudyLeave.objects.exists():
            content_type, _ = ContentType.objects.get_or_create(
                app_label="attendance", model="studyleave"
            )
            for leave in StudyLeave.objects.select_related(
                "person", "session"
            ).order_by("pk"):
                _study_leave(apps, leave, content_type, HStudyLeave, users)


def _going_out(apps, going_out, content_type, history_model, users):
    status = going_out.status
    addressed = going_out.approver_id is not None
    decided = going_out.decided_at is not None
    if status == "requested" or (status == "returned" and addressed and not decided):
        # Not decided yet (also when logged back first): still waiting.
        outcome, decision = "pending", ""
    elif status == "refused":
        outcome, decision = "refused", "refused"
    elif status == "cancelled":
        outcome, decision = "withdrawn", ""
    else:  # acknowledged, or returned after being acknowledged
        outcome = "approved"
        decision = "approved" if addressed else "acknowledged"
    decider = going_out.approver_id if addressed and outcome != "withdrawn" else None
    summary = gettext(GOING_OUT_SUMMARY) % {
        "name": going_out.person.name,
        "place": going_out.destination,
        "start": _local(going_out.leaves_at, "%m-%d %H:%M"),
        "end": _local(going_out.expected_return, "%H:%M"),
        "reason": going_out.reason,
    }
    _route(
        apps,
        subject=going_out,
        content_type=content_type,
        kind="going_out",
        summary=summary,
        outcome=outcome,
        step={
            "action": "approve" if addressed else "acknowledge",
            "relation": going_out.relation or "supervisor",
            "approver_id": going_out.approver_id,
            "acting_for_id": going_out.approver_acting_for_id,
            "decision": decision,
            "comment": going_out.decision_note,
            "decided_at": going_out.decided_at,
            "decided_by_id": decider,
            "user_id": _decision_user(
                history_model,
                going_out,
                "acknowledged" if outcome == "approved" else outcome,
                users.get(decider),
            )
            if decider
            else None,
        },
    )


def _study_leave(apps, leave, content_type, history_model, users):
    status = leave.status
    addressed = leave.approver_id is not None
    outcome = status if status in ("pending", "approved", "refused") else "withdrawn"
    if outcome == "approved" and not addressed:
        decision = "acknowledged"
    elif outcome in ("approved", "refused"):
        decision = outcome
    else:
        decision = ""
    decider = leave.approver_id if addressed and decision else None
    summary = gettext(STUDY_LEAVE_SUMMARY) % {
        "name": leave.person.name,
        "session": leave.session.title,
        "start": _local(leave.session.starts_at, "%m-%d %H:%M"),
        "reason": leave.reason,
    }
    _route(
        apps,
        subject=leave,
        content_type=content_type,
        kind="study_leave",
        summary=summary,
        outcome=outcome,
        step={
            "action": "approve" if addressed else "acknowledge",
            "relation": leave.relation or "director",
            "approver_id": leave.approver_id,
            "acting_for_id": leave.approver_acting_for_id,
            "decision": decision,
            "comment": "",
            "decided_at": leave.decided_at,
            "decided_by_id": decider,
            "user_id": _decision_user(
                history_model, leave, status, users.get(decider)
            )
            if decider
            else None,
        },
    )


def backward(apps, schema_editor):
    """Put the decisions back on the subjects and drop their approvals."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Request = apps.get_model("approvals", "ApprovalRequest")
    Step = apps.get_model("approvals", "ApprovalStep")
    HRequest = apps.get_model("approvals", "HistoricalApprovalRequest")
    HStep = apps.get_model("approvals", "HistoricalApprovalStep")
    for model_name in ("goingout", "studyleave"):
        content_type = ContentType.objects.filter(
            app_label="attendance", model=model_name
        ).first()
        if content_type is None:
            continue
        model = apps.get_model("attendance", model_name)
        requests = Request.objects.filter(content_type=content_type)
        for step in Step.objects.filter(request__in=requests, order=1).select_related(
            "request"
        ):
            changes = {
                "approver_id": step.approver_id,
                "approver_acting_for_id": step.acting_for_id,
                "relation": step.relation
                if step.relation not in ("supervisor",) and step.approver_id
                else "",
                "decided_at": step.decided_at,
            }
            if model_name == "goingout":
                changes["decision_note"] = step.comment[:200]
            model.objects.filter(pk=step.request.object_id).update(**changes)
        ids = list(requests.values_list("pk", flat=True))
        HStep.objects.filter(request_id__in=ids).delete()
        HRequest.objects.filter(id__in=ids).delete()
        Step.objects.filter(request_id__in=ids).delete()
        requests.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0005_date_bounds_and_text_lengths"),
        ("attendance", "0006_clerk_assignment_to_bureau"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
