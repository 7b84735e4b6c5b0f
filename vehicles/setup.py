"""Everything the vehicles chapter plugs into the engines, called once from
VehiclesConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals.hooks import register_subject
from attachments.registry import register_owner
from bureau import navigation, roles
from bureau.models import Role
from deadlines.registry import register_deadline_kind
from numbering.registry import register_series
from vehicles import panels, selectors, services
from vehicles import why as vehicles_why
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
    "vehicles.view_repair",
    "vehicles.view_accident",
    "vehicles.view_trafficfine",
    "vehicles.view_inspection",
]


def register_chapter() -> None:
    vehicles_why.register()
    # 1. VEH-4: a lending request goes through the approval engine.
    register_subject(
        SUBJECT,
        on_outcome=services.trip_on_outcome,
        url=lambda object_id: reverse("vehicles:trip", args=[object_id]),
    )
    # VEH-8: a repair goes to the unit's leader before it is done.
    register_subject(
        "vehicles.repair",
        on_outcome=services.repair_on_outcome,
        url=lambda object_id: reverse("vehicles:repair", args=[object_id]),
    )
    # VEH-8: the photo of the replaced parts and the invoice, seen by whoever
    # sees the repair (the deciders on their desks too), added by the dispatcher.
    register_owner(
        "vehicles.repair",
        visible_to=selectors.repairs_visible_to,
        may_attach=selectors.may_attach_to_repair,
        purposes=[
            ("parts_photo", _("Photo of the replaced parts")),
            ("invoice", _("Repair invoice")),
        ],
    )
    # VEH-9: a repair bill is settled within one month.
    register_deadline_kind(
        services.BILL_DEADLINE,
        rule="VEH-9",
        legal_basis=_(
            "Vehicle rules (VEH-9): repair bills are settled within one month."
        ),
        label=_("Settle the repair bill"),
        policy_key="deadlines.vehicles_repair_bill",
        default={
            "length": 30,
            "day_type": "calendar",
            "remind_days": 5,
            "escalate_to": "section_head",
        },
        responsible=lambda repair: repair.handled_by,
        url=lambda object_id: reverse("vehicles:repair", args=[object_id]),
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
    # The menu heading it shares with other chapters (bureau.navigation).
    navigation.register_nav_group("vehicles", shelf="business")
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
    navigation.register_nav(
        navigation.NavItem(
            "vehicles_repairs",
            _("Repairs"),
            "vehicles:repairs",
            panels.sees_repairs,
            order=57,
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
