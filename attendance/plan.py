"""A unit's day: its sessions and the thresholds in force, cached.

Sign-in is the hottest path of the system (everyone at 08:00), so the working-day
check, the seasonal schedule and the policy versions of a (unit, day) are computed
once and kept in the cache for a minute, under a key that holds a generation number.
Saving a calendar day, a schedule or a policy bumps the generation, so the next
sign-in anywhere computes a fresh plan:

- with a shared cache (Redis), the generation lives in the cache, bumped when the
  change commits (bumping before would let another worker cache the old data under
  the new number); the plan is cached with the generation it was computed under,
  and both are read in one round trip (MGET);
- with a per-process cache (the embedded set-up's local memory) a bump in one
  worker cannot reach the others' memory, so the generation is read from the
  database (`PlanGeneration`, one row, bumped in the same transaction as the
  change): one small query per sign-in (still ≤ 6 in all) buys no staleness at all.

A change made without signals (`queryset.update`, `bulk_create`) is seen within the
minute; settlement reads the policies afresh anyway and re-judges every record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import F

from attendance.models import PlanGeneration
from attendance.policies import judgement_policies
from attendance.rules import Thresholds
from bureau import workdays

GENERATION_KEY = "attendance:plan:generation"
TTL_SECONDS = 60


@dataclass(frozen=True)
class DayPlan:
    unit_id: int
    day: datetime.date
    sessions: tuple  # of bureau.workdays.WorkSession
    thresholds: Thresholds
    policy_ids: dict


def cache_is_shared() -> bool:
    """Whether every process sees the same cache (not local memory)."""
    return not isinstance(caches["default"], (LocMemCache, DummyCache))


def _generation() -> int:
    if not cache_is_shared():
        value = PlanGeneration.objects.filter(pk=1).values_list("value", flat=True)
        return next(iter(value), 0)
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.set(GENERATION_KEY, generation, None)
    return generation


def _bump_cache() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def invalidate(*args, **kwargs) -> None:
    """A calendar day, schedule or policy changed (post_save/post_delete)."""
    if not PlanGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        PlanGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
    transaction.on_commit(_bump_cache)


def compute_day_plan(unit_id: int, day: datetime.date) -> DayPlan:
    thresholds, ids = judgement_policies(day)
    return DayPlan(
        unit_id, day, tuple(workdays.sessions_on(unit_id, day)), thresholds, ids
    )


def day_plan(unit_id: int, day: datetime.date) -> DayPlan:
    """The plan of (unit, day). With a shared cache, one round trip (MGET of the
    generation and the plan, which is stored with the generation it was computed
    under): sign-in reads the cache once, not twice."""
    if not cache_is_shared():
        key = f"attendance:plan:{_generation()}:{unit_id}:{day.isoformat()}"
        plan = cache.get(key)
        if plan is None:
            plan = compute_day_plan(unit_id, day)
            cache.set(key, plan, TTL_SECONDS)
        return plan
    key = f"attendance:plan:{unit_id}:{day.isoformat()}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.set(GENERATION_KEY, generation, None)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    plan = compute_day_plan(unit_id, day)
    cache.set(key, (generation, plan), TTL_SECONDS)
    return plan
