"""The attendance rules as pure functions over plain values (no ORM).

ATT-2..5 judge one session from its times; ATT-10 turns a month's counts into the
allowance outcome; ATT-12 finds long absences; ATT-9 names whom study leave is asked
of. Every threshold comes in as an argument (from the policy in force on the day).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

ON_TIME = "on_time"
LATE = "late"
EARLY = "early_leave"
LATE_EARLY = "late_early"
ABSENT = "absent"
EXCUSED = "excused"

HALF_DAY = Decimal("0.5")


@dataclass(frozen=True)
class Thresholds:
    grace_minutes: int = 10  # ATT-2
    late_limit_minutes: int = 15  # ATT-3 / ATT-5
    early_limit_minutes: int = 15  # ATT-4 (inclusive) / ATT-5
    away_limit_minutes: int = 30  # ATT-5
    sign_out_required: bool = True
    sheet_close_minutes: int = 10  # ATT-6
    settle_minutes: int = 30
    opens_minutes: int = 60

    @property
    def grace(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.grace_minutes)

    @property
    def late_limit(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.late_limit_minutes)

    @property
    def early_limit(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.early_limit_minutes)


def judge_arrival(
    start: datetime.datetime, signed_in_at: datetime.datetime, t: Thresholds
) -> str:
    """ATT-2/3/5: on time up to `grace` after the start (inclusive), late up to
    `late_limit` (inclusive: 以內), a half-day absence beyond it."""
    delay = signed_in_at - start
    if delay <= t.grace:
        return ON_TIME
    if delay <= t.late_limit:
        return LATE
    return ABSENT


def judge_departure(
    end: datetime.datetime, signed_out_at: datetime.datetime, t: Thresholds
) -> str:
    """ATT-4/5: leaving before the end by at most `early_limit` (exactly 15 minutes
    included, per the reading) is early leave; earlier than that is an absence."""
    early = end - signed_out_at
    if early <= datetime.timedelta(0):
        return ON_TIME
    if early <= t.early_limit:
        return EARLY
    return ABSENT


@dataclass(frozen=True)
class SessionFacts:
    start: datetime.datetime
    end: datetime.datetime
    signed_in_at: datetime.datetime | None
    signed_out_at: datetime.datetime | None
    excused: bool = False
    away_minutes: int = 0  # longest unreported absence from post (ATT-5)


@dataclass(frozen=True)
class Judgement:
    outcome: str
    late: bool
    early: bool
    absence_days: Decimal
    reason: str  # a short code: why the outcome (shown translated)

    @property
    def incidents(self) -> int:
        """ATT-10's L: unexcused late arrivals and early leaves of the session."""
        return int(self.late) + int(self.early)


def judge_session(facts: SessionFacts, t: Thresholds) -> Judgement:
    """The settled outcome of one session (ATT-2..5, ATT-8)."""
    zero = Decimal("0")
    if facts.excused:
        return Judgement(EXCUSED, False, False, zero, "excused")
    if facts.signed_in_at is None:
        return Judgement(ABSENT, False, False, HALF_DAY, "no_sign_in")
    arrival = judge_arrival(facts.start, facts.signed_in_at, t)
    if arrival == ABSENT:
        return Judgement(ABSENT, False, False, HALF_DAY, "late_beyond_limit")
    if facts.away_minutes > t.away_limit_minutes:
        return Judgement(ABSENT, False, False, HALF_DAY, "away_from_post")
    if facts.signed_out_at is not None:
        departure = judge_departure(facts.end, facts.signed_out_at, t)
    elif t.sign_out_required:
        return Judgement(ABSENT, False, False, HALF_DAY, "no_sign_out")
    else:
        departure = ON_TIME
    if departure == ABSENT:
        return Judgement(ABSENT, False, False, HALF_DAY, "early_beyond_limit")
    late = arrival == LATE
    early = departure == EARLY
    if late and early:
        return Judgement(LATE_EARLY, True, True, zero, "late_and_early")
    if late:
        return Judgement(LATE, True, False, zero, "late")
    if early:
        return Judgement(EARLY, False, True, zero, "early_leave")
    return Judgement(ON_TIME, False, False, zero, "on_time")


def session_open_for_sign_in(
    sessions: list, now: datetime.datetime, t: Thresholds
) -> object | None:
    """The session a sign-in at `now` belongs to: from `opens_minutes` before its
    start to its end (ATT-1). None outside every session."""
    opens = datetime.timedelta(minutes=t.opens_minutes)
    for session in sessions:
        if session.start - opens <= now <= session.end:
            return session
    return None


