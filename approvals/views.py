"""In-app pages: my inbox of decisions (also for stand-ins without admin access)
and my notifications."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from approvals import selectors, services
from approvals.admin import with_related
from approvals.hooks import decide_elsewhere, subject_panels
from approvals.models import ApprovalRequest
from bureau.access import person_of
from bureau.params import LONG_TEXT, next_param, page_param, text_param
from bureau.responses import bad_request


@require_GET
def inbox(request):
    person = person_of(request.user)
    today = timezone.localdate()
    waiting = with_related(selectors.waiting_for(person, today)).order_by(
        "submitted_at"
    )
    page = Paginator(waiting, 50).get_page(page_param(request.GET))
    # The subjects' material (e.g. attachments), in one round for the whole page.
    panels = subject_panels(request, page.object_list)
    for approval in page.object_list:
        approval.subject_panels = panels.get(approval.pk, [])
        approval.decide_elsewhere = decide_elsewhere(approval)
    return render(request, "approvals/inbox.html", {"page": page, "person": person})


@require_POST
def decide(request, pk):
    decision = request.POST.get("decision", "")
    if decision not in services.DECISIONS:
        # Only the named decisions: anything else is a mistake, never an approval.
        return bad_request(
            request, _("Unknown decision: choose to agree/approve or to refuse.")
        )
    person = person_of(request.user)
    # Only what waits for this person can be decided here (404 otherwise).
    if not selectors.waiting_for(person, timezone.localdate()).filter(pk=pk).exists():
        raise Http404
    try:
        approval = services.approval_decide(
            request=pk,
            by=request.user,
            decision=decision,
            comment=text_param(
                request.POST, "comment", max_length=LONG_TEXT, multiline=True
            ),
        )
    except services.ApprovalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Decided: %(summary)s (%(status)s).")
            % {"summary": approval.summary, "status": approval.get_status_display()},
        )
    target = next_param(request)
    return HttpResponseRedirect(target) if target else redirect("approvals:inbox")


@require_GET
def notifications(request):
    items = selectors.notifications_for(request.user).select_related("request")
    page = Paginator(items, 30).get_page(page_param(request.GET))
    return render(request, "approvals/notifications.html", {"page": page})


@require_POST
def notifications_read(request):
    selectors.notifications_for(request.user).filter(read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("approvals:notifications")


def visible_or_404(user, pk) -> ApprovalRequest:
    try:
        return with_related(
            selectors.approval_requests_visible_to(user, on=timezone.localdate())
        ).get(pk=pk)
    except ApprovalRequest.DoesNotExist:
        raise Http404 from None
