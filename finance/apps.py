from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        """Everything finance plugs into the engines (nothing in them is edited)."""
        from celery.schedules import crontab
        from django.urls import reverse

        from approvals.hooks import (
            register_step_hook,
            register_subject,
            register_subject_panel,
        )
        from attachments.registry import register_owner
        from bureau import navigation, roles
        from bureau.access import person_of
        from bureau.celery import app
        from bureau.models import Role
        from bureau.org_changes import register_post_change
        from bureau.readable import register_terms
        from bureau.resolver import head_of_section, register_relation
        from finance import (
            panels,
            policies,  # noqa: F401  (registers the policies)
            selectors,
            services,
        )
        from finance import why as finance_why
        from meetings.citations import register_citer
        from numbering.registry import register_series

        # FIN-2: purchases go through the comprehensive section (its head agrees).
        register_relation(
            policies.COMPREHENSIVE,
            _("Comprehensive section head"),
            head_of_section(comprehensive=True),
            escalates_to="deputy_in_charge",
        )
        finance_why.register()
        register_subject(
            "finance.claim",
            on_outcome=services.claim_on_outcome,
            url=lambda object_id: reverse("finance:claim", args=[object_id]),
            decide_url=lambda object_id: reverse("finance:claim", args=[object_id]),
        )
        register_subject(
            "finance.spending",
            on_outcome=services.spending_on_outcome,
            url=lambda object_id: reverse("finance:spending", args=[object_id]),
            decide_url=lambda object_id: reverse("finance:spending", args=[object_id]),
        )
        register_subject(
            "finance.reception",
            on_outcome=services.reception_on_outcome,
            url=lambda object_id: reverse("finance:reception", args=[object_id]),
        )
        # FIN-9: the decider sees the whole form on the decision page.
        register_subject_panel(panels.approval_reception_panel)
        # FIN-1: a change of post or leaving prepares the handover list.
        register_post_change("finance.handover", services.handover_on_post_change)
        register_terms(
            {
                "work_meal": _("work meal for township staff"),
                "visitors": _("visitors from higher or peer levels"),
                "unit_reception": _("a unit's reception"),
                "bureau_top": _("bureau leader"),
                "per_head": _("standard per head (yuan)"),
                "township_level": _("township level"),
                "county_level": _("county level"),
                "city_level": _("city level"),
                "province_level": _("provincial level and above"),
                "small_group": _("a small group has at most (guests)"),
                "small_group_companions": _("companions of a small group at most"),
                "large_group_share": _("a larger group: one companion per (guests)"),
                "due_day": _("due by day of the month"),
            }
        )
        # FIN-7: the reminder when last month's statements have not all gone out.
        app.conf.beat_schedule.update(
            {
                "finance-statement-reminders": {
                    "task": "finance.tasks.remind_statements",
                    "schedule": crontab(hour=9, minute=20),
                }
            }
        )
        # The meeting's decision or the county's reference is kept on the request.
        register_step_hook(
            "finance.spending", "record_citation", services.spending_record_citation
        )
        register_owner(
            "finance.claim",
            visible_to=selectors.claims_visible_to,
            may_attach=selectors.may_attach_to_claim,
            purposes=[
                ("invoice", _("Invoice or receipt image")),
                ("other", _("Other material")),
            ],
        )
        register_owner(
            "finance.reception",
            visible_to=selectors.receptions_visible_to,
            may_attach=selectors.may_attach_to_reception,
            purposes=[
                ("letter", _("The sending unit's letter")),
                ("other", _("Other material")),
            ],
        )
        register_owner(
            "finance.spending",
            visible_to=selectors.spendings_visible_to,
            may_attach=selectors.may_attach_to_spending,
            purposes=[
                ("quote", _("Quotation")),
                ("other", _("Other material")),
            ],
        )
        register_citer(
            "finance.spending",
            label=_("Purchases and use of funds (FIN-2, FIN-6)"),
            model="finance.Spending",
            field="meeting_decision",
            visible_to=selectors.spendings_visible_to,
            describe=lambda s: f"{s.title} · {s.amount} 元",
            url=lambda s: reverse("finance:spending", args=[s.pk]),
        )
        register_series(
            services.BATCH_SERIES,
            label=_("Reimbursement batches (FIN-8)"),
            template=services.BATCH_TEMPLATE,
        )
        register_series(
            services.ASSET_SERIES,
            label=_("Fixed assets (FIN-1)"),
            template=services.ASSET_TEMPLATE,
        )
        for role in (
            Role.SECTION_HEAD,
            Role.UNIT_HEAD,
            Role.DEPUTY,
            Role.DIRECTOR,
            Role.ADMINISTRATOR,
            Role.FINANCE_OFFICER,
        ):
            roles.grant(
                role,
                [
                    "finance.view_claim",
                    "finance.view_spending",
                    "finance.view_reception",
                ],
            )
        for role in (Role.DIRECTOR, Role.ADMINISTRATOR, Role.FINANCE_OFFICER):
            roles.grant(
                role,
                [
                    "finance.view_batch",
                    "finance.view_asset",
                    "finance.view_custodyentry",
                    "finance.view_handover",
                    "finance.view_statement",
                    "finance.view_unitincome",
                ],
            )
        # The menu heading it shares with other chapters (bureau.navigation).
        navigation.register_nav_group("finance", shelf="business")
        navigation.register_nav(
            navigation.NavItem(
                "finance",
                _("Finance"),
                "finance:claims",
                lambda user: person_of(user) is not None,
                order=40,
            )
        )
        navigation.register_panel(
            navigation.HomePanel(
                "finance_to_pay",
                "finance/panel_to_pay.html",
                panels.to_pay_panel,
                order=45,
            )
        )
