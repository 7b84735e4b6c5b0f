"""Staff pages of meetings (MTG-1). Reads through `selectors`, changes through
`services`; a record outside the reader's scope is 404, a page of another duty 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachments.selectors import attachments_for_records
from bureau.access import person_of
from bureau.params import page_param, text_param, year_param
from meetings import citations, rules, selectors, services
from meetings.forms import AgendaForm, ItemForm, MeetingForm, ReasonForm, RecordForm
from meetings.models import Item, Meeting, MeetingKind


def _with_materials(user, items) -> list:
    """Each item with `.materials`: its current attachments, when `user` may see
    the item (the attachments app asks the items' selector again): two queries."""
    items = list(items)
    found = attachments_for_records(user, [(Item, item.pk) for item in items])
    content_type = ContentType.objects.get_for_model(Item)
    for item in items:
        item.materials = found.get((content_type.pk, item.pk), [])
    return items


def _require_keeper(request):
    if not selectors.keeps_minutes(request.user):
        raise PermissionDenied


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(
        selectors.meetings_visible_to(request.user).select_related("kind", "chair"),
        pk=pk,
    )


@require_GET
def meeting_list(request):
    year = year_param(request.GET, "year", default=timezone.localdate().year)
    kinds = list(MeetingKind.objects.all())
    kind = text_param(request.GET, "kind")
    meetings = (
        selectors.meetings_visible_to(request.user)
        .filter(planned_on__year=year)
        .select_related("kind", "chair")
        .order_by("-planned_on", "-pk")
    )
    if kind:
        meetings = meetings.filter(kind__code=kind)
    page = Paginator(meetings, 50).get_page(page_param(request.GET))
    keeper = selectors.keeps_minutes(request.user)
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "year": year,
            "kinds": kinds,
            "kind": kind,
            "keeper": keeper,
            "waiting": (
                selectors.items_to_schedule().order_by("proposed_at")[:100]
                if keeper
                else []
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request):
    _require_keeper(request)
    kind = MeetingKind.objects.filter(code=text_param(request.GET, "kind")).first()
    form = MeetingForm(
        request.POST or None,
        initial={"planned_on": timezone.localdate(), "kind": kind},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(by=request.user, **form.cleaned_data)
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting is planned: set its agenda."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


def _candidates(meeting):
    ids = set(
        Item.objects.filter(kind=meeting.kind, status=Item.Status.ACCEPTED).values_list(
            "pk", flat=True
        )
    ) | set(Item.objects.filter(meeting=meeting).values_list("pk", flat=True))
    return Item.objects.filter(pk__in=ids).select_related("section", "unit")


@require_GET
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    keeper = selectors.keeps_minutes(request.user)
    agenda = list(
        meeting.agenda.select_related("section", "unit").order_by("agenda_order")
    )
    decisions = list(
        meeting.decisions.select_related("item", "meeting__kind").order_by("number")
    )
    _with_materials(request.user, agenda + [d.item for d in decisions])
    visible_items = set(
        selectors.items_visible_to(request.user)
        .filter(pk__in=[d.item_id for d in decisions] + [i.pk for i in agenda])
        .values_list("pk", flat=True)
    )
    agenda_form = None
    if keeper and meeting.is_planned:
        candidates = _candidates(meeting)
        agenda_form = AgendaForm(
            candidates=candidates, initial={"items": [i.pk for i in agenda]}
        )
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "decisions": decisions,
            "visible_items": visible_items,
            "attendance": meeting.attendance.select_related(
                "person__section", "person__unit"
            ),
            "keeper": keeper,
            "agenda_form": agenda_form,
            "may_cancel": selectors.may_cancel(request.user, meeting),
        },
    )


@require_POST
def meeting_agenda(request, pk):
    _require_keeper(request)
    meeting = _meeting(request, pk)
    form = AgendaForm(request.POST, candidates=_candidates(meeting))
    if not form.is_valid():
        messages.error(request, _("Choose items waiting for this kind of meeting."))
        return redirect(meeting)
    chosen = sorted(
        form.cleaned_data["items"],
        key=lambda i: (i.agenda_order is None, i.agenda_order or 0, i.proposed_at),
    )
    try:
        services.meeting_set_agenda(meeting=meeting, items=chosen, by=request.user)
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The agenda is saved."))
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def meeting_record(request, pk):
    _require_keeper(request)
    meeting = _meeting(request, pk)
    if meeting.is_held:
        messages.info(request, _("This meeting is recorded already."))
        return redirect(meeting)
    if not meeting.is_planned:
        messages.info(request, _("This meeting is cancelled."))
        return redirect(meeting)
    agenda = list(
        meeting.agenda.select_related("section", "unit").order_by("agenda_order")
    )
    expected = services.expected_participants(meeting)
    form = RecordForm(
        request.POST or None,
        agenda=agenda,
        initial={
            "held_on": min(meeting.planned_on, timezone.localdate()),
            "chair": meeting.chair_id,
            "attended": list(expected.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                meeting=meeting,
                by=request.user,
                held_on=data["held_on"],
                chair=data["chair"],
                attended=list(data["attended"]),
                decisions=form.decisions(),
                notes=data["notes"],
            )
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The minutes are recorded."))
            return redirect(meeting)
    return render(
        request,
        "meetings/record.html",
        {"meeting": meeting, "form": form, "agenda": agenda, "expected": expected},
    )


@require_GET
def minutes(request, pk):
    """The printable minutes (纪要)."""
    meeting = _meeting(request, pk)
    if not meeting.is_held:
        raise Http404
    decisions = list(
        meeting.decisions.select_related(
            "item__section", "item__unit", "meeting__kind"
        ).order_by("number")
    )
    _with_materials(request.user, [d.item for d in decisions])
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "attendance": meeting.attendance.select_related("person").order_by(
                "status", "person__employee_no"
            ),
        },
    )


