"""Navigation and home-page panels, contributed by each app in its AppConfig.ready().

The shell shows a user only the entries whose `visible(user)` is true, so each role
sees its own menu without the templates knowing about roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    visible: Callable
    order: int = 100
    # A count shown beside the label (e.g. unread notifications): badge(user) -> int.
    badge: Callable | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavEntry:
    """A menu entry as shown to one user: the item and its count."""

    item: NavItem
    badge: int = 0

    def __getattr__(self, name):
        return getattr(self.item, name)


@dataclass(frozen=True)
class HomePanel:
    """A panel of "my day": `context(request, person, today)` returns a dict or None."""

    key: str
    template: str
    context: Callable
    order: int = 100


_NAV: dict[str, NavItem] = {}
_PANELS: dict[str, HomePanel] = {}


def register_nav(item: NavItem) -> None:
    _NAV[item.key] = item


def register_panel(panel: HomePanel) -> None:
    _PANELS[panel.key] = panel


def nav_for(user) -> list[NavItem]:
    return [
        item
        for item in sorted(_NAV.values(), key=lambda i: i.order)
        if item.visible(user)
    ]


def menu_for(user) -> list[NavEntry]:
    return [
        NavEntry(item, item.badge(user) if item.badge else 0) for item in nav_for(user)
    ]


def panels() -> list[HomePanel]:
    return sorted(_PANELS.values(), key=lambda p: p.order)
