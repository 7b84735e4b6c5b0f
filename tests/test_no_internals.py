"""Issue 16 item 4: users never see internals. Crawl the demo bureau as each demo
role — the staff pages and, for those who have it, the admin — and fail on a page
whose visible text shows raw JSON (`{"`), an internal key (`attendance.late`,
`attendance.allowance_table`), an English slug (`bureau_staff`, `on_time`) or a
rule ID (`ATT-10`) outside help text (elements with class "help"/"helptext",
`<small>`, the admin's help blocks). Form fields that edit a value (textarea,
input) are not display and are left out.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from bureau.models import Person
from bureau.policies import registry
from bureau.workdays import TZ

pytestmark = pytest.mark.django_db

ROLES = [
    "staff1",
    "head1",
    "deputy1",
    "director",
    "clerk",
    "unitclerk",
    "inspector",
    "docs",
    "unithead1",
    "unitstaff1",
    "finance",
    "admin",
]
PAGES_PER_ROLE = 60
# Where a crawl does not go: changes state on GET? never — but these are files,
# the language switch and the logout.
SKIP = re.compile(
    r"(/logout|/i18n/|\.xlsx|\.csv|/xlsx|/csv|/download|/export|/history/|"
    r"/delete/|/add/|/password|/admin/r/|/attachments/\d+/|/static/|/media/|"
    # The rulebook's 78 rule pages have their own test (bureau/tests/test_rulebook.py);
    # the index and the why pages are crawled.
    r"/rules/[A-Z]+-\d+/)"
)

RAW_JSON = re.compile(r'\{\s*"')
APPS = (
    "attendance|leave|approvals|discipline|bureau|meetings|deadlines|numbering|"
    "attachments|auth|axes|django_celery_beat"
)
INTERNAL_KEY = re.compile(rf"(?<![@\w.])(?:{APPS})\.[a-z_]+(?:\.[a-z_]+)*\b")
SLUG = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# Every chapter of the rulebook (bureau.rulebook.RULE_ID), and SYS of the policies.
RULE_ID = re.compile(
    r"\b(?:ORG|CAL|ATT|LV|DIS|SVC|VEH|FIN|PET|DOC|MTG|DUTY|STUDY|SYS)-\d+\b"
)


class VisibleText(HTMLParser):
    """The text a reader sees, outside help text, scripts and form values."""

    HIDDEN = {"script", "style", "textarea", "select", "option", "template", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "input", "meta", "link", "hr", "col", "wbr"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = (
            tag in self.HIDDEN
            or tag == "small"
            or any(c in {"help", "helptext", "help-text", "rule-ref"} for c in classes)
        )
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def problems_in(text: str, path: str = "/") -> list[str]:
    found = []
    # Rule IDs belong in help text (docs/new_chapter.md, "Rule IDs are help text"):
    # checked on every page, the admin's included.
    checks = [
        (RAW_JSON, "raw JSON"),
        (INTERNAL_KEY, "internal key"),
        (SLUG, "English slug"),
    ]
    checks.append((RULE_ID, "rule ID outside help text"))
    for pattern, what in checks:
        for match in pattern.finditer(text):
            start = max(match.start() - 30, 0)
            found.append(f"{what}: …{text[start : match.end() + 30]}…")
    return found


def crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    seen: set[str] = set()
    queue = list(start)
    report: dict[str, list[str]] = {}
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path + (
            "?" + urlsplit(url).query if urlsplit(url).query else ""
        )
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get(
            "Content-Type", ""
        ):
            continue
        html = response.content.decode()
        found = problems_in(visible_text(html), path)
        if found:
            report[path] = sorted(set(found))
        links = Links()
        links.feed(html)
        for href in links.hrefs:
            target = urlsplit(urljoin(path, href))
            if target.netloc or not target.path.startswith("/"):
                continue
            # One page of each list: filters and sorting multiply pages.
            if target.query and not target.path.startswith("/admin/"):
                continue
            if target.query:
                continue
            queue.append(target.path)
    return report


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--commit", stdout=io.StringIO())


def test_no_page_of_any_role_shows_json_keys_slugs_or_rule_ids(demo):
    """Every demo role's pages (home, menu and what they link to, the admin for
    who has it) show no raw JSON, internal key, English slug or rule ID outside
    help text."""
    import datetime

    now = datetime.datetime.now(TZ).replace(hour=10, minute=0)
    failures = {}
    with time_machine.travel(now, tick=False):
        for username in ROLES:
            person = Person.objects.filter(user__username=username).first()
            user = (
                person.user
                if person
                else Person._meta.get_field("user").related_model.objects.get(
                    username=username
                )
            )
            client = Client()
            client.force_login(user)
            start = ["/"]
            if user.is_staff:
                start.append("/admin/")
            report = crawl(client, start)
            for path, found in report.items():
                failures[f"{username} {path}"] = found
    assert not failures, "\n".join(
        f"{where}: {found}" for where, found in sorted(failures.items())
    )


def _value_keys(value) -> set[str]:
    """Every dict key of a policy value, at any depth."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(str(key))
            keys |= _value_keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            keys |= _value_keys(item)
    return keys


def _as_word(key: str) -> re.Pattern:
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(key)}(?![A-Za-z0-9_])")


def _internal_in(description: str, keys: set[str], language: str) -> list[str]:
    """The value keys a description names as keys.

    In Chinese every key counts: no English word of a value belongs there. In English
    a key that is also a plain word ("days", "who", "outcomes", "training") is English
    when it is used as a word, and a key only when it is marked as one — in
    backticks or quotes, alone in parentheses, or as a label before a colon; a key
    that no English text contains (snake_case, a digit) counts wherever it stands.
    Any backtick is code markup and counts too.
    """
    found = ["`"] if "`" in description else []
    for key in sorted(keys):
        word = _as_word(key)
        if not word.search(description):
            continue
        if (
            language != "en"
            or not re.fullmatch(r"[a-z]+", key)
            or re.search(
                rf"[`'\"“‘]{re.escape(key)}[`'\"”’]|\({re.escape(key)}\)|"
                rf"(?<![A-Za-z0-9_]){re.escape(key)}:",
                description,
            )
        ):
            found.append(key)
    return found


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_policy_description_names_its_value_keys(language):
    """Issue 16 item 4: every registered policy's description, shown to
    administrators in the policy editor, says what the fields mean in words, in
    English as in Chinese: none names a key of its default value (`per_half_day`,
    `after_days`) — so a new policy cannot bring one back."""
    offenders = {}
    with translation.override(language):
        for definition in registry.definitions():
            text = str(definition.description)
            found = _internal_in(text, _value_keys(definition.default), language)
            if found:
                offenders[definition.key] = (found, text)
    assert offenders == {}


def test_the_description_check_catches_a_key():
    """The check above finds a snake_case key anywhere, and a plain-word key only
    where it is marked as a key."""
    keys = {"per_half_day", "days", "who"}
    assert _internal_in("appointments (per_half_day) a day", keys, "en") == [
        "per_half_day"
    ]
    assert _internal_in("within this many days; who approves", keys, "en") == []
    assert _internal_in("ahead (`days`)", keys, "en") == ["`", "days"]
    assert _internal_in("days: how many", keys, "en") == ["days"]
    assert _internal_in("提前 days 天", keys, "zh-hans") == ["days"]
