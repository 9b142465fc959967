"""Planner-facing names of KPIs in English and Chinese, with units: views of the registry in ``sim.kpis``.

Kept for the modules that read names by this shape; add or change a KPI in ``sim.kpis`` only.
"""

from __future__ import annotations

from sim import kpis as registry
from sim.kpis import DECISION_KPIS, label, unit

__all__ = ["DECISION_KPIS", "KPI_LABELS", "LOWER_IS_BETTER", "SERIES_LABELS", "UNIT_ZH", "label", "unit"]

# key: (English, Chinese, unit key) of the main KPIs, in the registry's order
KPI_LABELS: dict[str, tuple[str, str, str]] = {k: (e.en, e.zh, e.unit) for k, e in registry.KPIS.items() if e.main}

# daily series that are not main KPIs
SERIES_LABELS: dict[str, tuple[str, str, str]] = {
    k: (e.en, e.zh, e.unit) for k, e in [*registry.SERIES.items(), ("fund_balance_yuan", registry.KPIS["fund_balance_yuan"])]}

UNIT_ZH = {key: u.zh for key, u in registry.UNITS.items()}

# KPIs where a lower value is better
LOWER_IS_BETTER = {k for k, e in registry.KPIS.items() if e.better is registry.Better.LOWER}
