"""DIS-5: link the warnings whose typed reference names a recorded decision.

The typed text stays in `reference` (labelled as the former reference), so what was
entered remains readable whether or not it could be linked. A reference links when
it names minutes that exist (`局务会纪要〔2026〕9号`) and one decision of them: the
one named (`· 决定2`, `决定 2`, `第2项`), or the only decision the minutes have.
"""

import re

from django.db import migrations

REFERENCE = re.compile(
    r"^\s*(?P<name>\S+?)\s*〔(?P<year>\d{4})〕\s*(?P<number>\d+)\s*号"
    r"(?:.*?(?:决定\s*|第\s*)(?P<decision>\d+)\s*项?)?"
)


def match_decision(Decision, MeetingKind, text):
    found = REFERENCE.match(text or "")
    if not found:
        return None
    kind = MeetingKind.objects.filter(minutes_name=found["name"]).first()
    if kind is None:
        return None
    decisions = Decision.objects.filter(
        meeting__kind=kind,
        meeting__minutes_year=int(found["year"]),
        meeting__minutes_number=int(found["number"]),
    )
    if found["decision"]:
        decisions = decisions.filter(number=int(found["decision"]))
    candidates = list(decisions[:2])
    return candidates[0] if len(candidates) == 1 else None


def link_references(apps, schema_editor):
    Violation = apps.get_model("discipline", "Violation")
    Decision = apps.get_model("meetings", "Decision")
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    pending = Violation.objects.filter(meeting_decision__isnull=True).exclude(
        reference=""
    )
    for violation in pending.iterator():
        decision = match_decision(Decision, MeetingKind, violation.reference)
        if decision is not None:
            Violation.objects.filter(pk=violation.pk).update(meeting_decision=decision)


class Migration(migrations.Migration):
    dependencies = [
        ("discipline", "0004_violation_meeting_decision"),
        ("meetings", "0002_meeting_kinds"),
    ]

    operations = [migrations.RunPython(link_references, migrations.RunPython.noop)]
