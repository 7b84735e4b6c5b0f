#!/usr/bin/env python3
"""The two commands of the README, with nothing but Python 3.11+ on the machine.

    python3 dev.py up      install into .venv, migrate, load the demo bureau, serve
    python3 dev.py test    install into .venv and run the whole test suite

Other verbs: `setup` (install and migrate only), `demo` (reload the demo data),
`serve`. Extra arguments after `test` go to pytest; the whole suite runs in one
process per core (up to 4, pytest-xdist).
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


def cmd_setup():
    install()
    manage("migrate", "--noinput")


def cmd_demo():
    manage("load_demo", "--commit")


def cmd_serve():
    manage("runserver", "127.0.0.1:8000")


def cmd_up():
    cmd_setup()
    manage("load_demo", "--commit", "--if-empty")
    cmd_serve()


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
    elif verb in {"up", "setup", "demo", "serve"}:
        {"up": cmd_up, "setup": cmd_setup, "demo": cmd_demo, "serve": cmd_serve}[verb]()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
