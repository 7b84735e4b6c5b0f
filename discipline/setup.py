"""What the discipline app contributes at start-up: permissions, menu, home panel."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.models.org import Role
from discipline.selectors import SCOPE, person_year

VIEW = [
    "discipline.view_violation",
    "discipline.view_outcome",
    "discipline.view_appraisal",
    "discipline.view_windowappraisal",
]
INSPECT = [
    *VIEW,
    "discipline.add_violation",
    "discipline.decide_violation",
    "discipline.decide_outcome",
    "discipline.add_appraisal",
    "discipline.change_appraisal",
    "discipline.decide_appraisal",
    "discipline.add_windowappraisal",
    "discipline.change_windowappraisal",
]


def register_grants(roles):
    roles.grant(Role.DISCIPLINE_INSPECTOR, INSPECT)
    roles.grant(Role.ADMINISTRATOR, INSPECT)
    for role in (Role.DIRECTOR, Role.DEPUTY, Role.SECTION_HEAD, Role.UNIT_HEAD):
        roles.grant(role, VIEW)


def _my_panel(request, person, today):
    if person is None:
        return None
    record = person_year(person, today.year)
    return {
        "year": today.year,
        "upheld": record["upheld"],
        "pending": record["pending"],
        "warnings": record["warnings"],
        "cap_rank": record["cap_rank"],
        "cap_label": record["cap_label"],
    }


def register_navigation(navigation):
    navigation.register_nav(
        navigation.NavItem(
            "discipline_me",
            _("My record"),
            "discipline:me",
            lambda u: getattr(u, "person", None) is not None,
            order=70,
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "discipline_dashboard",
            _("Discipline tallies"),
            "discipline:dashboard",
            SCOPE.sees_others,
            order=71,
        )
    )
    navigation.register_panel(
        navigation.HomePanel("discipline", "discipline/panel.html", _my_panel, order=70)
    )


def current_year() -> int:
    return timezone.localdate().year
