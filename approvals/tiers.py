"""Choosing a chain by position × a measure (days of leave, yuan of a purchase).

A tier table is policy data, one entry per position (or any key the chapter uses):

    {"section_staff": {"rule": "FIN-2", "tiers": [
        {"up_to": 300, "boundary": "at_least", "steps": [...]},   # 300元以上: next
        {"up_to": 5000, "boundary": "over", "steps": [...]},      # 超過5000元: next
        {"up_to": None, "steps": [...], "top": "director"}]}}

- `up_to` bounds a tier from above; the last tier is open-ended (`up_to` None).
- `boundary` says on which side a value equal to `up_to` falls, as the rule words
  the next tier: "over" (超過 `up_to`: the value stays in this tier — the default,
  and leave's reading) or "at_least" (`up_to` 以上: the value goes to the next
  tier). Chinese legal counting: 以上/以下/以內/不超過 include the number; 超過/不足
  exclude it.
- Stricter-tier reading: a value between two tiers as the rule words them (1.5 days
  between "1 day" and "2 days and more") is above the lower tier's `up_to`, so it
  falls in the next, stricter tier.
- A tier's chain is its `steps`, with its `top` (approvals.chains.EndOfChain) when
  it names one.

Pure functions over plain values: no ORM.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from approvals.chains import validate_chain
from bureau.readable import term

OVER, AT_LEAST = "over", "at_least"
BOUNDARIES = {OVER, AT_LEAST}


def _number(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def in_tier(tier: dict, measure) -> bool:
    """Whether `measure` falls in `tier` given that it is above the previous one."""
    up_to = tier.get("up_to")
    if up_to is None:
        return True
    measure, bound = _number(measure), _number(up_to)
    if tier.get("boundary", OVER) == AT_LEAST:
        return measure < bound
    return measure <= bound


def choose_tier(tiers: list[dict], measure) -> dict:
    """The first tier that holds `measure` (tiers in growing order)."""
    for tier in tiers:
        if in_tier(tier, measure):
            return tier
    return tiers[-1]


def tier_chain(tier: dict) -> list[dict] | dict:
    """The tier's chain, in the form approvals.services takes."""
    if "top" in tier:
        return {"steps": tier["steps"], "top": tier["top"]}
    return tier["steps"]


def choose_chain(table: dict, key: str, measure) -> tuple[dict, dict]:
    """(entry, tier) for `key` (a position) and `measure`; KeyError if no entry."""
    entry = table[key]
    return entry, choose_tier(entry["tiers"], measure)


def validate_tiers(tiers, where: str = "") -> None:
    """Raise ValueError unless `tiers` is a growing list of tiers with chains.
    `where` names the entry (a position) in the messages, by its label."""
    prefix = _("%(where)s: ") % {"where": term(where)} if where else ""
    if not isinstance(tiers, list) or not tiers:
        raise ValueError(prefix + _("it needs at least one tier."))
    previous = None
    for number, tier in enumerate(tiers, start=1):
        if not isinstance(tier, dict):
            raise ValueError(prefix + _("tier %(n)s is not a tier.") % {"n": number})
        up_to = tier.get("up_to")
        if up_to is None and number != len(tiers):
            raise ValueError(prefix + _("only the last tier may have no upper limit."))
        if up_to is not None:
            if isinstance(up_to, bool) or not isinstance(up_to, int | float | str):
                raise ValueError(
                    prefix
                    + _("tier %(n)s: the upper limit is a number.") % {"n": number}
                )
            try:
                bound = _number(up_to)
            except ArithmeticError:
                raise ValueError(
                    prefix
                    + _("tier %(n)s: the upper limit is a number.") % {"n": number}
                ) from None
            if bound <= (previous if previous is not None else Decimal(0)):
                raise ValueError(
                    prefix + _("each tier's upper limit is above the one before.")
                )
            previous = bound
        if tier.get("boundary", OVER) not in BOUNDARIES:
            raise ValueError(
                prefix
                + _(
                    "tier %(n)s: a value equal to the limit either stays in this tier "
                    "or goes to the next."
                )
                % {"n": number}
            )
        try:
            validate_chain(tier_chain(tier) if "steps" in tier else None)
        except ValueError as exc:
            raise ValueError(
                prefix + _("tier %(n)s: %(problem)s") % {"n": number, "problem": exc}
            ) from exc


def validate_tier_table(value) -> None:
    """A policy validator: a mapping of position (or other key) to {"tiers": [...]}."""
    if not isinstance(value, dict) or not value:
        raise ValueError(_("Give the tiers of at least one position."))
    for key, entry in value.items():
        tiers = entry.get("tiers") if isinstance(entry, dict) else None
        validate_tiers(tiers, str(key))
