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

Sign-in itself needs neither: `checked_plan` gives this worker's copy with the
database generation it was computed under, with no round trip at all, and the
sign-in's INSERT checks that generation in the same statement (`generation_guard`):
a change committed since makes the INSERT write nothing, and the sign-in is judged
again under a plan read afresh (issue 17: the cache's round trip was the largest
part of a sign-in's CPU beyond a bare view's). The judgement written is always the
one of the plan in force when the row is written.

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
        return current_generation()
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
        # A first generation is random too: after a flush or a restore the counter
        # does not start again at a number a worker's copy may carry.
        PlanGeneration.objects.get_or_create(
            pk=1, defaults={"value": secrets.randbits(48)}
        )
    transaction.on_commit(_bump_cache)


def current_generation() -> int:
    """The database's generation (0 before the first change)."""
    value = PlanGeneration.objects.filter(pk=1).values_list("value", flat=True)
    return next(iter(value), 0)


def generation_guard(connection) -> str:
    """The condition a statement adds to write only while the database's
    generation is still the one of the plan it judged by (one parameter)."""
    table = connection.ops.quote_name(PlanGeneration._meta.db_table)
    return f"COALESCE((SELECT value FROM {table} WHERE id = 1), 0) = %s"


def checked_plan(unit_id: int, day: datetime.date, *, fresh: bool = False):
    """(plan, generation) for a write that checks the generation itself
    (`generation_guard`), as the sign-in's INSERT does: this worker's copy, with
    the database generation it was computed under, without any round trip; with
    `fresh` (or no copy usable), the generation read from the database and the
    plan of that generation (from the cache, or computed after reading the
    generation, so never older than it). A copy is used no longer than a minute
    from its computation, for the changes made without signals."""
    key = f"attendance:plan:checked:{unit_id}:{day.isoformat()}"
    now = time.time()
    if not fresh:
        copy = _copies.get(key)
        if copy is not None and now < copy[2]:
            return copy[1], copy[0]
    generation = current_generation()
    stored_key = f"attendance:plan:checked:{generation}:{unit_id}:{day.isoformat()}"
    stored = cache.get(stored_key)
    if stored is not None:
        plan, until = stored[0], stored[1] + TTL_SECONDS
    else:
        plan, until = compute_day_plan(unit_id, day), now + TTL_SECONDS
        cache.set(stored_key, (plan, now), TTL_SECONDS)
    _keep(key, (generation, plan, until), now)
    return plan, generation


def forget_copies() -> None:
    """Drop this worker's copies (tests: each starts from its own database)."""
    _copies.clear()


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
