"""The chapter's rules as pure functions over plain values (no ORM).

One person's upheld violations of one calendar year go in, in the order they
happened; the outcomes the ladders (DIS-1, DIS-2, DIS-3, DIS-5, ATT-11), the
efficiency-warning caps (DIS-4) and the dismissal rule (ATT-12) produce come out,
each tied to the violation that caused it. Every number comes from the policy
version in force on the date of that violation (`policy_at(key, date)`).

The ladders are registered by the chapters (`discipline.registry`) and handed in;
this module knows no ladder by name.

How counting works (docs/discipline.md has the readings):
- a ladder counts its violations 1st, 2nd, 3rd, ...; past the last step the last
  step repeats (the 4th of DIS-1 is judged like the 3rd);
- a ladder's policy may have absence floors (ATT-11's): a half-day absence puts
  a person at least on the 2nd step, one day on the 3rd, more than one day on the
  5th ("over 1 day absence"), and each further incident is one step further;
- every efficiency warning, whatever ladder gave it, counts under DIS-4.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# Grades from best to worst; a cap is the best grade still allowed (DIS-6).
EXCELLENT, COMPETENT, BASIC, UNFIT = "excellent", "competent", "basic", "unfit"
GRADES = (EXCELLENT, COMPETENT, BASIC, UNFIT)
RANK = {grade: index for index, grade in enumerate(GRADES, start=1)}
GRADE_OF_RANK = {index: grade for grade, index in RANK.items()}

# Outcome kinds.
CRITICISM = "criticism"  # 批評教育 (ATT-11 1st)
SELF_EXAM_SECTION = "self_exam_section"  # written self-examination in the section
SELF_EXAM_ALL_STAFF = "self_exam_all_staff"  # self-examination at all-staff meeting
SELF_CRITICISM = "self_criticism"  # written self-criticism (DIS-1 1st)
ADMONITION = "admonition"  # 誡勉教育
EFFICIENCY_WARNING = "efficiency_warning"  # 效能告誡 (counts under DIS-4)
SANCTION_PROPOSAL = "sanction_proposal"  # administrative warning or heavier
DISMISSAL_PROPOSAL = "dismissal_proposal"  # ATT-12 開除公職 / 辭退
GRADE_CAP = "grade_cap"
OUTCOME_KINDS = (
    CRITICISM,
    SELF_EXAM_SECTION,
    SELF_EXAM_ALL_STAFF,
    SELF_CRITICISM,
    ADMONITION,
    EFFICIENCY_WARNING,
    SANCTION_PROPOSAL,
    DISMISSAL_PROPOSAL,
)
# Outcomes somebody decides (the bureau); the others are carried out.
PROPOSALS = (SANCTION_PROPOSAL, DISMISSAL_PROPOSAL)

# The ladders themselves (rule ID, policy key, default steps) are registered by the
# chapters through `discipline.registry` and handed to `judge_year`.
DIS4_KEY = "discipline.dis4.warning_caps"
WINDOW_KEY = "discipline.dis7.window_appraisal"


def rung(outcomes, cap=None) -> dict:
    """One step of a ladder's policy value: its outcomes and the grade cap it sets."""
    return {"outcomes": list(outcomes), "cap": cap}


DEFAULT_DIS4 = {"caps": [[1, COMPETENT], [2, BASIC], [3, UNFIT]], "sanction_from": 4}
DEFAULT_WINDOW = {
    "weights": {"self": 0.2, "democratic": 0.4, "peer": 0.4},
    "thresholds": [[90, EXCELLENT], [60, COMPETENT], [0, UNFIT]],
}


# --- validators (policy shapes) -----------------------------------------------------


def _number(value) -> float:
    """A number a validator compares; ValueError (said in words) otherwise."""
    if isinstance(value, bool):
        raise ValueError(_("A number is expected."))
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(_("A number is expected.")) from None


def validate_ladder(value: Any) -> None:
    steps = value.get("steps") if isinstance(value, dict) else None
    if not isinstance(steps, list) or not steps:
        raise ValueError(_("A ladder needs at least one step."))
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or not isinstance(step.get("outcomes"), list):
            raise ValueError(
                _("Step %(n)s: give its outcomes and its grade cap.") % {"n": number}
            )
        for kind in step["outcomes"]:
            if kind not in OUTCOME_KINDS:
                raise ValueError(
                    _("Step %(n)s: an outcome is not known.") % {"n": number}
                )
        if step.get("cap") not in (None, *GRADES):
            raise ValueError(
                _("Step %(n)s: the grade cap is not known.") % {"n": number}
            )
    floors = value.get("absence_floors", [])
    if not isinstance(floors, list):
        raise ValueError(_("Give the absence floors as rows of days and step."))
    for pair in floors:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or _number(pair[0]) <= 0
            or _number(pair[1]) < 1
        ):
            raise ValueError(
                _(
                    "Each absence floor is a number of days above zero and the step "
                    "(1 or more) it reaches."
                )
            )


