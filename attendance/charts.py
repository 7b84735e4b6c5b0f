"""Server-side SVG charts of the month (no CDN, no script)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe


def bar_chart_by_day(points, *, title: str, width: int = 720, height: int = 200):
    """Vertical bars, one per day of the month: [(date, count)]."""
    top = max([n for _d, n in points] + [1])
    left, bottom, right, head = 30, 24, 8, 22
    inner_w = width - left - right
    inner_h = height - bottom - head
    step = inner_w / max(len(points), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="{left}" y="15" font-size="13" font-weight="600">{escape(title)}</text>',
        f'<line x1="{left}" y1="{head + inner_h}" x2="{width - right}" '
        f'y2="{head + inner_h}" stroke="#9aa5b1"/>',
        f'<text x="{left - 4}" y="{head + 10}" font-size="10" text-anchor="end">{top}</text>',
    ]
    for i, (day, n) in enumerate(points):
        bar_h = inner_h * n / top
        x = left + i * step + 1
        y = head + inner_h - bar_h
        if n:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" '
                f'height="{bar_h:.1f}" fill="#a15c00"><title>{day:%m-%d}: {n}</title></rect>'
            )
        parts.append(
            f'<text x="{x + step / 2 - 1:.1f}" y="{height - 8}" font-size="9" '
            f'text-anchor="middle">{day.day}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart_by_name(items, *, title: str, width: int = 720):
    """Horizontal bars: [(name, count)]."""
    row_h = 22
    head = 24
    height = head + row_h * max(len(items), 1) + 8
    label_w = 150
    top = max([n for _name, n in items] + [1])
    inner_w = width - label_w - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="4" y="15" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for i, (name, n) in enumerate(items):
        y = head + i * row_h
        w = inner_w * n / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" font-size="12" '
            f'text-anchor="end">{escape(name)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
            f'fill="#9b1c1c"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{n}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
