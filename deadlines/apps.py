from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        from celery.schedules import crontab
        from django.db.models.signals import post_delete, post_save

        from bureau.access import person_of
        from bureau.celery import app
        from bureau.models import CalendarDay, Policy, Role
        from bureau.navigation import (
            HomePanel,
            NavItem,
            register_nav,
            register_nav_group,
            register_panel,
        )
        from bureau.roles import grant
        from deadlines import selectors
        from deadlines.panels import my_deadlines_panel
        from deadlines.services import on_calendar_changed, on_policy_changed

        # A new or changed policy version, or calendar day: open deadlines are
        # computed again (bureau's own receivers, connected first, empty the cache).
        post_save.connect(on_policy_changed, sender=Policy, dispatch_uid="dl_pol_s")
        post_delete.connect(on_policy_changed, sender=Policy, dispatch_uid="dl_pol_d")
        post_save.connect(
            on_calendar_changed, sender=CalendarDay, dispatch_uid="dl_cal_s"
        )
        post_delete.connect(
            on_calendar_changed, sender=CalendarDay, dispatch_uid="dl_cal_d"
        )
        for role in [
            Role.SECTION_HEAD,
            Role.DEPUTY,
            Role.DIRECTOR,
            Role.UNIT_HEAD,
            Role.ADMINISTRATOR,
        ]:
            grant(role, ["deadlines.view_deadline"])
        # The menu heading it shares with other chapters (bureau.navigation).
        register_nav_group("deadlines", shelf="office")
        register_nav(
            NavItem(
                "deadlines",
                _("My deadlines"),
                "deadlines:mine",
                lambda u: person_of(u) is not None,
                order=60,
            )
        )
        register_nav(
            NavItem(
                "deadlines_dashboard",
                _("Deadlines by section"),
                "deadlines:dashboard",
                selectors.sees_others,
                order=61,
            )
        )
        register_panel(
            HomePanel(
                "deadlines_mine",
                "deadlines/panel_mine.html",
                my_deadlines_panel,
                order=12,
            )
        )
        # Twice a day: reminders in the morning, and the afternoon run catches
        # what changed during the day (each notice is sent once anyway).
        app.conf.beat_schedule.update(
            {
                "deadlines-scan": {
                    "task": "deadlines.tasks.scan",
                    "schedule": crontab(hour="8,16", minute=0),
                }
            }
        )
