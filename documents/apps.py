from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from documents import policies  # noqa: F401  (registers the policies)
        from documents.setup import register_chapter

        register_chapter()
        from django.db.models.signals import post_migrate

        from documents import types

        post_migrate.connect(types.after_migrate, dispatch_uid="documents_types")
        from celery.schedules import crontab

        from bureau.celery import app

        app.conf.beat_schedule.update(
            {
                "documents-monthly-reminders": {
                    "task": "documents.tasks.remind_monthly_reports",
                    "schedule": crontab(hour=9, minute=15),
                }
            }
        )
