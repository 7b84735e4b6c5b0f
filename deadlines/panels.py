"""The home page's "my deadlines" panel."""

from deadlines import selectors
from deadlines.models import Deadline

PANEL_SIZE = 5


def my_deadlines_panel(request, person, today):
    """The person's open deadlines, soonest first, with their traffic lights and the
    counts: two queries whatever the number of deadlines. None when there are none."""
    if person is None:
        return None
    items = selectors.my_open_deadlines(person, today, limit=PANEL_SIZE)
    if not items:
        return None
    counts = selectors.light_counts(Deadline.objects.filter(responsible=person), today)
    return {"items": items, "counts": counts, "today": today}
