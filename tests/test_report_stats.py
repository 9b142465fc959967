"""Report statistics against hand-computed values on a tiny fixed data set."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.report.stats import adjust, mean_ci, paired_difference, replications_needed


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
    # ((1.959964 + 0.841621) * 2 / 1) ** 2 = 31.4 -> 32
    assert replications_needed(sd=2.0, difference=1.0) == 32
    assert replications_needed(sd=2.0, difference=0.0) == math.inf
    assert replications_needed(sd=0.0, difference=1.0) == 2
