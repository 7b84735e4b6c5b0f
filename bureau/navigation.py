"""Navigation and home-page panels, contributed by each app in its AppConfig.ready().

The shell shows a user only the entries whose `visible(user)` is true, so each role
sees its own menu without the templates knowing about roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.rulebook import split_rule_refs, without_rule_refs


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

    @property
    def label(self) -> str:
        # Rule IDs are help text (the entry's title), never part of a menu label.
        return without_rule_refs(self.item.label)

    @property
    def rules(self) -> str:
        return " ".join(split_rule_refs(self.item.label)[1])


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


# The top menu groups a chapter's entries under one heading (a leader or clerk
# sees some fifteen entries: in one row they would not fit at 1,366 px). An entry's
# group is its key up to the first "-" or "_" ("attendance-sheet" -> "attendance");
# a chapter names its group with register_nav_group, else its app's verbose name,
# else its first entry's label. So that a leader's menu (every chapter) still fits in
# one row at 1,366 px, a chapter may put its entries on a shared heading (a shelf):
# register_nav_group("vehicles", shelf="business").
_GROUPS: dict[str, object] = {}
_SHELVES: dict[str, str] = {}


def register_nav_group(key: str, label=None, *, shelf: str | None = None) -> None:
    """Name a chapter's menu group (`label`) and/or put it on a shared heading
    (`shelf`, a key given to register_nav_shelf)."""
    if label is not None:
        _GROUPS[key] = label
    if shelf is not None:
        _SHELVES[key] = shelf


def register_nav_shelf(key: str, label) -> None:
    """A heading several chapters share."""
    _GROUPS[key] = label


@dataclass
class NavGroup:
    key: str
    label: str
    entries: list

    @property
    def badge(self) -> int:
        return sum(entry.badge for entry in self.entries)

    @property
    def url_names(self) -> list[str]:
        return [entry.url_name for entry in self.entries]


# The two shared headings of the ground floor; chapters choose theirs.
register_nav_shelf("office", _("Documents and meetings"))
register_nav_shelf("business", _("Business"))


def group_key(item: NavItem) -> str:
    key = item.key.replace("-", "_").split("_")[0]
    return _SHELVES.get(key, key)


def _app_label(key: str):
    # A chapter's entries are headed by the chapter's name (its app's verbose name).
    if apps.is_installed(key):
        return apps.get_app_config(key).verbose_name
    return None


def menu_groups(entries: list[NavEntry]) -> list[NavGroup]:
    groups: dict[str, NavGroup] = {}
    for entry in entries:
        key = group_key(entry.item)
        if key not in groups:
            label = _GROUPS.get(key) or _app_label(key) or entry.label
            groups[key] = NavGroup(key, label, [])
        groups[key].entries.append(entry)
    return list(groups.values())


def panels() -> list[HomePanel]:
    return sorted(_PANELS.values(), key=lambda p: p.order)
