"""Every change of state in the discipline chapter.

`violation_record` is the one entry point every chapter calls. Outcomes are never
written by hand: `discipline_recompute` judges a person's year with the pure rules
(`discipline.rules`) and brings the stored outcomes in line, so dismissing a
violation, upholding a complaint or recording a late one always gives the same
result as judging the year from scratch, and running it twice changes nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from bureau.access import person_of
from bureau.models import Person
from bureau.params import (
    EVIDENCE_TEXT,
    LONG_TEXT,
    clean_text,
    validate_date_in_bounds,
    validate_year_in_bounds,
)
from bureau.policies import policy_in_force
from discipline import registry, rules
from discipline.models import (
    Appraisal,
    Outcome,
    OutcomeRevision,
    Violation,
    WindowAppraisal,
    grade_label,
)
from discipline.selectors import cap_rank_of
from meetings.models import BUREAU_AFFAIRS
from meetings.selectors import CitationRefused, decision_for_citation


class DisciplineError(Exception):
    """A move the rules do not allow; the message is for the user."""


@dataclass(frozen=True)
class RecomputeResult:
    created: int
    withdrawn: int
    steps_changed: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.withdrawn or self.steps_changed)


def _as_user(user):
    return user if user is not None and user.is_authenticated else None


def _check(*checks) -> None:
    """Run bureau.params checks (date bounds, text lengths) before anything is
    written; the first failure is the user's message."""
    try:
        for check, value, *args in checks:
            check(value, *args)
    except ValidationError as exc:
        raise DisciplineError(exc.messages[0]) from None


def _text(limit):
    def check(value):
        clean_text(value, max_length=limit)

    return check


def _refuse_own(actor, person, message) -> None:
    """Nobody decides or records their own appraisal (as nobody corrects their own
    attendance record): `actor` is the acting user or person."""
    actor_person = actor if isinstance(actor, Person) else person_of(actor)
    if actor_person is not None and actor_person.pk == person.pk:
        raise DisciplineError(message)


# --- violations ---------------------------------------------------------------------


def violation_record(
    *,
    person,
    occurred_on: datetime.date,
    kind: str,
    source=None,
    evidence: str = "",
    by=None,
    days=None,
    needs_decision: bool | None = None,
    meeting_decision=None,
) -> Violation:
    """Record a violation; idempotent per (kind, source record).

    Complaint-based kinds start as pending, awaiting the inspector's decision
    (`needs_decision=True` makes any kind so, e.g. a DIS-3 finding from a
    complaint); detected ones (attendance incidents) are upheld at once and the
    person's year is judged again in the same transaction.

    DIS-5: `meeting_decision` is the bureau affairs meeting's decision
    (meetings.Decision or its id), required by a kind that `needs_reference`; the
    recorder must be able to see it (meetings' scope; no recorder: the system).
    """
    _check(
        (validate_date_in_bounds, occurred_on),
        (_text(EVIDENCE_TEXT), evidence),
    )
    definition = registry.get_kind(kind)
    ladder = registry.ladder_for_recording(definition)
    if definition.needs_reference and meeting_decision in (None, ""):
        raise DisciplineError(
            _("A warning decided by the meeting cites the meeting's decision.")
        )
    decision = None
    if meeting_decision not in (None, ""):
        try:
            decision = decision_for_citation(
                meeting_decision,
                user=_as_user(by),
                kind=BUREAU_AFFAIRS,
            )
        except CitationRefused as exc:
            raise DisciplineError(str(exc)) from None
    source_type = source_id = None
    if source is not None:
        source_type = ContentType.objects.get_for_model(source)
        source_id = source.pk
        existing = Violation.objects.filter(
            kind=kind, source_type=source_type, source_id=source_id
        ).first()
        if existing is not None:
            return existing
    pending = definition.needs_decision if needs_decision is None else needs_decision
    violation = Violation(
        person=person,
        occurred_on=occurred_on,
        kind=kind,
        ladder=ladder,
        status=Violation.Status.PENDING if pending else Violation.Status.UPHELD,
        evidence=evidence,
        meeting_decision=decision,
        days=Decimal(str(days)) if days is not None else None,
        source_type=source_type,
        source_id=source_id,
        recorded_by=_as_user(by),
    )
    violation._history_user = _as_user(by)
    try:
        with transaction.atomic():
            violation.save()
            if violation.status == Violation.Status.UPHELD:
                discipline_recompute(person_id=person.pk, year=occurred_on.year)
    except IntegrityError:
        return Violation.objects.get(
            kind=kind, source_type=source_type, source_id=source_id
        )
    violation.refresh_from_db(fields=["ladder_step"])
    return violation


# Which decisions the inspector may take from which status.
DECISIONS = {
    Violation.Status.PENDING: {Violation.Status.UPHELD, Violation.Status.DISMISSED},
    Violation.Status.UPHELD: {Violation.Status.DISMISSED},
}


