"""What the bureau app contributes at start-up and after `migrate`."""

import datetime

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from bureau import roles, workdays
from bureau.models import HolidayArrangement, SeasonalSchedule
from bureau.models.org import Role
from bureau.policies import registry

BUREAU_MODELS = [
    "organisation",
    "unit",
    "section",
    "person",
    "actingassignment",
    "calendarday",
    "holidayarrangement",
    "seasonalschedule",
    "policy",
]
# The years whose arrangement the calendar package knows and the bureau seeds.
PACKAGE_YEARS = range(2020, 2027)


def register_grants(roles):
    everything = [
        f"bureau.{action}_{model}"
        for model in BUREAU_MODELS
        for action in ("view", "add", "change", "delete")
    ]
    roles.grant(Role.ADMINISTRATOR, everything)
    roles.grant(
        Role.ATTENDANCE_CLERK,
        [
            "bureau.view_calendarday",
            "bureau.view_holidayarrangement",
            "bureau.view_seasonalschedule",
        ],
    )


def register_navigation(navigation):
    navigation.register_nav(
        navigation.NavItem("home", _("My day"), "home", lambda u: True, order=0)
    )
    navigation.register_nav(
        navigation.NavItem(
            "calendar", _("Calendar"), "calendar", lambda u: True, order=90
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "admin", _("Administration"), "admin:index", lambda u: u.is_staff, order=200
        )
    )


def after_migrate(sender, **kwargs):
    """Roles, rulebook defaults and the package's calendar years, once the schema is in.

    post_migrate is sent once per app; this runs after the last one, when every app's
    permissions exist (so every role's grants can be synced) and every policy is known.
    """
    if sender is not list(apps.get_app_configs())[-1]:
        return
    roles.sync_groups()
    registry.load_defaults()
    known = set(HolidayArrangement.objects.values_list("year", flat=True))
    for year in PACKAGE_YEARS:
        if year not in known:
            workdays.arrangement_from_package(year)
    if not SeasonalSchedule.objects.exists():
        SeasonalSchedule.objects.create(
            name="夏季作息",
            starts_month=5,
            starts_day=1,
            morning_start=datetime.time(8, 0),
            morning_end=datetime.time(12, 0),
            afternoon_start=datetime.time(15, 0),
            afternoon_end=datetime.time(18, 0),
        )
        SeasonalSchedule.objects.create(
            name="冬季作息",
            starts_month=10,
            starts_day=1,
            morning_start=datetime.time(8, 0),
            morning_end=datetime.time(12, 0),
            afternoon_start=datetime.time(14, 30),
            afternoon_end=datetime.time(17, 30),
        )
