#!/usr/bin/env python3
"""The two commands of the README, with nothing but Python 3.11+ on the machine.

    python3 dev.py up      install into .venv, migrate, load the demo bureau, serve
    python3 dev.py test    install into .venv and run the whole test suite

Other verbs: `setup` (install and migrate only), `demo` (reload the demo data:
the embedded database is made afresh),
`serve`. Extra arguments after `test` go to pytest; the whole suite runs in one
process per core (up to 4, pytest-xdist).

Outside the demo bureau's working hours `up`, `demo` and `serve` run the demo on
a clock that starts two minutes into the next work session, so that signing
in can be tried at any hour (bureau/demo_clock.py; a banner says so on every
page); `--real-clock` keeps the real time. Not with DATABASE_URL.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".install-stamp"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def install():
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed.")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(digest)


def manage(*args, env=None):
    run(PY, "manage.py", *args, env=env)


# The demo clock's offset in use, kept beside the embedded database so that a
# server started again goes on from the demo's time instead of back to the start
# of the session (its morning's sign-ins would then lie in the future).
CLOCK_FILE = ROOT / ".demo_clock"


def demo_env(argv):
    """The environment of the demo's processes: with BUREAU_DEMO_CLOCK set to how
    far ahead the demo's clock runs (`manage.py demo_clock --from <the offset in
    use>`: the same, or further on to the next session), unless the real clock is
    asked for, the variable is set already, or DATABASE_URL names another
    database than the embedded one."""
    env = dict(os.environ)
    if "--real-clock" in argv or os.environ.get("DATABASE_URL"):
        env.pop("BUREAU_DEMO_CLOCK", None)
        return env
    if "BUREAU_DEMO_CLOCK" not in env:
        try:
            kept = int(CLOCK_FILE.read_text().strip())
        except (OSError, ValueError):
            kept = 0
        seconds = subprocess.run(
            [str(PY), "manage.py", "demo_clock", "--from", str(kept)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        CLOCK_FILE.write_text(seconds)
        env["BUREAU_DEMO_CLOCK"] = seconds
    return env


def cmd_setup():
    install()
    manage("migrate", "--noinput")


def cmd_demo(argv):
    """Reload the demo: on the embedded database, a fresh file, migrated and loaded.
    With DATABASE_URL nothing is removed (load_demo refuses a database that holds
    an organisation)."""
    install()
    if not os.environ.get("DATABASE_URL"):
        database = os.environ.get("SQLITE_PATH") or str(ROOT / "db.sqlite3")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(database + suffix).unlink(missing_ok=True)
        CLOCK_FILE.unlink(missing_ok=True)  # a new demo starts its clock afresh
        manage("migrate", "--noinput")
    manage("load_demo", "--commit", env=demo_env(argv))


def cmd_serve(argv, env=None):
    manage("runserver", "127.0.0.1:8000", env=env or demo_env(argv))


def cmd_up(argv):
    cmd_setup()
    env = demo_env(argv)
    manage("load_demo", "--commit", "--if-empty", env=env)
    cmd_serve(argv, env)


def parallel_args(extra):
    """The whole suite runs in one pytest process per core (pytest-xdist), unless
    the caller chose (`-n ...`, `-p no:xdist`) or asked for a single test/file."""
    chosen = any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in extra)
    chosen = chosen or "no:xdist" in extra
    targeted = any(
        not a.startswith("-") and ("::" in a or a.endswith(".py")) for a in extra
    )
    workers = min(os.cpu_count() or 1, 4)
    if chosen or targeted or workers < 2:
        return []
    return ["-n", str(workers), "--dist", "worksteal"]


def cmd_test(extra):
    install()
    env = dict(os.environ)
    env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    run(PY, "-m", "pytest", *parallel_args(extra), *extra, env=env)


def main(argv):
    verb = argv[1] if len(argv) > 1 else "up"
    if verb == "test":
        cmd_test(argv[2:])
    elif verb == "setup":
        cmd_setup()
    elif verb in {"up", "demo", "serve"}:
        {"up": cmd_up, "demo": cmd_demo, "serve": cmd_serve}[verb](argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
