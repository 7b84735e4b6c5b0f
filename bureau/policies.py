"""The policy registry and the lookup "the value in force on date D".

Apps register their parameters (with RULES.md's defaults) in their own `policies.py`,
imported by their AppConfig.ready(); after `migrate` every registered key has at least
its default version, effective from the rulebook's revision date. An administrator
adds later versions in the admin; a record is always judged by the version in force
on its own date.

Lookups are cached per process and the cache is emptied at the start of each request
and task and whenever a version is saved, so a long-lived worker never uses a stale rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The revision of the rulebook the defaults come from (二○○五年八月).
ORIGIN_DATE = datetime.date(2005, 8, 1)


@dataclass(frozen=True)
class PolicyDefinition:
    key: str
    default: Any
    rule: str
    description: str
    validator: Callable[[Any], None] | None = None
    # What people read (the key is for code): "迟到时限（分钟）".
    label: Any = None
    # The kind of rule, for the editor (bureau.policy_editor.SHAPES): "chain",
    # "ladder", "bands"…; None: read from the value.
    shape: str | None = None

    @property
    def display_label(self) -> str:
        return str(self.label) if self.label else self.key


@dataclass(frozen=True)
class PolicyVersion:
    key: str
    value: Any
    effective_from: datetime.date
    id: int | None  # None: the registered default, not yet stored

    def __getitem__(self, item):
        return self.value[item]


class PolicyRegistry:
    def __init__(self):
        self._definitions: dict[str, PolicyDefinition] = {}
        self._cache: dict[str, list[PolicyVersion]] = {}

    def register(
        self,
        key: str,
        default: Any,
        *,
        rule: str,
        description: str,
        validator: Callable[[Any], None] | None = None,
        label: Any = None,
        shape: str | None = None,
    ) -> PolicyDefinition:
        definition = PolicyDefinition(
            key, default, rule, description, validator, label, shape
        )
        existing = self._definitions.get(key)
        if existing is not None and existing != definition:
            raise ValueError(f"policy {key!r} is registered twice, differently")
        self._definitions[key] = definition
        return definition

    def unregister(self, key: str) -> None:
        """Forget a key: a chapter registered for a test is taken away again."""
        self._definitions.pop(key, None)
        self._cache.pop(key, None)

    def label(self, key: str) -> str:
        """The Chinese label of a key (the key itself when none is registered)."""
        definition = self._definitions.get(key)
        return definition.display_label if definition else key

    def definitions(self) -> list[PolicyDefinition]:
        return sorted(self._definitions.values(), key=lambda d: d.key)

    def get(self, key: str) -> PolicyDefinition:
        try:
            return self._definitions[key]
        except KeyError:
            raise KeyError(f"unknown policy {key!r}") from None

    def validate(self, key: str, value: Any) -> None:
        if key not in self._definitions:
            raise ValidationError({"key": _("Unknown policy key.")})
        definition = self._definitions[key]
        default = definition.default
        if isinstance(default, bool) != isinstance(value, bool) or (
            isinstance(default, int | float)
            and not isinstance(default, bool)
            and not isinstance(value, int | float)
        ):
            raise ValidationError(
                {"value": _("The value must have the same type as the default.")}
            )
        if isinstance(default, dict | list) and type(value) is not type(default):
            raise ValidationError(
                {"value": _("The value must have the same shape as the default.")}
            )
        if definition.validator is not None:
            try:
                definition.validator(value)
            except ValidationError as exc:
                raise ValidationError({"value": exc.messages}) from exc
            except ValueError as exc:
                # A validator says what is wrong with a translatable ValueError
                # (a message in the user's language, naming fields by their labels).
                raise ValidationError({"value": str(exc)}) from exc
            except (TypeError, KeyError, AttributeError, IndexError) as exc:
                # The value's shape broke the validator before it could say what is
                # wrong: a message of Python's own (a key, "'str' object…") is never
                # shown.
                raise ValidationError(
                    {
                        "value": _(
                            "The value is incomplete, or one of its entries is of "
                            "the wrong kind."
                        )
                    }
                ) from exc

    def clear_cache(self, *args, **kwargs) -> None:
        self._cache.clear()

    def versions(self, key: str) -> list[PolicyVersion]:
        versions = self._cache.get(key)
        if versions is None:
            self._load([key])
            versions = self._cache[key]
        return versions

    def preload(self, keys) -> None:
        """Read the versions of several keys in one query (those not cached yet):
        a service that will look up several policies in one request asks for them
        together instead of one query each."""
        missing = [key for key in dict.fromkeys(keys) if key not in self._cache]
        if missing:
            self._load(missing)

    def _load(self, keys: list[str]) -> None:
        # Inside: bureau.models imports this module (Policy.clean, and the
        # validators through bureau.params): a real cycle, so the Policy model
        # is imported when first needed.
        from bureau.models import Policy

        loaded: dict[str, list[PolicyVersion]] = {key: [] for key in keys}
        for p in Policy.objects.filter(key__in=keys).order_by("effective_from"):
            loaded[p.key].append(PolicyVersion(p.key, p.value, p.effective_from, p.pk))
        self._cache.update(loaded)

    def in_force(self, key: str, on: datetime.date) -> PolicyVersion:
        definition = self.get(key)
        if isinstance(on, datetime.datetime):
            raise TypeError("policy lookups take a date, not a datetime")
        chosen = None
        for version in self.versions(key):
            if version.effective_from <= on:
                chosen = version
            else:
                break
        if chosen is None:
            # Before the first stored version (or none stored): the rulebook default.
            return PolicyVersion(key, definition.default, ORIGIN_DATE, None)
        return chosen

    def load_defaults(self) -> int:
        """Store the default version of every key that has none. Returns how many."""
        from bureau.models import Policy  # inside: see versions()

        stored = set(Policy.objects.values_list("key", flat=True).distinct())
        missing = [
            Policy(
                key=d.key,
                effective_from=ORIGIN_DATE,
                value=d.default,
                note=f"{d.rule}: rulebook default",
            )
            for d in self.definitions()
            if d.key not in stored
        ]
        for policy in missing:
            policy.save()
        self.clear_cache()
        return len(missing)


registry = PolicyRegistry()
register = registry.register


def policy_in_force(key: str, on: datetime.date) -> PolicyVersion:
    """The version of `key` in force on `on`."""
    return registry.in_force(key, on)


def policy_value(key: str, on: datetime.date) -> Any:
    return registry.in_force(key, on).value


def policies_preload(*keys: str) -> None:
    """The versions of these keys read together (one query), before a service
    looks them up one by one."""
    registry.preload(keys)
