from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = _("Attachments")

    def ready(self):
        from celery.schedules import crontab
        from celery.signals import task_postrun
        from django.core import checks
        from django.core.signals import request_finished

        from approvals.hooks import register_subject_panel
        from attachments import checks as attachment_checks
        from attachments import policies  # noqa: F401  (registers attachments.limits)
        from attachments.panels import approval_attachments
        from attachments.storage import discard_uncommitted
        from bureau.celery import app

        # Files written by a transaction that rolled back go at the end of the
        # request or task (attachments.storage).
        request_finished.connect(
            discard_uncommitted, dispatch_uid="attachments_discard_uncommitted"
        )
        task_postrun.connect(
            discard_uncommitted,
            weak=False,
            dispatch_uid="attachments_discard_uncommitted_task",
        )
        checks.register(attachment_checks.media_is_not_public, "attachments")
        register_subject_panel(approval_attachments)
        app.conf.beat_schedule.update(
            {
                "attachments-sweep-orphans": {
                    "task": "attachments.tasks.sweep_orphans",
                    "schedule": crontab(hour=3, minute=30),
                }
            }
        )
