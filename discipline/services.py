"""Recording violations: the one entry point every chapter calls."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from discipline.kinds import get_kind
from discipline.models import Violation


def violation_record(
    *,
    person,
    occurred_on: datetime.date,
    kind: str,
    source=None,
    evidence: str = "",
    recorded_by=None,
    days=None,
) -> Violation:
    """Record a violation; idempotent per (kind, source record).

    Complaint-based kinds start as pending, awaiting the inspector's decision;
    detected ones (attendance incidents) are upheld at once.
    """
    definition = get_kind(kind)
    source_type = source_id = None
    if source is not None:
        source_type = ContentType.objects.get_for_model(source)
        source_id = source.pk
        existing = Violation.objects.filter(
            kind=kind, source_type=source_type, source_id=source_id
        ).first()
        if existing is not None:
            return existing
    violation = Violation(
        person=person,
        occurred_on=occurred_on,
        kind=kind,
        status=(
            Violation.Status.PENDING
            if definition.needs_decision
            else Violation.Status.UPHELD
        ),
        evidence=evidence,
        days=days,
        source_type=source_type,
        source_id=source_id,
        recorded_by=recorded_by,
    )
    try:
        with transaction.atomic():
            violation.save()
    except IntegrityError:
        return Violation.objects.get(
            kind=kind, source_type=source_type, source_id=source_id
        )
    return violation
