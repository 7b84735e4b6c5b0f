"""Citizens' pages (no login, bureau.public): the service catalogue in force
(SVC-2) — what each service needs, how, how long, what it costs, where — and the
service commitments with the complaint form and the result by query code (SVC-5)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bureau.public import public_page
from window import selectors
from window.forms import LookupForm, PublicComplaintForm
from window.models import Complaint
from window.services import WindowError, complaint_register


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


@require_GET
@public_page("lookup")
def commitments(request):
    today = timezone.localdate()
    return render(
        request,
        "window/public/commitments.html",
        {"commitments": selectors.published_commitments(today)},
    )


@require_http_methods(["GET", "POST"])
@public_page("submit")
def complaint_new(request):
    today = timezone.localdate()
    if request.method == "GET":
        form = PublicComplaintForm(on=today)
        return render(request, "window/public/complaint_new.html", {"form": form})
    form = PublicComplaintForm(request.POST, on=today)
    if form.is_valid():
        try:
            complaint = complaint_register(
                channel=Complaint.Channel.ONLINE, **form.cleaned_data
            )
        except WindowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Your complaint is registered. Keep the query code %(code)s: "
                    "with it you read the result on this site."
                )
                % {"code": complaint.code},
            )
            return redirect("window_public:commitments")
    return render(
        request, "window/public/complaint_new.html", {"form": form}, status=400
    )


@require_http_methods(["GET", "POST"])
@public_page("lookup")
def complaint_lookup(request):
    """SVC-5: the result back, by the query code (each guess counts against the
    address's lookups)."""
    found = None
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = Complaint.objects.filter(
            code=form.cleaned_data["code"].strip().upper()
        ).first()
        if found is None:
            form.add_error("code", _("No complaint has this query code."))
    return render(
        request,
        "window/public/complaint_lookup.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )
