"""Pages of the discipline chapter. Every read goes through `selectors`, every
change through `services`; the scope decides 404 (not yours) or 403 (not your role)."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from bureau.access import person_of
from bureau.exports import xlsx_row
from bureau.params import (
    choice_param,
    int_param,
    page_param,
    text_param,
    year_in_bounds_or_404,
    year_param,
)
from discipline import charts, registry, rules, selectors, services
from discipline.forms import (
    ApologyForm,
    AppraisalForm,
    DecisionForm,
    OutcomeDecisionForm,
    OutcomeRevisionForm,
    ViolationForm,
    WindowAppraisalForm,
)
from discipline.models import SCALES, Violation
from meetings.models import BUREAU_AFFAIRS
from meetings.selectors import citable_decisions


def _year(request) -> int:
    return year_param(request.GET, "year", default=timezone.localdate().year)


def _visible_person(request, pk):
    person = selectors.people_visible_to(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def _require_inspector(request):
    if not selectors.is_inspector(request.user):
        raise PermissionDenied


def _require_dashboard(request):
    if not selectors.SCOPE.sees_others(request.user):
        raise PermissionDenied


def _person_context(request, person, year):
    record = selectors.person_year(person, year)
    inspector = selectors.is_inspector(request.user)
    scale = SCALES.get(person.staff_category, SCALES["civil_servant"])
    # DIS-6: offer only the grades the cap allows (the service still refuses others).
    allowed = {
        code: label
        for code, label in scale.items()
        if rules.final_grade_allowed(code, record["cap_rank"])
    }
    appraisal = record["appraisal"]
    initial = {"grade": appraisal.final_grade} if appraisal else {}
    record.update(
        {
            "inspector": inspector,
            "years": _years(),
            "scale": [(code, label) for code, label in scale.items()],
            "appraisal_form": (
                AppraisalForm(scale=allowed, initial=initial) if inspector else None
            ),
            "is_me": person_of(request.user) == person,
            "year_query": f"year={year}",
            "appraisal_above_cap": bool(
                appraisal
                and not rules.final_grade_allowed(
                    appraisal.final_grade, record["cap_rank"]
                )
            ),
        }
    )
    return record


def _years():
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


@require_GET
def me(request):
    """My record: my violations, what they led to, and my grade cap."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    year = _year(request)
    return render(
        request, "discipline/person.html", _person_context(request, person, year)
    )


@require_GET
def person_detail(request, pk):
    person = _visible_person(request, pk)
    year = _year(request)
    return render(
        request, "discipline/person.html", _person_context(request, person, year)
    )


# The dashboard lists the people on record a page at a time, the worst first; the
# totals, the highlighted count and the charts stay over everyone.
DASHBOARD_PAGE = 50


@require_GET
def dashboard(request):
    """The inspector's tallies for a year (a section head's for their section)."""
    _require_dashboard(request)
    year = _year(request)
    tallies = selectors.year_tallies(request.user, year, today=timezone.localdate())
    chart = charts.monthly_bars(
        tallies.by_month,
        {code: registry.ladder_label(code) for code in tallies.by_month},
        _("Violations per month, %(year)s") % {"year": year},
    )
    # One column per registered ladder, in the registry's order.
    registered = registry.ladders()
    ladders = [
        (x.code, registry.ladder_label(x.code), x.short_label, x.rule)
        for x in registered
    ]
    page = Paginator(tallies.people, DASHBOARD_PAGE).get_page(page_param(request.GET))
    # Only the rows shown are dressed for the page: their URL (reversed once and
    # filled in), ladder columns and the labels of the highlight.
    person_url = reverse("discipline:person", args=[0]).removesuffix("0/")
    for tally in page:
        tally.url = f"{person_url}{tally.id}/?year={year}"
        tally.ladder_counts = [tally.by_ladder.get(x.code, 0) for x in registered]
        tally.lowering_labels = [
            (registry.ladder_rule(x), registry.ladder_label(x)) for x in tally.lowering
        ]
    return render(
        request,
        "discipline/dashboard.html",
        {
            "year": year,
            "years": _years(),
            "tallies": tallies,
            "page": page,
            "people_count": len(tallies.people),
            "highlighted_count": len(tallies.highlighted),
            "chart": chart,
            "ladders": ladders,
            "months": range(1, 13),
            "inspector": selectors.is_inspector(request.user),
            "year_query": f"year={year}",
        },
    )


@require_GET
def records(request):
    """Drill-down: the violations behind a tally."""
    _require_dashboard(request)
    year = _year(request)
    queryset = (
        selectors.violations_visible_to(request.user)
        .filter(occurred_on__year=year)
        .select_related(
            "person__section",
            "person__unit",
            "recorded_by",
            "meeting_decision__meeting__kind",
        )
        .order_by("-occurred_on", "-pk")
    )
    filters = {}
    kind = choice_param(request.GET, "kind", [k.code for k in registry.all_kinds()])
    if kind:
        filters["kind"] = kind
        queryset = queryset.filter(kind=kind)
    ladder = choice_param(
        request.GET, "ladder", [x.code for x in registry.ladders()] + [registry.OTHER]
    )
    if ladder:
        filters["ladder"] = ladder
        queryset = queryset.filter(ladder=ladder)
    status = choice_param(request.GET, "status", Violation.Status.values)
    if status:
        filters["status"] = status
        queryset = queryset.filter(status=status)
    group = text_param(request.GET, "group")
    if group:
        filters["group"] = group
        queryset = queryset.filter(
            Q(person__section__name=group)
            | Q(person__section__isnull=True, person__unit__name=group)
        )
    month = int_param(request.GET, "month", minimum=1, maximum=12)
    if month:
        filters["month"] = month
        queryset = queryset.filter(occurred_on__month=month)
    page = Paginator(queryset, 100).get_page(page_param(request.GET))
    return render(
        request,
        "discipline/records.html",
        {
            "year": year,
            "page": page,
            "filters": filters,
            "kinds": {k.code: k for k in registry.all_kinds()},
            "inspector": selectors.is_inspector(request.user),
        },
    )


@require_GET
def export_xlsx(request):
    """The year's tallies and records as a workbook, scoped like the dashboard."""
    _require_dashboard(request)
    # Names and evidence are people's text: never a formula (bureau.exports).
    year = _year(request)
    tallies = selectors.year_tallies(request.user, year, today=timezone.localdate())
    workbook = Workbook(write_only=True)
    people = workbook.create_sheet(_("People"))
    ladders = [ladder.code for ladder in registry.ladders()]
    people.append(
        xlsx_row(
            people,
            [
                _("Employee number"),
                pgettext("person", "Name"),
                _("Section or unit"),
                *[str(registry.ladder_label(ladder)) for ladder in ladders],
                _("Total"),
                _("Efficiency warnings"),
                _("Proposals"),
                _("Grade cap"),
                _("One violation from a lower cap"),
            ],
        )
    )
    for t in tallies.people:
        people.append(
            xlsx_row(
                people,
                [
                    t.employee_no,
                    t.name,
                    t.group,
                    *[t.by_ladder.get(ladder, 0) for ladder in ladders],
                    t.total,
                    t.warnings,
                    t.proposals,
                    t.cap_label,
                    ", ".join(str(registry.ladder_label(x)) for x in t.lowering),
                ],
            )
        )
    sheet = workbook.create_sheet(_("Records"))
    sheet.append(
        xlsx_row(
            sheet,
            [
                _("Date"),
                _("Employee number"),
                pgettext("person", "Name"),
                _("Section or unit"),
                _("Rule"),
                _("Kind"),
                _("Status"),
                _("Count"),
                pgettext("absence", "Days"),
                _("Evidence"),
                _("Reference"),
            ],
        )
    )
    for v in (
        selectors.violations_visible_to(request.user)
        .filter(occurred_on__year=year)
        .select_related(
            "person__section", "person__unit", "meeting_decision__meeting__kind"
        )
        .order_by("occurred_on", "pk")
        .iterator(chunk_size=2000)
    ):
        sheet.append(
            xlsx_row(
                sheet,
                [
                    v.occurred_on,
                    v.person.employee_no,
                    v.person.name,
                    (v.person.section or v.person.unit).name,
                    v.rule,
                    v.kind_label,
                    v.get_status_display(),
                    v.ladder_step,
                    float(v.days) if v.days is not None else None,
                    v.evidence,
                    v.meeting_decision.citation if v.meeting_decision else v.reference,
                ],
            )
        )
    groups = workbook.create_sheet(_("Sections"))
    groups.append(xlsx_row(groups, [_("Section or unit"), _("Violations")]))
    for name, count in tallies.by_group:
        groups.append(xlsx_row(groups, [name, count]))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="discipline-{year}.xlsx"'
    return response


@require_GET
def appraisal_sheet(request, pk, year):
    """The printable year-end appraisal sheet (DIS-6, DIS-7)."""
    year = year_in_bounds_or_404(year)
    person = _visible_person(request, pk)
    context = _person_context(request, person, year)
    context["printed_on"] = timezone.localdate()
    return render(request, "discipline/appraisal_sheet.html", context)


# --- the inspector's actions (POST only) --------------------------------------------


def _back(request, person_id, year):
    url = reverse("discipline:person", args=[person_id])
    return redirect(f"{url}?year={year}")


@require_http_methods(["GET", "POST"])
def violation_new(request):
    """The inspector records a finding (DIS-1, DIS-2, DIS-3, DIS-5)."""
    _require_inspector(request)
    people = selectors.people_visible_to(request.user).filter(is_active=True)
    form = ViolationForm(
        request.POST or None,
        people=people,
        decisions=citable_decisions(request.user, kind=BUREAU_AFFAIRS).select_related(
            "item"
        ),
        initial={"occurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.violation_record(
                person=data["person"],
                occurred_on=data["occurred_on"],
                kind=data["kind"],
                evidence=data["evidence"],
                by=request.user,
                days=data["days"],
                needs_decision=data["needs_decision"] or None,
                meeting_decision=data["meeting_decision"],
            )
        except services.DisciplineError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The violation was recorded."))
            return _back(request, violation.person_id, violation.occurred_on.year)
    return render(request, "discipline/violation_form.html", {"form": form})


@require_POST
def violation_decide(request, pk):
    _require_inspector(request)
    violation = get_object_or_404(selectors.violations_visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.violation_decide(
                violation=violation,
                upheld=form.cleaned_data["decision"] == "upheld",
                by=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The decision was recorded."))
        except services.DisciplineError as exc:
            messages.error(request, str(exc))
    return _back(request, violation.person_id, violation.occurred_on.year)


@require_POST
def violation_apology(request, pk):
    _require_inspector(request)
    violation = get_object_or_404(selectors.violations_visible_to(request.user), pk=pk)
    form = ApologyForm(request.POST)
    if form.is_valid():
        try:
            services.violation_record_apology(
                violation=violation,
                made_on=form.cleaned_data["made_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("The apology was recorded."))
        except services.DisciplineError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Give the date and the apology."))
    return _back(request, violation.person_id, violation.occurred_on.year)


@require_POST
def outcome_decide(request, pk):
    _require_inspector(request)
    outcome = get_object_or_404(selectors.outcomes_visible_to(request.user), pk=pk)
    form = OutcomeDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_decide(
                outcome=outcome,
                decision=form.cleaned_data["decision"],
                by=request.user,
            )
            messages.success(request, _("The decision was recorded."))
        except services.DisciplineError as exc:
            messages.error(request, str(exc))
    return _back(request, outcome.person_id, outcome.year)


@require_POST
def outcome_revise(request, pk):
    _require_inspector(request)
    outcome = get_object_or_404(selectors.outcomes_visible_to(request.user), pk=pk)
    form = OutcomeRevisionForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            revision = services.outcome_revise(
                outcome=outcome,
                by=request.user,
                reason=data["reason"],
                decision=data["decision"] or None,
                withdraw=data["withdraw"],
            )
            if revision is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("The revision was recorded."))
        except services.DisciplineError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("A revision needs a reason."))
    return _back(request, outcome.person_id, outcome.year)


@require_POST
def appraisal_decide(request, pk, year):
    _require_inspector(request)
    year = year_in_bounds_or_404(year)
    person = _visible_person(request, pk)
    scale = SCALES.get(person.staff_category, SCALES["civil_servant"])
    form = AppraisalForm(request.POST, scale=scale)
    if form.is_valid():
        try:
            services.appraisal_decide(
                person=person,
                year=year,
                grade=form.cleaned_data["grade"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The final grade was recorded."))
        except services.DisciplineError as exc:
            messages.error(request, str(exc))
    return _back(request, person.pk, year)


WINDOW_FIELDS = [
    "window",
    "duties",
    "attendance_note",
    "self_report",
    "self_score",
    "democratic_score",
    "peer_score",
]


@require_http_methods(["GET", "POST"])
def window_appraisal_edit(request, pk, year):
    """DIS-7: the inspector enters a window worker's composite appraisal inputs."""
    _require_inspector(request)
    year = year_in_bounds_or_404(year)
    person = _visible_person(request, pk)
    existing = (
        selectors.window_appraisals_visible_to(request.user)
        .filter(person=person, year=year)
        .first()
    )
    initial = (
        {name: getattr(existing, name) for name in WINDOW_FIELDS} if existing else {}
    )
    form = WindowAppraisalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.window_appraisal_save(
                person=person,
                year=year,
                by=request.user,
                **form.cleaned_data,
            )
        except services.DisciplineError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The window appraisal was saved."))
            return _back(request, person.pk, year)
    return render(
        request,
        "discipline/window_form.html",
        {"form": form, "person": person, "year": year, "existing": existing},
    )
