"""Everything the petitions chapter plugs into the engines, in one place (called
from PetitionsConfig.ready())."""

from celery.schedules import crontab
from django.db.models.signals import post_migrate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals.hooks import register_subject
from attachments.registry import register_owner
from bureau.celery import app
from bureau.models import Role
from bureau.navigation import (
    HomePanel,
    NavItem,
    register_nav,
    register_nav_group,
    register_panel,
)
from bureau.roles import grant
from deadlines.registry import register_deadline_kind
from numbering.registry import register_series
from petitions import kinds, panels, reports, selectors, services
from petitions.models import (
    CONCLUDE,
    DECIDE,
    EXTENDED,
    HIGHER,
    NUMBER_TEMPLATE,
    REREVIEW_WINDOW,
    REVIEW_WINDOW,
    SERIES,
)


def _case_url(object_id):
    return reverse("petitions:detail", args=[object_id])


def _describe(case):
    # No names in a clock's label (PET-7): the number and the category.
    return f"{case.number} {case.category}"


def _cases_of(user):
    # PET-7: a case's clocks show on the deadline engine's pages (the leaders'
    # dashboard, the deadline's page, its admin) only to those who may see the case.
    return selectors.cases_visible_to(user).values("pk")


def _officer_of(case):
    return case.officer


def register_chapter() -> None:
    post_migrate.connect(kinds.after_migrate, dispatch_uid="petitions_meeting_kind")
    common = {"url": _case_url, "describe": _describe, "visible_to": _cases_of}
    # PET-2: decide within 15 days of receipt; conclude within 60 days of the
    # acceptance; an approved extension's new date; a higher level's own date.
    register_deadline_kind(
        DECIDE,
        rule="PET-2",
        legal_basis=_(
            "信访条例第二十二条：自收到信访事项之日起15日内决定是否受理并书面告知"
        ),
        label=_("Decide whether the petition is accepted"),
        policy_key="deadlines.petitions_decide",
        default={
            "length": 15,
            "day_type": "calendar",
            "remind_days": 3,
            "escalate_to": "",
        },
        responsible=lambda case: case.responsible,
        **common,
    )
    register_deadline_kind(
        CONCLUDE,
        rule="PET-2",
        legal_basis=_("信访条例第三十三条：自受理之日起60日内办结"),
        label=_("Conclude the petition"),
        policy_key="deadlines.petitions_conclude",
        default={
            "length": 60,
            "day_type": "calendar",
            "remind_days": 7,
            "escalate_to": "",
        },
        responsible=lambda case: case.responsible,
        **common,
    )
    register_deadline_kind(
        EXTENDED,
        rule="PET-2",
        legal_basis=_(
            "信访条例第三十三条：情况复杂的，经批准可适当延长，延长期限不得超过30日"
        ),
        label=_("Conclude the petition (extended)"),
        policy_key="deadlines.petitions_extended",
        # The date is the approved extension's: the clock starts on it, length 0.
        default={
            "length": 0,
            "day_type": "calendar",
            "remind_days": 5,
            "escalate_to": "",
        },
        responsible=lambda case: case.responsible,
        **common,
    )
    register_deadline_kind(
        HIGHER,
        rule="PET-2",
        legal_basis=_("上级交办信访事项：按交办期限办结并报送办结报告"),
        label=_("Conclude the case assigned by a higher level"),
        policy_key="deadlines.petitions_higher",
        default={
            "length": 0,
            "day_type": "calendar",
            "remind_days": 5,
            "escalate_to": "",
        },
        responsible=lambda case: case.responsible,
        **common,
    )
    register_deadline_kind(
        REVIEW_WINDOW,
        rule="PET-3",
        legal_basis=_("信访条例第三十四条：自收到书面答复之日起30日内可以请求复查"),
        label=_("Review window (复查)"),
        policy_key="deadlines.petitions_review",
        default={
            "length": 30,
            "day_type": "calendar",
            "remind_days": 0,
            "escalate_to": "",
        },
        responsible=_officer_of,
        **common,
    )
    register_deadline_kind(
        REREVIEW_WINDOW,
        rule="PET-3",
        legal_basis=_("信访条例第三十五条：自收到复查意见之日起30日内可以请求复核"),
        label=_("Re-review window (复核)"),
        policy_key="deadlines.petitions_rereview",
        default={
            "length": 30,
            "day_type": "calendar",
            "remind_days": 0,
            "escalate_to": "",
        },
        responsible=_officer_of,
        **common,
    )
    register_subject(
        "petitions.extension",
        on_outcome=services.extension_on_outcome,
        url=lambda object_id: reverse("petitions:extension", args=[object_id]),
    )
    register_owner(
        "petitions.identity",
        visible_to=selectors.identities_visible_to,
        may_attach=lambda user, identity: (
            selectors.is_officer(user) and identity.case.open
        ),
        purposes=[("letter", _("Scan of the letter")), ("other", _("Other material"))],
        on_download=services.identity_download_logged,
    )
    register_series(
        SERIES, label=_("Petition registrations (PET-1)"), template=NUMBER_TEMPLATE
    )
    viewers = [Role.DIRECTOR, Role.DEPUTY, Role.SECTION_HEAD, Role.ADMINISTRATOR]
    for role in viewers:
        grant(role, ["petitions.view_case"])
    grant(
        Role.PETITION_OFFICER,
        [
            "petitions.view_case",
            "petitions.view_township",
            "petitions.add_township",
            "petitions.change_township",
            "petitions.view_category",
            "petitions.add_category",
            "petitions.change_category",
            "petitions.view_route",
            "petitions.add_route",
            "petitions.change_route",
        ],
    )
    for role in (Role.DIRECTOR, Role.DISCIPLINE_INSPECTOR, Role.ADMINISTRATOR):
        grant(role, ["petitions.view_identityaccess"])
    # The menu heading it shares with other chapters (bureau.navigation).
    register_nav_group("petitions", shelf="business")
    register_nav(
        NavItem(
            "petitions",
            _("Petitions"),
            "petitions:list",
            panels.sees_petitions,
            order=70,
        )
    )
    register_nav(
        NavItem(
            "petitions_rota",
            _("Reception days"),
            "petitions:rota",
            panels.sees_petitions,
            order=72,
        )
    )
    register_nav(
        NavItem(
            "petitions_stats",
            _("Petition statistics"),
            "petitions:stats",
            reports.reads_statistics,
            order=73,
        )
    )
    register_nav(
        NavItem(
            "petitions_work",
            _("Petition work (PET-8)"),
            "petitions:work",
            selectors.is_officer,
            order=74,
        )
    )
    register_nav(
        NavItem(
            "petitions_access",
            _("Petition access log"),
            "petitions:access_log",
            selectors.reads_access_log,
            order=71,
        )
    )
    register_panel(
        HomePanel(
            "petitions_desk", "petitions/panel_desk.html", panels.desk_panel, order=40
        )
    )
    register_panel(
        HomePanel(
            "petitions_owned",
            "petitions/panel_owned.html",
            panels.owned_panel,
            order=41,
        )
    )
    app.conf.beat_schedule.update(
        {
            "petitions-escalate": {
                "task": "petitions.tasks.escalate",
                "schedule": crontab(hour=8, minute=30),
            },
            "petitions-half-year-work": {
                "task": "petitions.tasks.half_year_work",
                "schedule": crontab(hour=9, minute=0),
            },
            "petitions-close-windows": {
                "task": "petitions.tasks.close_windows",
                "schedule": crontab(hour=0, minute=30),
            },
        }
    )
