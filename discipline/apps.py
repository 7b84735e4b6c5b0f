from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = _("Discipline")

    def ready(self):
        from bureau import navigation, roles
        from discipline import policies  # noqa: F401  (registers the ladders)
        from discipline.kinds import register_discipline_kinds
        from discipline.setup import register_grants, register_navigation

        register_discipline_kinds()
        register_grants(roles)
        register_navigation(navigation)

        from celery.schedules import crontab

        from bureau.celery import app

        app.conf.beat_schedule.update(
            {
                "discipline-rebuild-year": {
                    "task": "discipline.tasks.rebuild_year",
                    "schedule": crontab(minute=40, hour=2),
                },
            }
        )
