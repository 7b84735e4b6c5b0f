from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = _("Discipline")

    def ready(self):
        from django.core import checks
        from django.urls import reverse

        from bureau import navigation, roles
        from bureau.readable import register_term_provider
        from discipline import policies, registry  # noqa: F401  (DIS-4, DIS-7)
        from discipline import why as discipline_why
        from discipline.kinds import register_discipline_kinds
        from discipline.selectors import violations_visible_to
        from discipline.setup import register_grants, register_navigation
        from meetings.citations import register_citer

        # Policy values name violation kinds by code: shown by their labels.
        register_term_provider(
            lambda code: registry.label_of(code) if registry.find_kind(code) else None
        )

        register_discipline_kinds()
        discipline_why.register()
        # DIS-5: a decision's page lists the warnings citing it (the reader's scope).
        register_citer(
            "discipline.violation",
            label=_("Efficiency warnings (DIS-5)"),
            model="discipline.Violation",
            field="meeting_decision",
            visible_to=violations_visible_to,
            describe=lambda v: (
                f"{v.person.name} · {v.occurred_on:%Y-%m-%d} · {v.kind_label}"
            ),
            url=lambda v: (
                reverse("discipline:person", args=[v.person_id])
                + f"?year={v.occurred_on.year}"
            ),
            select_related=("person",),
        )
        # Chapters register their kinds and ladders in their own ready(), before or
        # after this one: whether every kind's ladder exists is checked once all
        # are in, at start-up.
        checks.register(registry.check_registry, "discipline")
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
