from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = _("Organisation and calendar")

    def ready(self):
        from celery.signals import task_prerun
        from django.contrib import admin
        from django.contrib.auth import get_user_model
        from django.core.signals import request_started
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_migrate,
            post_save,
        )
        from django_celery_beat.models import PeriodicTask

        from bureau import (  # noqa: F401
            access,
            admin_base,
            navigation,
            params,
            public,
            readable,
            resolver,
            roles,
            setup,
        )
        from bureau.celery import app
        from bureau.models import Policy
        from bureau.policies import registry

        # Policies are read fresh per request and per task, and after any change.
        request_started.connect(registry.clear_cache, dispatch_uid="policy_cache_req")
        task_prerun.connect(
            registry.clear_cache, weak=False, dispatch_uid="policy_task"
        )
        post_save.connect(registry.clear_cache, sender=Policy, dispatch_uid="policy_s")
        post_delete.connect(
            registry.clear_cache, sender=Policy, dispatch_uid="policy_d"
        )
        post_migrate.connect(setup.after_migrate, dispatch_uid="bureau_after_migrate")
        # A login's groups changed: the roles remembered on that object are
        # read again (bureau.access.has_role, Person.role_names).
        m2m_changed.connect(
            access.forget_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="bureau_roles_forget",
        )

        # A third-party field named by a plain string, out of gettext's reach.
        PeriodicTask._meta.get_field("task").verbose_name = _("Task Name")

        # Chains name relations ("section_head", a chapter's "dispatcher"): policy
        # values show them by the resolver's labels.
        readable.register_term_provider(
            lambda token: (
                resolver.relation_label(token)
                if token in resolver.relation_keys()
                else None
            )
        )

        setup.register_grants(roles)
        # The admin's own ready() (first in INSTALLED_APPS) imported every admin.py.
        admin_base.keep_third_party_admins_to_superusers(admin.site)
        setup.register_navigation(navigation)

        # The outbox sweep: e-mail and tasks the broker could not take (outbox.py).
        app.conf.beat_schedule.update(
            {
                "bureau-outbox-sweep": {
                    "task": "bureau.tasks.outbox_sweep",
                    "schedule": 60.0,
                }
            }
        )
