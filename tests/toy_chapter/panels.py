"""The dispatcher's menu entry and home-page panel."""

from tests.toy_chapter import selectors


def sees_desk(user) -> bool:
    return selectors.is_dispatcher(user)


def waiting_panel(request, person, today):
    """Trips waiting for this dispatcher; nothing (and no query) for anyone else."""
    if person is None or not selectors.is_dispatcher(request.user):
        return None
    waiting = selectors.waiting_for_me(request.user, today)
    return {"count": waiting.count()}
