"""The attendance menu entries and the home page's sign-in panel."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance import rules
from attendance.models import Arrival, SessionRecord
from attendance.plan import day_plan
from attendance.selectors import SCOPE, is_clerk


def _logged_in(user) -> bool:
    return user.is_authenticated and hasattr(user, "person")


def _sees_others(user) -> bool:
    return SCOPE.sees_others(user)


def _clerk(user) -> bool:
    return is_clerk(user)


def sign_in_panel(request, person, today):
    """The one big button: sign in (or out) of the session open now, and the
    result of today's sessions (on time / late)."""
    if person is None:
        return None
    now = timezone.now()
    plan = day_plan(person.unit_id, today)
    records = {
        r.part: r for r in SessionRecord.objects.filter(person=person, date=today)
    }
    sessions = []
    for session in plan.sessions:
        record = records.get(session.part)
        sessions.append({"session": session, "record": record})
    action = None
    sign_in = rules.session_open_for_sign_in(plan.sessions, now, plan.thresholds)
    if sign_in is not None:
        record = records.get(sign_in.part)
        if record is None or record.signed_in_at is None:
            action = "sign_in"
    if action is None:
        sign_out = rules.session_open_for_sign_out(plan.sessions, now, plan.thresholds)
        if sign_out is not None:
            record = records.get(sign_out.part)
            if (
                record is not None
                and record.signed_in_at is not None
                and record.signed_out_at is None
                and record.settled_at is None
            ):
                action = "sign_out"
    return {
        "sessions": sessions,
        "action": action,
        "now": now,
        "working": bool(plan.sessions),
        "ON_TIME": Arrival.ON_TIME,
        "LATE": Arrival.LATE,
    }


def register_navigation(navigation):
    navigation.register_nav(
        navigation.NavItem(
            "attendance", _("Attendance"), "attendance:mine", _logged_in, order=10
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "attendance-going-out",
            _("Going out"),
            "attendance:going_out_list",
            _logged_in,
            order=11,
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "attendance-board",
            _("Whereabouts board"),
            "attendance:board_index",
            _logged_in,
            order=12,
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "attendance-study",
            _("Study sessions"),
            "attendance:study_list",
            _logged_in,
            order=13,
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "attendance-sheet",
            _("Sign-in sheets"),
            "attendance:sheet",
            _sees_others,
            order=14,
        )
    )
    navigation.register_nav(
        navigation.NavItem(
            "attendance-report",
            _("Monthly attendance"),
            "attendance:report",
            _sees_others,
            order=15,
        )
    )
    navigation.register_panel(
        navigation.HomePanel(
            "attendance-sign-in",
            "attendance/panel_sign_in.html",
            sign_in_panel,
            order=10,
        )
    )
    # Going-out reports and study leave waiting for a decision are in the approval
    # engine's home panel ("waiting for my decision"), with everything else.
