"""The sheets' clock: what the beat task (every minute) and the
`close_attendance_sheet` command run. Closing is in `closing` (ATT-6), settling in
`settling` (ATT-5, ATT-8, ATT-12), what both share in `sheet_day`.
"""

from __future__ import annotations

import datetime

from attendance.models import SessionRecord, Sheet
from attendance.services.closing import sheets_close
from attendance.services.common import local_date, now_or
from attendance.services.settling import sheets_settle
from attendance.services.sheet_day import SheetRun
from bureau import workdays


def sheets_process_due(
    *, now: datetime.datetime | None = None, commit: bool = True, catch_up_days: int = 7
) -> list[SheetRun]:
    """What the beat task and the command run: close today's due sheets and settle
    due sessions, catching up on the last days' unsettled sessions."""
    now = now_or(now)
    today = local_date(now)
    runs = []
    for back in range(catch_up_days, 0, -1):
        day = today - datetime.timedelta(days=back)
        if Sheet.objects.filter(date=day, settled_at__isnull=True).exists() or (
            workdays.is_working_day(day)
            and not Sheet.objects.filter(date=day).exists()
            and SessionRecord.objects.filter(date=day).exists()
        ):
            runs.append(sheets_settle(day=day, now=now, commit=commit, force=True))
    closing = sheets_close(day=today, now=now, commit=commit)
    settling = sheets_settle(day=today, now=now, commit=commit)
    closing.settled = settling.settled
    closing.rows_settled = settling.rows_settled
    closing.violations = settling.violations
    runs.append(closing)
    return runs
