"""The calibration objective: KPIs averaged over fixed seeds, compared with observed values.

Every evaluation runs the same seeds (common random numbers), so two parameter vectors are
compared on the same residents and the same need arrivals; what differs is what the parameters
change. Relative errors are scaled by each target's tolerance, so a residual of 1 is exactly at
the edge of the tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.calibration.targets import Target, TargetsFile
from sim.errors import ScenarioError
from sim.run import resolve, simulate
from sim.scenario import Scenario


@dataclass(frozen=True)
class Evaluation:
    """One evaluation: parameter values, simulated target values and relative errors."""

    values: dict[str, float]
    simulated: dict[str, float]
    relative_error: dict[str, float]
    within: dict[str, bool]
    cost: float

    @property
    def all_within(self) -> bool:
        """Every target inside its tolerance."""
        return all(self.within.values())


def dotted_get(data: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted key of a nested table."""
    node: Any = data
    for part in dotted.split("."):
        node = node[part]
    return node


def current_values(scenario: Scenario, keys: list[str], source: str) -> dict[str, float | int]:
    """The scenario's own values of the free parameters (their starting point)."""
    dumped = scenario.model_dump(mode="json")
    values, problems = {}, []
    for key in keys:
        try:
            value = dotted_get(dumped, key)
        except (KeyError, TypeError):
            problems.append(f"{source}: parameters.{key}: not in the scenario (allowed: a key of an existing table, e.g. a named community)")
            continue
        if value is None:
            value = _need_default(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{source}: parameters.{key}: not a number in the scenario (allowed: numeric keys)")
            continue
        values[key] = value
    if problems:
        raise ScenarioError(problems)
    return values


def _need_default(key: str) -> float:
    """Default of a ``needs.<type>.<field>`` key the scenario leaves to the need table."""
    from sim.needs import DEFAULTS, NeedType

    _, type_name, field = key.split(".")
    return float(getattr(DEFAULTS[NeedType(type_name)], field))


class Objective:
    """Runs the scenario at given parameter values and scores it against the targets."""

    def __init__(self, scenario: Scenario, targets: TargetsFile, seeds: list[int], days: int | None, source: str) -> None:
        self.scenario = scenario
        self.targets = targets
        self.seeds = list(seeds)
        self.days = days
        self.source = source
        self.keys = list(targets.parameters)
        self.start = current_values(scenario, self.keys, source)
        self.evaluations: list[Evaluation] = []

    def cast(self, values: Mapping[str, float]) -> dict[str, float | int]:
        """Values in each key's own type (whole numbers stay whole)."""
        return {k: int(round(v)) if isinstance(self.start[k], int) else float(v) for k, v in values.items()}

    def kpis(self, values: Mapping[str, float]) -> dict[str, float]:
        """KPIs averaged over the seeds at ``values``."""
        scenario = resolve(self.scenario, self.cast(values)) if values else self.scenario
        runs = [simulate(scenario, seed=seed, days=self.days).kpis for seed in self.seeds]
        self._check_kpis(runs[0])
        return {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}

    def _check_kpis(self, kpis: Mapping[str, float]) -> None:
        problems = []
        for name, target in self.targets.targets.items():
            for field in ("kpi", "per"):
                key = getattr(target, field)
                if key and key not in kpis:
                    problems.append(f"{self.source}: targets.{name}.{field}: unknown KPI {key!r} (allowed: {', '.join(sorted(kpis))})")
        if problems:
            raise ScenarioError(problems)

    def evaluate(self, values: Mapping[str, float]) -> Evaluation:
        """Score the scenario at ``values`` (an empty mapping: as it stands)."""
        kpis = self.kpis(values)
        simulated = {name: target_value(target, kpis) for name, target in self.targets.targets.items()}
        relative = {name: relative_error(simulated[name], t.observed) for name, t in self.targets.targets.items()}
        within = {name: abs(relative[name]) <= t.tolerance for name, t in self.targets.targets.items()}
        cost = float(sum(self.residuals_from(relative) ** 2))
        evaluation = Evaluation(dict(self.cast(values)), simulated, relative, within, cost)
        self.evaluations.append(evaluation)
        return evaluation

    def residuals_from(self, relative: Mapping[str, float]) -> np.ndarray:
        """Relative errors in units of tolerance, times the square root of each weight."""
        return np.array([relative[name] / t.tolerance * math.sqrt(t.weight) for name, t in self.targets.targets.items()])


def target_value(target: Target, kpis: Mapping[str, float]) -> float:
    """The simulated value of a target: a KPI, or a ratio of two KPIs (0 when the divisor is 0)."""
    value = kpis[target.kpi]
    if not target.per:
        return value
    divisor = kpis[target.per]
    return value / divisor if divisor else 0.0


def relative_error(simulated: float, observed: float) -> float:
    """(simulated - observed) / |observed|."""
    return (simulated - observed) / abs(observed)
