"""Everything the vehicles chapter plugs into the engines, called once from
VehiclesConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals.hooks import register_subject
from bureau import navigation, roles
from bureau.models import Role
from numbering.registry import register_series
from vehicles import panels, services
from vehicles.roles import DISPATCHER
from vehicles.violations import register_violations

SUBJECT = "vehicles.trip"
VIEW = [
    "vehicles.view_vehicle",
    "vehicles.view_driver",
    "vehicles.view_shop",
    "vehicles.view_trip",
    "vehicles.view_bump",
    "vehicles.view_odometerreading",
    "vehicles.view_misuse",
    "vehicles.view_fuelpurchase",
]


def register_chapter() -> None:
    # 1. VEH-4: a lending request goes through the approval engine.
    register_subject(
        SUBJECT,
        on_outcome=services.trip_on_outcome,
        url=lambda object_id: reverse("vehicles:trip", args=[object_id]),
    )
    # 2. VEH-5: the driver's violations (discipline.registry).
    register_violations()
    # 3. The dispatch slip's number (派车单), one series per year.
    register_series(
        services.SLIP_SERIES,
        label=_("Dispatch slips (VEH-1)"),
        template=services.SLIP_TEMPLATE,
    )
    # 4. The comprehensive section's dispatcher, a duty the administrator grants;
    #    the dispatcher keeps the fleet in the admin (add and change, through the
    #    services), the leaders read it.
    roles.register_role(DISPATCHER, _("Vehicle dispatcher"), admin=True)
    roles.grant(
        DISPATCHER,
        VIEW
        + [
            "vehicles.add_vehicle",
            "vehicles.change_vehicle",
            "vehicles.add_driver",
            "vehicles.change_driver",
            "vehicles.add_shop",
            "vehicles.change_shop",
        ],
    )
    for role in (
        Role.DIRECTOR,
        Role.DEPUTY,
        Role.SECTION_HEAD,
        Role.UNIT_HEAD,
        Role.ADMINISTRATOR,
    ):
        roles.grant(role, VIEW)
    # 5. Menu entries and panels.
    navigation.register_nav(
        navigation.NavItem(
            "vehicles_trips",
            _("Car requests"),
            "vehicles:mine",
            panels.sees_my_trips,
            order=55,
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "vehicles_board",
            _("Dispatch board"),
            "vehicles:board",
            panels.sees_board,
            order=56,
        )
    )
    navigation.register_panel(
        navigation.HomePanel(
            "vehicles_dispatch",
            "vehicles/panel_dispatch.html",
            panels.dispatch_panel,
            order=55,
        )
    )
    navigation.register_panel(
        navigation.HomePanel(
            "vehicles_driver",
            "vehicles/panel_driver.html",
            panels.driver_panel,
            order=56,
        )
    )