def violation_decide(
    *, violation: Violation, upheld: bool, by, note: str = ""
) -> Violation:
    """Uphold or dismiss a complaint; dismiss an upheld violation found wrong.

    Recomputes the person's year, so outcomes the violation caused (and the later
    ones that counted it) are withdrawn through recorded revisions.
    """
    target = Violation.Status.UPHELD if upheld else Violation.Status.DISMISSED
    with transaction.atomic():
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        if locked.status == target:
            return locked
        if target not in DECISIONS.get(locked.status, set()):
            raise DisciplineError(
                _("A %(status)s violation cannot be %(target)s.")
                % {
                    "status": locked.get_status_display(),
                    "target": Violation.Status(target).label,
                }
            )
        if locked.status == Violation.Status.UPHELD and not note.strip():
            raise DisciplineError(
                _("Say why an upheld violation is dismissed (the record keeps it).")
            )
        locked.status = target
        locked.decided_by = _as_user(by)
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()
        locked.full_clean()
        locked._history_user = _as_user(by)
        locked.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note"]
        )
        discipline_recompute(
            person_id=locked.person_id,
            year=locked.occurred_on.year,
            by=by,
            reason=_("Violation of %(date)s %(decision)s: %(note)s")
            % {
                "date": locked.occurred_on.isoformat(),
                "decision": locked.get_status_display(),
                "note": locked.decision_note,
            },
        )
    return locked


def violation_dismiss_for_source(*, kind: str, source, by, note: str) -> int:
    """For other chapters: their record was corrected (e.g. leave filed afterwards,
    LV-8), so the violation it caused no longer stands. Returns how many changed."""
    source_type = ContentType.objects.get_for_model(source)
    changed = 0
    for violation in Violation.objects.filter(
        kind=kind, source_type=source_type, source_id=source.pk
    ).exclude(status=Violation.Status.DISMISSED):
        violation_decide(violation=violation, upheld=False, by=by, note=note)
        changed += 1
    return changed


def violation_record_apology(
    *, violation: Violation, made_on: datetime.date, note: str, by
) -> Violation:
    """DIS-1, DIS-2: the apology to the person served is part of the record."""
    _check((validate_date_in_bounds, made_on), (_text(LONG_TEXT), note))
    with transaction.atomic():
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        if not locked.apology_required:
            raise DisciplineError(_("This kind of violation needs no apology."))
        if locked.apology_made_on == made_on and locked.apology_note == note.strip():
            return locked
        if made_on < locked.occurred_on:
            raise DisciplineError(_("The apology cannot precede the violation."))
        locked.apology_made_on = made_on
        locked.apology_note = note.strip()
        locked._history_user = _as_user(by)
        locked.save(update_fields=["apology_made_on", "apology_note"])
    return locked


# --- outcomes -----------------------------------------------------------------------


def _policy_at(key, on):
    return policy_in_force(key, on)


def _revise(outcome: Outcome, *, by, reason: str, **changes) -> OutcomeRevision:
    before = {name: getattr(outcome, name) for name in changes}
    for name, value in changes.items():
        setattr(outcome, name, value)
    outcome._history_user = _as_user(by)
    outcome.save(update_fields=list(changes))
    return OutcomeRevision.objects.create(
        outcome=outcome,
        revised_by=_as_user(by),
        reason=reason,
        changes={
            name: [str(before[name]), str(value)] for name, value in changes.items()
        },
    )


