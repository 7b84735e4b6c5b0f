"""The attendance chapter's impact counter for the policy editor (bureau.policy_preview):
"with this version, last month's report would change for N people".

Last month's settled sessions are judged again with the new version in force for the
whole month, and the monthly report (ATT-10) compared person by person — on a copy,
inside a transaction rolled back at the end: nothing is saved.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import ngettext

from attendance.models import SessionRecord
from attendance.selectors import monthly_report
from attendance.services.judging import JUDGED_FIELDS, judge_records
from bureau.policy_preview import recomputed


def _report(user, first: datetime.date) -> dict:
    report = monthly_report(user, first.year, first.month)
    return {
        row.person_id: (row.lates, row.early, row.absence_days, row.outcome)
        for row in report.rows
    }


def last_month(key, value, effective_from, user, *, today=None):
    today = today or timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    first = last.replace(day=1)
    before = _report(user, first)
    with recomputed(key, value, min(effective_from, first)):
        records = list(
            SessionRecord.objects.filter(
                date__range=(first, last), settled_at__isnull=False
            ).order_by("pk")
        )
        changed = judge_records(records)
        SessionRecord.objects.bulk_update(changed, JUDGED_FIELDS)
        after = _report(user, first)
    people = sum(1 for person, row in after.items() if before.get(person) != row)
    return [
        ngettext(
            "With this version, the report of %(month)s would change for %(n)s person.",
            "With this version, the report of %(month)s would change for %(n)s people.",
            people,
        )
        % {"month": f"{first.year}-{first.month:02d}", "n": people}
    ]
