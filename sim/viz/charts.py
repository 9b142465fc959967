"""Line charts as SVG text: numbers on the axes only, so titles and legends stay in the page's language.

The x axis always spans the whole run (the lines grow to the right; the axes never rescale by
day); a missing value (None) leaves a gap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH_PX, HEIGHT_PX = 460, 190
LEFT_PX, RIGHT_PX, TOP_PX, BOTTOM_PX = 46, 10, 8, 22


@dataclass(frozen=True)
class Line:
    """One series: a colour, values for days 1..n (None = not drawn), solid or dashed."""

    colour: str
    values: Sequence[float | None]
    dashed: bool = False


def short_number(value: float, lang: str) -> str:
    """A tick label: 1.5k / 2M in English, 1.5万 / 200万 in Chinese."""
    scales = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e6, "M"), (1e3, "k"))
    for scale, suffix in scales:
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def nice_top(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _paths(values: Sequence[float | None], x_of, y_of) -> list[str]:  # noqa: ANN001
    """SVG path data, one run of consecutive values each."""
    runs, current = [], []
    for day, value in enumerate(values, start=1):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(f"{x_of(day):.1f},{y_of(value):.1f}")
    if current:
        runs.append(current)
    return ["M" + " L".join(run) if len(run) > 1 else f"M{run[0]} l0.1,0" for run in runs]


def line_chart_svg(lines: Sequence[Line], days: int, lang: str, percent: bool = False) -> str:
    """An SVG chart of ``lines`` over days 0..``days``; a percent chart runs 0-100%."""
    top = 1.0 if percent else nice_top(max((v for line in lines for v in line.values if v is not None), default=0.0))
    plot_w, plot_h = WIDTH_PX - LEFT_PX - RIGHT_PX, HEIGHT_PX - TOP_PX - BOTTOM_PX

    def x_of(day: float) -> float:
        return LEFT_PX + plot_w * day / max(days, 1)

    def y_of(value: float) -> float:
        return TOP_PX + plot_h * (1.0 - min(max(value / top, 0.0), 1.0))

    parts = [(f'<svg viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" width="100%" style="max-width:{WIDTH_PX * 1.4}px;'
              'font:11px sans-serif" xmlns="http://www.w3.org/2000/svg">')]
    for k in range(5):
        value = top * k / 4
        y = y_of(value)
        text = f"{value * 100:.0f}%" if percent else short_number(value, lang)
        parts.append(f'<line x1="{LEFT_PX}" x2="{WIDTH_PX - RIGHT_PX}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
                     f'<text x="{LEFT_PX - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#444">{text}</text>')
    tick_days = 30 if days <= 120 else 60 if days <= 400 else 180
    for day in range(0, days + 1, tick_days):
        x = x_of(day)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP_PX}" y2="{HEIGHT_PX - BOTTOM_PX}" stroke="#f0f0f0"/>'
                     f'<text x="{x:.1f}" y="{HEIGHT_PX - 6}" text-anchor="middle" fill="#444">{day}</text>')
    parts.append(f'<rect x="{LEFT_PX}" y="{TOP_PX}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>')
    for line in lines:
        dash = ' stroke-dasharray="5,3" stroke-opacity="0.75"' if line.dashed else ""
        for path in _paths(line.values, x_of, y_of):
            parts.append(f'<path d="{path}" fill="none" stroke="{line.colour}" stroke-width="1.8"{dash}/>')
    parts.append("</svg>")
    return "".join(parts)
