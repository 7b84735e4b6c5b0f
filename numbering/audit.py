"""The audit of the register behind `manage.py numbering_audit`: per series and year,
gaps, duplicates (the same n twice, or the same printed number twice) and a counter
out of step with the register. Read-only."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Max, Min, Q

from numbering import rules
from numbering.models import Counter, Number


def audit(*, series: str | None = None, year: int | None = None):
    """Returns (findings per series-year, duplicate printed numbers {text: count}).

    A series-year whose count of distinct n equals its count, starting at 1 and
    ending at its highest n, has no gap and no duplicate: only the others have their
    numbers read one by one, so a large clean register costs one grouped query."""
    numbers = Number.objects.all()
    counters = Counter.objects.all()
    if series:
        numbers = numbers.filter(series=series)
        counters = counters.filter(series=series)
    if year:
        numbers = numbers.filter(year=year)
        counters = counters.filter(year=year)
    last = {(c.series, c.year): c.last for c in counters}
    groups = numbers.values("series", "year").annotate(
        count=Count("id"),
        distinct=Count("n", distinct=True),
        lowest=Min("n"),
        highest=Max("n"),
        voided=Count("id", filter=Q(voided=True)),
    )
    findings = {}
    for g in groups:
        key = (g["series"], g["year"])
        clean = g["count"] == g["distinct"] == g["highest"] and g["lowest"] == 1
        if clean and last.get(key) == g["highest"]:
            found = rules.Finding(
                series=key[0],
                year=key[1],
                count=g["count"],
                voided=g["voided"],
                highest=g["highest"],
                counter=last.get(key),
            )
        else:
            found = rules.audit_series_year(
                key[0],
                key[1],
                numbers.filter(series=key[0], year=key[1]).values_list("n", flat=True),
                voided=g["voided"],
                counter=last.get(key),
            )
        findings[key] = found
    for key, value in last.items():
        # A counter that moved with no number in the register: its numbers are gaps.
        if key not in findings and value:
            findings[key] = rules.audit_series_year(key[0], key[1], [], counter=value)
    texts = defaultdict(int)
    for row in numbers.values("text").annotate(times=Count("id")).filter(times__gt=1):
        texts[row["text"]] = row["times"]
    return [findings[k] for k in sorted(findings)], dict(texts)
