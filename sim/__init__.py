"""Five-society linkage (五社联动) simulator on Mesa 3.3.

Python API::

    import sim
    kpis = sim.run_scenario("scenarios/baseline.toml", seed=1, overrides={"budget.total_yuan": 8e5})
"""

from __future__ import annotations

from sim.errors import ScenarioError
from sim.loading import load_scenario
from sim.scenario import Scenario

__version__ = "0.1.0"

__all__ = ["Scenario", "ScenarioError", "__version__", "load_results", "load_scenario", "run_scenario", "simulate"]


def run_scenario(scenario, seed=0, overrides=None, days=None):  # noqa: ANN001, ANN201 - thin re-export
    """One run: a path or ``Scenario`` in, a dict of KPIs out (see ``sim.run.run_scenario``)."""
    from sim.run import run_scenario as _run

    return _run(scenario, seed=seed, overrides=overrides, days=days)


def simulate(scenario, seed=None, days=None):  # noqa: ANN001, ANN201 - thin re-export
    """One run with daily series and per-community KPIs (see ``sim.run.simulate``)."""
    from sim.run import simulate as _simulate

    return _simulate(scenario, seed=seed, days=days)


def load_results(directory):  # noqa: ANN001, ANN201 - lazy re-export (pandas loads only here)
    """One row per stored run of a result folder, as a pandas DataFrame (see ``sim.experiment``)."""
    from sim.experiment.results import load_results as _load

    return _load(directory)
