"""Five-society linkage (五社联动) simulator on Mesa 3.3.

Python API::

    import sim
    kpis = sim.run_scenario("scenarios/baseline.toml", seed=1, overrides={"budget.total_yuan": 8e5})
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ScenarioError
from sim.loading import load_scenario
from sim.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

    from sim.run import RunResult

__version__ = "0.1.0"

__all__ = ["Scenario", "ScenarioError", "__version__", "load_results", "load_scenario", "run_scenario", "simulate"]


def run_scenario(scenario: str | Path | Scenario, seed: int | None = None, overrides: Mapping[str, Any] | None = None,
                 days: int | None = None) -> dict[str, float]:
    """One run: a path, shipped name or ``Scenario`` in, a dict of KPIs out (see ``sim.run.run_scenario``).

    ``seed`` None uses the scenario's own seed, like ``sim run``.
    """
    from sim.run import run_scenario as _run

    return _run(scenario, seed=seed, overrides=overrides, days=days)


def simulate(scenario: Scenario | str | Path, seed: int | None = None, days: int | None = None) -> RunResult:
    """One run with daily series and per-community KPIs (see ``sim.run.simulate``)."""
    from sim.run import simulate as _simulate

    return _simulate(scenario, seed=seed, days=days)


def load_results(directory: str | Path) -> pd.DataFrame:
    """One row per stored run of a result folder, as a pandas DataFrame (pandas loads only here)."""
    from sim.experiment.results import load_results as _load

    return _load(directory)
