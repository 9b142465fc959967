"""Samplers for sweep points: full grid, Latin hypercube, Sobol (``scipy.stats.qmc``), all seeded.

A factor is either a list of ``values`` (categorical, or a grid's explicit levels) or a range
``[low, high]`` (``levels`` evenly spaced points for a grid; ``integer`` rounds down within the
range). Quasi-random samplers draw ``u`` in [0, 1) per factor and map it into the factor.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

Value = bool | int | float | str


class SamplerMethod(str, Enum):
    """How sweep points are chosen."""

    GRID = "grid"
    LHS = "lhs"
    SOBOL = "sobol"


@dataclass(frozen=True)
class FactorRange:
    """The values one swept key may take."""

    key: str
    low: float | None = None
    high: float | None = None
    values: tuple[Value, ...] | None = None
    levels: int | None = None
    integer: bool = False

    def grid_values(self) -> list[Value]:
        """The grid levels: the explicit ``values``, or ``levels`` points from low to high."""
        if self.values is not None:
            return list(self.values)
        assert self.low is not None and self.high is not None and self.levels is not None
        points = np.linspace(self.low, self.high, self.levels)
        return sorted({int(round(p)) for p in points}) if self.integer else [float(p) for p in points]

    def from_unit(self, u: float) -> Value:
        """Map ``u`` in [0, 1) into the factor."""
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        assert self.low is not None and self.high is not None
        if self.integer:
            low, high = math.ceil(self.low), math.floor(self.high)
            return int(min(low + math.floor(u * (high - low + 1)), high))
        return float(self.low + u * (self.high - self.low))


def sample_points(method: SamplerMethod, factors: Sequence[FactorRange], samples: int | None,
                  seed: int) -> list[dict[str, Any]]:
    """The sweep points: one dict of dotted key -> value per point, in a reproducible order."""
    if not factors:
        return [{}]
    if method is SamplerMethod.GRID:
        return grid(factors)
    if samples is None:
        raise ValueError(f"{method.value} needs a number of samples")
    unit = unit_samples(method, len(factors), samples, seed)
    return [{f.key: f.from_unit(float(u)) for f, u in zip(factors, row, strict=True)} for row in unit]


def grid(factors: Sequence[FactorRange]) -> list[dict[str, Any]]:
    """Every combination of every factor's grid values (the last factor varies fastest)."""
    axes = [factor.grid_values() for factor in factors]
    return [{f.key: v for f, v in zip(factors, combo, strict=True)} for combo in itertools.product(*axes)]


def unit_samples(method: SamplerMethod, dimensions: int, samples: int, seed: int) -> np.ndarray:
    """``samples`` x ``dimensions`` points in [0, 1), seeded (scrambled Sobol needs a power of 2)."""
    from scipy.stats import qmc

    rng = np.random.default_rng(seed)
    if method is SamplerMethod.LHS:
        return qmc.LatinHypercube(d=dimensions, rng=rng).random(samples)
    if method is SamplerMethod.SOBOL:
        if samples & (samples - 1):
            raise ValueError(f"sobol needs a power of 2 samples (got {samples})")
        return qmc.Sobol(d=dimensions, scramble=True, rng=rng).random_base2(int(math.log2(samples)))
    raise ValueError(f"no unit samples for {method.value}")


def is_power_of_two(number: int) -> bool:
    """1, 2, 4, 8, ..."""
    return number >= 1 and not number & (number - 1)
