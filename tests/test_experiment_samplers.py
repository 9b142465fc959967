"""Samplers: grid size, LHS/Sobol bounds and determinism, integer and categorical factors."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiment.samplers import FactorRange, SamplerMethod, sample_points

FACTORS = [FactorRange("a", low=0.2, high=0.6), FactorRange("b", low=1.0, high=3.0)]


def test_grid_is_the_product_of_levels() -> None:
    factors = [FactorRange("a", low=0.0, high=1.0, levels=3), FactorRange("b", values=("x", "y")),
               FactorRange("c", values=(True, False))]
    points = sample_points(SamplerMethod.GRID, factors, None, seed=0)
    assert len(points) == 3 * 2 * 2
    assert points[0] == {"a": 0.0, "b": "x", "c": True}
    assert points[-1] == {"a": 1.0, "b": "y", "c": False}
    assert sorted({p["a"] for p in points}) == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("method", [SamplerMethod.LHS, SamplerMethod.SOBOL])
def test_quasi_random_points_stay_in_bounds_and_repeat_with_the_seed(method: SamplerMethod) -> None:
    points = sample_points(method, FACTORS, 16, seed=5)
    values = np.array([[p["a"], p["b"]] for p in points])
    assert len(points) == 16
    assert (values[:, 0] >= 0.2).all() and (values[:, 0] < 0.6).all()
    assert (values[:, 1] >= 1.0).all() and (values[:, 1] < 3.0).all()
    assert sample_points(method, FACTORS, 16, seed=5) == points
    assert sample_points(method, FACTORS, 16, seed=6) != points


def test_lhs_puts_one_point_in_each_stratum() -> None:
    points = sample_points(SamplerMethod.LHS, FACTORS, 10, seed=1)
    strata = sorted(int((p["a"] - 0.2) / 0.04) for p in points)
    assert strata == list(range(10))


def test_sobol_needs_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of 2"):
        sample_points(SamplerMethod.SOBOL, FACTORS, 12, seed=1)


def test_integer_and_categorical_factors_map_into_their_values() -> None:
    factors = [FactorRange("n", low=1, high=4, integer=True), FactorRange("mode", values=("order", "list", "mixed"))]
    points = sample_points(SamplerMethod.LHS, factors, 12, seed=3)
    assert {p["n"] for p in points} == {1, 2, 3, 4}
    assert all(isinstance(p["n"], int) for p in points)
    assert {p["mode"] for p in points} == {"order", "list", "mixed"}


def test_no_factors_is_one_empty_point() -> None:
    assert sample_points(SamplerMethod.LHS, [], 8, seed=0) == [{}]
