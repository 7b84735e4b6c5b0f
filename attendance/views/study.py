"""Study sessions and collective activities (ATT-9, STUDY-1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import services
from attendance.forms import StudyLeaveForm, StudyNotesForm
from attendance.models import APPROVAL_PREFETCH, StudyLeave, StudySession
from attendance.selectors import keeps_all_units, participants, waiting_subjects
from bureau.access import person_of
from bureau.params import id_list_param


def _visible_sessions(user):
    """The all-units clerk sees every session; others those they are expected at."""
    if keeps_all_units(user):
        return StudySession.objects.all()
    person = person_of(user)
    if person is None:
        return StudySession.objects.none()
    organ = person.unit.kind == "organ"
    sessions = StudySession.objects.filter(units=person.unit_id)
    if organ:
        sessions = sessions | StudySession.objects.filter(units__isnull=True)
    return sessions.distinct()


@require_GET
def study_list(request):
    now = timezone.now()
    sessions = _visible_sessions(request.user)
    person = person_of(request.user)
    to_decide = my_leaves = []
    if person is not None:
        # The approval engine's queue for this person (approver or stand-in today).
        to_decide = (
            waiting_subjects(person, StudyLeave, timezone.localdate())
            .select_related("person", "session")
            .prefetch_related(*APPROVAL_PREFETCH)
            .order_by("session__starts_at")
        )
        my_leaves = (
            StudyLeave.objects.filter(person=person)
            .select_related("session")
            .prefetch_related(*APPROVAL_PREFETCH)[:10]
        )
    return render(
        request,
        "attendance/study_list.html",
        {
            "upcoming": sessions.filter(ends_at__gte=now).order_by("starts_at")[:10],
            "past": sessions.filter(ends_at__lt=now).order_by("-starts_at")[:20],
            "to_decide": to_decide,
            "my_leaves": my_leaves,
        },
    )


@require_GET
def study_detail(request, pk):
    session = get_object_or_404(_visible_sessions(request.user), pk=pk)
    clerk = keeps_all_units(request.user)
    attendance = {a.person_id: a for a in session.attendance.all()}
    people = list(participants(session).select_related("section")) if clerk else []
    approved = set(
        session.leaves.filter(status=StudyLeave.Status.APPROVED).values_list(
            "person_id", flat=True
        )
    )
    rows = [
        {"person": p, "attendance": attendance.get(p.pk), "on_leave": p.pk in approved}
        for p in people
    ]
    person = person_of(request.user)
    now = timezone.now()
    can_ask = (
        person is not None
        and session.ends_at > now
        and participants(session).filter(pk=person.pk).exists()
    )
    return render(
        request,
        "attendance/study_detail.html",
        {
            "session": session,
            "clerk": clerk,
            "rows": rows,
            "leaves": (
                session.leaves.all() if clerk else session.leaves.filter(person=person)
            )
            .select_related("person")
            .prefetch_related(*APPROVAL_PREFETCH),
            "leave_form": StudyLeaveForm(),
            "notes_form": StudyNotesForm(
                initial={"notes": session.notes, "discussion": session.discussion}
            ),
            "my_attendance": attendance.get(person.pk) if person else None,
            "now": now,
            "can_ask": can_ask,
        },
    )


@require_POST
def study_leave_view(request, pk):
    session = get_object_or_404(_visible_sessions(request.user), pk=pk)
    form = StudyLeaveForm(request.POST)
    if form.is_valid():
        try:
            leave = services.study_leave_ask(
                by=request.user,
                session_id=session.pk,
                reason=form.cleaned_data["reason"],
            )
        except services.AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Leave asked of %(who)s.") % {"who": leave.approver or "—"},
            )
    return redirect("attendance:study_detail", pk=session.pk)


@require_POST
def study_take_view(request, pk):
    if not keeps_all_units(request.user):
        raise PermissionDenied
    session = get_object_or_404(StudySession, pk=pk)
    try:
        counts = services.study_attendance_take(
            by=request.user,
            session_id=session.pk,
            present_ids=id_list_param(request.POST, "present"),
            late_ids=id_list_param(request.POST, "late"),
        )
    except services.AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Attendance taken: %(present)s present, %(absent)s absent.")
            % {
                "present": counts["present"] + counts["late"],
                "absent": counts["absent"],
            },
        )
    return redirect("attendance:study_detail", pk=session.pk)


@require_POST
def study_notes_view(request, pk):
    if not keeps_all_units(request.user):
        raise PermissionDenied
    session = get_object_or_404(StudySession, pk=pk)
    form = StudyNotesForm(request.POST)
    if form.is_valid():
        services.study_notes_save(
            by=request.user, session_id=session.pk, **form.cleaned_data
        )
        messages.success(request, _("Notes saved."))
    return redirect("attendance:study_detail", pk=session.pk)
