"""What a chapter plugs into discipline: its violation kinds and, where it needs one,
its ladder — registered in one call from the chapter's AppConfig.ready().

    from discipline import registry, rules

    registry.register(
        "vehicles",
        ladders=[
            registry.Ladder(
                "vehicles",
                rule="VEH-9",
                label=_("Vehicle use (VEH-9)"),
                short_label=_("Vehicles"),
                policy_key="vehicles.ladder",
                default={"steps": [{"outcomes": [rules.CRITICISM], "cap": None}]},
            )
        ],
        kinds=[
            registry.ViolationKind(
                "vehicles.trip_without_dispatch",
                _("Trip without a dispatch order"),
                rule="VEH-9",
                ladder="vehicles",
            )
        ],
    )

Labels, the dashboard's columns, the chart's legend, the export's headers, the admin's
filters and their order all come from here; nothing else in discipline lists ladders
or kinds. A ladder's steps are a policy (registered here with the rulebook's default,
versioned by effective date in the admin). A kind may count on another chapter's
ladder (e.g. "efficiency", DIS-3); a kind on a ladder nobody registered is an error
at start-up (system check `discipline.E001`) and is refused when recorded, never a
silently missing outcome.

This module holds plain data (no ORM): `discipline.rules` judges with the ladders
handed to it, so a rule is still tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bureau import policies
from bureau.rulebook import without_rule_refs
from discipline import rules

# Where violations without a ladder are tallied (stored rows of a ladder since gone).
OTHER = "other"


@dataclass(frozen=True)
class ViolationKind:
    """A kind of violation, e.g. "attendance.late".

    `ladder` names the ladder that counts it ("" for a kind that is only tallied,
    under "Other", and never leads to an outcome).
    """

    code: str
    label: Any  # a lazy translation: shown to users
    rule: str  # e.g. "ATT-3"
    ladder: str
    needs_decision: bool = False  # complaint-based: the inspector upholds or dismisses
    apology_required: bool = False  # DIS-1, DIS-2: an apology to the person served
    needs_reference: bool = False  # DIS-5: the meeting decision's reference


@dataclass(frozen=True)
class Dismissal:
    """Dismissal proposed by a ladder that counts days (ATT-12).

    Its policy value is {"dismissal_kinds": [kind, ...], "max_days_per_year": n}: a
    violation of one of those kinds (on this ladder) proposes dismissal at once and
    is no rung of the ladder; more than n days of this ladder's violations in a year
    propose it once.
    """

    rule: str
    policy_key: str
    default: dict
    description: str = ""


@dataclass(frozen=True)
class Ladder:
    """Counts its upheld violations in a calendar year: the n-th gives the n-th step.

    `default` is the policy value {"steps": [{"outcomes": [...], "cap": grade|None},
    ...], "absence_floors": [[days, step], ...] (optional)}; past the last step the
    last step repeats. `order` places the ladder's column, legend entry and export
    header among the others.
    """

    code: str
    rule: str
    label: Any  # long label: chart legend, filters, export header
    short_label: Any  # dashboard column header, shown over the rule ID
    policy_key: str
    default: dict
    description: str = ""
    order: int = 100
    dismissal: Dismissal | None = None


class UnknownKind(KeyError):
    """A chapter recorded a kind nobody registered."""


@dataclass(frozen=True)
class _Chapter:
    kinds: tuple[ViolationKind, ...]
    ladders: tuple[Ladder, ...]


_chapters: dict[str, _Chapter] = {}
_kinds: dict[str, tuple[str, ViolationKind]] = {}
_ladders: dict[str, tuple[str, Ladder]] = {}


def _policy_keys(ladder: Ladder) -> list[str]:
    keys = [ladder.policy_key]
    if ladder.dismissal is not None:
        keys.append(ladder.dismissal.policy_key)
    return keys


def register(
    chapter: str,
    *,
    kinds: Iterable[ViolationKind] = (),
    ladders: Iterable[Ladder] = (),
) -> None:
    """Register a chapter's kinds and ladders (once, from its AppConfig.ready()).

    The same call made again is a no-op; a different one, or a kind or ladder code
    another chapter already holds, raises ImproperlyConfigured. Whether every kind's
    ladder exists is checked once all chapters are in (`check_registry`).
    """
    entry = _Chapter(tuple(kinds), tuple(ladders))
    existing = _chapters.get(chapter)
    if existing is not None:
        if existing == entry:
            return
        raise ImproperlyConfigured(
            f"discipline.registry: chapter {chapter!r} is registered twice, "
            "differently; register its kinds and ladders in one call."
        )
    for ladder in entry.ladders:
        holder = _ladders.get(ladder.code)
        if holder is not None:
            raise ImproperlyConfigured(
                f"discipline.registry: ladder {ladder.code!r} of {chapter!r} is "
                f"already registered by {holder[0]!r}."
            )
        rules.validate_ladder(ladder.default)
        if ladder.dismissal is not None:
            rules.validate_dismissal(ladder.dismissal.default)
    for kind in entry.kinds:
        holder = _kinds.get(kind.code)
        if holder is not None:
            raise ImproperlyConfigured(
                f"discipline.registry: violation kind {kind.code!r} of {chapter!r} "
                f"is already registered by {holder[0]!r}."
            )
    for ladder in entry.ladders:
        policies.register(
            ladder.policy_key,
            ladder.default,
            rule=ladder.rule,
            description=ladder.description
            or f"{ladder.code} ladder per calendar year: step outcomes and caps.",
            validator=rules.validate_ladder,
            label=ladder.short_label,
        )
        if ladder.dismissal is not None:
            policies.register(
                ladder.dismissal.policy_key,
                ladder.dismissal.default,
                rule=ladder.dismissal.rule,
                description=ladder.dismissal.description
                or f"Dismissal proposed by the {ladder.code} ladder.",
                validator=rules.validate_dismissal,
                label=format_lazy(
                    "{}：{}", ladder.short_label, _("dismissal proposed")
                ),
            )
        _ladders[ladder.code] = (chapter, ladder)
    for kind in entry.kinds:
        _kinds[kind.code] = (chapter, kind)
    _chapters[chapter] = entry


def unregister(chapter: str) -> None:
    """Take a chapter's kinds, ladders and ladder policies away (tests)."""
    entry = _chapters.pop(chapter, None)
    if entry is None:
        return
    for kind in entry.kinds:
        _kinds.pop(kind.code, None)
    for ladder in entry.ladders:
        _ladders.pop(ladder.code, None)
        for key in _policy_keys(ladder):
            policies.registry.unregister(key)


