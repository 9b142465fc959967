"""Comparing scenarios: the same replications (same seeds) of each, in one store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.experiment.executors import ExecutorKind
from sim.experiment.runner import run_experiment
from sim.experiment.spec import Experiment, Settings
from sim.experiment.worker import RunFunction, simulate_run
from sim.scenario import Scenario


def compare_experiment(scenarios: Sequence[str | Path | Scenario], replications: int, seed: int = 0,
                       days: int | None = None, overrides: Mapping[str, Any] | None = None,
                       settings: Settings | None = None) -> Experiment:
    """The experiment behind ``compare``: every scenario, ``replications`` paired seeds each, under
    each of the sampled ``settings`` of uncertain inputs when given (the same settings for every option)."""
    names = "-vs-".join(Path(s).stem if isinstance(s, (str, Path)) else s.name for s in scenarios[:3])
    more = f"-and-{len(scenarios) - 3}-more" if len(scenarios) > 3 else ""
    under = f"-under-{len(settings)}-settings" if settings is not None else ""
    return Experiment(scenarios=list(scenarios), replications=replications, seed=seed, days=days,
                      overrides=dict(overrides or {}), name=f"compare-{names}{more}{under}", settings=settings)


def compare(scenarios: Sequence[str | Path | Scenario], replications: int, seed: int = 0,
            days: int | None = None, out_dir: str | Path | None = None,
            executor: ExecutorKind | str = ExecutorKind.PROCESS, workers: int | None = None,
            scheduler: str | None = None, overrides: Mapping[str, Any] | None = None,
            run_fn: RunFunction = simulate_run, progress: bool = True, settings: Settings | None = None) -> Path:
    """Run (or finish) the comparison and return the folder of its store.

    A report calls this, then reads the folder with ``sim.load_results`` / ``load_series``.
    """
    spec = compare_experiment(scenarios, replications, seed, days, overrides, settings)
    summary = run_experiment(spec, out_dir, executor=executor, workers=workers, scheduler=scheduler,
                             run_fn=run_fn, progress=progress)
    return summary.out_dir
