"""Practical significance: each option against the baseline on each KPI is better, worse,
practically equivalent, unclear (with the replications that would decide it), or equal in every
replication (the same by design, e.g. the same budget), never merely "significant".

Rules, with ``m`` the KPI's smallest important difference and [low, high] the paired 95% CI:
better / worse when the whole CI lies beyond ``m`` in that direction; practically equivalent when
the whole CI lies inside ``(-m, m)`` (a TOST equivalence test at 2.5% per side); otherwise unclear.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from sim.kpis import Better, Relative, better_of, smallest_important
from sim.report.stats import Difference, equivalence_test, replications_needed

Mid = float | Relative


class Verdict(str, Enum):
    """What a difference means to a planner."""

    BETTER = "better"
    WORSE = "worse"
    MORE = "more"  # a neutral KPI (e.g. hours given) clearly higher by at least m
    LESS = "less"
    EQUIVALENT = "equivalent"
    UNCLEAR = "unclear"
    EQUAL = "equal"  # identical in every replication: equal by design, never tested


@dataclass(frozen=True)
class Judgement:
    """One option against the baseline on one KPI."""

    option: str
    kpi: str
    diff: Difference
    mid: float
    verdict: Verdict
    equivalence_p: float
    replications_needed: float  # in all, for an unclear verdict (inf when not estimable)


def equal_by_design(values: np.ndarray, baseline: np.ndarray) -> bool:
    """The same in every paired replication (to rounding: 4.8e-9 yuan on 502,000 is equal)."""
    values, baseline = np.asarray(values, dtype=float), np.asarray(baseline, dtype=float)
    scale = max(1.0, float(np.abs(baseline).max(initial=0.0)))
    return values.size > 0 and bool(np.all(np.abs(values - baseline) <= 1e-9 * scale))


def classify(kpi: str, diff: Difference, mid: float) -> Verdict:
    """Better / worse / more / less / equivalent / unclear from the CI and ``mid``."""
    if diff.low > mid or diff.high < -mid:
        up = diff.low > mid
        direction = better_of(kpi)
        if direction is Better.NEUTRAL:
            return Verdict.MORE if up else Verdict.LESS
        return Verdict.BETTER if up == (direction is Better.HIGHER) else Verdict.WORSE
    if -mid < diff.low and diff.high < mid:
        return Verdict.EQUIVALENT
    return Verdict.UNCLEAR


def judge(option: str, kpi: str, values: np.ndarray, baseline: np.ndarray, diff: Difference,
          override: Mid | None = None) -> Judgement:
    """The verdict on one paired comparison, with the replications an unclear one would need."""
    mid = smallest_important(kpi, float(np.mean(baseline)) if len(baseline) else 0.0, override)
    if equal_by_design(values, baseline):
        return Judgement(option, kpi, diff, mid, Verdict.EQUAL, float("nan"), float("nan"))
    tost = equivalence_test(np.asarray(values, dtype=float) - np.asarray(baseline, dtype=float), mid)
    verdict = Verdict.EQUIVALENT if tost.equivalent else classify(kpi, diff, mid)
    needed = float("nan")
    if verdict is Verdict.UNCLEAR:
        needed = replications_needed(diff.sd, abs(abs(diff.mean) - mid))
    return Judgement(option, kpi, diff, mid, verdict, tost.p_value, needed)
