"""How a chapter's code is laid out (docs/foundation.md), kept by a test so it does not
drift again (issue 9 item 6): services call the acting user `by`, and modules import
at the top — an import inside a function only where it cannot be at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "bureau",
    "approvals",
    "attendance",
    "leave",
    "discipline",
    "deadlines",
    "attachments",
    "meetings",
    "numbering",
    "duty",
    "window",
    "petitions",
    "documents",
    "handovers",
    "finance",
    "vehicles",
]

# The acting user under another name: what services called it before issue 9.
OTHER_ACTOR_NAMES = {"user", "actor", "recorded_by", "decided_by", "revised_by"}

# (module, function): why the import cannot be at the top.
INNER_IMPORTS = {
    ("bureau/policies.py", "_load"): "bureau.models imports bureau.policies",
    ("bureau/policies.py", "load_defaults"): "bureau.models imports bureau.policies",
    ("bureau/models/org.py", "save"): "bureau.roles is built on bureau.models.org",
    ("leave/tasks.py", "remind_returns"): "LV-9's reminder moves to the deadlines",
    (
        "bureau/demo_clock.py",
        "start",
    ): "time-machine is a dev dependency, the demo's only",
}


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text())


def _service_modules():
    for name, tree in _modules():
        if name.endswith("/services.py") or "/services/" in name:
            yield name, tree
    yield "bureau/imports.py", ast.parse((ROOT / "bureau/imports.py").read_text())


def test_services_call_the_acting_user_by():
    """Every service (a public keyword-only function of a services module) takes the
    acting user as `by`; none names it `user`, `recorded_by`, `decided_by` or
    `revised_by`."""
    found = [
        f"{name}: {node.name}({arg.arg}=)"
        for name, tree in _service_modules()
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        for arg in node.args.kwonlyargs
        if arg.arg in OTHER_ACTOR_NAMES
    ]
    assert found == []


@pytest.mark.parametrize("module, function", sorted(INNER_IMPORTS))
def test_every_allowed_inner_import_is_still_there(module, function):
    """An entry of the list that no longer applies is removed from it."""
    tree = ast.parse((ROOT / module).read_text())
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == function
    ]
    assert any(
        isinstance(inner, ast.Import | ast.ImportFrom)
        for node in functions
        for inner in ast.walk(node)
    )


def test_modules_import_at_the_top():
    """No import inside a function (a dodged cycle: move the code instead), except in
    `AppConfig.ready()` (the app registry) and the listed real cycles."""
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if name.endswith("apps.py") and node.name == "ready":
                continue
            if (name, node.name) in INNER_IMPORTS:
                continue
            found += [
                f"{name}:{inner.lineno} in {node.name}()"
                for inner in ast.walk(node)
                if isinstance(inner, ast.Import | ast.ImportFrom)
            ]
    assert found == []