def discipline_recompute(
    *, person_id: int, year: int, by=None, reason: str = ""
) -> RecomputeResult:
    """Judge one person's year again and bring the stored outcomes in line."""
    with transaction.atomic():
        # One judge per person at a time: concurrent records queue here.
        Person.objects.select_for_update().filter(pk=person_id).order_by().first()
        violations = list(
            Violation.objects.filter(person_id=person_id, occurred_on__year=year).only(
                "id", "occurred_on", "kind", "ladder", "days", "status", "ladder_step"
            )
        )
        counted = [
            rules.Counted(v.id, v.occurred_on, v.kind, v.ladder, float(v.days or 0))
            for v in violations
            if v.status == Violation.Status.UPHELD
        ]
        judgement = rules.judge_year(counted, _policy_at, registry.ladder_map())
        steps_changed = 0
        for v in violations:
            step = judgement.steps.get(v.id)
            if v.ladder_step != step:
                # A derived position, recomputed from the record; its history is
                # the outcomes' revisions, so no history row per step shift.
                Violation.objects.filter(pk=v.pk).update(ladder_step=step)
                steps_changed += 1
        existing = {
            o.key: o
            for o in Outcome.objects.select_for_update()
            .filter(person_id=person_id, year=year, status=Outcome.Status.IN_FORCE)
            .order_by()
        }
        by_hand = set(
            Outcome.objects.filter(
                person_id=person_id, year=year, withdrawn_by_hand=True
            ).values_list("key", "violation_id")
        )
        why = reason or _("Recomputed from the year's record.")
        created = withdrawn = 0
        for spec in judgement.outcomes:
            if (spec.key, spec.violation_id) in by_hand:
                continue
            current = existing.pop(spec.key, None)
            if current is not None:
                if (
                    current.violation_id == spec.violation_id
                    and current.kind == spec.kind
                    and current.cap_rank == spec.cap_rank
                ):
                    continue
                _revise(current, by=by, reason=why, status=Outcome.Status.WITHDRAWN)
                withdrawn += 1
            outcome = Outcome(
                person_id=person_id,
                year=year,
                violation_id=spec.violation_id,
                key=spec.key,
                kind=spec.kind,
                rule=spec.rule,
                step=spec.step,
                cap_rank=spec.cap_rank,
                policy_version_id=spec.policy_version_id,
            )
            outcome._history_user = _as_user(by)
            outcome.save()
            created += 1
        for stale in existing.values():
            _revise(stale, by=by, reason=why, status=Outcome.Status.WITHDRAWN)
            withdrawn += 1
    return RecomputeResult(created, withdrawn, steps_changed)


def discipline_rebuild_year(*, year: int, by=None, reason: str = ""):
    """Judge every person's year again (after a policy change), in bulk.

    The same rules and the same comparison by key as `discipline_recompute`, with
    a handful of queries for the whole bureau instead of a few per person.
    """
    why = reason or _("Recomputed from the year's record.")
    ladders = registry.ladder_map()
    with transaction.atomic():
        violations = list(
            Violation.objects.filter(occurred_on__year=year)
            .only(
                "id",
                "person_id",
                "occurred_on",
                "kind",
                "ladder",
                "days",
                "status",
                "ladder_step",
            )
            .order_by()
        )
        by_person = defaultdict(list)
        for v in violations:
            by_person[v.person_id].append(v)
        existing = defaultdict(dict)
        for o in (
            Outcome.objects.select_for_update()
            .filter(year=year, status=Outcome.Status.IN_FORCE)
            .order_by()
        ):
            existing[o.person_id][o.key] = o
        by_hand = set(
            Outcome.objects.filter(year=year, withdrawn_by_hand=True).values_list(
                "person_id", "key", "violation_id"
            )
        )
        step_updates, to_create, stale = [], [], []
        for person_id in set(by_person) | set(existing):
            mine = by_person.get(person_id, [])
            judgement = rules.judge_year(
                [
                    rules.Counted(
                        v.id, v.occurred_on, v.kind, v.ladder, float(v.days or 0)
                    )
                    for v in mine
                    if v.status == Violation.Status.UPHELD
                ],
                _policy_at,
                ladders,
            )
            for v in mine:
                step = judgement.steps.get(v.id)
                if v.ladder_step != step:
                    v.ladder_step = step
                    step_updates.append(v)
            current = existing.get(person_id, {})
            for spec in judgement.outcomes:
                if (person_id, spec.key, spec.violation_id) in by_hand:
                    continue
                old = current.pop(spec.key, None)
                if old is not None and (
                    old.violation_id == spec.violation_id
                    and old.kind == spec.kind
                    and old.cap_rank == spec.cap_rank
                ):
                    continue
                if old is not None:
                    stale.append(old)
                to_create.append(
                    Outcome(
                        person_id=person_id,
                        year=year,
                        violation_id=spec.violation_id,
                        key=spec.key,
                        kind=spec.kind,
                        rule=spec.rule,
                        step=spec.step,
                        cap_rank=spec.cap_rank,
                        policy_version_id=spec.policy_version_id,
                    )
                )
            stale.extend(current.values())
        for outcome in stale:
            _revise(outcome, by=by, reason=why, status=Outcome.Status.WITHDRAWN)
        # Derived positions: see discipline_recompute.
        Violation.objects.bulk_update(step_updates, ["ladder_step"], batch_size=2000)
        bulk_create_with_history(
            to_create,
            Outcome,
            batch_size=2000,
            default_user=_as_user(by),
        )
    return RecomputeResult(len(to_create), len(stale), len(step_updates))


def outcome_decide(*, outcome: Outcome, decision: str, by) -> Outcome:
    """Record what was decided or carried out (e.g. the sanction and its document).

    A decided outcome changes only through `outcome_revise`.
    """
    if not decision.strip():
        raise DisciplineError(_("Write down what was decided."))
    with transaction.atomic():
        locked = Outcome.objects.select_for_update().order_by().get(pk=outcome.pk)
        if locked.status != Outcome.Status.IN_FORCE:
            raise DisciplineError(_("A withdrawn outcome cannot be decided."))
        if locked.is_decided:
            if locked.decision == decision.strip():
                return locked
            raise DisciplineError(
                _("This outcome is decided already: revise it with a reason.")
            )
        locked.decision = decision.strip()
        locked.decided_at = timezone.now()
        locked.decided_by = _as_user(by)
        locked._history_user = _as_user(by)
        locked.save(update_fields=["decision", "decided_at", "decided_by"])
    return locked


