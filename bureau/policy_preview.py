"""What a new policy version would change, before it is saved.

The editor shows, for every policy, the version in force on the chosen date and the
new one side by side in words, the versions already dated later (which keep applying
from their own dates), and how many stored records from that date on were judged by
the policy (every model with a `policy_versions` mapping and a `date`).

A chapter adds its own impact counter for its keys:

    register_impact("attendance.", "attendance.preview.last_month")

`counter(key, value, effective_from, user)` returns sentences in words ("with this
version, last month's report would change for 4 people"). A counter that recomputes
does so on a copy inside a transaction it rolls back (`recomputed()` below): nothing
is saved, and the policy cache is emptied afterwards. Counters are named by dotted
path so a chapter's policies.py registers one without importing its services.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import JSONField
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bureau.models import Policy
from bureau.policies import policy_in_force, registry

_COUNTERS: list[tuple[str, str | Callable]] = []


def register_impact(prefix: str, counter: str | Callable) -> None:
    """`counter` (a callable or its dotted path) counts the impact of a new version
    of every key starting with `prefix`."""
    if (prefix, counter) not in _COUNTERS:
        _COUNTERS.append((prefix, counter))


def unregister_impact(prefix: str, counter) -> None:
    with contextlib.suppress(ValueError):
        _COUNTERS.remove((prefix, counter))


@dataclass
class Preview:
    old: Any
    old_from: datetime.date
    new: Any
    new_from: datetime.date
    later: list  # versions dated after the new one: (date, value)
    records: list  # (label of the kind of record, count)
    impacts: list  # sentences from the chapters' counters
    unchanged: bool


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def recomputed(key: str, value, effective_from: datetime.date):
    """Inside: the policy has `value` from `effective_from` on (its later versions set
    aside), in a transaction rolled back at the end. Nothing is saved."""
    try:
        with transaction.atomic():
            Policy.objects.filter(key=key, effective_from__gte=effective_from).delete()
            Policy.objects.create(key=key, effective_from=effective_from, value=value)
            registry.clear_cache()
            yield
            raise _Rollback
    except _Rollback:
        pass
    finally:
        registry.clear_cache()


def _judged_records(key: str, since: datetime.date) -> list:
    found = []
    for model in apps.get_models():
        names = {f.name: f for f in model._meta.get_fields() if hasattr(f, "attname")}
        versions = names.get("policy_versions")
        if not isinstance(versions, JSONField) or "date" not in names:
            continue
        count = model.objects.filter(
            policy_versions__has_key=key, date__gte=since
        ).count()
        if count:
            found.append((str(model._meta.verbose_name_plural), count))
    return found


def preview(key: str, value, effective_from: datetime.date, user) -> Preview:
    current = policy_in_force(key, effective_from)
    later = [
        (v.effective_from, v.value)
        for v in registry.versions(key)
        if v.effective_from > effective_from
    ]
    impacts: list[str] = []
    for prefix, counter in list(_COUNTERS):
        if not key.startswith(prefix):
            continue
        function = import_string(counter) if isinstance(counter, str) else counter
        impacts.extend(str(s) for s in function(key, value, effective_from, user) or [])
    return Preview(
        old=current.value,
        old_from=current.effective_from,
        new=value,
        new_from=effective_from,
        later=later,
        records=_judged_records(key, effective_from),
        impacts=impacts,
        unchanged=current.value == value,
    )


def no_impact_text() -> str:
    return _(
        "No chapter counts this rule's effect on past records; compare the values."
    )
