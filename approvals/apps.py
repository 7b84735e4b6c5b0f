from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self):
        from celery.schedules import crontab

        from approvals import panels, selectors
        from bureau.celery import app
        from bureau.models import Role
        from bureau.navigation import HomePanel, NavItem, register_nav, register_panel
        from bureau.roles import grant

        deciders = [Role.SECTION_HEAD, Role.DEPUTY, Role.DIRECTOR, Role.UNIT_HEAD]
        for role in deciders:
            grant(
                role,
                [
                    "approvals.view_approvalrequest",
                    "approvals.decide_approvalrequest",
                ],
            )
        grant(
            Role.DOCUMENT_CLERK,
            [
                "approvals.view_approvalrequest",
                "approvals.record_external_approvalrequest",
                "approvals.record_meeting_approvalrequest",
            ],
        )
        grant(Role.ADMINISTRATOR, ["approvals.view_approvalrequest"])

        register_nav(
            NavItem(
                "approvals",
                _("Waiting for me"),
                "approvals:inbox",
                panels.sees_inbox,
                order=30,
            )
        )
        register_nav(
            NavItem(
                "notifications",
                _("Notifications"),
                "approvals:notifications",
                lambda u: u.is_authenticated,
                order=80,
                badge=selectors.unread_count,
            )
        )
        register_panel(
            HomePanel(
                "approvals_waiting",
                "approvals/panel_waiting.html",
                panels.waiting_panel,
                order=20,
            )
        )
        app.conf.beat_schedule.update(
            {
                "approvals-daily-digest": {
                    "task": "approvals.tasks.send_daily_digest",
                    "schedule": crontab(hour=8, minute=0),
                }
            }
        )
