"""PET-8's petition work meeting, held through meetings/: a kind of meeting as data
(the administrator may adjust it). Put in by the migration 0002 and, when missing
(a flushed test database), after every migrate."""

from django.apps import apps

PETITION_WORK = {
    "code": "petition_work",
    "name": "信访工作会议",
    "minutes_name": "信访工作会议纪要",
    "chair_rule": "leader",
    "participants": "concerned",
    "approval_body": "",
    "readers": [],
    "monthly": False,
    "reminder_day": None,
    "order": 10,
}


def ensure_meeting_kind(MeetingKind) -> bool:
    _kind, created = MeetingKind.objects.get_or_create(
        code=PETITION_WORK["code"],
        defaults={k: v for k, v in PETITION_WORK.items() if k != "code"},
    )
    return created


def after_migrate(sender, **kwargs):
    if sender.name != "petitions":
        return
    ensure_meeting_kind(apps.get_model("meetings", "MeetingKind"))
