"""Staff pages of handovers (DOC-6): the list, starting one by hand for a trip, the
record with the matters in progress, the colleague's acknowledgement."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bureau.access import person_of
from bureau.confirm import confirm_page, confirmed
from bureau.params import choice_param, page_param
from handovers import selectors, services
from handovers.forms import HandoverForm
from handovers.models import Handover
from handovers.registry import open_matters_of


def _matters(handover: Handover) -> list:
    """What the colleague takes over: as kept when acknowledged, otherwise the
    person's matters open now."""
    if handover.status == Handover.Status.ACKNOWLEDGED:
        return handover.matters
    if handover.status == Handover.Status.CANCELLED:
        return []
    return [m.as_dict() for m in open_matters_of(handover.person_id)]


@require_GET
def handover_list(request):
    person = person_of(request.user)
    status = choice_param(request.GET, "status", Handover.Status.values)
    page = Paginator(selectors.handover_list(request.user, status=status), 50)
    return render(
        request,
        "handovers/list.html",
        {
            "page": page.get_page(page_param(request.GET)),
            "status": status or "",
            "statuses": Handover.Status.choices,
            "waiting": list(selectors.waiting_for(person)) if person else [],
            "in_charge": list(selectors.waiting_in_charge(request.user)[:50]),
            "person": person,
        },
    )


@require_http_methods(["GET", "POST"])
def handover_new(request):
    person = person_of(request.user)
    if person is None:
        raise Http404
    form = HandoverForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_open(by=request.user, **form.cleaned_data)
        except services.HandoverError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The handover is recorded; the colleague is told.")
            )
            return redirect(handover.get_absolute_url())
    return render(
        request,
        "handovers/form.html",
        {"form": form, "matters": [m.as_dict() for m in open_matters_of(person.pk)]},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def handover_detail(request, pk):
    handover = get_object_or_404(
        selectors.handovers_visible_to(request.user).select_related(
            "person", "person__section", "colleague", "colleague__section"
        ),
        pk=pk,
    )
    person = person_of(request.user)
    today = timezone.localdate()
    return render(
        request,
        "handovers/detail.html",
        {
            "handover": handover,
            "matters": _matters(handover),
            "in_force": handover.status == Handover.Status.ACKNOWLEDGED
            and handover.start_date <= today <= handover.end_date,
            "is_colleague": person is not None and person.pk == handover.colleague_id,
            "may_acknowledge": handover.is_waiting
            and person is not None
            and person.pk == handover.colleague_id,
            "may_cancel": handover.is_waiting
            and handover.subject_id is None
            and person is not None
            and person.pk == handover.person_id,
        },
    )


@require_POST
def handover_acknowledge(request, pk):
    person = person_of(request.user)
    if person is None:
        raise Http404
    # Only the colleague named finds it here: anyone else, 404.
    handover = get_object_or_404(
        Handover.objects.filter(colleague=person).select_related("person"), pk=pk
    )
    if handover.is_waiting and not confirmed(request):
        matters = _matters(handover)
        return confirm_page(
            request,
            title=_("Acknowledge the handover of %(name)s?")
            % {"name": handover.person.name},
            consequences=[
                _(
                    "It is recorded that you take over %(count)s matters in progress "
                    "of %(name)s from %(start)s to %(end)s."
                )
                % {
                    "count": len(matters),
                    "name": handover.person.name,
                    "start": handover.start_date,
                    "end": handover.end_date,
                },
                _("%(name)s is told.") % {"name": handover.person.name},
            ],
            help_text=_("Rule: DOC-6"),
            action=reverse("handovers:acknowledge", args=[handover.pk]),
            button=_("Acknowledge"),
            cancel=handover.get_absolute_url(),
            danger=False,
        )
    try:
        services.handover_acknowledge(handover=handover, by=request.user)
    except services.HandoverError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You have acknowledged the handover."))
    return redirect(handover.get_absolute_url())


@require_POST
def handover_cancel(request, pk):
    person = person_of(request.user)
    if person is None:
        raise Http404
    handover = get_object_or_404(Handover.objects.filter(person=person), pk=pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Cancel this handover?"),
            consequences=[
                _("The colleague no longer takes over your matters for these days.")
            ],
            help_text=_("Rule: DOC-6"),
            action=reverse("handovers:cancel", args=[handover.pk]),
            button=_("Cancel the handover"),
            cancel=handover.get_absolute_url(),
        )
    try:
        services.handover_cancel(handover=handover, by=request.user)
    except services.HandoverError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The handover is cancelled."))
    return redirect(handover.get_absolute_url())
