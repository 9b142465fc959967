"""A readable KPI table for the terminal, in English or Chinese."""

from __future__ import annotations

import unicodedata

from sim.labels import KPI_LABELS, label, unit


def _width(text: str) -> int:
    """Display width (CJK characters take two columns)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_value(key: str, value: float) -> str:
    """Shares as percentages, money with thousands separators, counts as integers."""
    kind = KPI_LABELS.get(key, ("", "", ""))[2]
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind in ("ratio", "index", "0-1", "days"):
        return f"{value:.3f}"
    if kind == "yuan" or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def format_kpis(kpis: dict[str, float], lang: str = "en", all_keys: bool = False) -> str:
    """Main KPIs (or every key with ``all_keys``) as aligned rows: name, value, unit."""
    keys = list(kpis) if all_keys else [k for k in KPI_LABELS if k in kpis]
    names = [label(k, lang) for k in keys]
    pad = max(_width(n) for n in names) + 2
    rows = []
    for key, name in zip(keys, names):
        rows.append(f"  {name}{' ' * (pad - _width(name))}{format_value(key, kpis[key]):>14}  {unit(key, lang)}".rstrip())
    return "\n".join(rows)
