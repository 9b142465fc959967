"""Numbers as a planner reads them (one format per KPI, thousands separators, a unit on every number)
and a readable KPI table for the terminal, in English or Chinese."""

from __future__ import annotations

import math
import re
import unicodedata

from sim.kpis import MAIN_KPIS, is_share, label, unit, unit_of

DIGITS = {"days": 1, "ratio": 2, "index": 2, "0-1": 2, "per-year": 3, "per-month": 1, "per-activity": 1,
          "per-community": 1}


def _width(text: str) -> int:
    """Display width (CJK characters take two columns)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _no_signed_zero(text: str) -> str:
    """``-0``, ``+0.0`` and ``-0.0%`` lose their sign."""
    return text[1:] if text[:1] in "+-" and not re.search(r"[1-9]", text) else text


def _digits(key: str) -> int:
    from sim.kpis import get

    entry = get(key)
    return DIGITS.get(entry.unit, 2) if entry and unit_of(key).kind == "decimal" else 0


def format_value(key: str, value: float, signed: bool = False) -> str:
    """Shares as percentages with one decimal, counts and yuan as integers with separators, the rest by unit."""
    if not math.isfinite(value):
        return "-"
    sign = "+" if signed else ""
    text = f"{100 * value:{sign},.1f}%" if is_share(key) else f"{value:{sign},.{_digits(key)}f}"
    return _no_signed_zero(text)


def with_unit(key: str, value: float, lang: str = "en", signed: bool = False) -> str:
    """The number and its unit: ``52.3%``, ``1,204 needs``, ``502,000 yuan``, ``3.2 天``."""
    text = format_value(key, value, signed)
    if is_share(key) or text == "-":
        return text
    word = unit(key, lang)
    return f"{text}{word}" if lang == "zh" else f"{text} {word}".rstrip()


def signed_number(key: str, value: float) -> str:
    """A signed difference without its unit (shares in points): for the bounds of an interval."""
    if is_share(key) and math.isfinite(value):
        return _no_signed_zero(f"{100 * value:+,.1f}")
    return format_value(key, value, signed=True)


def format_difference(key: str, value: float, lang: str = "en") -> str:
    """A signed difference with its unit; shares in percentage points."""
    if is_share(key) and math.isfinite(value):
        points = _no_signed_zero(f"{100 * value:+,.1f}")
        return f"{points} 个百分点" if lang == "zh" else f"{points} points"
    return with_unit(key, value, lang, signed=True)


def format_kpis(kpis: dict[str, float], lang: str = "en", all_keys: bool = False) -> str:
    """Main KPIs (or every key with ``all_keys``) as aligned rows: name, value, unit."""
    keys = list(kpis) if all_keys else [k for k in MAIN_KPIS if k in kpis]
    names = [label(k, lang) for k in keys]
    pad = max(_width(n) for n in names) + 2
    rows = []
    for key, name in zip(keys, names):
        shown = "" if is_share(key) else unit(key, lang)
        rows.append(f"  {name}{' ' * (pad - _width(name))}{format_value(key, kpis[key]):>14}  {shown}".rstrip())
    return "\n".join(rows)
