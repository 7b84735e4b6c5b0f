from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave")

    def ready(self):
        from django.urls import reverse

        from approvals.hooks import register_subject, register_subject_panel
        from attachments.registry import register_owner
        from attendance.excuses import register_excuse_provider
        from bureau.access import person_of
        from bureau.models import Role
        from bureau.navigation import HomePanel, NavItem, register_nav, register_panel
        from bureau.roles import grant
        from deadlines.registry import register_deadline_kind
        from leave import policies  # noqa: F401  (registers the leave policies)
        from leave import why as leave_why
        from leave.excuses import leave_absences, leave_excuses
        from leave.models import RETURN_DEADLINE
        from leave.panels import approval_leave_panel, my_requests_panel
        from leave.selectors import leave_requests_visible_to, may_attach_to_leave
        from leave.services import (
            FORM_NUMBER_TEMPLATE,
            FORM_SERIES,
            leave_on_outcome,
        )
        from meetings.absences import register_absence_provider
        from numbering.registry import register_series

        register_subject(
            "leave.leaverequest",
            on_outcome=leave_on_outcome,
            url=lambda object_id: reverse("leave:detail", args=[object_id]),
        )
        # The decision page shows everything needed to decide a leave request.
        register_subject_panel(approval_leave_panel)
        leave_why.register()
        register_excuse_provider("leave", leave_excuses)
        # LV-9: report back when leave ends. Opened when the leave is approved,
        # from its last day: due the next working day (the day the person is
        # back), reminded on the last working day of leave; met on report-back.
        register_deadline_kind(
            RETURN_DEADLINE,
            rule="LV-9",
            legal_basis=_(
                "Leave rules (LV-9): when leave ends the person reports back; "
                "not reporting back and not at work is absence from the day after."
            ),
            label=_("Report back from leave"),
            policy_key="deadlines.leave_return",
            default={
                "length": 1,
                "day_type": "working",
                "remind_days": 1,
                "escalate_to": "",
            },
            responsible=lambda leave: leave.person,
            url=lambda object_id: reverse("leave:detail", args=[object_id]),
        )
        # Sick notes and other material: seen by whoever sees the request (its
        # requester, its approvers, the clerk who files it), added by the requester
        # while it is pending.
        register_owner(
            "leave.leaverequest",
            visible_to=leave_requests_visible_to,
            may_attach=may_attach_to_leave,
            purposes=[
                ("sick_note", _("Sick note")),
                ("other", _("Other material")),
            ],
        )
        # MTG-1: an approved leave shows as excused in a meeting's minutes.
        register_absence_provider("leave", leave_absences)
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
        # LV-9's reminder goes out with the deadline engine's scan (deadlines-scan
        # in the beat schedule); `manage.py leave_return_reminders` runs it for
        # this kind only.
