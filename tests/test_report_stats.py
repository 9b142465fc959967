"""Report statistics against hand-computed values on a tiny fixed data set."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.kpis import Relative, smallest_important
from sim.report.stats import (
    adjust,
    equivalence_test,
    mean_ci,
    paired_difference,
    replications_needed,
)
from sim.report.tables import differences
from sim.report.verdicts import Verdict, classify, equal_by_design


def test_mean_ci_by_hand() -> None:
    # values 1..5: mean 3, sd sqrt(2.5) = 1.5811, t(0.975, 4) = 2.7764 -> half 1.9632
    interval = mean_ci(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert interval.mean == 3.0 and interval.n == 5
    assert interval.low == pytest.approx(3 - 1.96321, abs=1e-4)
    assert interval.high == pytest.approx(3 + 1.96321, abs=1e-4)
    assert interval.half_width == pytest.approx(1.96321, abs=1e-4)


def test_mean_ci_degenerate_cases() -> None:
    assert mean_ci(np.array([2.0, 2.0])).half_width == 0.0
    assert mean_ci(np.array([7.0])).mean == 7.0
    assert math.isnan(mean_ci(np.array([])).mean)


def test_paired_difference_by_hand() -> None:
    base = np.array([10.0, 12.0, 11.0, 13.0])
    other = base + np.array([1.0, 2.0, 1.5, 2.5])  # differences: mean 1.75, sd 0.6455
    diff = paired_difference(other, base)
    assert diff.mean == pytest.approx(1.75)
    assert diff.sd == pytest.approx(0.645497, abs=1e-6)
    half = 3.182446 * 0.645497 / 2.0  # t(0.975, 3) * sd / sqrt(4)
    assert (diff.low, diff.high) == (pytest.approx(1.75 - half, abs=1e-5), pytest.approx(1.75 + half, abs=1e-5))
    # t = 1.75 / (0.645497 / 2) = 5.4222 with 3 df: two-sided p = 0.01228
    assert diff.p_value == pytest.approx(0.01228, abs=1e-4)
    assert diff.boot_low <= diff.mean <= diff.boot_high


def test_pairing_removes_common_noise() -> None:
    rng = np.random.default_rng(0)
    common = rng.normal(0, 10, 30)
    diff = paired_difference(common + 1.0 + rng.normal(0, 0.1, 30), common)
    assert diff.p_value < 1e-10 and diff.low > 0.9


def test_benjamini_hochberg_by_hand() -> None:
    # p sorted 0.01, 0.02, 0.03, 0.5 with m = 4: 0.04, 0.04, 0.04, 0.5
    assert adjust([0.02, 0.5, 0.01, 0.03]) == pytest.approx([0.04, 0.5, 0.04, 0.04])
    assert math.isnan(adjust([float("nan"), 0.01])[0])


def test_replications_needed_by_hand() -> None:
    # paired two-sided t test, alpha 0.05, power 0.8, from the noncentral t: the smallest n with
    # P(|T_{n-1}(delta sqrt n)| > t_{0.975, n-1}) >= 0.8 is 5, 6, 10, 34 at delta = 2, 1.5, 1, 0.5 SD
    # (the normal approximation gives 2, 4, 8, 32)
    assert [replications_needed(sd=1.0, difference=d) for d in (2.0, 1.5, 1.0, 0.5)] == [5, 6, 10, 34]
    assert replications_needed(sd=4.0, difference=2.0) == 34  # only the ratio matters
    assert replications_needed(sd=2.0, difference=0.0) == math.inf
    assert replications_needed(sd=0.0, difference=1.0) == 2


def test_equivalence_test_by_hand() -> None:
    # differences 0.1, -0.2, 0.3, 0, 0.05: mean 0.05, variance 0.13 / 4 = 0.0325, sd 0.180278,
    # se 0.180278 / sqrt 5 = 0.0806226, df 4. Margin 0.5: t_low = 0.55 / se = 6.8219 (p 0.001207),
    # t_high = -0.45 / se = -5.5816 (p 0.002526, from a t table with 4 df); TOST p is the larger.
    diff = np.array([0.1, -0.2, 0.3, 0.0, 0.05])
    result = equivalence_test(diff, margin=0.5)
    assert result.p_value == pytest.approx(0.002526, abs=1e-5) and result.equivalent
    # margin 0.25: t_high = -0.2 / se = -2.4807 -> p = 0.03408 > 0.025: not shown to be equivalent
    narrow = equivalence_test(diff, margin=0.25)
    assert narrow.p_value == pytest.approx(0.03408, abs=1e-4) and not narrow.equivalent
    # at alpha 0.025 the test agrees with "the 95% CI lies inside +-margin": 0.05 + 2.7764 * se = 0.2738 > 0.25
    assert mean_ci(diff).high == pytest.approx(0.27384, abs=1e-4)


def test_verdicts_from_the_interval_and_the_smallest_important_difference() -> None:
    def diff(low: float, high: float):
        return paired_difference(np.array([low, high, (low + high) / 2]), np.zeros(3))

    assert classify("coverage", diff(0.02, 0.03), 0.01) is Verdict.BETTER
    assert classify("coverage", diff(-0.03, -0.02), 0.01) is Verdict.WORSE
    assert classify("cost_per_need_met_yuan", diff(-30.0, -20.0), 5.0) is Verdict.BETTER  # lower is better
    assert classify("volunteer_hours", diff(500.0, 600.0), 100.0) is Verdict.MORE  # neutral: neither gain nor loss
    assert classify("coverage", diff(0.005, 0.02), 0.01) is Verdict.UNCLEAR  # CI straddles the threshold
    assert classify("coverage", diff(-0.004, 0.004), 0.01) is Verdict.EQUIVALENT
    assert smallest_important("cost_per_need_met_yuan", 98.0) == pytest.approx(4.9)  # default: 5% of the baseline
    assert smallest_important("coverage", 0.5, Relative(0.1)) == pytest.approx(0.05)
    assert equal_by_design(np.array([502000.0 + 4.8e-9, 502000.0]), np.array([502000.0, 502000.0]))
    assert not equal_by_design(np.array([1.0, 2.0]), np.array([1.0, 2.5]))


def test_a_kpi_equal_by_design_is_not_tested_and_another_is_judged() -> None:
    # two options, four paired replications: the same budget, coverage 3 points higher
    rows = [{"scenario": s, "replication": r, "government_spent_yuan": 502000.0,
             "coverage": 0.50 + 0.01 * r + (0.03 + 0.001 * r if s == "b" else 0.0)} for s in ("a", "b") for r in range(4)]
    found = differences(pd.DataFrame(rows), ["a", "b"], "a", ["government_spent_yuan", "coverage"])
    budget, coverage = found[("b", "government_spent_yuan")], found[("b", "coverage")]
    assert budget.verdict is Verdict.EQUAL and math.isnan(budget.diff.p_adjusted)
    assert coverage.verdict is Verdict.BETTER
    assert coverage.diff.p_adjusted == pytest.approx(coverage.diff.p_value)  # adjusted over the one test made
