"""The bureau's network has no internet: nothing the app serves points outside."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.I)


def test_no_template_or_static_file_loads_anything_from_outside():
    offenders = []
    for path in ROOT.rglob("*"):
        if ".venv" in path.parts or "test-artifacts" in path.parts:
            continue
        if path.suffix not in {".html", ".css", ".js", ".svg"} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1):
            if EXTERNAL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_pages_reference_only_local_static_files(client, django_user_model, db):
    user = django_user_model.objects.create_user("x", password="pw-123456789")
    client.force_login(user)
    html = client.get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url
