from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoversConfig(AppConfig):
    name = "handovers"
    verbose_name = _("Handovers")

    def ready(self):
        from approvals.hooks import register_subject_panel
        from bureau.models import Role
        from bureau.navigation import HomePanel, register_panel
        from bureau.roles import grant
        from handovers.panels import decision_panel, home_panel

        # DOC-6: the decider of a leave request sees its handover beside it.
        register_subject_panel(decision_panel)
        # 交接给我的事项, and the unacknowledged ones for those in charge.
        register_panel(
            HomePanel("handovers", "handovers/panel_home.html", home_panel, order=14)
        )
        for role in [
            Role.SECTION_HEAD,
            Role.DEPUTY,
            Role.DIRECTOR,
            Role.UNIT_HEAD,
            Role.ADMINISTRATOR,
        ]:
            grant(role, ["handovers.view_handover"])
