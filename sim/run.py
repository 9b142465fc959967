"""Running one scenario: the function experiment scripts, notebooks and other tools call."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.loading import apply_overrides, load_scenario, validate
from sim.scenario import Scenario


@dataclass
class RunResult:
    """What one run produced: final KPIs, daily series and per-community KPIs."""

    kpis: dict[str, float]
    series: dict[str, list[float]]
    communities: dict[str, dict[str, float]]
    unmet_by_cell: list[list[int]] = field(default_factory=list)


def resolve(scenario: str | Path | Scenario, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """A validated scenario from a path or a ``Scenario``, with dotted overrides applied."""
    if isinstance(scenario, Scenario):
        if not overrides:
            return scenario
        data = apply_overrides(scenario.model_dump(mode="json"), overrides, source="override")
        return validate(data, source="override")
    if isinstance(scenario, (str, Path)):
        return load_scenario(scenario, overrides)
    raise ScenarioError([f"scenario: expected a path or a Scenario (got {type(scenario).__name__})"])


def scenario_hash(scenario: Scenario) -> str:
    """A stable hash of the fully resolved scenario."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def simulate(scenario: Scenario, seed: int | None = None, days: int | None = None) -> RunResult:
    """Run the model headless (no Mesa agents) for ``days`` (default: the scenario's) with ``seed`` (default: the scenario's)."""
    from sim.model import FiveSocietyModel

    model = FiveSocietyModel(scenario, seed=scenario.seed if seed is None else seed, agents=False)
    model.run(scenario.days if days is None else days)
    return model.result()


def run_scenario(
    scenario: str | Path | Scenario,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    days: int | None = None,
) -> dict[str, float]:
    """One run: a path or ``Scenario`` in, a dict of KPIs out. Bad input raises ``ScenarioError``."""
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 36_500):
        raise ScenarioError([f"days: must be a whole number from 1 to 36500 (got {days!r})"])
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ScenarioError([f"seed: must be a whole number >= 0 (got {seed!r})"])
    return simulate(resolve(scenario, overrides), seed=seed, days=days).kpis
