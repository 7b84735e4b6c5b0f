"""Staff pages of incoming documents (DOC-2). Reads through `selectors`, changes
through `services`; a document outside the reader's scope is 404, the clerk's
pages are 403 for anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachments.selectors import attachments_of
from bureau.access import person_of
from bureau.params import choice_param, flag_param, page_param, text_param
from deadlines.models import Deadline
from documents import selectors, services
from documents.forms import (
    CloseForm,
    HandleForm,
    IncomingForm,
    InstructForm,
    ProposeForm,
    SendForm,
)
from documents.models import Hop, IncomingDocument
from documents.views.params import register_year


def _require_clerk(request):
    if not selectors.is_document_clerk(request.user):
        raise PermissionDenied


def _incoming(request, pk) -> IncomingDocument:
    return get_object_or_404(selectors.incoming_visible_to(request.user), pk=pk)


def _hop(request, pk) -> Hop:
    return get_object_or_404(
        selectors.hops_visible_to(request.user).select_related("incoming"), pk=pk
    )


@require_GET
def incoming_list(request):
    year = register_year(request)
    status = choice_param(request.GET, "status", IncomingDocument.Status.values)
    q = text_param(request.GET, "q")
    mine = flag_param(request.GET, "mine")
    rows = selectors.incoming_register_list(
        request.user, year=year, status=status, q=q, mine=mine
    )
    page = Paginator(rows, 50).get_page(page_param(request.GET))
    return render(
        request,
        "documents/incoming_list.html",
        {
            "page": page,
            "year": year,
            "status": status or "",
            "q": q,
            "mine": mine,
            "statuses": IncomingDocument.Status.choices,
            "clerk": selectors.is_document_clerk(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def incoming_new(request):
    _require_clerk(request)
    form = IncomingForm(
        request.POST or None,
        request.FILES or None,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            incoming = services.incoming_register(by=request.user, **form.cleaned_data)
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Registered as %(n)s.") % {"n": incoming.reg_number},
            )
            return redirect(incoming)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "documents/incoming_form.html", {"form": form}, status=status
    )


@require_GET
def incoming_detail(request, pk):
    incoming = _incoming(request, pk)
    services.secret_access_log(obj=incoming, by=request.user)
    person = person_of(request.user)
    clerk = selectors.is_document_clerk(request.user)
    hops = list(selectors.hops_of(incoming))
    deadlines = {
        d.object_id: d
        for d in Deadline.objects.filter(
            content_type__app_label="documents",
            content_type__model="hop",
            object_id__in=[h.pk for h in hops],
        )
    }
    today = timezone.localdate()
    for hop in hops:
        hop.deadline = deadlines.get(hop.pk)
        hop.light = hop.deadline.light_on(today) if hop.deadline and hop.is_open else ""
    mine = selectors.my_open_hops(incoming, person)
    return render(
        request,
        "documents/incoming_detail.html",
        {
            "incoming": incoming,
            "hops": hops,
            "reads": [h for h in hops if h.purpose == Hop.Purpose.READ],
            "others": [h for h in hops if h.purpose != Hop.Purpose.READ],
            "instructions": incoming.instructions.select_related("leader")
            .prefetch_related("handlers")
            .order_by("at"),
            "scans": attachments_of(incoming),
            "clerk": clerk,
            "mine": mine,
            "propose_form": ProposeForm(initial={"proposal": incoming.proposal}),
            "send_form": SendForm(),
            "instruct_form": InstructForm(),
            "handle_form": HandleForm(),
            "close_form": CloseForm(
                initial={"outcome": "returned" if incoming.return_required else "filed"}
            ),
        },
    )


def _back(incoming_or_hop):
    pk = getattr(incoming_or_hop, "incoming_id", None) or incoming_or_hop.pk
    return redirect("documents:incoming", pk=pk)


def _run(request, target, call, done):
    try:
        call()
    except services.DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _back(target)


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
def incoming_propose(request, pk):
    _require_clerk(request)
    incoming = _incoming(request, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incoming)
    return _run(
        request,
        incoming,
        lambda: services.incoming_propose(
            incoming=incoming, by=request.user, **form.cleaned_data
        ),
        _("The proposed handling is recorded."),
    )


@require_POST
def incoming_send(request, pk):
    _require_clerk(request)
    incoming = _incoming(request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incoming)
    return _run(
        request,
        incoming,
        lambda: services.incoming_send(
            incoming=incoming,
            by=request.user,
            people=list(form.cleaned_data["people"]),
            purpose=form.cleaned_data["purpose"],
            note=form.cleaned_data["note"],
        ),
        _("Sent; each person is notified and has a deadline."),
    )


@require_POST
def hop_instruct(request, pk):
    hop = _hop(request, pk)
    form = InstructForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(hop)
    return _run(
        request,
        hop,
        lambda: services.incoming_instruct(
            hop=hop,
            by=request.user,
            text=form.cleaned_data["text"],
            handlers=list(form.cleaned_data["handlers"]),
        ),
        _("Your instruction is recorded; the handlers are notified."),
    )


@require_POST
def hop_read(request, pk):
    hop = _hop(request, pk)
    return _run(
        request,
        hop,
        lambda: services.incoming_read(hop=hop, by=request.user),
        _("Marked as read."),
    )


@require_POST
def hop_handle(request, pk):
    hop = _hop(request, pk)
    form = HandleForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(hop)
    return _run(
        request,
        hop,
        lambda: services.incoming_handle(
            hop=hop, by=request.user, result=form.cleaned_data["result"]
        ),
        _("Reported as handled."),
    )


@require_POST
def hop_urge(request, pk):
    _require_clerk(request)
    hop = _hop(request, pk)
    return _run(
        request,
        hop,
        lambda: services.incoming_urge(hop=hop, by=request.user),
        _("Urged: %(name)s is reminded.") % {"name": hop.person.name},
    )


@require_POST
def hop_withdraw(request, pk):
    _require_clerk(request)
    hop = _hop(request, pk)
    return _run(
        request,
        hop,
        lambda: services.incoming_withdraw_hop(hop=hop, by=request.user),
        _("Withdrawn from %(name)s.") % {"name": hop.person.name},
    )


@require_POST
def incoming_close(request, pk):
    _require_clerk(request)
    incoming = _incoming(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose filed or returned and confirm: nothing was recorded.")
        )
        return _back(incoming)
    return _run(
        request,
        incoming,
        lambda: services.incoming_close(
            incoming=incoming, by=request.user, outcome=form.cleaned_data["outcome"]
        ),
        _("The document has left the register."),
    )


@require_GET
def hop(request, pk):
    """A hop's deadline links here: its document, if the reader may see it."""
    return _back(_hop(request, pk))
