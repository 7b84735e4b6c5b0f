"""The bureau's rulebook, rule by rule, as people read it.

`rulebook.json` beside this module holds every rule ID of RULES.md with the
original's text (`source`, the 2005 rulebook, the window's and the petition rules,
in Simplified Chinese), a Chinese reading where the original is silent or the
software reads it (`reading`), and RULES.md's English reading (`en`). Pages show the
Chinese text; in English they show the English reading with the Chinese original
beside it.

`policies_for(rule_id)` lists the registered policies that carry a rule — by their
`rule=` or, for a policy covering several rules (the leave chains of LV-1..6), by a
`"rule"` inside its default value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bureau.policies import PolicyDefinition, registry

DATA = Path(__file__).with_name("rulebook.json")

# Every rule ID of the rulebook: the crawl of tests/test_no_internals.py looks for
# these outside help text.
RULE_ID = re.compile(
    r"\b(?:ORG|CAL|ATT|LV|DIS|SVC|VEH|FIN|PET|DOC|MTG|DUTY|STUDY)-\d+\b"
)

_ID = r"(?:ORG|CAL|ATT|LV|DIS|SVC|VEH|FIN|PET|DOC|MTG|DUTY|STUDY|SYS)-\d+"
_IDS = rf"{_ID}(?:\s*(?:[,，、/]|or|或|and|和)\s*{_ID})*"
# "(PET-8)", "（FIN-2、FIN-6）" inside a label, "VEH-8: " opening it, or
# "(FIN-8, Tuesday or …)": the IDs leave, the rest of the parenthesis stays.
_REF = re.compile(
    rf"\s*[（(]\s*(?:rule\s*|规则\s*)?({_IDS})\s*[)）]"
    rf"|^({_IDS})\s*[:：]\s*"
    rf"|(?<=[（(])\s*({_IDS})\s*[,，、;；]\s*"
)


def split_rule_refs(text) -> tuple[str, list[str]]:
    """A label without its rule references, and the rule IDs it named:
    "Petition work (PET-8)" -> ("Petition work", ["PET-8"])."""
    text = str(text)
    found: list[str] = []

    def take(match):
        found.extend(re.findall(_ID, next(g for g in match.groups() if g)))
        return ""

    return _REF.sub(take, text).strip(), found


def without_rule_refs(text) -> str:
    """A label as people read it: rule IDs go to help text, never into labels."""
    return split_rule_refs(text)[0]


# The same, lazily: for a label registered with gettext_lazy (an engine's registry
# keeps the chapter's label and shows it without "(DOC-1)").
plain_label = lazy(without_rule_refs, str)


CHAPTERS = {
    "ORG": _("Organisation"),
    "CAL": _("Working calendar and schedules"),
    "ATT": _("Attendance"),
    "LV": _("Leave and return"),
    "DIS": _("Discipline and appraisal"),
    "SVC": _("Service window"),
    "VEH": _("Vehicles"),
    "FIN": _("Finance and reception"),
    "PET": _("Petitions"),
    "DOC": _("Documents, archives and supervision"),
    "MTG": _("Meetings"),
    "DUTY": _("Duty roster"),
    "STUDY": _("Study"),
}


@dataclass(frozen=True)
class Rule:
    id: str
    chapter: str
    source: str
    reading: str
    en: str

    @property
    def chapter_title(self) -> str:
        return str(CHAPTERS[self.chapter])

    @property
    def number(self) -> int:
        return int(self.id.rsplit("-", 1)[1])

    @property
    def chinese(self) -> str:
        """The original's text, else the reading (never empty)."""
        return self.source or self.reading

    @property
    def text(self) -> str:
        """The text in the active language: English reads RULES.md."""
        if (get_language() or "").startswith("en"):
            return self.en
        return self.chinese

    @property
    def summary(self) -> str:
        first = self.text.split("\n", 1)[0]
        return first if len(first) <= 60 else first[:58] + "…"

    def get_absolute_url(self) -> str:
        return reverse("rules:rule", args=[self.id])


@cache
def _load() -> dict[str, Rule]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        entry["id"]: Rule(
            entry["id"],
            entry["chapter"],
            entry["source"],
            entry["reading"],
            entry["en"],
        )
        for entry in data["rules"]
    }


def rules() -> list[Rule]:
    return list(_load().values())


def rule(rule_id: str) -> Rule | None:
    return _load().get(rule_id)


def rule_text(rule_id: str) -> str:
    """The rule's text in the active language ("" for an unknown ID)."""
    found = rule(rule_id)
    return found.text if found else ""


def chapters() -> list[tuple[str, str, list[Rule]]]:
    """(code, title, rules) in the rulebook's order."""
    by_chapter: dict[str, list[Rule]] = {code: [] for code in CHAPTERS}
    for entry in rules():
        by_chapter[entry.chapter].append(entry)
    return [(code, str(CHAPTERS[code]), by_chapter[code]) for code in CHAPTERS]


def _mentions(value, rule_id: str) -> bool:
    if isinstance(value, dict):
        return value.get("rule") == rule_id or any(
            _mentions(v, rule_id) for v in value.values()
        )
    if isinstance(value, list):
        return any(_mentions(v, rule_id) for v in value)
    return False


def policies_for(rule_id: str) -> list[PolicyDefinition]:
    """The registered policies that carry this rule."""
    return [
        d
        for d in registry.definitions()
        if d.rule == rule_id or _mentions(d.default, rule_id)
    ]


def rule_ref(rule_id: str):
    """A rule ID as help text linking to its page (rule IDs are never labels)."""
    if rule(rule_id) is None:
        return format_html('<small class="help">{}</small>', rule_id)
    return format_html(
        '<a class="help rule-ref" href="{}">{}</a>',
        reverse("rules:rule", args=[rule_id]),
        rule_id,
    )
