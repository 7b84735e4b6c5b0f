from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        """Everything finance plugs into the engines (nothing in them is edited)."""
        from django.urls import reverse

        from approvals.hooks import register_step_hook, register_subject
        from attachments.registry import register_owner
        from bureau import navigation, roles
        from bureau.access import person_of
        from bureau.models import Role
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
                ],
            )
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
