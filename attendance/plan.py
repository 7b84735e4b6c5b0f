"""A unit's day: its sessions and the thresholds in force, cached.

Sign-in is the hottest path of the system (everyone at 08:00), so the working-day
check, the seasonal schedule and the policy versions of a (unit, day) are computed
once and kept in the cache for a minute, under a key that holds a generation number.
Saving a calendar day, a schedule or a policy bumps the generation, so the next
sign-in anywhere computes a fresh plan:

- with a shared cache (Redis), the generation lives in the cache, bumped when the
  change commits (bumping before would let another worker cache the old data under
  the new number); the plan is cached with the generation it was computed under.
  A worker keeps the plans it read in its own memory too, with the generation and
  the minute they were computed under, so a sign-in reads only the generation (a
  few bytes, one round trip) and neither fetches nor unpickles the plan (issue 17:
  that was a tenth of the sign-in's CPU). A generation first set (or set again
  after Redis lost it) is a random number, never one a worker's copy could carry;
- with a per-process cache (the embedded set-up's local memory) a bump in one
  worker cannot reach the others' memory, so the generation is read from the
  database (`PlanGeneration`, one row, bumped in the same transaction as the
  change): one small query per sign-in (still ≤ 6 in all) buys no staleness at all.

A change made without signals (`queryset.update`, `bulk_create`) is seen within the
minute; settlement reads the policies afresh anyway and re-judges every record.
"""

from __future__ import annotations

import datetime
import secrets
import time
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


# This worker's copies of the plans it read from the shared cache:
# key -> (generation, plan, time.time() until which it may be used). Shared by
# the requests of the process: a plan is never changed once made.
_copies: dict[str, tuple[int, DayPlan, float]] = {}


def _new_generation() -> int:
    """A first generation: random, so that after Redis lost the number no copy
    kept by a worker (under the old numbers) can match the new one."""
    generation = secrets.randbits(48)
    cache.set(GENERATION_KEY, generation, None)
    return generation


def _generation() -> int:
    if not cache_is_shared():
        value = PlanGeneration.objects.filter(pk=1).values_list("value", flat=True)
        return next(iter(value), 0)
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _new_generation()
    return generation


def _bump_cache() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        _new_generation()


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
    """The plan of (unit, day). With a shared cache, one round trip when this
    worker has the plan of the current generation (the generation only); else the
    plan is read from the cache (stored with the generation and the time it was
    computed under) or computed and stored. A copy is used no longer than the
    cache keeps the plan (TTL_SECONDS from its computation)."""
    if not cache_is_shared():
        key = f"attendance:plan:{_generation()}:{unit_id}:{day.isoformat()}"
        plan = cache.get(key)
        if plan is None:
            plan = compute_day_plan(unit_id, day)
            cache.set(key, plan, TTL_SECONDS)
        return plan
    key = f"attendance:plan:{unit_id}:{day.isoformat()}"
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A new generation (or Redis unreachable: then nothing is cached anyway).
        generation = _new_generation()
    now = time.time()
    copy = _copies.get(key)
    if copy is not None and copy[0] == generation and now < copy[2]:
        return copy[1]
    stored = cache.get(key)
    if stored is not None and stored[0] == generation and len(stored) > 2:
        plan, until = stored[1], stored[2] + TTL_SECONDS
    else:
        plan, until = compute_day_plan(unit_id, day), now + TTL_SECONDS
        cache.set(key, (generation, plan, now), TTL_SECONDS)
    _keep(key, (generation, plan, until), now)
    return plan


def _keep(key: str, copy: tuple, now: float) -> None:
    """This worker's copy of a plan; expired copies are dropped (a few units a
    day each, a minute each: the dict stays small)."""
    for old in [k for k, (_g, _p, until) in _copies.items() if until <= now]:
        _copies.pop(old, None)
    _copies[key] = copy