def session_open_for_sign_out(
    sessions: list, now: datetime.datetime, t: Thresholds
) -> object | None:
    """The session a sign-out at `now` belongs to: from its start until the
    settlement (`settle_minutes` after its end)."""
    settle = datetime.timedelta(minutes=t.settle_minutes)
    for session in sessions:
        if session.start <= now <= session.end + settle:
            return session
    return None


# --- ATT-10: the monthly allowance ---------------------------------------------


@dataclass(frozen=True)
class AllowanceResult:
    outcome: str  # none | half_deducted | cancelled | welfare_deducted
    reason: str  # e.g. "L=3 ≥ 3" or "A=1.0 ≥ 1.0"; "" for none
    # The matched conditions as data, for a translated text: (("L", 3, 3), ...).
    parts: tuple = ()


def allowance_outcome(late_early: int, absence_days, table: list[dict]):
    """ATT-10 with the table as data; the harshest matching row applies.

    Default table: L ≥ 5 or A ≥ 1.5 → welfare deducted; L ≥ 3 or A ≥ 1 → cancelled;
    L ≥ 2 or A ≥ 0.5 → half deducted (absence is counted in half days, so A > 1
    means A ≥ 1.5).
    """
    a = Decimal(str(absence_days))
    rank = {"half_deducted": 1, "cancelled": 2, "welfare_deducted": 3}
    for row in sorted(table, key=lambda r: -rank[r["outcome"]]):
        reasons = []
        parts = []
        if row.get("min_l") is not None and late_early >= row["min_l"]:
            reasons.append(f"L={late_early} ≥ {row['min_l']}")
            parts.append(("L", late_early, row["min_l"]))
        if row.get("min_a") is not None and a >= Decimal(str(row["min_a"])):
            reasons.append(f"A={a} ≥ {row['min_a']}")
            parts.append(("A", a, row["min_a"]))
        if reasons:
            return AllowanceResult(row["outcome"], "; ".join(reasons), tuple(parts))
    return AllowanceResult("none", "")


# --- ATT-12: long absence ---------------------------------------------------------


@dataclass(frozen=True)
class LongAbsence:
    kind: str  # "consecutive" | "year"
    start: datetime.date
    end: datetime.date
    days: Decimal


def long_absences(
    days: list[tuple[datetime.date, Decimal]],
    *,
    consecutive_limit: int,
    year_limit: int,
) -> list[LongAbsence]:
    """ATT-12 over one person's working days of one year, in date order, each with
    its absence (0, 0.5 or 1). A run of whole-day absences on consecutive working
    days longer than `consecutive_limit` is flagged once (at the day it exceeds the
    limit); so is a year total above `year_limit` (超過 excludes the number)."""
    found: list[LongAbsence] = []
    run_start = None
    run = 0
    total = Decimal("0")
    year_flagged = False
    for day, absence in days:
        absence = Decimal(str(absence))
        total += absence
        if absence >= 1:
            if run == 0:
                run_start = day
            run += 1
            if run == consecutive_limit + 1:
                found.append(LongAbsence("consecutive", run_start, day, Decimal(run)))
        else:
            run = 0
        if not year_flagged and total > year_limit:
            year_flagged = True
            found.append(LongAbsence("year", days[0][0], day, total))
    return found


# --- ATT-9: whom study leave is asked of --------------------------------------------


def study_leave_relation(is_middle_level_or_above: bool) -> str:
    """General staff ask the deputy in charge; middle level and above the director."""
    return "director" if is_middle_level_or_above else "deputy_in_charge"


def study_leave_level(is_middle_level_or_above: bool) -> str:
    """The key of the study-leave chains policy (attendance.study_leave_chains)."""
    return "middle_level" if is_middle_level_or_above else "general"


# --- the whereabouts board (ATT-6) -------------------------------------------------

IN = "in"
OUT = "out"
LEAVE = "leave"
BUSINESS = "business"
MISSING = "missing"
NOT_YET = "not_yet"
LEFT = "left"


def whereabouts(
    *,
    now: datetime.datetime,
    session,
    signed_in_at: datetime.datetime | None,
    signed_out_at: datetime.datetime | None,
    excuse_kind: str | None,
    out_until: datetime.datetime | None,
    t: Thresholds,
) -> str:
    """Where a person is now, for the board: out on business (a going-out in
    progress), on leave, in, left, not yet in (before the sheet closes) or missing."""
    if out_until is not None:
        return BUSINESS
    if excuse_kind == "business":
        return BUSINESS
    if excuse_kind:
        return LEAVE
    if session is None:
        return LEFT if signed_in_at else NOT_YET
    if now > session.end:
        return LEFT if signed_in_at else MISSING
    if signed_out_at is not None:
        return LEFT
    if signed_in_at is not None:
        return IN
    closes = session.start + datetime.timedelta(minutes=t.sheet_close_minutes)
    return MISSING if now > closes else NOT_YET
