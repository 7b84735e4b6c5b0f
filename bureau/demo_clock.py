"""The embedded demo's clock (README: `python3 dev.py up`).

Sign-in (ATT-1) opens only around a work session, so a visitor who starts the demo
in the evening or on a rest day could not try staff's journey. Outside the demo
bureau's working hours `dev.py` therefore asks for a clock that runs from two
minutes into the next session (`manage.py demo_clock` prints how far ahead, in
seconds; `bureau.demo.clock_offset` computes it). Started again, the demo goes on
from the offset in use, which `dev.py` keeps in `.demo_clock`, never back. Each
process of the demo — the loader and the server — reads `BUREAU_DEMO_CLOCK` with
its settings and moves its clock that far ahead, so the demo's data and its pages
agree; time then runs on as usual. Every page says so in a banner
(`bureau.context_processors.shell`).

Only the embedded demo: the dev profile on SQLite. Under the production profile or
with DATABASE_URL the setting is refused, and `python3 dev.py up --real-clock`
keeps the real time. This module is imported by the settings: nothing of Django's
models here.
"""

from __future__ import annotations

import datetime

ENV = "BUREAU_DEMO_CLOCK"


class DemoClockRefused(RuntimeError):
    pass


def start(value: str | None, *, allowed: bool) -> datetime.timedelta | None:
    """Move this process's clock `value` seconds ahead; None (the real clock) for
    no value or 0. Refused outside the embedded demo."""
    if not value:
        return None
    try:
        seconds = int(value)
    except ValueError:
        raise DemoClockRefused(
            f"{ENV} must be a number of seconds, not {value!r}"
        ) from None
    if seconds == 0:
        return None
    if not allowed:
        raise DemoClockRefused(
            f"{ENV} is for the embedded demo only (dev profile, SQLite): unset it"
        )
    if seconds < 0:
        raise DemoClockRefused(f"{ENV} only moves the clock ahead")
    # time-machine is a development dependency (pyproject's dev extra, which
    # `dev.py` installs); a deployment never sets the variable.
    import time_machine

    offset = datetime.timedelta(seconds=seconds)
    time_machine.travel(datetime.datetime.now(datetime.UTC) + offset, tick=True).start()
    return offset
