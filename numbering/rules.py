"""Numbering's judgements as pure functions: how a number is printed, and what an
audit of a series-year finds (gaps, duplicates, a counter out of step)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


def format_number(template: str, *, code: str, year: int, n: int) -> str:
    """`{code}〔{year}〕{n}号` with code 示计生, 2026, 12 -> 示计生〔2026〕12号.
    No padding: the number is printed as it is."""
    return template.format(code=code, year=year, n=n)


@dataclass
class Finding:
    """What an audit of one series in one year found."""

    series: str
    year: int
    count: int = 0
    voided: int = 0
    highest: int = 0
    gaps: list[tuple[int, int]] = field(default_factory=list)  # inclusive ranges
    duplicates: list[int] = field(default_factory=list)
    counter: int | None = None  # the counter's last number, None when missing

    @property
    def counter_behind(self) -> bool:
        """The counter is missing or below the highest number given: the next number
        taken would collide with one in the register."""
        return self.count > 0 and (self.counter is None or self.counter < self.highest)

    @property
    def ok(self) -> bool:
        return not (self.gaps or self.duplicates or self.counter_behind)


def gaps_in(numbers: Iterable[int], upto: int = 0) -> list[tuple[int, int]]:
    """The missing ranges of 1..max(numbers, upto): [1, 2, 5, 9] -> [(3, 4), (6, 8)];
    `upto` is the counter, whose numbers above the register's highest are missing."""
    present = sorted(set(numbers))
    gaps = []
    expected = 1
    for n in present:
        if n > expected:
            gaps.append((expected, n - 1))
        expected = n + 1
    if upto >= expected:
        gaps.append((expected, upto))
    return gaps


def duplicates_in(numbers: Iterable[int]) -> list[int]:
    return sorted(n for n, times in Counter(numbers).items() if times > 1)


def audit_series_year(
    series: str,
    year: int,
    numbers: Iterable[int],
    *,
    voided: int = 0,
    counter: int | None = None,
) -> Finding:
    """Audit the numbers (voided ones included: a voided number is no gap) given in
    one series and year against its counter (the last number it handed out)."""
    numbers = list(numbers)
    return Finding(
        series=series,
        year=year,
        count=len(numbers),
        voided=voided,
        highest=max(numbers, default=0),
        gaps=gaps_in(numbers, upto=counter or 0),
        duplicates=duplicates_in(numbers),
        counter=counter,
    )


def ranges_text(ranges: list[tuple[int, int]]) -> str:
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)
