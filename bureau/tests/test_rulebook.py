"""The rulebook (issue 16 item 6): every rule ID of RULES.md has its text, and its
page shows the policies registered for it with the version in force and the earlier
ones, in words."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from bureau import rulebook
from bureau.models import Policy
from bureau.policies import registry
from tests.test_no_internals import problems_in, visible_text

pytestmark = pytest.mark.django_db

RULES_MD = Path("/work/shared/RULES.md")


def _ids_in_rules_md() -> list[str]:
    text = RULES_MD.read_text(encoding="utf-8")
    return re.findall(r"^- ([A-Z]+-\d+) ", text, flags=re.M)


@pytest.mark.skipif(not RULES_MD.exists(), reason="the shared rulebook is not here")
def test_every_rule_id_of_rules_md_is_in_the_rulebook():
    """The data file holds exactly RULES.md's rule IDs, in its order."""
    assert [r.id for r in rulebook.rules()] == _ids_in_rules_md()


def test_every_rule_has_chinese_text_and_an_english_reading():
    for entry in rulebook.rules():
        assert entry.chinese.strip(), entry.id
        assert entry.en.strip(), entry.id
        assert entry.chapter in rulebook.CHAPTERS


def test_att3_text_is_the_original_in_simplified_chinese():
    """ATT-3: the original's words, converted to Simplified Chinese."""
    assert "视为迟到" in rulebook.rule_text("ATT-3")
    with translation.override("en"):
        assert "late" in rulebook.rule_text("ATT-3")
    assert rulebook.rule_text("NOPE-1") == ""


def test_policies_for_finds_rule_and_rules_inside_a_value():
    """LV-2's chain lives in the leave chains policy registered under LV-1."""
    keys_att10 = {d.key for d in rulebook.policies_for("ATT-10")}
    assert keys_att10
    keys_lv2 = {d.key for d in rulebook.policies_for("LV-2")}
    assert "leave.chains" in keys_lv2


@pytest.mark.parametrize("rule_id", [r.id for r in rulebook.rules()])
def test_rule_page_renders_for_every_rule_id(client_for, org, rule_id):
    """Every rule's page renders its text, and shows no raw JSON or rule ID outside
    help text."""
    response = client_for(org.b1).get(reverse("rules:rule", args=[rule_id]))
    assert response.status_code == 200
    assert rulebook.rule(rule_id).chinese.split("\n")[0][:10] in response.text
    found = problems_in(visible_text(response.text), f"/rules/{rule_id}/")
    # The words of the newer chapters' values (their register_terms) are theirs:
    # here raw JSON and rule IDs outside help text.
    assert [
        p for p in found if not p.startswith(("English slug", "internal key"))
    ] == []


def test_rule_page_unknown_id_is_404(client_for, org):
    response = client_for(org.b1).get("/rules/ATT-99/")
    assert response.status_code == 404


def test_rulebook_needs_a_login(client):
    response = client.get(reverse("rules:index"))
    assert response.status_code == 302


def test_rulebook_index_lists_every_chapter(client_for, org):
    response = client_for(org.b1).get(reverse("rules:index"))
    assert response.status_code == 200
    for title in rulebook.CHAPTERS.values():
        assert str(title) in response.text


def test_att3_rule_page_shows_the_version_in_force_and_the_earlier_one(client_for, org):
    """ATT-3's lateness limit: a later version is in force, the default is earlier."""
    key = next(d.key for d in rulebook.policies_for("ATT-3"))
    default = registry.get(key).default
    later = Policy.objects.create(
        key=key,
        effective_from=datetime.date(2020, 1, 1),
        value=default,
        note="测试修订",
    )
    registry.clear_cache()
    response = client_for(org.b1).get(reverse("rules:rule", args=["ATT-3"]))
    assert response.status_code == 200
    page = response.text
    assert "2020-01-01" in page and "2005-08-01" in page
    assert "测试修订" in page
    assert later.pk
