"""The report's numbers: what differs, KPI intervals, paired differences and replication adequacy.

Everything here reads stored results (pandas frames from ``sim.experiment.results``); nothing
re-runs the model.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

from sim.report.stats import Difference, Interval, adjust, mean_ci, paired_difference
from sim.report.verdicts import Judgement, Mid, Verdict, judge


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


def differences(results: pd.DataFrame, options: list[str], baseline: str, kpis: list[str],
                mids: dict[str, Mid] | None = None) -> dict[tuple[str, str], Judgement]:
    """Each option against the baseline on each KPI: paired difference, verdict, and p-values adjusted
    (Benjamini-Hochberg) over the comparisons actually tested (equal-by-design ones are not)."""
    found = {}
    for option, kpi in itertools.product([o for o in options if o != baseline], kpis):
        values, base = paired(results, option, baseline, kpi)
        found[(option, kpi)] = judge(option, kpi, values, base, paired_difference(values, base), (mids or {}).get(kpi))
    tested = [key for key, j in found.items() if j.verdict is not Verdict.EQUAL]
    for key, p_adj in zip(tested, adjust([found[k].diff.p_value for k in tested])):
        found[key] = dataclasses.replace(found[key], diff=dataclasses.replace(found[key].diff, p_adjusted=p_adj))
    return found


def summary_frame(intervals: dict[tuple[str, str], Interval], judgements: dict[tuple[str, str], Judgement],
                  options: list[str], kpis: list[str], baseline: str, names: dict[str, str], lang: str) -> pd.DataFrame:
    """summary.csv: one row per option and KPI, headers and words in the report's language."""
    from sim.kpis import label
    from sim.report.text import verdict_word

    rows = []
    for option, kpi in itertools.product(options, kpis):
        iv, j = intervals[(option, kpi)], judgements.get((option, kpi))
        d: Difference | None = j.diff if j else None
        rows.append({
            "scenario": option, "option": names[option], "kpi": kpi, "indicator": label(kpi, lang),
            "mean": iv.mean, "ci_low": iv.low, "ci_high": iv.high, "n": iv.n, "baseline": names[baseline],
            "diff": d.mean if d else 0.0, "diff_low": d.low if d else 0.0, "diff_high": d.high if d else 0.0,
            "diff_boot_low": d.boot_low if d else 0.0, "diff_boot_high": d.boot_high if d else 0.0,
            "p_value": d.p_value if d else math.nan, "p_adjusted": d.p_adjusted if d else math.nan,
            "smallest_important_difference": j.mid if j else math.nan,
            "equivalence_p": j.equivalence_p if j else math.nan,
            "verdict": verdict_word(j.verdict, lang) if j else "",
            "replications_needed": j.replications_needed if j else math.nan,
        })
    frame = pd.DataFrame(rows)
    return frame.rename(columns=SUMMARY_ZH) if lang == "zh" else frame


SUMMARY_ZH = {
    "scenario": "方案代码", "option": "方案", "kpi": "指标代码", "indicator": "指标", "mean": "均值",
    "ci_low": "置信区间下限", "ci_high": "置信区间上限", "n": "重复次数", "baseline": "对照方案", "diff": "差异",
    "diff_low": "差异下限", "diff_high": "差异上限", "diff_boot_low": "自助法差异下限", "diff_boot_high": "自助法差异上限",
    "p_value": "p值", "p_adjusted": "校正后p值", "smallest_important_difference": "最小重要差异",
    "equivalence_p": "等效检验p值", "verdict": "判断", "replications_needed": "所需重复次数",
}