@contextmanager
def registered(
    chapter: str,
    *,
    kinds: Iterable[ViolationKind] = (),
    ladders: Iterable[Ladder] = (),
) -> Iterator[None]:
    """A chapter registered for the length of a block (a toy chapter in a test)."""
    register(chapter, kinds=kinds, ladders=ladders)
    try:
        yield
    finally:
        unregister(chapter)


# --- reading ------------------------------------------------------------------------


def find_kind(code: str) -> ViolationKind | None:
    entry = _kinds.get(code)
    return entry[1] if entry else None


def get_kind(code: str) -> ViolationKind:
    kind = find_kind(code)
    if kind is None:
        raise UnknownKind(f"unknown violation kind {code!r}")
    return kind


def all_kinds() -> list[ViolationKind]:
    """Every registered kind, by code (form choices, admin filter)."""
    return sorted((kind for _chapter, kind in _kinds.values()), key=lambda k: k.code)


def label_of(code: str) -> str:
    """The kind's label in the current language (the code if nobody registered it)."""
    kind = find_kind(code)
    if kind is None:
        return code
    label = kind.label
    # Rule IDs are help text: the label reads without "(DIS-1)".
    return without_rule_refs(gettext(label) if isinstance(label, str) else label)


def find_ladder(code: str) -> Ladder | None:
    entry = _ladders.get(code)
    return entry[1] if entry else None


def ladders() -> list[Ladder]:
    """Every registered ladder in display order: dashboard columns, legend, export."""
    return sorted(
        (ladder for _chapter, ladder in _ladders.values()),
        key=lambda ladder: (ladder.order, ladder.code),
    )


def ladder_map() -> dict[str, Ladder]:
    """Ladders by code, in display order: what `rules.judge_year` counts with."""
    return {ladder.code: ladder for ladder in ladders()}


def ladder_label(code: str) -> str:
    """The ladder's long label; "Other" for violations counted on no ladder."""
    if not code or code == OTHER:
        return str(_("Other"))
    ladder = find_ladder(code)
    return without_rule_refs(ladder.label) if ladder else code


def ladder_rule(code: str) -> str:
    ladder = find_ladder(code)
    return ladder.rule if ladder else code


def ladder_for_recording(kind: ViolationKind) -> str:
    """The ladder a new violation of `kind` is stored on; refuses a missing ladder."""
    if kind.ladder and kind.ladder not in _ladders:
        raise ImproperlyConfigured(_missing_ladder_message(kind))
    return kind.ladder


# --- the start-up check -------------------------------------------------------------


def _missing_ladder_message(kind: ViolationKind) -> str:
    chapter = _kinds.get(kind.code, ("?",))[0]
    return (
        f"Violation kind {kind.code!r} (registered by {chapter!r}) counts on the "
        f"ladder {kind.ladder!r}, which no chapter registered: its violations "
        "would lead to no outcome."
    )


def check_registry(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every kind's ladder is registered; every dismissal kind is a kind of its
    ladder. Registered as a Django system check by DisciplineConfig.ready()."""
    errors: list[checks.CheckMessage] = []
    known = ", ".join(sorted(_ladders)) or "none"
    for code in sorted(_kinds):
        chapter, kind = _kinds[code]
        if kind.ladder and kind.ladder not in _ladders:
            errors.append(
                checks.Error(
                    _missing_ladder_message(kind),
                    hint=(
                        "Register the ladder (rule ID, labels, policy key, default "
                        "steps) in the same discipline.registry.register() call, or "
                        f"name a registered ladder: {known}."
                    ),
                    obj=f"discipline.registry:{chapter}",
                    id="discipline.E001",
                )
            )
    for ladder_code in sorted(_ladders):
        chapter, ladder = _ladders[ladder_code]
        if ladder.dismissal is None:
            continue
        for kind_code in ladder.dismissal.default.get("dismissal_kinds", []):
            kind = find_kind(kind_code)
            if kind is None or kind.ladder != ladder.code:
                errors.append(
                    checks.Error(
                        f"Ladder {ladder.code!r} (registered by {chapter!r}) proposes "
                        f"dismissal for {kind_code!r}, which is no kind of that "
                        "ladder.",
                        hint="Register the kind on this ladder.",
                        obj=f"discipline.registry:{chapter}",
                        id="discipline.E002",
                    )
                )
    return errors
