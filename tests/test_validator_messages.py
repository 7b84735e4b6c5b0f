"""Issue 16 leftover: a policy validator's message is shown to the administrator after
"该取值不符合此规则的校验：" — it reads in Chinese and names no internal key.

For every registered policy with a validator (every chapter's `policies.py`), a few
values of the right type but the wrong content are tried; each one the validator
refuses must be refused in Chinese, with no English word or key (`bands`,
`earliest_minutes`) in the message. Each policy must refuse at least one of them.
"""

from __future__ import annotations

import copy
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bureau.policies import registry

CJK = re.compile(r"[\u4e00-\u9fff]")
# An English word or a key: two or more Latin letters (HH:MM is a format, allowed).
LATIN = re.compile(r"[A-Za-z_]{2,}")
ALLOWED = {"HH", "MM", "YYYY", "DD", "MB", "KB"}


def _with_validators():
    return [d for d in registry.definitions() if d.validator is not None]


def _bad_values(default):
    """Values of the default's type whose content is wrong."""
    if isinstance(default, dict):
        yield {}
        for key in list(default)[:6]:
            broken = copy.deepcopy(default)
            broken[key] = "?"
            yield broken
            broken = copy.deepcopy(default)
            broken[key] = -1
            yield broken
            broken = copy.deepcopy(default)
            del broken[key]
            yield broken
    elif isinstance(default, list):
        yield ["?"]
        yield [{"zz": 1}]
        yield [-1]
        if default:
            yield [*copy.deepcopy(default), "?"]
            first = copy.deepcopy(default[0])
            if isinstance(first, dict):
                for key in list(first)[:6]:
                    broken = copy.deepcopy(default)
                    broken[0][key] = "?"
                    yield broken
                    broken = copy.deepcopy(default)
                    broken[0][key] = -1
                    yield broken
    elif isinstance(default, bool):
        return
    elif isinstance(default, int | float):
        yield -1
        yield 0
        yield 100000
    elif isinstance(default, str):
        yield ""
        yield "?"


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [str(m) for ms in exc.message_dict.values() for m in ms]
    return [str(m) for m in exc.messages]


def _english_words(message: str) -> list[str]:
    return [w for w in LATIN.findall(message) if w not in ALLOWED]


@pytest.mark.parametrize("definition", _with_validators(), ids=lambda d: d.key)
def test_validator_refuses_in_chinese_without_keys(definition):
    """Every refusal of the policy's validator reads in Chinese, without internals."""
    refused = []
    with translation.override("zh-hans"):
        for value in _bad_values(definition.default):
            try:
                registry.validate(definition.key, value)
            except ValidationError as exc:
                refused.extend((value, m) for m in _messages(exc))
    assert refused, f"{definition.key}: none of the bad values was refused"
    wrong = [
        (m, value) for value, m in refused if not CJK.search(m) or _english_words(m)
    ]
    assert not wrong, f"{definition.key}: {wrong[:3]}"
