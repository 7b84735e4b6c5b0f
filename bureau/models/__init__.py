from bureau.models.calendar import CalendarDay, HolidayArrangement, SeasonalSchedule
from bureau.models.imports import ImportJob
from bureau.models.org import (
    ActingAssignment,
    ClerkAssignment,
    Organisation,
    Person,
    Position,
    Role,
    Section,
    StaffCategory,
    Unit,
)
from bureau.models.outbox import DoneMarker, OutboxMessage
from bureau.models.policy import Policy

__all__ = [
    "ActingAssignment",
    "CalendarDay",
    "DoneMarker",
    "ClerkAssignment",
    "HolidayArrangement",
    "ImportJob",
    "Organisation",
    "OutboxMessage",
    "Person",
    "Policy",
    "Position",
    "Role",
    "SeasonalSchedule",
    "Section",
    "StaffCategory",
    "Unit",
]
