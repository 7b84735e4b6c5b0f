"""A password must not be the person's name in pinyin or their employee number.

Django's UserAttributeSimilarityValidator compares the password with the login's
username, names and e-mail; the bureau's logins are often the employee number and
the name is in Chinese characters, so "wangjianguo1980" for 王建国 passed. This
validator (in AUTH_PASSWORD_VALIDATORS) refuses, case-insensitively:

- the full name in pinyin (surname first or last, every reading of a polyphonic
  character, ü as v or u) or the given name in pinyin (4 letters or more) anywhere
  in the password, e.g. "Wangjianguo!", "jianguo@2024";
- a password whose letters are only the name's pinyin, given name or initials,
  padded with digits and signs, e.g. "wjg19800101", "wei@123456" for 王伟;
- the employee number (3 characters or more, or its digits, 4 or more) anywhere
  in the password;
- a password similar to the full pinyin or the employee number (ratio ≥ 0.7, as
  Django's validator measures it).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import exceeds_maximum_length_ratio
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import Style, pinyin

from bureau.access import person_of

COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "令狐",
        "慕容",
        "司徒",
        "夏侯",
        "端木",
        "长孙",
        "宇文",
        "轩辕",
        "南宫",
        "西门",
        "独孤",
        "呼延",
        "万俟",
        "闻人",
        "申屠",
        "百里",
        "钟离",
    ]
)
HAN = re.compile(r"[\u3400-\u9fff]")
MAX_READINGS = 64  # combinations of polyphonic readings considered per name part
MIN_CONTAINED = 4  # shorter pinyin (e.g. "wei") is refused only with nothing else
MIN_NUMBER = 3  # an employee number this long or longer may not appear at all


@dataclass(frozen=True)
class NameTokens:
    full: frozenset[str]  # "wangjianguo", "jianguowang"
    given: frozenset[str]  # "jianguo"
    initials: frozenset[str]  # "wjg"
    employee_no: frozenset[str]  # "s00012", "00012"


def _readings(chars: str) -> list[str]:
    """Every pinyin spelling of these characters (polyphones, ü as v and u)."""
    if not chars:
        return []
    per_char = []
    for options in pinyin(chars, style=Style.NORMAL, heteronym=True):
        spellings = []
        for option in options:
            for spelling in (
                option,
                option.replace("v", "u"),
                option.replace("ü", "u"),
            ):
                if spelling.isascii() and spelling not in spellings:
                    spellings.append(spelling)
        per_char.append(spellings or options[:1])
    combos = itertools.islice(itertools.product(*per_char), MAX_READINGS)
    return ["".join(combo).lower() for combo in combos]


def name_tokens(name: str, employee_no: str = "") -> NameTokens:
    """The spellings a password must not be built on (pure: no database)."""
    han = "".join(HAN.findall(name or ""))
    split = 2 if len(han) >= 3 and han[:2] in COMPOUND_SURNAMES else 1
    surname, given = han[:split], han[split:]
    surnames, givens = _readings(surname), _readings(given)
    full = {s + g for s in surnames for g in givens} | {
        g + s for s in surnames for g in givens
    }
    if not given:
        full |= set(surnames)
    initials = set()
    if len(han) >= 2:
        for options in itertools.islice(
            itertools.product(*pinyin(han, style=Style.FIRST_LETTER, heteronym=True)),
            MAX_READINGS,
        ):
            initials.add("".join(options).lower())
    number = (employee_no or "").strip().lower()
    numbers = {number} if len(number) >= MIN_NUMBER else set()
    digits = re.sub(r"\D", "", number)
    if len(digits) >= MIN_CONTAINED:
        numbers.add(digits)
    return NameTokens(
        full=frozenset(full),
        given=frozenset(givens) if len(han) >= 2 else frozenset(),
        initials=frozenset(initials),
        employee_no=frozenset(numbers),
    )


def too_similar(password: str, tokens: NameTokens, max_similarity=0.7) -> bool:
    """Whether the password is built on the name or the employee number."""
    lowered = password.lower()
    letters = re.sub(r"[^a-z]", "", lowered)
    names = tokens.full | tokens.given
    if any(len(t) >= MIN_CONTAINED and t in lowered for t in names):
        return True
    if letters and letters in names | tokens.initials:
        return True
    if any(t in lowered for t in tokens.employee_no):
        return True
    for token in tokens.full | tokens.employee_no:
        if exceeds_maximum_length_ratio(lowered, max_similarity, token):
            continue
        if SequenceMatcher(a=lowered, b=token).quick_ratio() >= max_similarity:
            return True
    return False


class PersonNameValidator:
    """AUTH_PASSWORD_VALIDATORS entry: refuses a password built on the person's name
    in pinyin or their employee number (logins without a person are not judged)."""

    def __init__(self, max_similarity=0.7):
        self.max_similarity = max_similarity

    def validate(self, password, user=None):
        person = _person(user)
        if person is None:
            return
        tokens = name_tokens(person.name, person.employee_no)
        if too_similar(password, tokens, self.max_similarity):
            raise ValidationError(
                _(
                    "The password is too similar to your name in pinyin or your "
                    "employee number."
                ),
                code="password_too_similar_to_person",
            )

    def get_help_text(self):
        return _(
            "Your password can’t contain your name in pinyin or your employee number."
        )


def _person(user):
    if user is None or getattr(user, "pk", None) is None:
        return None
    try:
        return person_of(user)
    except ValueError:
        return None
