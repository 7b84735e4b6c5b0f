"""Judging a session, and judging it again: the one place (ATT-2..5, ATT-8, ATT-11).

- `judge_records(records)`: the judgement itself, in bulk — the excuses of the people
  and days (one query per provider), their absences from post and the thresholds in
  force on each day. Settlement judges with it the first time; `rejudge` the next.
- `rejudge(records, reason=…)`: judge settled records again with what is known now,
  save those whose judgement changed (one history row each, `reason` as its change
  reason) and bring discipline in line (violations recorded or dismissed). A
  correction and an absence from post call it for their record, in their own
  transaction (the clerk sees the result at once).
- `rejudge_sessions(person_ids, start, end, reason)`: someone's excuses changed
  (leave approved afterwards or shortened by an early return, LV-8/LV-9; a
  going-out acknowledged late, ATT-7): lock their settled sessions in the range,
  outside closed months, and `rejudge` them. Idempotent — a second run finds nothing
  to change. It runs in the Celery task `attendance.tasks.rejudge_sessions`,
  enqueued after commit when an excuse provider announces the change
  (`attendance.excuses.announce_excuses_changed`), never in the deciding request.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import OperationalError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance import rules
from attendance.evidence import incident_evidence, long_absence_evidence
from attendance.excuses import excuses_for
from attendance.models import (
    OUTCOME_REASONS,
    LongAbsenceFlag,
    MonthClose,
    Outcome,
    Part,
    SessionRecord,
)
from attendance.policies import LONG_ABSENCE, judgement_policies
from attendance.selectors import away_minutes_for
from attendance.services.common import RejudgeInterrupted
from bureau import workdays
from bureau.models import Person
from bureau.policies import policy_in_force
from discipline.services import violation_dismiss_for_source, violation_record


def apply_judgement(record, *, thresholds, policy_ids, excuse, away_minutes, now):
    """Judge a record (ATT-2..5, ATT-8) and write the outcome onto it (not saved).
    Returns the rules.Judgement."""
    if record.signed_in_at is not None:
        record.arrival = rules.judge_arrival(
            record.starts_at, record.signed_in_at, thresholds
        )
    if record.signed_out_at is not None:
        record.departure = rules.judge_departure(
            record.ends_at, record.signed_out_at, thresholds
        )
    judgement = rules.judge_session(
        rules.SessionFacts(
            start=record.starts_at,
            end=record.ends_at,
            signed_in_at=record.signed_in_at,
            signed_out_at=record.signed_out_at,
            excused=excuse is not None,
            away_minutes=away_minutes,
        ),
        thresholds,
    )
    record.excuse_kind = excuse.kind if excuse else ""
    record.excuse_label = str(excuse.label)[:60] if excuse else ""
    record.excuse_source = (
        f"{excuse.source_app}:{excuse.source_id}"[:80] if excuse else ""
    )
    record.outcome = judgement.outcome
    record.outcome_reason = judgement.reason
    record.late = judgement.late
    record.early = judgement.early
    record.absence_days = judgement.absence_days
    record.policy_versions = {**record.policy_versions, **policy_ids}
    record.settled_at = now
    return judgement


JUDGED_FIELDS = [
    "arrival",
    "departure",
    "excuse_kind",
    "excuse_label",
    "excuse_source",
    "outcome",
    "outcome_reason",
    "late",
    "early",
    "absence_days",
    "policy_versions",
    "settled_at",
]


# What a judgement decides (settled_at only says when it was made).
DECIDED_FIELDS = [f for f in JUDGED_FIELDS if f != "settled_at"]


def _decided(record) -> tuple:
    return tuple(
        tuple(sorted(value.items())) if isinstance(value, dict) else value
        for value in (getattr(record, name) for name in DECIDED_FIELDS)
    )


def judge_records(
    records,
    *,
    now: datetime.datetime | None = None,
    excuses: dict | None = None,
    away: dict | None = None,
) -> list[SessionRecord]:
    """Judge `records` and write the outcome onto them (not saved); return those
    whose judgement changed. `now` is the moment of judgement (default: keep each
    record's `settled_at`). `excuses` ({(person, date, part): Excuse}) and `away`
    ({(person, date, part): minutes}) may be given by a caller that has them."""
    records = list(records)
    if not records:
        return []
    days = sorted({r.date for r in records})
    people = sorted({r.person_id for r in records})
    if excuses is None:
        excuses = excuses_for(people, days[0], days[-1])
    if away is None:
        away = {
            (person_id, day, part): minutes
            for day in days
            for (person_id, part), minutes in away_minutes_for(people, day).items()
        }
    policies = {day: judgement_policies(day) for day in days}
    changed = []
    for record in records:
        before = _decided(record) if record.settled_at is not None else None
        thresholds, policy_ids = policies[record.date]
        key = (record.person_id, record.date, record.part)
        apply_judgement(
            record,
            thresholds=thresholds,
            policy_ids=policy_ids,
            excuse=excuses.get(key),
            away_minutes=away.get(key, 0),
            now=now or record.settled_at,
        )
        if _decided(record) != before:
            changed.append(record)
    return changed


def rejudge(
    records, *, reason: str, by=None, now=None, also_save=()
) -> list[SessionRecord]:
    """Judge settled (and locked) records again; save and feed discipline those that
    changed — every record when `also_save` names other changed fields (a
    correction's times and reason), so that they are saved in the same row of
    history. Returns the records whose judgement changed."""
    records = list(records)
    changed = judge_records(records, now=now)
    targets = records if also_save else changed
    fields = sorted({*JUDGED_FIELDS, *also_save})
    for record in targets:
        record._change_reason = reason[:100]
        if getattr(by, "pk", None):
            record._history_user = by
        record.save(update_fields=fields)
    if targets:
        feed_discipline(targets, by=by, withdraw_stale=True)
    return changed


def rejudge_sessions(
    *,
    person_ids,
    start: datetime.date,
    end: datetime.date,
    reason: str = "excuse changed",
) -> int:
    """The settled sessions of these people between start and end (both included)
    judged again, except in closed months (ATT-13). Returns how many changed;
    running it again returns 0. A database interruption (a lock not granted, a
    deadlock, a lost connection) is raised as RejudgeInterrupted, for the task to
    retry: the transaction rolled back, nothing was half applied."""
    ids = sorted(set(person_ids))
    if not ids or start > end:
        return 0
    try:
        with transaction.atomic():
            records = list(
                SessionRecord.objects.select_for_update()
                .filter(
                    person_id__in=ids,
                    date__range=(start, end),
                    settled_at__isnull=False,
                )
                .order_by("pk")
            )
            closed = set(
                MonthClose.objects.filter(is_closed=True).values_list("year", "month")
            )
            records = [r for r in records if (r.date.year, r.date.month) not in closed]
            changed = rejudge(records, reason=reason)
    except OperationalError as exc:
        raise RejudgeInterrupted(str(exc)) from exc
    return len(changed)


# Evidence is written in the bureau's language when the violation is recorded.
VIOLATION_EVIDENCE = {
    "attendance.late": gettext_lazy(
        "signed in %(signed_in)s for the session starting %(start)s"
    ),
    "attendance.early_leave": gettext_lazy(
        "signed out %(signed_out)s for the session ending %(end)s"
    ),
    "attendance.absence": gettext_lazy("half-day absence: %(reason)s"),
}


def _local(moment):
    return moment.astimezone(workdays.TZ).strftime("%H:%M:%S") if moment else "—"


INCIDENT_KINDS = ("attendance.late", "attendance.early_leave", "attendance.absence")


def feed_discipline(records, *, by=None, withdraw_stale=False) -> int:
    """ATT-11: every unexcused incident becomes a violation (idempotent per kind and
    record); ATT-12: long absences are flagged. Returns how many were recorded.

    With `withdraw_stale` (a re-judged record: a correction, leave filed afterwards)
    the violations this record caused earlier and no longer supports are dismissed,
    with a recorded reason, so the discipline ladder is recomputed.
    """
    count = 0
    absent_people = set()
    for record in records:
        kinds = []
        if record.late:
            kinds.append(("attendance.late", None))
        if record.early:
            kinds.append(("attendance.early_leave", None))
        if record.outcome == Outcome.ABSENT:
            kinds.append(("attendance.absence", record.absence_days))
            absent_people.add(record.person_id)
        if withdraw_stale:
            current = {kind for kind, _days in kinds}
            for stale in INCIDENT_KINDS:
                if stale not in current:
                    violation_dismiss_for_source(
                        kind=stale,
                        source=record,
                        by=by,
                        note=_("The attendance record was re-judged: %(reason)s")
                        % {
                            "reason": getattr(record, "correction_reason", "")
                            or record.outcome_reason
                        },
                    )
        for kind, days in kinds:
            evidence = incident_evidence(
                day=record.date,
                part_label=Part(record.part).label,
                template=VIOLATION_EVIDENCE[kind],
                values={
                    "signed_in": _local(record.signed_in_at),
                    "signed_out": _local(record.signed_out_at),
                    "start": _local(record.starts_at),
                    "end": _local(record.ends_at),
                    "reason": OUTCOME_REASONS.get(
                        record.outcome_reason, record.outcome_reason
                    ),
                },
            )
            violation_record(
                person=Person(pk=record.person_id),
                occurred_on=record.date,
                kind=kind,
                source=record,
                evidence=evidence,
                by=by,
                days=days,
            )
            count += 1
    if absent_people:
        day = max(r.date for r in records)
        count += flag_long_absences(absent_people, day)
    return count


def flag_long_absences(person_ids, day: datetime.date) -> int:
    """ATT-12 over the year up to `day` for these people: one query for all."""
    version = policy_in_force(LONG_ABSENCE, day)
    limits = version.value
    start = datetime.date(day.year, 1, 1)
    per_day = defaultdict(lambda: defaultdict(Decimal))
    for person_id, date, absence in (
        SessionRecord.objects.filter(
            person_id__in=list(person_ids), date__range=(start, day)
        )
        .values_list("person_id", "date")
        .annotate(total=Sum("absence_days"))
        .order_by("person_id", "date")
    ):
        per_day[person_id][date] += absence or Decimal("0")
    flagged = 0
    for person_id, days in per_day.items():
        found = rules.long_absences(
            sorted(days.items()),
            consecutive_limit=int(limits["consecutive_days"]),
            year_limit=int(limits["year_days"]),
        )
        for item in found:
            flag, created = LongAbsenceFlag.objects.get_or_create(
                person_id=person_id,
                kind=item.kind,
                year=day.year,
                starts_on=item.start,
                defaults={
                    "ends_on": item.end,
                    "days": item.days,
                    "policy_version": version.id,
                },
            )
            if created:
                violation_record(
                    person=Person(pk=person_id),
                    occurred_on=item.end,
                    kind="attendance.long_absence",
                    source=flag,
                    evidence=long_absence_evidence(
                        kind_label=LongAbsenceFlag.Kind(item.kind).label,
                        days=item.days,
                        start=item.start,
                        end=item.end,
                    ),
                    days=item.days,
                )
                flagged += 1
    return flagged
