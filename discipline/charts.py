"""The trend chart as server-side SVG: no script, nothing loaded from outside."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ["#9b1c1c", "#1d4ed8", "#a15c00", "#1f7a3f", "#6b21a8", "#616e7c"]


def monthly_bars(series: dict[str, list[int]], labels: dict[str, str], title: str):
    """Stacked bars per month, one colour per ladder, with a legend."""
    width, height, left, bottom, top = 640, 260, 36, 28, 16
    plot_w, plot_h = width - left - 10, height - bottom - top
    totals = [sum(values[m] for values in series.values()) for m in range(12)]
    peak = max(totals + [1])
    step = max(1, -(-peak // 5))
    scale_max = step * -(-peak // step)
    bar_w = plot_w / 12 * 0.7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 24}" '
        f'role="img" aria-label="{escape(title)}" class="trend-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, scale_max + 1, step):
        y = top + plot_h - plot_h * tick / scale_max
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
            f'stroke="#d9e2ec"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="#616e7c">{tick}</text>'
        )
    for month in range(12):
        x = left + plot_w / 12 * month + (plot_w / 12 - bar_w) / 2
        y = top + plot_h
        for index, (_ladder, values) in enumerate(series.items()):
            value = values[month]
            if not value:
                continue
            h = plot_h * value / scale_max
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[index % len(COLOURS)]}"><title>{month + 1}: '
                f"{value}</title></rect>"
            )
        if totals[month]:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="11" '
                f'text-anchor="middle">{totals[month]}</text>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" font-size="11" '
            f'text-anchor="middle" fill="#616e7c">{month + 1}</text>'
        )
    x, row = left, 0
    for index, ladder in enumerate(series):
        text = str(labels.get(ladder, ladder))
        item_width = 28 + 12 * len(text)
        if x + item_width > width and x > left:
            x, row = left, row + 1
        y = height + 6 + row * 18
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" '
            f'fill="{COLOURS[index % len(COLOURS)]}"/>'
            f'<text x="{x + 16}" y="{y + 10}" font-size="12">{escape(text)}</text>'
        )
        x += item_width
    parts[0] = parts[0].replace(
        f"0 0 {width} {height + 24}", f"0 0 {width} {height + 24 + row * 18}"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))
