from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from celery.schedules import crontab
        from django.db.models.signals import post_migrate
        from django.urls import reverse

        from approvals.hooks import register_meeting_decisions, register_subject
        from attachments.registry import register_owner
        from bureau.access import person_of
        from bureau.celery import app
        from bureau.models import Role
        from bureau.navigation import NavItem, register_nav, register_nav_group
        from bureau.roles import grant
        from meetings import (
            kinds,
            policies,  # noqa: F401  (registers the policies)
            selectors,
        )
        from meetings.citations import register_citer
        from meetings.services import item_on_outcome

        post_migrate.connect(kinds.after_migrate, dispatch_uid="meetings_kinds")
        register_subject(
            "meetings.item",
            on_outcome=item_on_outcome,
            url=lambda object_id: reverse("meetings:item", args=[object_id]),
        )
        # The item's materials: attachments seen by whoever may see the item (its
        # section, the leaders, the organisers, those at its meeting, the readers
        # of its kind's minutes), added by its proposer while it is pending.
        register_owner(
            "meetings.item",
            visible_to=selectors.items_visible_to,
            may_attach=selectors.may_attach_to_item,
        )
        # The approval engine's meeting step cites a decision by its foreign key:
        # it asks here which decisions the recorder may see.
        register_meeting_decisions(selectors.decisions_visible_to)
        register_citer(
            "approvals.approvalstep",
            label=_("Approvals (meeting steps)"),
            model="approvals.ApprovalStep",
            field="meeting_decision_ref",
            visible_to=selectors.approval_steps_visible_to,
            describe=lambda step: step.request.summary,
            url=None,
            select_related=("request",),
        )
        viewers = [
            Role.DIRECTOR,
            Role.DEPUTY,
            Role.SECTION_HEAD,
            Role.UNIT_HEAD,
            Role.DOCUMENT_CLERK,
            Role.DISCIPLINE_INSPECTOR,
            Role.FINANCE_OFFICER,
            Role.ADMINISTRATOR,
        ]
        for role in viewers:
            grant(
                role,
                [
                    "meetings.view_meeting",
                    "meetings.view_item",
                    "meetings.view_decision",
                ],
            )
        grant(
            Role.ADMINISTRATOR,
            [
                "meetings.view_meetingkind",
                "meetings.add_meetingkind",
                "meetings.change_meetingkind",
            ],
        )
        # The menu heading it shares with other chapters (bureau.navigation).
        register_nav_group("meetings", shelf="office")
        register_nav(
            NavItem(
                "meetings",
                _("Meetings"),
                "meetings:list",
                lambda u: person_of(u) is not None,
                order=60,
            )
        )
        app.conf.beat_schedule.update(
            {
                "meetings-monthly-reminder": {
                    "task": "meetings.tasks.remind_monthly_meetings",
                    "schedule": crontab(hour=9, minute=0),
                }
            }
        )
