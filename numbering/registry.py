"""What a chapter registers with numbering: its series, once, in AppConfig.ready().

    from numbering.registry import register_series

    register_series(
        "documents.outgoing",
        label=_("Outgoing documents (DOC-1)"),
        template="{code}〔{year}〕{n}号",
    )

A series is named by a key ("<chapter>.<what>"), shown by its label, and printed by its
template. The template is the official form of the number, not interface text: it is
stored with each number as it was printed and is not translated. It may use
`{code}` (the organisation's document code, 机关代字, e.g. 示计生), `{year}` (the
year the number belongs to, four digits) and `{n}` (the number in the year, from 1,
no padding); `{n}` is required. Every series starts again at 1 each year.

Plain data, no ORM: `numbering.rules` formats with the template handed to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
from typing import Any

from bureau.rulebook import plain_label

PLACEHOLDERS = frozenset({"code", "year", "n"})


@dataclass(frozen=True)
class Series:
    key: str
    label: Any  # a lazy translation
    template: str

    @property
    def uses_code(self) -> bool:
        return "code" in placeholders(self.template)


_SERIES: dict[str, Series] = {}


def placeholders(template: str) -> set[str]:
    return {
        field for _text, field, _spec, _conv in Formatter().parse(template) if field
    }


def validate_template(template: str) -> None:
    """A template names only {code}, {year} and {n}, and names {n}."""
    try:
        fields = placeholders(template)
    except ValueError as exc:
        raise ValueError(f"numbering template {template!r}: {exc}") from None
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise ValueError(
            f"numbering template {template!r} names {sorted(unknown)}; "
            f"only {sorted(PLACEHOLDERS)} are known"
        )
    if "n" not in fields:
        raise ValueError(f"numbering template {template!r} has no {{n}}")


def register_series(key: str, *, label, template: str) -> Series:
    """Register a series. Registering the same series again is a no-op (ready() may
    run twice in tests); the same key with another template is an error."""
    validate_template(template)
    # Rule IDs are help text: the series reads "Outgoing documents", not "(DOC-1)".
    series = Series(key=key, label=plain_label(label), template=template)
    existing = _SERIES.get(key)
    if existing is not None and existing.template != template:
        raise ValueError(f"numbering series {key!r} is registered twice")
    _SERIES[key] = series
    return series


def unregister_series(key: str) -> None:
    """For tests that register a series of their own."""
    _SERIES.pop(key, None)


def get_series(key: str) -> Series | None:
    return _SERIES.get(key)


def all_series() -> list[Series]:
    return sorted(_SERIES.values(), key=lambda s: s.key)