def validate_dis4(value: Any) -> None:
    caps = value.get("caps")
    if not isinstance(caps, list):
        raise ValueError(_("Give the grade caps as rows of warnings and grade."))
    for pair in caps:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or _number(pair[0]) < 1
            or pair[1] not in GRADES
        ):
            raise ValueError(
                _("Each grade cap is a number of warnings (1 or more) and a grade.")
            )
    if _number(value.get("sanction_from")) < 1:
        raise ValueError(
            _("The sanction is proposed from a number of warnings (1 or more).")
        )


def validate_dismissal(value: Any) -> None:
    if not isinstance(value.get("dismissal_kinds"), list):
        raise ValueError(_("Give the kinds of violation that propose dismissal."))
    if _number(value.get("max_days_per_year")) <= 0:
        raise ValueError(_("The most days a year is a number above zero."))


def validate_window(value: Any) -> None:
    weights = value.get("weights")
    if not isinstance(weights, dict) or set(weights) != {"self", "democratic", "peer"}:
        raise ValueError(
            _("Give the weights of the self, democratic and peer appraisals.")
        )
    if abs(sum(_number(w) for w in weights.values()) - 1) > 1e-6:
        raise ValueError(_("The weights add up to 1."))
    thresholds = value.get("thresholds")
    if not isinstance(thresholds, list):
        raise ValueError(_("Give the thresholds as rows of score and grade."))
    for pair in thresholds:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or pair[1] not in (EXCELLENT, COMPETENT, UNFIT)
            or _number(pair[0]) < 0
        ):
            raise ValueError(
                _(
                    "Each threshold is a score (zero or more) and a grade: excellent, "
                    "competent or not competent."
                )
            )


# --- judging a year -----------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """An upheld violation as the rules see it."""

    id: int
    occurred_on: datetime.date
    kind: str
    ladder: str
    days: float = 0.0


@dataclass(frozen=True)
class OutcomeSpec:
    key: str  # stable within a person-year: recomputation compares by it
    violation_id: int
    kind: str
    rule: str
    step: int
    cap_rank: int | None
    policy_version_id: int | None


@dataclass
class Judgement:
    outcomes: list[OutcomeSpec] = field(default_factory=list)
    steps: dict[int, int] = field(default_factory=dict)  # violation id -> step

    @property
    def cap_rank(self) -> int | None:
        caps = [o.cap_rank for o in self.outcomes if o.cap_rank]
        return max(caps) if caps else None

    @property
    def warnings(self) -> int:
        return sum(1 for o in self.outcomes if o.kind == EFFICIENCY_WARNING)


PolicyAt = Callable[[str, datetime.date], Any]  # -> object with .value and .id


def step_spec(ladder_value: dict, step: int) -> dict:
    steps = ladder_value["steps"]
    return steps[min(step, len(steps)) - 1]


def absence_floor(ladder_value: dict, absence_days: float) -> int:
    floor = 0
    for days, step in ladder_value.get("absence_floors", []):
        if absence_days >= float(days):
            floor = max(floor, int(step))
    return floor


def dis4_cap(dis4_value: dict, warnings: int) -> str | None:
    """The cap `warnings` efficiency warnings set (DIS-4), or None."""
    cap = None
    for count, grade in sorted(dis4_value["caps"], key=lambda pair: int(pair[0])):
        if warnings >= int(count):
            cap = grade
    return cap


