# SVC-1: the committed date of an acceptance receipt becomes a live clock on the
# deadline engine. Receipts of matters still accepted (not yet handled or refused)
# get their "window.committed" deadline, due on the date printed on the receipt,
# counted in working days from the day of acceptance (the kind's registered
# default: working days, reminded one working day before, escalated to the
# officer's supervisor), owned by the matter's first-inquiry officer.

from django.db import migrations

from deadlines.rules import is_working, remind_on

KIND = "window.committed"
LEGAL_BASIS = (
    "服务窗口规定（SVC-1、SVC-2）：材料齐全但不能当场办结的，登记并出具受理回执单；"
    "在回执单载明的承诺日期前办结。"
)


def _working_days_between(start, due, stored):
    import datetime

    days, day = 0, start + datetime.timedelta(days=1)
    while day <= due:
        if is_working(day, stored):
            days += 1
        day += datetime.timedelta(days=1)
    return days


def forwards(apps, schema_editor):
    Receipt = apps.get_model("window", "Receipt")
    Deadline = apps.get_model("deadlines", "Deadline")
    CalendarDay = apps.get_model("bureau", "CalendarDay")
    ContentType = apps.get_model("contenttypes", "ContentType")
    receipts = list(
        Receipt.objects.filter(matter__status="accepted").select_related(
            "matter", "matter__owner", "matter__service"
        )
    )
    if not receipts:
        return
    content_type, _created = ContentType.objects.get_or_create(
        app_label="window", model="matter"
    )
    stored = dict(CalendarDay.objects.values_list("date", "is_working_day"))
    for receipt in receipts:
        matter = receipt.matter
        due = receipt.committed_on
        Deadline.objects.get_or_create(
            kind=KIND,
            content_type=content_type,
            object_id=matter.pk,
            defaults={
                "label": f"{matter.applicant} · {matter.service.name}"[:200],
                "rule": "SVC-1",
                "legal_basis": LEGAL_BASIS,
                "start": receipt.accepted_on,
                "policy_id": None,
                "length": _working_days_between(receipt.accepted_on, due, stored),
                "fixed_length": _working_days_between(
                    receipt.accepted_on, due, stored
                ),
                "day_type": "working",
                "remind_days": 1,
                "escalate_to": "supervisor",
                "due_date": due,
                "remind_from": remind_on(
                    due=due, remind_days=1, day_type="working", exceptions=stored
                ),
                "responsible_id": matter.owner_id,
                "section_id": matter.owner.section_id,
                "unit_id": matter.owner.unit_id,
                "state": "open",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("window", "0005_verbose_names_in_chinese"),
        ("deadlines", "0002_deadline_fixed_length"),
        ("bureau", "__first__"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
