"""Staff pages of the service windows: the queue, logging a contact (SVC-1), its
page, taking a hand-off, a leader's answer, a matter, the printable slip and
receipt (SVC-1, SVC-2), the window's log, and the windows' staffing with the
handover log (SVC-4)."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bureau.access import person_of
from bureau.params import date_param, object_param, page_param
from bureau.workdays import is_working_day
from numbering.selectors import number_of
from window import selectors, services
from window.forms import (
    AnswerForm,
    AppointmentCloseForm,
    AppointmentForm,
    ComplaintDecisionForm,
    ComplaintReplyForm,
    ContactForm,
    HandoverForm,
    StaffComplaintForm,
)
from window.models import RECEIPT_SERIES, SLIP_SERIES, Appointment, Handover, Matter


def _me(request):
    person = person_of(request.user)
    if person is None:
        raise Http404
    return person


def _get(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_GET
def queue(request):
    me = _me(request)
    data = selectors.queue_for(me, timezone.now(), page=page_param(request.GET))
    return render(
        request,
        "window/queue.html",
        {
            **data,
            "me": me,
            "close_form": AppointmentCloseForm(),
            "today_shown": selectors.TODAY_SHOWN,
        },
    )


@require_http_methods(["GET", "POST"])
def contact_new(request):
    me = _me(request)
    params = request.POST if request.method == "POST" else request.GET
    window = object_param(params, "window", selectors.windows_of(me))
    if window is None:
        raise Http404
    today = timezone.localdate()
    service = object_param(request.GET, "service", selectors.services_offered())
    matter = object_param(
        request.GET,
        "matter",
        Matter.objects.filter(window=window, status__in=selectors.OPEN),
    )
    if matter is not None:
        service = matter.service
    version = selectors.version_in_force(service.pk, today) if service else None
    if request.method == "GET":
        initial = {"service": service, "matter": matter}
        if matter is not None:
            initial.update(visitor=matter.applicant, phone=matter.phone)
        form = ContactForm(window=window, version=version, initial=initial)
        return _contact_form(request, form, window, service, matter, version)
    form = ContactForm(request.POST, window=window, version=version)
    if not form.is_valid():
        return _contact_form(request, form, window, service, matter, version, 400)
    try:
        contact = services.contact_log(
            window=window, by=request.user, **form.service_kwargs()
        )
    except services.WindowError as exc:
        form.add_error(None, str(exc))
        return _contact_form(request, form, window, service, matter, version, 400)
    messages.success(request, _("The contact is logged."))
    return redirect("window:contact", contact.pk)


def _contact_form(request, form, window, service, matter, version, status=200):
    return render(
        request,
        "window/contact_new.html",
        {
            "form": form,
            "window": window,
            "service": service,
            "matter": matter,
            "version": version,
            "services": selectors.services_offered(),
        },
        status=status,
    )


@require_GET
def contact(request, pk):
    item = _get(selectors.with_details(selectors.contacts_visible_to(request.user)), pk)
    me = person_of(request.user)
    slip = getattr(item, "slip", None) if item.outcome == "notified" else None
    receipt = getattr(item, "receipt", None) if item.outcome == "accepted" else None
    return render(
        request,
        "window/contact.html",
        {
            "item": item,
            "slip": slip,
            "receipt": receipt,
            "may_take": me is not None
            and item.handed_to_id == me.pk
            and item.taken_at is None,
            "may_answer": me is not None
            and item.leader_id == me.pk
            and item.answered_at is None,
            "answer_form": AnswerForm(),
        },
    )


@require_POST
def contact_take(request, pk):
    item = _get(selectors.contacts_visible_to(request.user), pk)
    try:
        services.contact_take(contact=item, by=request.user)
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You have taken it over."))
    return redirect("window:contact", pk)


@require_POST
def contact_answer(request, pk):
    item = _get(selectors.contacts_visible_to(request.user), pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
        return redirect("window:contact", pk)
    try:
        services.contact_answer(
            contact=item, answer=form.cleaned_data["answer"], by=request.user
        )
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The answer is sent to the officer."))
    return redirect("window:contact", pk)


@require_GET
def matter(request, pk):
    item = _get(
        selectors.matters_visible_to(request.user).select_related(
            "window", "service", "owner"
        ),
        pk,
    )
    me = person_of(request.user)
    slips = list(
        item.slips.select_related("issued_by", "version").prefetch_related("missing")
    )
    receipt = getattr(item, "receipt", None)
    clock = selectors.committed_clock(item, request.user) if receipt else None
    return render(
        request,
        "window/matter.html",
        {
            "item": item,
            "clock": clock,
            "appointments": item.appointments.select_related("booked_by", "closed_by"),
            "appointment_form": AppointmentForm(),
            "contacts": selectors.with_details(item.contacts.all()),
            "slips": slips,
            "receipt": receipt,
            "is_post": me is not None
            and me.pk in (item.window.post_a_id, item.window.post_b_id),
        },
    )


@require_POST
def matter_handle(request, pk):
    item = _get(selectors.matters_visible_to(request.user), pk)
    try:
        services.matter_handle(matter=item, by=request.user)
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The matter is handled."))
    return redirect("window:matter", pk)


@require_GET
def slip_print(request, pk):
    slip = _get(
        selectors.slips_visible_to(request.user).select_related(
            "matter__service", "matter__window", "version", "issued_by", "contact"
        ),
        pk,
    )
    return render(
        request,
        "window/slip_print.html",
        {
            "slip": slip,
            "number": number_of(slip, SLIP_SERIES),
            "missing": slip.missing.order_by("order", "pk"),
        },
    )


@require_GET
def receipt_print(request, pk):
    receipt = _get(
        selectors.receipts_visible_to(request.user).select_related(
            "matter__service", "matter__window", "version", "accepted_by"
        ),
        pk,
    )
    return render(
        request,
        "window/receipt_print.html",
        {"receipt": receipt, "number": number_of(receipt, RECEIPT_SERIES)},
    )


@require_GET
def log(request):
    """The window's log (SVC-1): every contact of a day, for its staff and
    overseers."""
    windows = selectors.windows_visible_to(request.user)
    window = object_param(request.GET, "window", windows)
    if window is None:
        window = windows.order_by("order", "name").first()
        if window is None:
            raise Http404
    day = date_param(request.GET, "date", default=timezone.localdate())
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    rows = selectors.with_details(
        selectors.contacts_visible_to(request.user).filter(
            window=window,
            received_at__gte=start,
            received_at__lt=start + datetime.timedelta(days=1),
        )
    )
    page = Paginator(rows, 50).get_page(page_param(request.GET))
    return render(
        request,
        "window/log.html",
        {
            "window": window,
            "windows": windows.order_by("order", "name"),
            "day": day,
            "page": page,
        },
    )


@require_GET
def windows(request):
    """SVC-4: who is at each window now, the windows with neither post present
    (flagged on working days), and the handover log."""
    visible = list(
        selectors.windows_visible_to(request.user)
        .filter(is_active=True)
        .select_related("post_a", "post_b", "unit")
        .order_by("order", "name")
    )
    if not visible:
        raise Http404
    now = timezone.now()
    today = timezone.localdate()
    part = selectors.part_of(now)
    staff = selectors.staffing(visible, today, part)
    working = is_working_day(today)
    rows = [
        {
            "window": w,
            "away": staff[w.pk]["away"],
            "a_away": staff[w.pk]["away"].get(w.post_a_id),
            "b_away": staff[w.pk]["away"].get(w.post_b_id),
            "unstaffed": working and staff[w.pk]["stand_ins"] is None,
        }
        for w in visible
    ]
    me = person_of(request.user)
    handovers = (
        Handover.objects.filter(window__in=[w.pk for w in visible])
        .select_related("window", "from_person", "to_person")
        .order_by("-at")[:50]
    )
    return render(
        request,
        "window/windows.html",
        {
            "rows": rows,
            "handovers": handovers,
            "form": HandoverForm(),
            "my_windows": {
                w.pk
                for w in visible
                if me is not None and me.pk in (w.post_a_id, w.post_b_id)
            },
            "working": working,
        },
    )


@require_POST
def handover(request, pk):
    me = _me(request)
    window = _get(selectors.windows_of(me), pk)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the reason of the handover."))
        return redirect("window:windows")
    try:
        services.handover_record(window=window, by=request.user, **form.cleaned_data)
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The handover is logged."))
    return redirect("window:windows")


@require_POST
def appointment_book(request, pk):
    item = _get(selectors.matters_visible_to(request.user), pk)
    form = AppointmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the day and the half day."))
        return redirect("window:matter", pk)
    try:
        appointment = services.appointment_book(
            matter=item, by=request.user, **form.cleaned_data
        )
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Appointment given: %(day)s %(part)s.")
            % {
                "day": appointment.day.isoformat(),
                "part": appointment.get_part_display(),
            },
        )
    return redirect("window:matter", pk)


@require_POST
def appointment_close(request, pk):
    me = _me(request)
    appointment = _get(
        Appointment.objects.filter(window__in=selectors.windows_of(me).values("pk")),
        pk,
    )
    form = AppointmentCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what became of the appointment."))
        return redirect("window:queue")
    try:
        services.appointment_close(
            appointment=appointment, by=request.user, **form.cleaned_data
        )
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The appointment is closed."))
    return redirect("window:queue")


# --- SVC-5: the inspector's complaints ------------------------------------------------


def _inspector_or_404(request):
    if not selectors.sees_complaints(request.user):
        raise Http404


@require_GET
def complaints(request):
    _inspector_or_404(request)
    rows = (
        selectors.complaints_visible_to(request.user)
        .select_related("commitment", "window", "person")
        .order_by("status", "-received_at")
    )
    page = Paginator(rows, 50).get_page(page_param(request.GET))
    return render(request, "window/complaints.html", {"page": page})


@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """A complaint by phone or in person, registered by the inspector."""
    _inspector_or_404(request)
    today = timezone.localdate()
    if request.method == "GET":
        form = StaffComplaintForm(on=today)
        return render(request, "window/complaint_new.html", {"form": form})
    form = StaffComplaintForm(request.POST, on=today)
    if form.is_valid():
        try:
            complaint = services.complaint_register(
                by=request.user, **form.cleaned_data
            )
        except services.WindowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The complaint is registered."))
            return redirect("window:complaint", complaint.pk)
    return render(request, "window/complaint_new.html", {"form": form}, status=400)


@require_GET
def complaint(request, pk):
    _inspector_or_404(request)
    item = _get(
        selectors.complaints_visible_to(request.user).select_related(
            "commitment", "window", "person", "decided_by", "appointment__matter"
        ),
        pk,
    )
    return render(
        request,
        "window/complaint.html",
        {
            "item": item,
            "decision_form": ComplaintDecisionForm(),
            "reply_form": ComplaintReplyForm(),
        },
    )


@require_POST
def complaint_decide(request, pk):
    _inspector_or_404(request)
    item = _get(selectors.complaints_visible_to(request.user), pk)
    form = ComplaintDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the finding and write it down."))
        return redirect("window:complaint", pk)
    try:
        services.complaint_decide(complaint=item, by=request.user, **form.cleaned_data)
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The complaint is decided."))
    return redirect("window:complaint", pk)


@require_POST
def complaint_reply(request, pk):
    _inspector_or_404(request)
    item = _get(selectors.complaints_visible_to(request.user), pk)
    form = ComplaintReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the result told to the complainant."))
        return redirect("window:complaint", pk)
    try:
        services.complaint_reply(
            complaint=item, by=request.user, reply=form.cleaned_data["reply"]
        )
    except services.WindowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The result is recorded."))
    return redirect("window:complaint", pk)
