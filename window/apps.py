from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowConfig(AppConfig):
    name = "window"
    verbose_name = _("Service windows")

    def ready(self):
        from django.urls import reverse

        from approvals.hooks import register_subject_panel
        from attendance.board_notices import register_board_notice_provider
        from bureau.models import Role
        from bureau.navigation import (
            HomePanel,
            NavItem,
            register_nav,
            register_nav_group,
            register_panel,
        )
        from bureau.roles import grant
        from deadlines.registry import register_deadline_kind
        from numbering.registry import register_series
        from window import policies  # noqa: F401  (registers the window's policies)
        from window import why as window_why
        from window.models import (
            COMMITTED_DEADLINE,
            RECEIPT_SERIES,
            RECEIPT_TEMPLATE,
            SLIP_SERIES,
            SLIP_TEMPLATE,
        )
        from window.panels import (
            approval_staffing_warning,
            board_notices,
            my_window_panel,
        )
        from window.selectors import sees_complaints, sees_windows

        window_why.register()

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
        # SVC-1: the committed date of an acceptance receipt is a clock on the
        # deadline engine, opened with the receipt (its length is the catalogue
        # version's committed days, so the policy's length is never used), owned by
        # the first-inquiry officer, met when the matter is handled; reminders and
        # escalation per the policy (an overdue promise goes to the officer's
        # supervisor).
        register_deadline_kind(
            COMMITTED_DEADLINE,
            rule="SVC-1",
            legal_basis=_(
                "Service window rules (SVC-1, SVC-2): complete materials that "
                "cannot be handled at once are registered with an acceptance "
                "receipt; the matter is handled by the committed date printed on it."
            ),
            label=_("Committed date of an acceptance receipt"),
            policy_key="deadlines.window_committed",
            default={
                "length": 5,
                "day_type": "working",
                "remind_days": 1,
                "escalate_to": "supervisor",
            },
            responsible=lambda matter: matter.owner,
            url=lambda object_id: reverse("window:matter", args=[object_id]),
        )
        # SVC-4: beside a leave of a window's post, the approver is warned when it
        # would leave the window with neither post.
        register_subject_panel(approval_staffing_warning)
        # SVC-4: a window with neither post present is flagged on the whereabouts
        # board of its unit (attendance asks; it never imports the window).
        register_board_notice_provider("window", board_notices)
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
        # The menu heading it shares with other chapters (bureau.navigation).
        register_nav_group("window", shelf="business")
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
