"""The home page's duty reminder (DUTY-1): the person on duty sees it the day
before and on the morning of the day, with the window to arrive in."""

import datetime

from django.utils import timezone

from bureau import workdays
from bureau.policies import policy_in_force
from duty import rules, selectors, services
from duty.policies import ARRIVAL


def my_duty_panel(request, person, today):
    """Duties today and tomorrow shown by the reminder rule; nothing (one query)
    for people not on duty then."""
    if person is None:
        return None
    duties = list(
        selectors.my_duties(person, today, today + datetime.timedelta(days=1))
    )
    if not duties:
        return None
    now = timezone.localtime(timezone.now(), workdays.TZ)
    items = []
    for assignment in duties:
        day = assignment.day
        policy = policy_in_force(ARRIVAL, day.date).value
        if not rules.reminder_shows(
            now, day.date, show_until=rules.parse_time(policy["show_until"])
        ):
            continue
        start = services.day_start(day)
        window = (
            rules.arrival_window(
                start,
                earliest_minutes=policy["earliest_minutes"],
                latest_minutes=policy["latest_minutes"],
            )
            if start
            else None
        )
        items.append(
            {
                "assignment": assignment,
                "day": day,
                "is_today": day.date == today,
                "window": window,
                "may_arrive": day.date == today and assignment.arrived_at is None,
            }
        )
    if not items:
        return None
    return {"items": items}
