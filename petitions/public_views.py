"""The online channel (part 7 of issue 13): a citizen submits a petition without
login and gets a query code; the code shows only the status and the reply. CSRF
kept, rate limited per address (bureau.public); nothing internal is shown. The
submission page also publishes the leaders' reception rota (PET-6)."""

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bureau.public import public_page
from petitions import rules, selectors, services
from petitions.forms import OnlineForm, QueryForm
from petitions.models import Case, Reply


@public_page("submit")
@require_http_methods(["GET", "POST"])
def submit(request):
    today = timezone.localdate()
    context = {"rota": selectors.rota(today, today + datetime.timedelta(days=60))}
    if request.method == "GET":
        context["form"] = OnlineForm()
        return render(request, "petitions/public_submit.html", context)
    form = OnlineForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "petitions/public_submit.html", context, status=400)
    data = form.cleaned_data
    try:
        case, code = services.case_submit_online(
            category=data["category"],
            township=data["township"],
            summary=data["summary"],
            petitioner=services.Petitioner(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                address=data["address"],
                email=data["email"],
            ),
        )
    except services.PetitionError as exc:
        form.add_error(None, str(exc))
        return render(request, "petitions/public_submit.html", context, status=400)
    return render(
        request,
        "petitions/public_received.html",
        {"number": case.number, "code": code},
    )


@public_page("lookup")
@require_http_methods(["GET", "POST"])
def query(request):
    if request.method == "GET":
        return render(request, "petitions/public_query.html", {"form": QueryForm()})
    form = QueryForm(request.POST)
    if not form.is_valid():
        return render(
            request, "petitions/public_query.html", {"form": form}, status=400
        )
    case = selectors.case_by_query_code(form.cleaned_data["code"])
    if case is None:
        return render(
            request,
            "petitions/public_query.html",
            {"form": form, "not_found": True},
            status=404,
        )
    while case.status == Case.Status.MERGED and case.merged_into_id:
        case = case.merged_into
    reply = (
        case.replies.filter(delivered_on__isnull=False, method=Reply.Method.ONLINE)
        .order_by("-pk")
        .first()
    )
    return render(
        request,
        "petitions/public_query.html",
        {
            "form": QueryForm(),
            "found": True,
            "status": rules.public_status(case.status),
            "number": case.number,
            "reply": reply,
        },
    )