def judge_year(
    violations: Iterable[Counted], policy_at: PolicyAt, ladders: Mapping[str, Any]
) -> Judgement:
    """Outcomes of one person's upheld violations in one calendar year.

    `ladders` maps a ladder code to its registration (`discipline.registry.Ladder`:
    `.rule`, `.policy_key`, `.dismissal`); a violation on a ladder not in it is
    tallied elsewhere but counted on none here.
    """
    result = Judgement()
    positions: dict[str, int] = {}
    days_on: dict[str, float] = {}  # ladder -> days of its violations so far
    warnings = 0
    yearly_dismissal_done: set[str] = set()
    ordered = sorted(violations, key=lambda v: (v.occurred_on, v.id))

    def warn(v: Counted) -> None:
        nonlocal warnings
        warnings += 1
        version = policy_at(DIS4_KEY, v.occurred_on)
        thresholds = {int(count): grade for count, grade in version.value["caps"]}
        if warnings in thresholds:
            result.outcomes.append(
                OutcomeSpec(
                    f"DIS-4:{warnings}:{GRADE_CAP}",
                    v.id,
                    GRADE_CAP,
                    "DIS-4",
                    warnings,
                    RANK[thresholds[warnings]],
                    version.id,
                )
            )
        if warnings >= int(version.value["sanction_from"]):
            result.outcomes.append(
                OutcomeSpec(
                    f"DIS-4:{warnings}:{SANCTION_PROPOSAL}",
                    v.id,
                    SANCTION_PROPOSAL,
                    "DIS-4",
                    warnings,
                    None,
                    version.id,
                )
            )

    for v in ordered:
        ladder = ladders.get(v.ladder)
        if ladder is None:
            continue  # recorded and tallied, but no registered ladder counts it
        dismissal = ladder.dismissal
        dismissal_rule = dismissal.rule if dismissal is not None else ""
        dismissal_policy = (
            policy_at(dismissal.policy_key, v.occurred_on) if dismissal else None
        )
        if dismissal_policy and v.kind in dismissal_policy.value["dismissal_kinds"]:
            # ATT-12: the long absence was detected by the chapter that keeps it; its
            # half-days are counted by their own records, so this one is not a rung.
            result.outcomes.append(
                OutcomeSpec(
                    f"{dismissal_rule}:{v.id}",
                    v.id,
                    DISMISSAL_PROPOSAL,
                    dismissal_rule,
                    1,
                    None,
                    dismissal_policy.id,
                )
            )
            continue
        if v.days:
            days_on[v.ladder] = days_on.get(v.ladder, 0.0) + float(v.days)
            if (
                dismissal_policy
                and days_on[v.ladder]
                > float(dismissal_policy.value["max_days_per_year"])
                and v.ladder not in yearly_dismissal_done
            ):
                yearly_dismissal_done.add(v.ladder)
                result.outcomes.append(
                    OutcomeSpec(
                        f"{dismissal_rule}:year",
                        v.id,
                        DISMISSAL_PROPOSAL,
                        dismissal_rule,
                        1,
                        None,
                        dismissal_policy.id,
                    )
                )
        rule = ladder.rule
        version = policy_at(ladder.policy_key, v.occurred_on)
        # A ladder with absence floors (ATT-11) puts the person at least on the step
        # its days reach; the others have none (floor 0).
        step = max(
            positions.get(v.ladder, 0) + 1,
            absence_floor(version.value, days_on.get(v.ladder, 0.0)),
        )
        positions[v.ladder] = step
        result.steps[v.id] = step
        spec = step_spec(version.value, step)
        for kind in spec["outcomes"]:
            result.outcomes.append(
                OutcomeSpec(
                    f"{v.ladder}:{step}:{kind}",
                    v.id,
                    kind,
                    rule,
                    step,
                    None,
                    version.id,
                )
            )
        if spec.get("cap"):
            result.outcomes.append(
                OutcomeSpec(
                    f"{v.ladder}:{step}:{GRADE_CAP}",
                    v.id,
                    GRADE_CAP,
                    rule,
                    step,
                    RANK[spec["cap"]],
                    version.id,
                )
            )
        for kind in spec["outcomes"]:
            if kind == EFFICIENCY_WARNING:
                warn(v)
    return result


def ladders_lowering_cap(
    *,
    positions: dict[str, int],
    warnings: int,
    cap_rank: int | None,
    policy_at: PolicyAt,
    on: datetime.date,
    ladders: Mapping[str, Any],
) -> list[str]:
    """Ladders in which one more violation would lower the person's grade cap.

    Only ladders the person already stands on this year are considered: otherwise
    everybody is one DIS-2 complaint away from 基本稱職 and the highlight says nothing.
    """
    current = cap_rank or RANK[EXCELLENT]
    dis4 = policy_at(DIS4_KEY, on).value
    lowering = []
    for ladder, position in sorted(positions.items()):
        if ladder not in ladders or not position:
            continue
        spec = step_spec(policy_at(ladders[ladder].policy_key, on).value, position + 1)
        rank = current
        if spec.get("cap"):
            rank = max(rank, RANK[spec["cap"]])
        added = sum(1 for kind in spec["outcomes"] if kind == EFFICIENCY_WARNING)
        if added:
            cap = dis4_cap(dis4, warnings + added)
            if cap:
                rank = max(rank, RANK[cap])
        if rank > current:
            lowering.append(ladder)
    return lowering


def final_grade_allowed(grade: str, cap_rank: int | None) -> bool:
    """DIS-6: people decide the grade, never above the cap."""
    return cap_rank is None or RANK[grade] >= cap_rank


def window_composite(
    value: dict, *, self_score: float, democratic: float, peer: float
) -> tuple[float, str]:
    """DIS-7: the weighted composite score and the grade it reaches."""
    weights = value["weights"]
    score = round(
        float(weights["self"]) * self_score
        + float(weights["democratic"]) * democratic
        + float(weights["peer"]) * peer,
        1,
    )
    grade = UNFIT
    for threshold, name in sorted(value["thresholds"], key=lambda p: -float(p[0])):
        if score >= float(threshold):
            grade = name
            break
    return score, grade
