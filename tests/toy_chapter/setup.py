"""Everything the chapter plugs into the engines, called once from
ToyCarsConfig.ready(). Each call is a registry the lower floor owns: nothing in
bureau, approvals or discipline is edited for a new chapter."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals.hooks import register_step_hook, register_subject
from bureau import navigation, roles
from bureau.models import Role
from bureau.readable import register_terms
from bureau.resolver import holder_of_role, register_relation

# A duty an administrator grants (a group of this name), like the document clerk.
DISPATCHER = "toy_dispatcher"
SUBJECT = "toy_cars.trip"


def register_chapter() -> None:
    from tests.toy_chapter import panels, services
    from tests.toy_chapter.violations import register_violations

    # 1. The chain's relation: "the holder of role dispatcher" (ORG-2 stand-ins and
    #    ORG-3 are the resolver's; when nobody else holds it, the director decides).
    register_relation(
        DISPATCHER,
        _("Dispatcher"),
        holder_of_role(DISPATCHER),
        escalates_to="director",
    )
    # 2. The subject: the engine tells the chapter the outcome, in its transaction.
    register_subject(
        SUBJECT,
        on_outcome=services.trip_on_outcome,
        url=lambda object_id: reverse("toy_cars:trips"),
        # The dispatcher's step needs the car: the one inbox links to this page.
        decide_url=lambda object_id: reverse("toy_cars:trips"),
    )
    # 3. The step hook the chain names: the dispatcher assigns the car when deciding.
    register_step_hook(SUBJECT, "assign_car", services.trip_assign_car)
    # The words of the chapter's policy values, shown in the policy list.
    register_terms({"assign_car": _("assigning the car")})
    # 4. Violation kinds and the ladder (discipline.registry).
    register_violations()
    # 5. The chapter's own duty, a role like the bureau's (its group is created and
    #    synced after migrate; admin=True: its holders work in the admin), and who
    #    may read the chapter in the admin.
    roles.register_role(DISPATCHER, _("Dispatcher"), admin=True)
    for role in (Role.SECTION_HEAD, Role.UNIT_HEAD, Role.DEPUTY, Role.DIRECTOR):
        roles.grant(role, ["toy_cars.view_trip"])
    roles.grant(Role.ADMINISTRATOR, ["toy_cars.view_trip"])
    roles.grant(DISPATCHER, ["toy_cars.view_trip"])
    # 6. The menu entry and the home-page panel, for the dispatcher only.
    navigation.register_nav(
        navigation.NavItem(
            "toy_cars", _("Car dispatch"), "toy_cars:trips", panels.sees_desk, order=60
        )
    )
    navigation.register_panel(
        navigation.HomePanel(
            "toy_cars_waiting",
            "toy_cars/panel_waiting.html",
            panels.waiting_panel,
            order=60,
        )
    )
