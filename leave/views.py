"""Staff pages: ask for leave (with a preview of the chain), my requests, a request,
withdraw, report back (LV-9) and the printable leave form (LV-7)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bureau.access import person_of
from bureau.confirm import confirm_page, confirmed
from bureau.models import Person
from bureau.params import LONG_TEXT, text_param
from handovers.selectors import handover_of
from leave import selectors, services
from leave.forms import LeaveAttachmentForm, LeaveForm, ReturnForm
from leave.models import LeaveRequest
from numbering.selectors import number_of


def _me(request) -> Person:
    person = person_of(request.user)
    if person is None:
        raise Http404
    # The resolver walks section and unit: load them with the person.
    return Person.objects.select_related(
        "section__head",
        "section__deputy_in_charge",
        "unit__head",
        "unit__deputy_in_charge",
        "user",
    ).get(pk=person.pk)


def _visible(request, pk) -> LeaveRequest:
    try:
        return selectors.with_chain(
            selectors.leave_requests_visible_to(request.user, on=timezone.localdate())
        ).get(pk=pk)
    except LeaveRequest.DoesNotExist:
        raise Http404 from None


@require_GET
def mine(request):
    person = _me(request)
    items = selectors.my_requests(person)[:100]
    balance = selectors.annual_balance(person, timezone.localdate().year)
    return render(
        request,
        "leave/mine.html",
        {"items": items, "person": person, "balance": balance},
    )


@require_http_methods(["GET", "POST"])
def new(request):
    person = _me(request)
    today = timezone.localdate()
    if request.method == "GET":
        form = LeaveForm(
            initial={"start_date": today, "end_date": today}, person=person
        )
        return render(request, "leave/new.html", {"form": form})
    form = LeaveForm(request.POST, person=person)
    if not form.is_valid() or "edit" in request.POST:
        # "Change" on the preview comes back here with everything typed.
        return render(request, "leave/new.html", {"form": form})
    data = form.cleaned_data
    confirm = "confirm" in request.POST
    files_form = (
        LeaveAttachmentForm(request.POST, request.FILES)
        if confirm
        else LeaveAttachmentForm()
    )
    try:
        # A refused file shows the preview again with its message, nothing saved.
        if confirm and files_form.is_valid():
            leave = services.leave_submit_with_attachment(
                by=request.user,
                person=person,
                today=today,
                attachment=files_form.cleaned_data["attachment"],
                **data,
            )
            messages.success(request, _("Your leave request is submitted."))
            return redirect("leave:detail", leave.pk)
        quote = services.leave_quote(
            person=person,
            start_date=data["start_date"],
            start_half=data["start_half"],
            end_date=data["end_date"],
            end_half=data["end_half"],
            today=today,
            leader_consent=data["leader_consent"],
        )
        balance = services.annual_check(
            person=person,
            leave_type=data["leave_type"],
            start_date=data["start_date"],
            days=quote.days,
        )
    except services.LeaveError as exc:
        form.add_error(None, str(exc))
        return render(request, "leave/new.html", {"form": form})
    return render(
        request,
        "leave/preview.html",
        {
            "form": form,
            "files_form": files_form,
            "quote": quote,
            "data": data,
            "balance": balance,
        },
    )


@require_GET
def detail(request, pk):
    leave = _visible(request, pk)
    person = person_of(request.user)
    mine_ = person is not None and leave.person_id == person.pk
    return render(
        request,
        "leave/detail.html",
        {
            "leave": leave,
            "approval": leave.approval,
            "is_mine": mine_,
            "return_form": ReturnForm(),
            # LV-9: reporting back means the leave has begun; before that the card
            # would only invite an error.
            "has_started": leave.start_date <= timezone.localdate(),
            "needs_form": selectors.needs_form(leave),
            # DOC-6: the colleague named and whether they acknowledged.
            "handover": handover_of(leave),
        },
    )


@require_POST
def withdraw(request, pk):
    leave = _visible(request, pk)
    may_withdraw = (
        leave.person.user_id == request.user.pk
        and leave.status == LeaveRequest.Status.PENDING
    )
    if may_withdraw and not confirmed(request):
        return confirm_page(
            request,
            title=_("Withdraw this leave request?"),
            consequences=[
                _("%(type)s, %(start)s – %(end)s, %(days)s working days: withdrawn.")
                % {
                    "type": leave.get_leave_type_display(),
                    "start": leave.start_date.isoformat(),
                    "end": leave.end_date.isoformat(),
                    "days": floatformat(leave.days, -1),
                },
                _(
                    "The approvers are told and can no longer decide it; to take "
                    "this leave you ask again."
                ),
            ],
            action=reverse("leave:withdraw", args=[leave.pk]),
            fields=request.POST,
            button=_("Withdraw the request"),
            cancel=reverse("leave:detail", args=[leave.pk]),
        )
    try:
        services.leave_withdraw(
            leave=leave,
            by=request.user,
            comment=text_param(
                request.POST, "comment", max_length=LONG_TEXT, multiline=True
            ),
        )
    except services.LeaveError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your leave request is withdrawn."))
    return redirect("leave:detail", pk)


@require_POST
def report_back(request, pk):
    leave = _visible(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the day and half you are back at work."))
        return redirect("leave:detail", pk)
    try:
        leave = services.leave_return(leave=leave, by=request.user, **form.cleaned_data)
    except services.LeaveError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Reported back. Days taken: %(days)s.") % {"days": leave.actual_days},
        )
    return redirect("leave:detail", pk)


@require_GET
def print_form(request, pk):
    """LV-7: the leave form (请假单) with its approvals, for leave over one day."""
    leave = _visible(request, pk)
    if not selectors.needs_form(leave):
        raise Http404
    return render(
        request,
        "leave/print_form.html",
        {
            "leave": leave,
            "approval": leave.approval,
            # Read, never taken here: the number is given at approval (services).
            "form_number": number_of(leave, services.FORM_SERIES),
        },
    )
