from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "duty"
    verbose_name = _("Duty")

    def ready(self):
        from attendance.excuses import register_change_listener
        from bureau.access import person_of
        from bureau.models import Role
        from bureau.navigation import (
            HomePanel,
            NavItem,
            register_nav,
            register_nav_group,
            register_panel,
        )
        from bureau.roles import grant, register_role
        from duty import (
            panels,
            policies,  # noqa: F401  (registers the policies)
        )
        from duty import why as duty_why
        from duty.selectors import ARRANGER
        from duty.services import reflag_after_commit

        # DUTY-1: leave or going out approved after a roster was saved flags the
        # days concerned at once and tells the roster's keeper (attendance's
        # excuse-change announcements: leave and going out make them).
        register_change_listener("duty.reflag", reflag_after_commit)
        # DUTY-1: each flag of a roster links to why its day was flagged.
        duty_why.register()

        # The comprehensive section's duty of arranging rosters; its head arranges
        # without it (duty.selectors.is_arranger).
        register_role(ARRANGER, _("Duty arranger"), admin=True)
        readers = [
            Role.SECTION_HEAD,
            Role.DEPUTY,
            Role.DIRECTOR,
            Role.UNIT_HEAD,
            Role.ADMINISTRATOR,
            ARRANGER,
        ]
        for role in readers:
            grant(
                role,
                [
                    "duty.view_roster",
                    "duty.view_dutyday",
                    "duty.view_swap",
                    "duty.view_logentry",
                ],
            )
        for role in (ARRANGER, Role.SECTION_HEAD, Role.ADMINISTRATOR):
            grant(role, ["duty.acknowledge_roster"])
        # The menu heading it shares with other chapters (bureau.navigation).
        register_nav_group("duty", shelf="office")
        register_nav(
            NavItem(
                "duty",
                _("Duty"),
                "duty:list",
                lambda u: person_of(u) is not None,
                order=65,
            )
        )
        register_panel(
            HomePanel(
                "duty_mine", "duty/panel_mine.html", panels.my_duty_panel, order=5
            )
        )
