"""Experiments: replications with common random numbers, sweeps, executors and a result store.

::

    from sim.experiment import Experiment, run_experiment, load_results
    spec = Experiment(["scenarios/baseline.toml"], replications=10, seed=1, days=90)
    summary = run_experiment(spec, out_dir="results/demo", executor="process", workers=2)
    frame = load_results(summary.out_dir)

Modules: ``spec`` (what to run), ``seeds`` (replication seeds, run identity), ``worker`` (one run),
``executors`` (serial, process pool, Dask), ``store`` (SQLite, WAL), ``runner``
(``run_experiment``), ``results`` (reading stores back), ``samplers`` and ``sweepfile``
(``experiments/*.toml``), ``compare`` (same replications for several scenarios).
"""

from __future__ import annotations

from sim.experiment.compare import compare, compare_experiment
from sim.experiment.executors import ExecutorKind
from sim.experiment.results import (
    completeness,
    load_communities,
    load_metadata,
    load_results,
    load_scenarios,
    load_series,
    load_unmet_map,
)
from sim.experiment.runner import Summary, run_experiment
from sim.experiment.seeds import replication_seeds, run_identity
from sim.experiment.spec import Experiment, Factor, plan_experiment
from sim.experiment.sweepfile import load_sweep

__all__ = [
    "ExecutorKind",
    "Experiment",
    "Factor",
    "Summary",
    "compare",
    "compare_experiment",
    "completeness",
    "load_communities",
    "load_metadata",
    "load_results",
    "load_scenarios",
    "load_series",
    "load_sweep",
    "load_unmet_map",
    "plan_experiment",
    "replication_seeds",
    "run_experiment",
    "run_identity",
]