def outcome_revise(
    *,
    outcome: Outcome,
    by,
    reason: str,
    decision: str | None = None,
    withdraw: bool = False,
) -> OutcomeRevision | None:
    """Change a decided outcome: the change is kept with who, when and why."""
    if not reason.strip():
        raise DisciplineError(_("A revision needs a reason."))
    with transaction.atomic():
        locked = Outcome.objects.select_for_update().order_by().get(pk=outcome.pk)
        changes = {}
        if decision is not None and decision.strip() != locked.decision:
            changes["decision"] = decision.strip()
        if withdraw and locked.status != Outcome.Status.WITHDRAWN:
            changes["status"] = Outcome.Status.WITHDRAWN
            # Recomputation must not bring back what a person withdrew.
            changes["withdrawn_by_hand"] = True
        if not changes:
            return None
        return _revise(locked, by=by, reason=reason.strip(), **changes)


# --- appraisal (DIS-6, DIS-7) -------------------------------------------------------


def appraisal_decide(
    *, person: Person, year: int, grade: str, by, note: str = ""
) -> Appraisal:
    """Record the committee's final grade; refused when above the year's cap."""
    if grade not in rules.GRADES:
        raise DisciplineError(_("Unknown grade."))
    _check((validate_year_in_bounds, year), (_text(LONG_TEXT), note))
    _refuse_own(by, person, _("Nobody decides their own appraisal."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().order_by().get(pk=person.pk)
        cap = cap_rank_of(locked.pk, year)
        if not rules.final_grade_allowed(grade, cap):
            raise DisciplineError(
                _(
                    "%(grade)s is above the cap of %(year)s for %(name)s: at best "
                    "%(cap)s (see the reasons on the appraisal sheet). Nothing was "
                    "changed."
                )
                % {
                    "grade": grade_label(grade, locked.staff_category),
                    "year": year,
                    "name": locked.name,
                    "cap": grade_label(rules.GRADE_OF_RANK[cap], locked.staff_category),
                }
            )
        appraisal = Appraisal.objects.filter(person=locked, year=year).first()
        if (
            appraisal is not None
            and appraisal.final_grade == grade
            and appraisal.note == note.strip()
        ):
            return appraisal
        if appraisal is None:
            appraisal = Appraisal(person=locked, year=year)
        appraisal.final_grade = grade
        appraisal.cap_rank = cap
        appraisal.note = note.strip()
        appraisal.decided_by = by
        appraisal.decided_at = timezone.now()
        appraisal.full_clean(exclude=["person"])
        appraisal._history_user = _as_user(by)
        appraisal.save()
    return appraisal


def window_appraisal_save(
    *,
    person: Person,
    year: int,
    window: str,
    self_report: str,
    self_score,
    democratic_score,
    peer_score,
    duties: str = "",
    attendance_note: str = "",
    by=None,
) -> WindowAppraisal:
    """DIS-7: store the inputs and the composite the policy in force computes."""
    _check(
        (validate_year_in_bounds, year),
        (_text(EVIDENCE_TEXT), self_report),
        (_text(LONG_TEXT), duties),
        (_text(LONG_TEXT), attendance_note),
    )
    _refuse_own(by, person, _("Nobody records their own appraisal."))
    version = policy_in_force(rules.WINDOW_KEY, datetime.date(year, 12, 31))
    score, grade = rules.window_composite(
        version.value,
        self_score=float(self_score),
        democratic=float(democratic_score),
        peer=float(peer_score),
    )
    with transaction.atomic():
        record = (
            WindowAppraisal.objects.select_for_update()
            .filter(person=person, year=year)
            .order_by()
            .first()
        ) or WindowAppraisal(person=person, year=year)
        record.window = window
        record.self_report = self_report
        record.self_score = Decimal(str(self_score))
        record.democratic_score = Decimal(str(democratic_score))
        record.peer_score = Decimal(str(peer_score))
        record.duties = duties
        record.attendance_note = attendance_note
        record.composite_score = Decimal(str(score))
        record.suggested_grade = grade
        record.policy_version_id = version.id
        record.recorded_by = _as_user(by)
        try:
            record.full_clean(exclude=["person"])
        except ValidationError as exc:
            raise DisciplineError("; ".join(exc.messages)) from exc
        record._history_user = _as_user(by)
        record.save()
    return record
