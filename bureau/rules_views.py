"""The rulebook's pages: the index, one rule with its policies, and the why pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bureau import rulebook
from bureau.models import Policy
from bureau.policies import ORIGIN_DATE, registry
from bureau.readable import readable
from bureau.why import why_kind


@require_GET
def index(request):
    """The rulebook by chapter: every staff member may read it."""
    return render(request, "bureau/rules/index.html", {"chapters": rulebook.chapters()})


def _note(note: str) -> str:
    # load_defaults() notes a default version "ATT-3: rulebook default": in words.
    if note.endswith(": rulebook default"):
        return str(_("the rulebook's default"))
    return note


def _version_rows(key: str, today):
    """Every version of a policy, oldest first, marked: the one in force today."""
    definition = registry.get(key)
    in_force = registry.in_force(key, today)
    stored = registry.versions(key)
    notes = dict(Policy.objects.filter(key=key).values_list("pk", "note"))
    rows = []
    if not stored or stored[0].effective_from > ORIGIN_DATE:
        rows.append(
            {
                "id": None,
                "effective_from": ORIGIN_DATE,
                "value": readable(definition.default),
                "note": "",
                "in_force": in_force.id is None,
                "future": False,
            }
        )
    for version in stored:
        rows.append(
            {
                "id": version.id,
                "effective_from": version.effective_from,
                "value": readable(version.value),
                "note": _note(notes.get(version.id, "")),
                "in_force": version.id == in_force.id,
                "future": version.effective_from > today,
            }
        )
    return rows


@require_GET
def rule_detail(request, rule_id: str):
    rule = rulebook.rule(rule_id)
    if rule is None:
        raise Http404
    today = timezone.localdate()
    policies = [
        {
            "definition": definition,
            "label": definition.display_label,
            "versions": _version_rows(definition.key, today),
        }
        for definition in rulebook.policies_for(rule_id)
    ]
    return render(
        request,
        "bureau/rules/rule.html",
        {"rule": rule, "policies": policies, "today": today},
    )


@require_GET
def why(request, kind: str, object_id: int):
    """Why a record was judged as it was: the rule, the version it used, its values."""
    entry = why_kind(kind)
    if entry is None:
        raise Http404
    judgement = entry.resolve(request.user, object_id, request.GET)
    if judgement is None:
        raise Http404
    today = timezone.localdate()
    wanted = [pk for pk in judgement.versions.values() if pk]
    stored = {
        p.pk: p
        for p in Policy.objects.filter(pk__in=wanted + list(judgement.version_ids))
    }
    versions = dict(judgement.versions)
    for pk in judgement.version_ids:
        if pk in stored:
            versions.setdefault(stored[pk].key, pk)
    used = []
    for key, pk in versions.items():
        try:
            definition = registry.get(key)
        except KeyError:
            continue
        version = stored.get(pk) if pk else None
        if version is not None:
            value, effective_from, note = (
                version.value,
                version.effective_from,
                _note(version.note),
            )
        elif pk is None:
            # Judged before any version was stored, or the record predates storing
            # its versions: the version in force on the record's date.
            found = registry.in_force(key, judgement.date)
            pk, value, effective_from, note = (
                found.id,
                found.value,
                found.effective_from,
                "",
            )
        else:
            continue
        now = registry.in_force(key, today)
        now_value = now.value
        part = judgement.parts.get(key)
        if part is not None:
            value = value.get(part, value) if isinstance(value, dict) else value
            if isinstance(now_value, dict):
                now_value = now_value.get(part, now_value)
        used.append(
            {
                "label": definition.display_label,
                "key": key,
                "id": pk,
                "effective_from": effective_from,
                "value": readable(value),
                "note": note,
                "replaced": now.id != pk,
                "today_value": readable(now_value) if now.id != pk else "",
                "today_from": now.effective_from,
            }
        )
    rules = [r for r in (rulebook.rule(rid) for rid in judgement.rules) if r]
    return render(
        request,
        "bureau/rules/why.html",
        {
            "judgement": judgement,
            "kind": entry,
            "rules": rules,
            "used": used,
        },
    )
