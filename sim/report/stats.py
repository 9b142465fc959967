"""Statistics of a comparison: means with confidence intervals, paired differences against a
baseline (common random numbers: replication i of every scenario shares its seed), adjusted
p-values and how many replications a decision needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A mean with its confidence interval over ``n`` replications."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the interval's width (0 when it cannot be estimated)."""
        return (self.high - self.low) / 2.0 if math.isfinite(self.high - self.low) else 0.0


@dataclass(frozen=True)
class Difference:
    """A paired difference (scenario minus baseline) with its CI, p-value and bootstrap CI."""

    mean: float
    low: float
    high: float
    p_value: float
    boot_low: float
    boot_high: float
    sd: float
    n: int
    p_adjusted: float = float("nan")


def mean_ci(values: np.ndarray, level: float = LEVEL) -> Interval:
    """Student-t interval of the mean (the mean itself, twice, when n < 2 or there is no spread)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    n = values.size
    if n == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    mean = float(values.mean())
    if n < 2 or np.ptp(values) == 0.0:
        return Interval(mean, mean, mean, n)
    half = stats.t.ppf(0.5 + level / 2.0, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


def paired_difference(values: np.ndarray, baseline: np.ndarray, level: float = LEVEL, seed: int = 0) -> Difference:
    """Paired t interval and test of ``values - baseline``, plus a BCa bootstrap interval."""
    diff = np.asarray(values, dtype=float) - np.asarray(baseline, dtype=float)
    diff = diff[np.isfinite(diff)]
    n = diff.size
    interval = mean_ci(diff, level)
    if n < 2 or np.ptp(diff) == 0.0:
        p_value = float("nan") if n < 2 else (1.0 if interval.mean == 0.0 else 0.0)
        return Difference(interval.mean, interval.low, interval.high, p_value, interval.low, interval.high, 0.0, n)
    p_value = float(stats.ttest_1samp(diff, 0.0).pvalue)
    boot = stats.bootstrap((diff,), np.mean, confidence_level=level, n_resamples=2000, method="BCa",
                           rng=np.random.default_rng(seed))
    low, high = float(boot.confidence_interval.low), float(boot.confidence_interval.high)
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = interval.low, interval.high
    return Difference(interval.mean, interval.low, interval.high, p_value, low, high, float(diff.std(ddof=1)), n)


def adjust(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg false-discovery-rate adjusted p-values (NaN stays NaN)."""
    values = np.asarray(p_values, dtype=float)
    finite = np.isfinite(values)
    adjusted = np.full(values.shape, np.nan)
    if finite.any():
        adjusted[finite] = stats.false_discovery_control(values[finite], method="bh")
    return adjusted.tolist()


def replications_needed(sd: float, difference: float, level: float = LEVEL, power: float = 0.8) -> float:
    """Paired replications for a two-sided t test at ``level`` to detect ``difference`` with ``power``.

    Exact, from the noncentral t distribution (the normal approximation under-counts: at 1 SD it
    says 8 where 10 are needed). Infinite when the difference is zero or not estimable.
    """
    if difference == 0.0 or not math.isfinite(sd) or not math.isfinite(difference):
        return float("inf")
    if sd == 0.0:
        return 2.0
    effect = abs(difference) / sd
    for n in range(2, 100_000):
        critical = stats.t.ppf(0.5 + level / 2.0, n - 1)
        noncentrality = effect * math.sqrt(n)
        reached = stats.nct.sf(critical, n - 1, noncentrality) + stats.nct.cdf(-critical, n - 1, noncentrality)
        if reached >= power:
            return float(n)
    return float("inf")


@dataclass(frozen=True)
class Equivalence:
    """Two one-sided tests (TOST) of ``-margin < true difference < margin``."""

    p_value: float  # the larger one-sided p-value; equivalence is shown when it is below alpha
    equivalent: bool


def equivalence_test(diff: np.ndarray, margin: float, alpha: float = (1.0 - LEVEL) / 2.0) -> Equivalence:
    """TOST on paired differences; at the default alpha (0.025) it agrees with "the 95% CI lies inside +-margin"."""
    diff = np.asarray(diff, dtype=float)
    diff = diff[np.isfinite(diff)]
    n = diff.size
    if n < 2 or margin <= 0.0:
        return Equivalence(float("nan"), False)
    mean, sd = float(diff.mean()), float(diff.std(ddof=1))
    if sd == 0.0:
        inside = abs(mean) < margin
        return Equivalence(0.0 if inside else 1.0, inside)
    error = sd / math.sqrt(n)
    p_low = float(stats.t.sf((mean + margin) / error, n - 1))  # H0: difference <= -margin
    p_high = float(stats.t.cdf((mean - margin) / error, n - 1))  # H0: difference >= +margin
    p_value = max(p_low, p_high)
    return Equivalence(p_value, p_value < alpha)
