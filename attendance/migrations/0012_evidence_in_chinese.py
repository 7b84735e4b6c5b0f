"""Evidence that attendance stored on violations in English ("consecutive: 16 day(s)
…", "…: absent without approved leave (ATT-9)", "signed in … for the session
starting …") rewritten in Chinese, the way attendance.evidence writes it now.
Rows typed by people and rows already in Chinese are left as they are."""

import re

from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

DATE = r"(\d{4}-\d{2}-\d{2})"
LONG = re.compile(rf"^(consecutive|year): ([\d.]+) day\(s\) {DATE}–{DATE}$")
STUDY = re.compile(r"^(.*): absent without approved leave \(ATT-9\)$", re.S)
INCIDENT = re.compile(rf"^{DATE} (.+?): (.*)$", re.S)
SIGNED_IN = re.compile(r"^signed in (\S+) for the session starting (\S+)$")
SIGNED_OUT = re.compile(r"^signed out (\S+) for the session ending (\S+)$")
HALF_DAY = re.compile(r"^half-day absence: (.*)$", re.S)
LONG_KINDS = {"consecutive": "连续缺勤", "year": "年度累计缺勤"}


def _zh(text: str) -> str:
    """A label stored in English (a session part, an outcome's reason) in Chinese,
    from the catalogue; unchanged when it is not one of its messages."""
    with translation.override("zh-hans"):
        return gettext(text)


def chinese(text: str) -> str | None:
    """The Chinese evidence for an English one, or None to leave it."""
    if m := LONG.match(text):
        kind, days, start, end = m.groups()
        return f"{LONG_KINDS[kind]}：{days} 天（{start} 至 {end}）"
    if m := STUDY.match(text):
        return f"{m.group(1)}：未经批准请假而缺席"
    if m := INCIDENT.match(text):
        day, part, what = m.groups()
        if s := SIGNED_IN.match(what):
            what = f"{s.group(1)} 签到（{s.group(2)} 上班）"
        elif s := SIGNED_OUT.match(what):
            what = f"{s.group(1)} 签退（{s.group(2)} 下班）"
        elif s := HALF_DAY.match(what):
            what = f"缺勤半天：{_zh(s.group(1))}"
        else:
            return None
        return f"{day} {_zh(part)}：{what}"
    return None


def forwards(apps, schema_editor):
    for name in ("Violation", "HistoricalViolation"):
        try:
            model = apps.get_model("discipline", name)
        except LookupError:
            continue
        rows = model.objects.filter(kind__startswith="attendance.").only(
            "pk", "evidence"
        )
        for row in rows.iterator():
            text = chinese(row.evidence or "")
            if text is not None:
                model.objects.filter(pk=row.pk).update(evidence=text)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0011_sign_in_writes_fewer_indexes"),
        ("discipline", "0006_verbose_names_in_chinese"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
