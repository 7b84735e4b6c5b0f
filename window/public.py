"""Citizens' pages (no login, bureau.public): the service catalogue in force
(SVC-2) — what each service needs, how, how long, what it costs, where."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bureau.public import public_page
from window import selectors


@require_GET
@public_page("lookup")
def services(request):
    today = timezone.localdate()
    return render(
        request,
        "window/public/services.html",
        {"versions": selectors.catalogue_in_force(today), "today": today},
    )


@require_GET
@public_page("lookup")
def service(request, pk):
    today = timezone.localdate()
    version = next(
        (v for v in selectors.catalogue_in_force(today) if v.service_id == pk), None
    )
    if version is None:
        raise Http404
    return render(
        request, "window/public/service.html", {"version": version, "today": today}
    )
