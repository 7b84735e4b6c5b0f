from bureau.models.calendar import CalendarDay, HolidayArrangement, SeasonalSchedule
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
from bureau.models.policy import Policy

__all__ = [
    "ActingAssignment",
    "CalendarDay",
    "ClerkAssignment",
    "HolidayArrangement",
    "Organisation",
    "Person",
    "Policy",
    "Position",
    "Role",
    "SeasonalSchedule",
    "Section",
    "StaffCategory",
    "Unit",
]
