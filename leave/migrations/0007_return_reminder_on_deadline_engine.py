# LV-9's reminder moves onto the deadline engine: approved leave not yet reported
# back, ending from yesterday on, gets its "leave.return" deadline (the registered
# default: due the first working day after the leave, reminded on the working day
# before); a reminder already sent becomes the engine's marker, so it is not sent
# again. Then the leave's own marker column goes.

import datetime

from django.db import migrations


def _is_working(day, stored):
    value = stored.get(day)
    return day.weekday() < 5 if value is None else value


def forwards(apps, schema_editor):
    LeaveRequest = apps.get_model("leave", "LeaveRequest")
    Deadline = apps.get_model("deadlines", "Deadline")
    DeadlineNotice = apps.get_model("deadlines", "DeadlineNotice")
    CalendarDay = apps.get_model("bureau", "CalendarDay")
    ContentType = apps.get_model("contenttypes", "ContentType")
    today = datetime.date.today()
    pending = list(
        LeaveRequest.objects.filter(
            status="approved",
            returned_at__isnull=True,
            end_date__gte=today - datetime.timedelta(days=1),
        ).select_related("person")
    )
    if not pending:
        return
    content_type, _created = ContentType.objects.get_or_create(
        app_label="leave", model="leaverequest"
    )
    stored = dict(CalendarDay.objects.values_list("date", "is_working_day"))
    one = datetime.timedelta(days=1)
    for leave in pending:
        due = leave.end_date + one
        while not _is_working(due, stored):
            due += one
        remind_from = due - one
        while not _is_working(remind_from, stored):
            remind_from -= one
        deadline, created = Deadline.objects.get_or_create(
            kind="leave.return",
            content_type=content_type,
            object_id=leave.pk,
            defaults={
                "label": f"{leave.person.name}: {leave.start_date}–{leave.end_date}",
                "rule": "LV-9",
                "legal_basis": "LV-9",
                "start": leave.end_date,
                "policy_id": None,
                "length": 1,
                "day_type": "working",
                "remind_days": 1,
                "escalate_to": "",
                "due_date": due,
                "remind_from": remind_from,
                "responsible_id": leave.person_id,
                "section_id": leave.person.section_id,
                "unit_id": leave.person.unit_id,
                "state": "open",
            },
        )
        if created and leave.return_reminded_on is not None:
            DeadlineNotice.objects.create(
                deadline=deadline,
                kind="remind",
                due_date=due,
                recipient_id=leave.person_id,
                sent_on=leave.return_reminded_on,
                run="leave-0007",
            )


class Migration(migrations.Migration):

    dependencies = [
        ("leave", "0006_no_overlapping_requests"),
        ("deadlines", "0001_initial"),
        ("bureau", "__first__"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalleaverequest",
            name="return_reminded_on",
        ),
        migrations.RemoveField(
            model_name="leaverequest",
            name="return_reminded_on",
        ),
    ]
