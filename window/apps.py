from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowConfig(AppConfig):
    name = "window"
    verbose_name = _("Service windows")

    def ready(self):
        from approvals.hooks import register_subject_panel
        from bureau.models import Role
        from bureau.navigation import HomePanel, NavItem, register_nav, register_panel
        from bureau.roles import grant
        from numbering.registry import register_series
        from window import policies  # noqa: F401  (registers the window's policies)
        from window.models import (
            RECEIPT_SERIES,
            RECEIPT_TEMPLATE,
            SLIP_SERIES,
            SLIP_TEMPLATE,
        )
        from window.panels import approval_staffing_warning, my_window_panel
        from window.selectors import sees_complaints, sees_windows

        # SVC-1: acceptance receipts and one-time notification slips are numbered.
        register_series(
            RECEIPT_SERIES,
            label=_("Acceptance receipts (SVC-1)"),
            template=RECEIPT_TEMPLATE,
        )
        register_series(
            SLIP_SERIES,
            label=_("One-time notification slips (SVC-2)"),
            template=SLIP_TEMPLATE,
        )
        # SVC-4: beside a leave of a window's post, the approver is warned when it
        # would leave the window with neither post.
        register_subject_panel(approval_staffing_warning)
        catalogue = [
            "window",
            "service",
            "serviceversion",
            "material",
            "capacity",
            "commitment",
        ]
        log = ["contact", "matter", "slip", "receipt", "handover", "appointment"]
        # The administrator keeps the windows and the catalogue (SVC-2) in the
        # admin; leaders read the log of the windows in their charge.
        grant(
            Role.ADMINISTRATOR,
            [f"window.{a}_{m}" for m in catalogue for a in ("view", "add", "change")]
            + [f"window.view_{m}" for m in log],
        )
        for role in (Role.DIRECTOR, Role.DEPUTY, Role.UNIT_HEAD, Role.SECTION_HEAD):
            grant(role, [f"window.view_{m}" for m in catalogue + log])
        # SVC-5: the inspector investigates complaints (and reads the log).
        grant(
            Role.DISCIPLINE_INSPECTOR,
            ["window.view_complaint", "window.view_commitment"],
        )
        register_nav(
            NavItem("window", _("Service window"), "window:queue", sees_windows, 45)
        )
        register_nav(
            NavItem(
                "window_complaints",
                _("Complaints"),
                "window:complaints",
                sees_complaints,
                46,
            )
        )
        register_panel(
            HomePanel("window_mine", "window/panel_mine.html", my_window_panel, 25)
        )
