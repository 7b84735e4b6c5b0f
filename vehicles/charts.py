"""The fuel report's chart (VEH-10), drawn on the server as SVG: no script, no
CDN, no inline style (CSP-clean; presentation attributes and classes only).

Per vehicle, L/100 km of every full-to-full segment over the months shown, placed at
the date of the full fill that closes it, with the vehicle's baseline (dashed) and the
policy's flag line (dotted). Pure: numbers in, coordinates out; the template draws.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 300
HEIGHT = 64
PAD = 4


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    value: Decimal
    on: datetime.date
    over: bool
    in_month: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y …"
    dots: list[Dot]
    baseline_y: float
    limit_y: float
    top: Decimal  # the value at the top edge
    months: list[tuple[float, str]]  # (x, "MM") ticks at each month's start


def _round(value: float) -> float:
    return round(value, 1)


def consumption_chart(
    segments: list[tuple[datetime.datetime, Decimal]],
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    month_start: datetime.datetime,
    baseline: Decimal,
    limit: Decimal,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """`segments`: (closing fill's time, L/100 km) in time order, inside
    [start, end). The y scale runs from 0 to the larger of 1.5 × the flag line and
    the highest value; the x scale over [start, end)."""
    values = [v for _, v in segments]
    top = max([limit * Decimal("1.5"), baseline, *values]).quantize(
        Decimal("0.01")
    ) or Decimal("1")
    span = (end - start).total_seconds() or 1.0
    inner_w = width - 2 * PAD
    inner_h = height - 2 * PAD

    def x_of(when: datetime.datetime) -> float:
        return _round(PAD + inner_w * (when - start).total_seconds() / span)

    def y_of(value: Decimal) -> float:
        return _round(PAD + inner_h * (1 - float(min(value, top) / top)))

    dots = [
        Dot(
            x_of(when),
            y_of(value),
            value,
            when.date(),
            value > limit,
            when >= month_start,
        )
        for when, value in segments
    ]
    months = []
    tick = start.replace(day=1)
    while tick < end:
        if tick >= start:
            months.append((x_of(tick), f"{tick.month:02d}"))
        tick = (tick + datetime.timedelta(days=32)).replace(day=1)
    return Chart(
        width=width,
        height=height,
        points=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=dots,
        baseline_y=y_of(baseline),
        limit_y=y_of(limit),
        top=top,
        months=months,
    )
