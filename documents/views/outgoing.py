"""Staff pages of outgoing documents (DOC-1). Reads through `selectors`, changes
through `services`; a document outside the reader's scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bureau.access import person_of
from bureau.models import Organisation
from bureau.params import choice_param, page_param, text_param
from documents import rules, selectors, services
from documents.forms import ConfirmForm, DecideForm, OutgoingForm
from documents.models import AccessLog, OutgoingDocument
from documents.views.params import register_year

# The states in which a draft waits on its drafter (DOC-6: and on the colleague
# who took over the drafter's matters).
DRAFTER_STATUSES = (
    OutgoingDocument.Status.DRAFT,
    OutgoingDocument.Status.RETURNED,
    OutgoingDocument.Status.SIGNED,
)


def _document(request, pk) -> OutgoingDocument:
    return get_object_or_404(
        selectors.with_chain(selectors.outgoing_visible_to(request.user)), pk=pk
    )


@require_GET
def outgoing_list(request):
    year = register_year(request)
    status = choice_param(request.GET, "status", OutgoingDocument.Status.values)
    q = text_param(request.GET, "q")
    rows = selectors.outgoing_register(request.user, year=year, status=status, q=q)
    page = Paginator(rows, 50).get_page(page_param(request.GET))
    return render(
        request,
        "documents/outgoing_list.html",
        {
            "page": page,
            "year": year,
            "status": status or "",
            "q": q,
            "statuses": OutgoingDocument.Status.choices,
            "clerk": selectors.is_document_clerk(request.user),
        },
    )


def _form_data(form) -> dict:
    data = dict(form.cleaned_data)
    return data


@require_http_methods(["GET", "POST"])
def outgoing_new(request):
    if person_of(request.user) is None:
        raise PermissionDenied
    form = OutgoingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.outgoing_create(by=request.user, **_form_data(form))
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The draft is saved. Send it to be checked when it is ready."),
            )
            return redirect(document)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "documents/outgoing_form.html", {"form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def outgoing_edit(request, pk):
    document = _document(request, pk)
    person = person_of(request.user)
    if person is None or not document.is_editable:
        raise PermissionDenied
    # DOC-6: the colleague who took over the drafter's matters revises for them.
    acting_for = (
        None
        if document.drafter_id == person.pk
        else selectors.acts_for_drafter(request.user, document)
    )
    if document.drafter_id != person.pk and acting_for is None:
        raise PermissionDenied
    initial = {
        "level": document.level,
        "doc_type": document.doc_type,
        "title": document.title,
        "main_recipients": document.main_recipients,
        "copy_to": document.copy_to,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
    }
    form = OutgoingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.outgoing_update(
                document=document, by=request.user, **_form_data(form)
            )
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(document)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/outgoing_form.html",
        {"form": form, "document": document, "acting_for": acting_for},
        status=status,
    )


@require_GET
def outgoing_detail(request, pk):
    document = _document(request, pk)
    services.secret_access_log(obj=document, by=request.user)
    person = person_of(request.user)
    today = timezone.localdate()
    step = selectors.waiting_step(document, person, today)
    is_drafter = person is not None and document.drafter_id == person.pk
    # DOC-6: the colleague covering the drafter revises, sends and proofreads
    # for them (one query, asked only while the draft waits on its drafter).
    acting_for = (
        selectors.acts_for_drafter(request.user, document, today)
        if person is not None and not is_drafter and document.status in DRAFTER_STATUSES
        else None
    )
    return render(
        request,
        "documents/outgoing_detail.html",
        {
            "document": document,
            "approvals": list(document.approvals.all()),
            "versions": selectors.draft_versions(document).select_related(
                "uploaded_by"
            ),
            "is_drafter": is_drafter,
            # The drafter's buttons: the drafter's, or the covering colleague's.
            "acts_as_drafter": is_drafter or acting_for is not None,
            "acting_for": acting_for,
            "done_for_drafter": selectors.done_for_drafter(document),
            "step": step,
            "decide_form": DecideForm() if step else None,
            "may_number": selectors.is_document_clerk(request.user)
            and document.level == "bureau"
            and document.status == OutgoingDocument.Status.PROOFREAD,
            "may_file": selectors.may_file(request.user, document)
            and rules.ready_to_file(
                document.level, document.status, bool(document.doc_number)
            ),
            "confirm_form": ConfirmForm(),
        },
    )


def _act(request, pk, apply, done):
    document = _document(request, pk)
    try:
        apply(document)
    except services.DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("documents:outgoing", pk=document.pk)


@require_POST
def outgoing_submit(request, pk):
    return _act(
        request,
        pk,
        lambda d: services.outgoing_submit(document=d, by=request.user),
        _("The draft is sent to be checked and signed off."),
    )


@require_POST
def outgoing_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda d: services.outgoing_withdraw(document=d, by=request.user),
        _("The draft is taken back."),
    )


@require_POST
def outgoing_decide(request, pk):
    document = _document(request, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(document)
    try:
        services.outgoing_decide(
            document=document, by=request.user, **form.cleaned_data
        )
    except services.DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect(document)


@require_POST
def outgoing_proofread(request, pk):
    return _act(
        request,
        pk,
        lambda d: services.outgoing_proofread(document=d, by=request.user),
        _("Proofreading is recorded."),
    )


def _confirmed(request) -> bool:
    if ConfirmForm(request.POST).is_valid():
        return True
    messages.error(request, _("Tick the confirmation first: nothing was recorded."))
    return False


@require_POST
def outgoing_number(request, pk):
    if not selectors.is_document_clerk(request.user):
        raise PermissionDenied
    if not _confirmed(request):
        return redirect("documents:outgoing", pk=_document(request, pk).pk)
    return _act(
        request,
        pk,
        lambda d: services.outgoing_number(document=d, by=request.user),
        _("The document is numbered."),
    )


@require_POST
def outgoing_file(request, pk):
    if not _confirmed(request):
        return redirect("documents:outgoing", pk=_document(request, pk).pk)
    return _act(
        request,
        pk,
        lambda d: services.outgoing_file(document=d, by=request.user),
        _("The document is filed."),
    )


@require_GET
def outgoing_sheet(request, pk):
    """The routing sheet (发文稿纸), printable: every signature with its date."""
    document = _document(request, pk)
    services.secret_access_log(obj=document, by=request.user, what=AccessLog.What.SHEET)
    return render(
        request,
        "documents/outgoing_sheet.html",
        {
            "document": document,
            "approvals": list(document.approvals.all()),
            "organisation": Organisation.current(),
        },
    )
