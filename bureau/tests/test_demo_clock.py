"""The embedded demo's clock (bureau/demo_clock.py): outside working hours the demo
runs from two minutes into the next work session, so that every role's journey
— signing in included — can be tried at any hour; a banner says so on every page;
never outside the embedded demo."""

import datetime
import importlib.util
from pathlib import Path

import pytest
import time_machine
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


def test_dev_py_asks_for_the_demo_clock_unless_told_otherwise(monkeypatch):
    dev = _dev()
    asked = []

    class Done:
        stdout = "36517\n"

    def run(args, **kwargs):
        asked.append(args)
        return Done()

    monkeypatch.setattr(dev.subprocess, "run", run)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv(demo_clock.ENV, raising=False)
    assert dev.demo_env([])[demo_clock.ENV] == "36517"
    assert asked and asked[0][1:] == ["manage.py", "demo_clock"]
    assert demo_clock.ENV not in dev.demo_env(["--real-clock"])
    monkeypatch.setenv("DATABASE_URL", "postgres://localhost/x")
    assert demo_clock.ENV not in dev.demo_env([])
    assert len(asked) == 1


def test_dev_py_demo_reloads_on_a_fresh_embedded_database(monkeypatch, tmp_path):
    """`python3 dev.py demo` reloads: load_demo refuses a database that holds an
    organisation, so the embedded file is removed and migrated first — never a
    database named by DATABASE_URL."""
    dev = _dev()
    calls = []
    monkeypatch.setattr(dev, "install", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *args, **kwargs: calls.append(args[2:]))
    monkeypatch.setattr(dev, "demo_env", lambda argv: {})
    database = tmp_path / "demo.sqlite3"
    database.write_text("old demo")
    monkeypatch.setenv("SQLITE_PATH", str(database))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    dev.cmd_demo([])
    assert not database.exists()
    assert calls == [("migrate", "--noinput"), ("load_demo", "--commit")]
    database.write_text("a real database's file")
    calls.clear()
    monkeypatch.setenv("DATABASE_URL", "postgres://localhost/x")
    dev.cmd_demo([])
    assert database.exists()
    assert calls == [("load_demo", "--commit")]
