"""Chinese is the default interface: every catalogue is complete and compiled."""

import contextlib
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p
    for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in p.parts
)


def test_there_are_catalogues():
    assert any(p.parent.parent.parent.parent == ROOT for p in CATALOGUES)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:5]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"compile {po_path} (manage.py compilemessages)"
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.mofile(str(mo_path))
    }
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in mo, (
            f"{mo_path} is stale: {entry.msgid!r}"
        )


# --- third-party apps with admin screens -----------------------------------------------
# Their strings reach the administrators (the lockout's records, the beat schedule,
# history and import pages). A package without a zh_Hans catalogue, or with gaps in
# it, is completed in bureau's catalogue (bureau/third_party_strings.py).
THIRD_PARTY = ["axes", "django_celery_beat", "simple_history", "import_export"]
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _extracted_msgids(package: str) -> list[polib.POEntry]:
    """The package's translatable strings, extracted as makemessages does."""
    source = Path(importlib.import_module(package).__file__).parent
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / package
        shutil.copytree(
            source,
            copy,
            ignore=shutil.ignore_patterns(
                "locale", "__pycache__", "tests", "migrations"
            ),
        )
        (copy / "locale").mkdir()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-location",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
        )
        return list(polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po")))


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext")
@pytest.mark.parametrize("package", THIRD_PARTY)
def test_third_party_strings_are_translated(package):
    """Every string of an installed package with admin screens reads in Chinese:
    from the package's own zh_Hans catalogue or from bureau's."""
    with translation.override("zh-hans"):
        untranslated = [
            entry.msgid
            for entry in _extracted_msgids(package)
            if LATIN_WORD.search(entry.msgid)
            and (
                translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                == entry.msgid_plural
                if entry.msgid_plural
                else translation.gettext(entry.msgid) == entry.msgid
            )
        ]
    assert not untranslated, f"{package}: untranslated {untranslated}"


# Words that are names in Chinese screens too.
ALLOWED_LATIN = {"ID", "IP", "HTTP", "GET", "POST", "AMQP", "JSON", "SHA", "URL"}


def _admin_labels(model_admin, request) -> list[str]:
    """The names the admin shows for a model: its own, the list's columns and
    filters, the form's fields (model fields by verbose name, admin methods by
    their description)."""
    meta = model_admin.model._meta
    labels = [meta.verbose_name, meta.verbose_name_plural]
    names = list(model_admin.get_list_display(request))
    names += [f for f in model_admin.get_list_filter(request) if isinstance(f, str)]
    # An add form some admins refuse to build: their list is what shows.
    with contextlib.suppress(Exception):
        names += list(flatten_fieldsets(model_admin.get_fieldsets(request)))
    for name in names:
        if callable(name):
            labels.append(getattr(name, "short_description", ""))
            continue
        try:
            field = meta.get_field(name.split("__")[0])
            labels.append(
                getattr(field, "verbose_name", None)
                or field.related_model._meta.verbose_name
            )
        except FieldDoesNotExist:
            attr = getattr(model_admin, name, None) or getattr(
                model_admin.model, name, None
            )
            labels.append(getattr(attr, "short_description", ""))
    return [str(label) for label in labels if label]


@pytest.mark.django_db
def test_admin_screens_name_everything_in_chinese(rf):
    """Every model in the admin — the project's and third-party ones (the lockout's
    records, the beat schedule) — names itself, its columns, filters and fields in
    Chinese: no English label ("Attempt Time", "Task Name", "unit") is left."""
    user = get_user_model()(is_superuser=True, is_staff=True, username="x")
    request = rf.get("/admin/")
    request.user = user
    found = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            for label in _admin_labels(model_admin, request):
                words = set(LATIN_WORD.findall(label)) - ALLOWED_LATIN
                if words:
                    found.append(f"{model._meta.label}: {label}")
    assert not found, "\n".join(found)


def _conflicting_msgids() -> set[str]:
    """msgids that two catalogues translate differently. Django merges every
    app's catalogue into one, the earliest app in INSTALLED_APPS winning, so
    the other app's pages show the winner's words (petitions' "Late" read
    迟到, attendance's, instead of 逾期). A word whose sense differs by chapter
    needs a context of its own (pgettext, `{% translate … context … %}`)."""
    seen: dict[tuple, set[str]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr:
                continue
            seen.setdefault((entry.msgctxt, entry.msgid), set()).add(entry.msgstr)
    return {
        (f"{ctxt}\x04{msgid}" if ctxt else msgid).replace("\n", "\\n")
        for (ctxt, msgid), texts in seen.items()
        if len(texts) > 1
    }


KNOWN_CONFLICTS = ROOT / "tests" / "translation_conflicts.txt"


def test_no_new_word_translated_two_ways():
    """A new msgid translated differently by two chapters fails here; the ones
    found on 2026-12-01 are listed in tests/translation_conflicts.txt, to be
    given contexts (or one translation) and taken off the list — a mended one
    left on the list fails too, so the list only shrinks."""
    known = {
        line
        for line in KNOWN_CONFLICTS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    found = _conflicting_msgids()
    assert sorted(found - known) == [], "translated two ways (new)"
    assert sorted(known - found) == [], "mended: take these off the list"
