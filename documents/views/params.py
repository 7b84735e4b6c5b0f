"""Query parameters the registers share."""

from __future__ import annotations

from django.utils import timezone

from bureau.params import year_param


def register_year(request) -> int | None:
    """The year a register shows: this year when none is asked; every year when
    the year field is sent empty (searching a title across the registers)."""
    if request.GET.get("year", None) is not None and not request.GET["year"].strip():
        return None
    return year_param(request.GET, "year", default=timezone.localdate().year)
