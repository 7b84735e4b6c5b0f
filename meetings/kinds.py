"""MTG-1's three kinds of meeting, the defaults an administrator may adjust (the
kinds are data: meetings.MeetingKind). Put in by the migration 0002_meeting_kinds and,
when missing (a flushed test database), after every migrate."""

DEFAULT_KINDS = [
    {
        "code": "bureau_affairs",
        "name": "局务会",
        "minutes_name": "局务会纪要",
        "chair_rule": "director",
        "participants": "members",
        "approval_body": "bureau_affairs_meeting",
        "readers": ["discipline_inspector", "finance_officer"],
        "monthly": False,
        "reminder_day": None,
        "order": 1,
    },
    {
        "code": "director_office",
        "name": "局长办公会议",
        "minutes_name": "局长办公会议纪要",
        "chair_rule": "director_or_deputy",
        "participants": "middle_and_above",
        "approval_body": "",
        "readers": [],
        "monthly": True,
        "reminder_day": 20,
        "order": 2,
    },
    {
        "code": "topic",
        "name": "专题会议",
        "minutes_name": "专题会议纪要",
        "chair_rule": "leader",
        "participants": "concerned",
        "approval_body": "",
        "readers": [],
        "monthly": False,
        "reminder_day": None,
        "order": 3,
    },
]


def ensure_default_kinds(MeetingKind) -> int:
    """Create the default kinds that are missing (by code); returns how many.
    `MeetingKind` is the model class (a migration passes its historical model)."""
    made = 0
    for kind in DEFAULT_KINDS:
        _obj, created = MeetingKind.objects.get_or_create(
            code=kind["code"], defaults={k: v for k, v in kind.items() if k != "code"}
        )
        made += created
    return made


def after_migrate(sender, **kwargs):
    if sender.name != "meetings":
        return
    ensure_default_kinds(sender.get_model("MeetingKind"))
