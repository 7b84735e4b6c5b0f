"""A unit's day: its sessions and the thresholds in force, cached.

Sign-in is the hottest path of the system (everyone at 08:00), so the working-day
check, the seasonal schedule and the policy versions of a (unit, day) are computed
once and kept in the cache for a minute. Saving a calendar day, a schedule or a policy
bumps a generation number, so a change is seen at once where the cache is shared
(Redis) and within the minute elsewhere (per-process memory).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache

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


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.set(GENERATION_KEY, generation, None)
    return generation


def invalidate(*args, **kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def compute_day_plan(unit_id: int, day: datetime.date) -> DayPlan:
    thresholds, ids = judgement_policies(day)
    return DayPlan(
        unit_id, day, tuple(workdays.sessions_on(unit_id, day)), thresholds, ids
    )


def day_plan(unit_id: int, day: datetime.date) -> DayPlan:
    key = f"attendance:plan:{_generation()}:{unit_id}:{day.isoformat()}"
    plan = cache.get(key)
    if plan is None:
        plan = compute_day_plan(unit_id, day)
        cache.set(key, plan, TTL_SECONDS)
    return plan
