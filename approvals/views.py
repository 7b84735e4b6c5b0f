"""In-app pages: my inbox of decisions (also for stand-ins without admin access)
and my notifications."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from approvals import selectors, services
from approvals.admin import with_related
from approvals.hooks import decide_elsewhere, subject_panels
from approvals.models import ApprovalRequest
from approvals.notify import subject_url
from bureau.access import person_of
from bureau.confirm import confirm_page, confirmed
from bureau.params import LONG_TEXT, next_param, page_param, text_param
from bureau.responses import bad_request


@require_GET
def inbox(request):
    """The queue: what waits for my decision, oldest first; each leads to its one
    decision page (the home page's panel and the admin's list show the same queue)."""
    person = person_of(request.user)
    today = timezone.localdate()
    waiting = with_related(selectors.waiting_for(person, today)).order_by(
        "submitted_at"
    )
    page = Paginator(waiting, 50).get_page(page_param(request.GET))
    for approval in page.object_list:
        approval.decide_elsewhere = decide_elsewhere(approval)
    return render(request, "approvals/inbox.html", {"page": page, "person": person})


def _decision_page(request, approval, *, comment="", status=200):
    """The one page where an approval is decided: the request, its subject's
    material from every registered panel (for leave: the period, days, reason,
    handover, balance, other leave, who else is away), the chain so far with its
    comments, and the decision form when it waits for this person."""
    person = person_of(request.user)
    waits = (
        selectors.waiting_for(person, timezone.localdate())
        .filter(pk=approval.pk)
        .exists()
    )
    elsewhere = decide_elsewhere(approval) if waits else ""
    queue = list(
        selectors.waiting_for(person, timezone.localdate())
        .exclude(pk=approval.pk)
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:1]
    )
    return render(
        request,
        "approvals/detail.html",
        {
            "approval": approval,
            "panels": subject_panels(request, [approval])[approval.pk],
            "waits_for_me": waits,
            "decide_elsewhere": elsewhere,
            "subject_url": subject_url(approval),
            "comment": comment,
            "next_in_queue": queue[0] if queue else None,
            "next": next_param(request) or "",
        },
        status=status,
    )


@require_GET
def detail(request, pk):
    return _decision_page(request, visible_or_404(request.user, pk))


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
    comment = text_param(request.POST, "comment", max_length=LONG_TEXT, multiline=True)
    approval = visible_or_404(request.user, pk)
    if decision in services.REFUSE and comment.strip() and not confirmed(request):
        # A refusal ends the request: say so, with the reason, before recording it.
        return confirm_page(
            request,
            title=_("Refuse this request?"),
            consequences=[
                _("%(summary)s, asked by %(name)s: refused.")
                % {"summary": approval.summary, "name": approval.requester.name},
                _(
                    "The request ends here; the later steps are not asked. "
                    "%(name)s is told, with your reason: %(comment)s"
                )
                % {"name": approval.requester.name, "comment": comment},
            ],
            action=reverse("approvals:decide", args=[pk]),
            fields=request.POST,
            button=_("Refuse the request"),
            cancel=reverse("approvals:detail", args=[pk]),
        )
    try:
        approval = services.approval_decide(
            request=pk,
            by=request.user,
            decision=decision,
            comment=comment,
        )
    except services.ApprovalError as exc:
        # Back to the decision page with what was typed and why it was refused.
        messages.error(request, str(exc))
        return _decision_page(request, approval, comment=comment, status=400)
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


@require_GET
def notification_open(request, pk):
    """Opening a notification marks it read and goes where it points."""
    notification = selectors.notifications_for(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        selectors.notifications_for(request.user).filter(
            pk=pk, read_at__isnull=True
        ).update(read_at=timezone.now())
    target = notification.url
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = reverse("approvals:notifications")
    return HttpResponseRedirect(target)


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