@require_GET
def item_list(request):
    status = text_param(request.GET, "status")
    items = (
        selectors.items_visible_to(request.user)
        .select_related("kind", "section", "unit", "meeting")
        .order_by("-proposed_at", "-pk")
    )
    if status in Item.Status.values:
        items = items.filter(status=status)
    page = Paginator(items, 50).get_page(page_param(request.GET))
    person = person_of(request.user)
    return render(
        request,
        "meetings/items.html",
        {
            "page": page,
            "status": status,
            "statuses": Item.Status.choices,
            "may_propose": person is not None and rules.may_propose(person.position),
        },
    )


@require_http_methods(["GET", "POST"])
def item_new(request):
    person = person_of(request.user)
    if person is None or not rules.may_propose(person.position):
        raise PermissionDenied
    form = ItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_propose(
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                upload=data["materials"],
            )
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The item is proposed to the deputy in charge.")
            )
            return redirect(item)
    return render(request, "meetings/item_form.html", {"form": form})


def _item(request, pk) -> Item:
    return get_object_or_404(
        selectors.items_visible_to(request.user).select_related(
            "kind", "section", "unit", "meeting", "proposed_by"
        ),
        pk=pk,
    )


@require_GET
def item_detail(request, pk):
    item = _item(request, pk)
    approval = item.current_approval
    return render(
        request,
        "meetings/item.html",
        {
            "item": item,
            "approval": approval,
            "steps": approval.steps.select_related("approver", "acting_for")
            if approval
            else [],
            "decision": getattr(item, "decision", None)
            if item.status == Item.Status.DECIDED
            else None,
            "may_withdraw": selectors.may_withdraw(request.user, item),
        },
    )


def _confirmed_step(request, form, act):
    """The two steps of a heavy action: a valid form is first shown back with what
    will be recorded; `confirm` in the POST does it. Returns (confirming, done)."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    if "confirm" not in request.POST:
        return True, None
    try:
        return False, act(form.cleaned_data)
    except services.MeetingError as exc:
        form.add_error(None, str(exc))
        return False, None


@require_http_methods(["GET", "POST"])
def item_withdraw(request, pk):
    """The proposer withdraws an item not yet decided, after a confirmation that
    says what will be recorded."""
    item = _item(request, pk)
    person = person_of(request.user)
    if person is None or item.proposed_by_id != person.pk:
        raise PermissionDenied
    allowed = selectors.may_withdraw(request.user, item)
    form = ReasonForm(request.POST or None)
    confirming, done = (
        _confirmed_step(
            request,
            form,
            lambda data: services.item_withdraw(
                item=item, by=request.user, reason=data["reason"]
            ),
        )
        if allowed
        else (False, None)
    )
    if done is not None:
        messages.success(request, _("The item is withdrawn."))
        return redirect(done)
    approval = item.current_approval if item.status == Item.Status.PROPOSED else None
    return render(
        request,
        "meetings/item_withdraw.html",
        {
            "item": item,
            "allowed": allowed,
            "form": form,
            "confirming": confirming,
            "approval": approval,
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """The organisers call off a planned meeting, after a confirmation that says
    what will be recorded."""
    _require_keeper(request)
    meeting = _meeting(request, pk)
    allowed = selectors.may_cancel(request.user, meeting)
    form = ReasonForm(request.POST or None)
    confirming, done = (
        _confirmed_step(
            request,
            form,
            lambda data: services.meeting_cancel(
                meeting=meeting, by=request.user, reason=data["reason"]
            ),
        )
        if allowed
        else (False, None)
    )
    if done is not None:
        messages.success(request, _("The meeting is cancelled."))
        return redirect(done)
    return render(
        request,
        "meetings/meeting_cancel.html",
        {
            "meeting": meeting,
            "allowed": allowed,
            "form": form,
            "confirming": confirming,
            "agenda": meeting.agenda.order_by("agenda_order"),
        },
    )


@require_GET
def decision_detail(request, pk):
    decision = get_object_or_404(
        selectors.decisions_visible_to(request.user).select_related(
            "meeting__kind", "meeting__chair", "item__section", "item__unit"
        ),
        pk=pk,
    )
    return render(
        request,
        "meetings/decision.html",
        {
            "decision": decision,
            "groups": citations.citations_of(decision, request.user),
        },
    )
