"""The report's numbers: what differs, KPI intervals, paired differences and replication adequacy.

Everything here reads stored results (pandas frames from ``sim.experiment.results``); nothing
re-runs the model.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.labels import LOWER_IS_BETTER
from sim.report.stats import Difference, Interval, adjust, mean_ci, paired_difference, replications_needed


@dataclass
class Adequacy:
    """Whether the replications separate the options on one KPI."""

    kpi: str
    max_half_width: float
    closest: tuple[str, str]
    closest_difference: float
    needed: float


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested tables as dotted keys."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): data}


def differing_parameters(resolved: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Dotted parameters whose resolved values differ between options (rows) by option (columns)."""
    flat = {option: flatten(data) for option, data in resolved.items()}
    keys = sorted(set().union(*flat.values()) - {"name", "name_zh", "description"})
    rows = {key: [flat[o].get(key, "-") for o in flat] for key in keys if len({repr(flat[o].get(key)) for o in flat}) > 1}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(flat))


def kpi_intervals(results: pd.DataFrame, options: list[str], kpis: list[str]) -> dict[tuple[str, str], Interval]:
    """Mean and 95% CI of each KPI for each option (ok runs only)."""
    return {(o, k): mean_ci(results.loc[results["scenario"] == o, k].to_numpy()) for o in options for k in kpis}


def paired(results: pd.DataFrame, option: str, baseline: str, kpi: str) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``kpi`` for ``option`` and ``baseline``, aligned by replication (common seeds)."""
    table = results[results["scenario"].isin([option, baseline])].pivot_table(index="replication", columns="scenario", values=kpi)
    table = table.dropna()
    return table[option].to_numpy(), table[baseline].to_numpy()


def differences(results: pd.DataFrame, options: list[str], baseline: str, kpis: list[str]) -> dict[tuple[str, str], Difference]:
    """Paired differences against the baseline, p-values adjusted over every comparison made."""
    found = {}
    for option, kpi in itertools.product([o for o in options if o != baseline], kpis):
        values, base = paired(results, option, baseline, kpi)
        found[(option, kpi)] = paired_difference(values, base)
    keys = list(found)
    for key, p_adj in zip(keys, adjust([found[k].p_value for k in keys])):
        found[key] = Difference(**{**found[key].__dict__, "p_adjusted": p_adj})
    return found


def adequacy(results: pd.DataFrame, options: list[str], kpi: str, intervals: dict[tuple[str, str], Interval]) -> Adequacy:
    """Largest CI half-width, the closest pair of options and the replications that would separate it."""
    widest = max((intervals[(o, kpi)].half_width for o in options), default=0.0)
    best: tuple[float, tuple[str, str], float] = (math.inf, ("", ""), math.inf)
    for a, b in itertools.combinations(options, 2):
        values, base = paired(results, a, b, kpi)
        if values.size == 0:
            continue
        diff = values - base
        gap = abs(float(diff.mean()))
        if gap < best[0]:
            sd = float(diff.std(ddof=1)) if diff.size > 1 else math.nan
            best = (gap, (a, b), replications_needed(sd, gap))
    return Adequacy(kpi, widest, best[1], best[0], best[2])


def rank(intervals: dict[tuple[str, str], Interval], options: list[str], kpi: str) -> list[tuple[str, float]]:
    """Options best first on a KPI."""
    values = [(o, intervals[(o, kpi)].mean) for o in options]
    return sorted(values, key=lambda item: item[1], reverse=kpi not in LOWER_IS_BETTER)


def overall(intervals: dict[tuple[str, str], Interval], options: list[str], kpis: list[str]) -> list[str]:
    """Options ordered by their mean rank over ``kpis`` (ties keep the given order)."""
    ranks = {o: 0.0 for o in options}
    for kpi in kpis:
        for position, (option, _) in enumerate(rank(intervals, options, kpi)):
            ranks[option] += position / len(kpis)
    return sorted(options, key=lambda o: ranks[o])


def summary_frame(intervals: dict[tuple[str, str], Interval], diffs: dict[tuple[str, str], Difference],
                  options: list[str], kpis: list[str], baseline: str) -> pd.DataFrame:
    """summary.csv: one row per option and KPI."""
    rows = []
    for option, kpi in itertools.product(options, kpis):
        iv, d = intervals[(option, kpi)], diffs.get((option, kpi))
        rows.append({
            "scenario": option, "kpi": kpi, "mean": iv.mean, "ci_low": iv.low, "ci_high": iv.high, "n": iv.n,
            "baseline": baseline,
            "diff": d.mean if d else 0.0, "diff_low": d.low if d else 0.0, "diff_high": d.high if d else 0.0,
            "diff_boot_low": d.boot_low if d else 0.0, "diff_boot_high": d.boot_high if d else 0.0,
            "p_value": d.p_value if d else math.nan, "p_adjusted": d.p_adjusted if d else math.nan,
        })
    return pd.DataFrame(rows)
