"""Samplers for sweep points: full grid, Latin hypercube, Sobol (``scipy.stats.qmc``), all seeded.

A factor is either a list of ``values`` (categorical, or a grid's explicit levels) or a range
``[low, high]`` (``levels`` evenly spaced points for a grid; ``integer`` rounds down within the
range). Quasi-random samplers draw ``u`` in [0, 1) per factor and map it into the factor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
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


class Points(Sequence[dict[str, Any]]):
    """Sweep points made on demand: point ``i`` is ``at(i)``, so a plan never holds them all.

    ``size`` may exceed what ``len`` can return (a grid of 10^20 points); planning checks
    ``size`` and refuses absurd sweeps before touching a point.
    """

    def __init__(self, size: int, at: Callable[[int], dict[str, Any]]) -> None:
        self.size = size
        self._at = at

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int | slice) -> Any:  # type: ignore[override]
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(f"point {index} of {self.size}")
        return self._at(index)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._at(i) for i in range(self.size))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return point_count(other) == self.size and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Points(size={self.size})"

    def map(self, function: Callable[[dict[str, Any]], dict[str, Any]]) -> Points:
        """The same points, each passed through ``function`` when made."""
        return Points(self.size, lambda i: function(self._at(i)))


def point_count(points: Sequence[Any]) -> int:
    """How many points, even beyond what ``len`` can return."""
    return points.size if isinstance(points, Points) else len(points)


def sample_points(method: SamplerMethod, factors: Sequence[FactorRange], samples: int | None,
                  seed: int) -> Sequence[dict[str, Any]]:
    """The sweep points: one dict of dotted key -> value per point, in a reproducible order (made on demand)."""
    if not factors:
        return [{}]
    if method is SamplerMethod.GRID:
        return grid(factors)
    if samples is None:
        raise ValueError(f"{method.value} needs a number of samples")
    unit = unit_samples(method, len(factors), samples, seed)
    return Points(len(unit), lambda i: {f.key: f.from_unit(float(u)) for f, u in zip(factors, unit[i], strict=True)})


def grid(factors: Sequence[FactorRange]) -> Points:
    """Every combination of every factor's grid values (the last factor varies fastest)."""
    axes = [factor.grid_values() for factor in factors]
    return Points(math.prod(len(axis) for axis in axes), lambda i: _grid_point(factors, axes, i))


def _grid_point(factors: Sequence[FactorRange], axes: list[list[Value]], index: int) -> dict[str, Any]:
    """Point ``index`` of the grid: mixed-radix digits, the last factor the fastest."""
    values: list[Value] = []
    for axis in reversed(axes):
        index, digit = divmod(index, len(axis))
        values.append(axis[digit])
    return {f.key: v for f, v in zip(factors, reversed(values), strict=True)}


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
