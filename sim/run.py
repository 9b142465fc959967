"""Running one scenario: the function experiment scripts, notebooks and other tools call.

``simulate`` runs headless without Mesa (or pandas): ``HeadlessRun`` builds the core's state
(``sim.core.build``), steps the phases of each day (``sim.core.day``) and records the daily
series. ``run_result`` turns any run (this one or the Mesa view ``sim.model.FiveSocietyModel``)
into a ``RunResult``, so both give the same result from the same state.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ScenarioError, quote
from sim.loading import apply_overrides, load_scenario, plain, validate
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.core.state import DistrictState
    from sim.metrics import RunView

MAX_DAYS = 36_500
MAX_SEED = 2**63 - 1


@dataclass
class RunResult:
    """What one run produced: final KPIs, daily series and per-community KPIs."""

    kpis: dict[str, float]
    series: dict[str, list[float]]
    communities: dict[str, dict[str, float]]
    unmet_by_cell: list[list[int]] = field(default_factory=list)


class HeadlessRun:
    """One run without Mesa: the core's state on day 0, stepped a day at a time, with its daily series."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        from sim.core.build import build_state
        from sim.metrics import SERIES

        self.scenario = scenario
        self.state: DistrictState = build_state(scenario, scenario.seed if seed is None else int(seed))
        self.steps = 0  # days run so far (as the Mesa model counts them)
        self.series: dict[str, list[float]] = {name: [] for name in SERIES}

    def step(self) -> None:
        """One day: every phase in order (``sim.core.day.PHASES``), then the day's series values."""
        from sim.core.day import step_day
        from sim.metrics import SERIES

        step_day(self.state, self.scenario, self.steps)
        self.steps += 1
        self.state.changes.clear()  # nothing shows them: forget them as the Mesa view would
        for name, reporter in SERIES.items():
            self.series[name].append(reporter(self))

    def run(self, days: int) -> None:
        """Step ``days`` days (the need table sized for them first)."""
        from sim.arrivals import reserve_needs

        reserve_needs(self.state, days)
        for _ in range(days):
            self.step()

    def result(self) -> RunResult:
        """KPIs, daily series and per-community KPIs of the run so far."""
        return run_result(self, self.series)


def run_result(run: RunView, series: Mapping[str, list[float]]) -> RunResult:
    """The ``RunResult`` of a run (headless or the Mesa view) whose daily series were recorded in ``series``."""
    from sim import metrics

    return RunResult(
        kpis=metrics.kpis(run),
        series={name: [float(v) for v in values] for name, values in series.items()},
        communities=metrics.by_community(run),
        unmet_by_cell=metrics.unmet_by_cell(run),
    )


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
    """Run the model headless (no Mesa, no agents) for ``days`` (default: the scenario's) with ``seed`` (default: the scenario's).

    ``scenario`` is a ``Scenario``, a path or a shipped scenario's name. Bad arguments raise
    ``ScenarioError`` naming them; a run that cannot fit in this machine's memory is refused
    before it starts (``sim.limits``). The result is exactly that of the Mesa model
    (``FiveSocietyModel(scenario, seed).run(days)``, with or without agents).
    """
    from sim.limits import check_memory

    scenario = resolve(scenario)
    seed, days = check_seed(seed), check_days(days)
    check_memory(scenario, f"scenario {scenario.name!r}", days=days)
    run = HeadlessRun(scenario, seed)
    run.run(scenario.days if days is None else days)
    return run.result()


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
