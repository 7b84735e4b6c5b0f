"""Menu headings: a chapter puts its entries on a shared heading itself
(bureau.navigation.register_nav_group(key, shelf=...)), so that a leader's menu with
every chapter fits in one row at 1,366 px (issue 16 item 8)."""

from types import SimpleNamespace

from bureau import navigation


def _entry(key):
    item = navigation.NavItem(key, key, "home", lambda user: True, 1)
    return navigation.NavEntry(item, 0)


def test_the_product_chapters_declare_their_shared_heading():
    keys = {
        "documents": "office",
        "meetings": "office",
        "duty": "office",
        "deadlines": "office",
        "vehicles": "business",
        "finance": "business",
        "petitions": "business",
        "window": "business",
    }
    for key, shelf in keys.items():
        item = SimpleNamespace(key=f"{key}-list")
        assert navigation.group_key(item) == shelf, key
    # The ground floor's own groups stay their own.
    assert navigation.group_key(SimpleNamespace(key="attendance-sheet")) == "attendance"


def test_a_new_chapter_joins_a_heading_without_editing_bureau():
    navigation.register_nav_group("carpool", shelf="business")
    try:
        groups = navigation.menu_groups([_entry("carpool"), _entry("finance")])
        assert [g.key for g in groups] == ["business"]
        assert str(groups[0].label) == str(navigation._GROUPS["business"])
        assert [e.item.key for e in groups[0].entries] == ["carpool", "finance"]
    finally:
        navigation._SHELVES.pop("carpool", None)


def test_a_group_label_alone_keeps_the_chapter_on_its_own_heading():
    navigation.register_nav_group("carpool2", "拼车")
    try:
        groups = navigation.menu_groups([_entry("carpool2")])
        assert [(g.key, g.label) for g in groups] == [("carpool2", "拼车")]
    finally:
        navigation._GROUPS.pop("carpool2", None)
