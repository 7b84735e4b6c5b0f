"""The evidence text attendance leaves on a violation it records (discipline's
`Violation.evidence`, a text people read on the record and in its exports).

The discipline engine keeps evidence as text (a person types it for the violations
recorded by hand), so the text is written in the bureau's language (Chinese,
settings.LANGUAGE_CODE) whatever language the request or the Celery worker that
judged the record runs in: from translatable templates, with the words of the
record (a session, an outcome's reason) by their labels — never English phrases or
internal kinds. Migration 0012 rewrote the rows stored in English before.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def _in_bureau_language(build):
    with translation.override(settings.LANGUAGE_CODE):
        return str(build())


def long_absence_evidence(
    *, kind_label, days, start: datetime.date, end: datetime.date
) -> str:
    """ATT-12: "连续缺勤：16 天（2026-03-02 至 2026-03-23）"."""
    return _in_bureau_language(
        lambda: (
            _("%(kind)s: %(days)s days (%(start)s to %(end)s)")
            % {
                "kind": kind_label,
                "days": _days(days),
                "start": start.isoformat(),
                "end": end.isoformat(),
            }
        )
    )


def study_absence_evidence(session) -> str:
    """ATT-9: absent from the collective study without approved leave."""
    return _in_bureau_language(
        lambda: _("%(session)s: absent without approved leave") % {"session": session}
    )


def incident_evidence(*, day: datetime.date, part_label, template, values) -> str:
    """A late, an early leave or a half-day absence of a sheet record."""
    return _in_bureau_language(
        lambda: (
            _("%(date)s %(part)s: %(what)s")
            % {"date": day.isoformat(), "part": part_label, "what": template % values}
        )
    )


def _days(days) -> str:
    text = str(days)
    return text.rstrip("0").rstrip(".") if "." in text else text
