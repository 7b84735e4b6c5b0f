from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave")

    def ready(self):
        from celery.schedules import crontab
        from django.urls import reverse

        from approvals.hooks import register_subject
        from attendance.excuses import register_excuse_provider
        from bureau.access import person_of
        from bureau.celery import app
        from bureau.models import Role
        from bureau.navigation import HomePanel, NavItem, register_nav, register_panel
        from bureau.roles import grant
        from leave import policies  # noqa: F401  (registers the leave policies)
        from leave.excuses import leave_excuses
        from leave.panels import my_requests_panel
        from leave.services import (
            FORM_NUMBER_TEMPLATE,
            FORM_SERIES,
            leave_on_outcome,
        )
        from numbering.registry import register_series

        register_subject(
            "leave.leaverequest",
            on_outcome=leave_on_outcome,
            url=lambda object_id: reverse("leave:detail", args=[object_id]),
        )
        register_excuse_provider("leave", leave_excuses)
        register_series(
            FORM_SERIES, label=_("Leave forms (LV-7)"), template=FORM_NUMBER_TEMPLATE
        )
        for role in [
            Role.SECTION_HEAD,
            Role.DEPUTY,
            Role.DIRECTOR,
            Role.UNIT_HEAD,
            Role.DOCUMENT_CLERK,
            Role.ADMINISTRATOR,
        ]:
            grant(role, ["leave.view_leaverequest"])
        grant(
            Role.ATTENDANCE_CLERK,
            ["leave.view_leaverequest", "leave.file_leaverequest"],
        )
        register_nav(
            NavItem(
                "leave",
                _("My leave"),
                "leave:mine",
                lambda u: person_of(u) is not None,
                order=20,
            )
        )
        register_panel(
            HomePanel(
                "leave_mine", "leave/panel_mine.html", my_requests_panel, order=15
            )
        )
        app.conf.beat_schedule.update(
            {
                "leave-return-reminders": {
                    "task": "leave.tasks.remind_returns",
                    "schedule": crontab(hour=16, minute=0),
                }
            }
        )
