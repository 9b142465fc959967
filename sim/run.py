"""Running one scenario: the function experiment scripts, notebooks and other tools call."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError, quote
from sim.loading import apply_overrides, load_scenario, plain, validate
from sim.scenario import Scenario

MAX_DAYS = 36_500
MAX_SEED = 2**63 - 1


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
    raise TypeError(f"scenario: expected a path, a shipped scenario's name or a sim.Scenario (got {type(scenario).__name__})")


def scenario_hash(scenario: Scenario) -> str:
    """A stable hash of the fully resolved scenario."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def simulate(scenario: Scenario | str | Path, seed: int | None = None, days: int | None = None) -> RunResult:
    """Run the model headless (no Mesa agents) for ``days`` (default: the scenario's) with ``seed`` (default: the scenario's).

    ``scenario`` is a ``Scenario``, a path or a shipped scenario's name. Bad arguments raise
    ``ScenarioError`` naming them; a run that cannot fit in this machine's memory is refused
    before it starts (``sim.limits``).
    """
    import mesa

    from sim.limits import check_memory
    from sim.model import FiveSocietyModel

    scenario = resolve(scenario)
    seed, days = check_seed(seed), check_days(days)
    check_memory(scenario, f"scenario {scenario.name!r}")
    model = FiveSocietyModel(scenario, seed=scenario.seed if seed is None else seed, agents=False)
    try:
        model.run(scenario.days if days is None else days)
        return model.result()
    finally:
        # Mesa 3.3 keeps every model as a key of the class-level ``Agent._ids`` (its unique-id
        # counters): without this, each in-process run leaks its whole world (~15 MB a district run).
        mesa.Agent._ids.pop(model, None)


def check_seed(seed: object) -> int | None:
    """``seed`` as an int in 0..2^63 - 1 (numpy integers accepted), or None; ``ScenarioError`` otherwise."""
    seed = plain(seed)
    if seed is None:
        return None
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise ScenarioError([f"seed: must be a whole number from 0 to {MAX_SEED} (got {quote(seed)})"])
    return seed


def check_days(days: object) -> int | None:
    """``days`` as an int in 1..36,500 (numpy integers accepted), or None; ``ScenarioError`` otherwise."""
    days = plain(days)
    if days is None:
        return None
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise ScenarioError([f"days: must be a whole number from 1 to {MAX_DAYS} (got {quote(days)})"])
    return days


def run_scenario(
    scenario: str | Path | Scenario,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    days: int | None = None,
) -> dict[str, float]:
    """One run: a path, shipped name or ``Scenario`` in, a dict of KPIs out.

    ``seed`` None uses the scenario's own seed (as ``sim run`` does). Bad input raises
    ``ScenarioError`` (or ``TypeError`` for an argument of the wrong kind) naming the argument.
    """
    seed, days = check_seed(seed), check_days(days)
    if overrides is not None and not isinstance(overrides, Mapping):
        raise TypeError(f"overrides: expected a mapping of dotted keys to values, e.g. "
                        f"{{'budget.total_yuan': 8e5}} (got {type(overrides).__name__})")
    return simulate(resolve(scenario, overrides), seed=seed, days=days).kpis
