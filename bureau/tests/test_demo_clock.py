"""The embedded demo's clock (bureau/demo_clock.py): outside working hours the demo
runs from two minutes into the next work session, so that every role's journey
— signing in included — can be tried at any hour; a banner says so on every page;
never outside the embedded demo."""

import datetime
import importlib.util
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from bureau import demo_clock
from bureau.demo import CLOCK_INTO, clock_offset
from bureau.workdays import TZ

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def at(day: str, hm: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=TZ)


# The default winter schedule: 08:00–12:00 and 14:30–17:30; 2026-12-02 is a
# Wednesday, 2026-12-04 a Friday.
@pytest.mark.parametrize(
    "now, runs_from",
    [
        (at("2026-12-02", "09:00"), None),  # a session is on
        (at("2026-12-02", "08:00"), None),  # its first minute
        (at("2026-12-02", "17:30"), None),  # the afternoon's last
        (at("2026-12-02", "07:56"), at("2026-12-02", "08:02")),  # before work
        (at("2026-12-02", "12:30"), at("2026-12-02", "14:32")),  # lunch
        (at("2026-12-02", "21:46"), at("2026-12-03", "08:02")),  # evening
        (at("2026-12-04", "18:00"), at("2026-12-07", "08:02")),  # Friday → Monday
        (at("2026-12-05", "10:00"), at("2026-12-07", "08:02")),  # a Saturday
    ],
)
def test_demo_clock_runs_from_the_start_of_the_next_session(org, now, runs_from):
    offset = clock_offset(now)
    if runs_from is None:
        assert offset == datetime.timedelta(0)
    else:
        assert now + offset == runs_from
    # Two minutes in: a sign-in is still within ATT-2's grace of 10 minutes.
    assert datetime.timedelta(minutes=2) == CLOCK_INTO


class _Travel:
    started = []

    def __init__(self, destination, tick):
        self.destination, self.tick = destination, tick

    def start(self):
        self.started.append(self)


def test_demo_clock_moves_this_process_ahead_only_in_the_embedded_demo(monkeypatch):
    monkeypatch.setattr(time_machine, "travel", _Travel)
    _Travel.started.clear()
    assert demo_clock.start(None, allowed=True) is None
    assert demo_clock.start("0", allowed=False) is None  # 0: the real clock
    for refused, allowed in [("3600", False), ("-60", True), ("soon", True)]:
        with pytest.raises(demo_clock.DemoClockRefused):
            demo_clock.start(refused, allowed=allowed)
    assert _Travel.started == []
    before = datetime.datetime.now(datetime.UTC)
    assert demo_clock.start("36000", allowed=True) == datetime.timedelta(hours=10)
    (travel,) = _Travel.started
    assert travel.tick is True  # time runs on from there
    ahead = travel.destination - before
    assert (
        datetime.timedelta(hours=10) <= ahead < datetime.timedelta(hours=10, seconds=5)
    )


def test_demo_clock_banner_on_every_page_while_it_runs(org, client_for, settings):
    client = client_for(org.a1)
    assert b'id="demo-clock"' not in client.get("/").content
    settings.DEMO_CLOCK = datetime.timedelta(hours=10, minutes=16)
    with time_machine.travel(at("2026-12-03", "08:02"), tick=False):
        page = client.get("/").content.decode()
        login = Client().get("/accounts/login/").content.decode()
    assert 'id="demo-clock"' in page and 'id="demo-clock"' in login
    assert "演示时间 2026-12-03 08:02" in page
    assert "实际时间 2026-12-02 21:46" in page
    assert "--real-clock" in page


def _dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_py_asks_for_the_demo_clock_unless_told_otherwise(monkeypatch, tmp_path):
    """dev.py asks once per start, from the offset in use (kept beside the
    database), so a server started again goes on from the demo's time."""
    dev = _dev()
    asked = []
    answers = iter(["36517\n", "36600\n"])

    class Done:
        def __init__(self):
            self.stdout = next(answers)

    def run(args, **kwargs):
        asked.append(args[1:])
        return Done()

    monkeypatch.setattr(dev.subprocess, "run", run)
    monkeypatch.setattr(dev, "CLOCK_FILE", tmp_path / ".demo_clock")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv(demo_clock.ENV, raising=False)
    assert dev.demo_env([])[demo_clock.ENV] == "36517"
    assert dev.demo_env([])[demo_clock.ENV] == "36600"
    assert asked == [
        ["manage.py", "demo_clock", "--from", "0"],
        ["manage.py", "demo_clock", "--from", "36517"],
    ]
    assert dev.CLOCK_FILE.read_text() == "36600"
    assert demo_clock.ENV not in dev.demo_env(["--real-clock"])
    monkeypatch.setenv("DATABASE_URL", "postgres://localhost/x")
    assert demo_clock.ENV not in dev.demo_env([])
    assert len(asked) == 2


def test_demo_clock_command_goes_on_from_the_offset_in_use(org):
    """`manage.py demo_clock --from N`: the same offset while the demo's time is in
    a session; further on to the next session otherwise; never back."""

    def offset(now, start):
        out = io.StringIO()
        with time_machine.travel(now, tick=False):
            call_command("demo_clock", "--from", str(start), stdout=out)
        return datetime.timedelta(seconds=int(out.getvalue()))

    evening = at("2026-12-02", "21:46")
    fresh = offset(evening, 0)
    assert evening + fresh == at("2026-12-03", "08:02")
    # Started again 40 minutes later: the demo's 08:42, in the session — kept.
    later = evening + datetime.timedelta(minutes=40)
    assert offset(later, int(fresh.total_seconds())) == fresh
    # Started again at the demo's lunch (12:30): on to 14:32, not back to 08:02.
    lunch = at("2026-12-03", "12:30") - fresh
    again = offset(lunch, int(fresh.total_seconds()))
    assert lunch + again == at("2026-12-03", "14:32")


def test_dev_py_demo_reloads_on_a_fresh_embedded_database(monkeypatch, tmp_path):
    """`python3 dev.py demo` reloads: load_demo refuses a database that holds an
    organisation, so the embedded file is removed and migrated first — never a
    database named by DATABASE_URL."""
    dev = _dev()
    calls = []
    monkeypatch.setattr(dev, "install", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *args, **kwargs: calls.append(args[2:]))
    monkeypatch.setattr(dev, "demo_env", lambda argv: {})
    monkeypatch.setattr(dev, "CLOCK_FILE", tmp_path / ".demo_clock")
    dev.CLOCK_FILE.write_text("36517")
    database = tmp_path / "demo.sqlite3"
    database.write_text("old demo")
    monkeypatch.setenv("SQLITE_PATH", str(database))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    dev.cmd_demo([])
    assert not database.exists()
    assert not dev.CLOCK_FILE.exists()  # a new demo's clock starts afresh
    assert calls == [("migrate", "--noinput"), ("load_demo", "--commit")]
    database.write_text("a real database's file")
    calls.clear()
    monkeypatch.setenv("DATABASE_URL", "postgres://localhost/x")
    dev.cmd_demo([])
    assert database.exists()
    assert calls == [("load_demo", "--commit")]
