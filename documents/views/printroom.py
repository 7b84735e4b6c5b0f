"""The print room's log and its monthly summary per section (DOC-4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bureau.params import month_param, page_param
from documents import selectors, services
from documents.forms import PrintJobForm


def _month(request):
    first = month_param(request.GET, default=timezone.localdate().replace(day=1))
    next_first = (first.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    return first, next_first


@require_http_methods(["GET", "POST"])
def print_log(request):
    clerk = selectors.is_document_clerk(request.user)
    first, next_first = _month(request)
    form = PrintJobForm(
        request.POST or None,
        clerk=clerk,
        initial={"done_on": timezone.localdate(), "copies": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.print_job_log(by=request.user, **data)
        except services.DocumentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The job is logged."))
            return redirect(f"{request.path}?month={first:%Y-%m}")
    jobs = (
        selectors.print_jobs_visible_to(request.user)
        .filter(done_on__gte=first, done_on__lt=next_first)
        .select_related("requested_by", "section", "unit")
        .order_by("-done_on", "-pk")
    )
    page = Paginator(jobs, 50).get_page(page_param(request.GET))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/print_log.html",
        {"form": form, "page": page, "month": first, "clerk": clerk},
        status=status,
    )


@require_GET
def print_summary(request):
    first, next_first = _month(request)
    rows = selectors.print_summary(
        selectors.print_jobs_visible_to(request.user), first, next_first
    )
    return render(
        request,
        "documents/print_summary.html",
        {
            "rows": rows,
            "month": first,
            "total_jobs": sum(r["jobs"] for r in rows),
            "total_copies": sum(r["copies"] or 0 for r in rows),
        },
    )
