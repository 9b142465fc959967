"""``run_experiment``: plan the runs, skip those already stored, execute the rest, stream to disk."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from sim.errors import ScenarioError
from sim.experiment.executors import ExecutorKind, Finished, default_workers, run_dask, run_pool, run_serial
from sim.experiment.metadata import git_hash, host_name, now_utc, python_version
from sim.experiment.spec import Experiment, Plan, plan_experiment
from sim.experiment.store import ResultStore
from sim.experiment.worker import RunFunction, RunTask, Status, simulate_run

RESULTS_ROOT = Path("results")
SETTINGS_META = "settings"  # meta key of the sampled settings of uncertain inputs, when there are any


@dataclass(frozen=True)
class Summary:
    """What one invocation did; ``planned == skipped + ran`` and ``failed <= ran``."""

    out_dir: Path
    store: Path
    planned: int
    skipped: int
    ran: int
    failed: int


def run_experiment(
    spec: Experiment,
    out_dir: str | Path | None = None,
    executor: ExecutorKind | str = ExecutorKind.PROCESS,
    workers: int | None = None,
    scheduler: str | None = None,
    run_fn: RunFunction = simulate_run,
    batch_size: int = 1,
    progress: bool = True,
    log: TextIO | None = None,
    results_root: Path = RESULTS_ROOT,
) -> Summary:
    """Run every planned run not yet stored ``ok`` in ``out_dir`` (default ``results_root/<name>-<key>``).

    Runs stored ``ok`` are skipped, runs stored ``failed`` are retried. Results are written by
    this process, one transaction per run, as they finish. Bad input raises ``ScenarioError``.
    """
    kind = parse_executor(executor)
    workers = workers or default_workers()
    log = log or sys.stderr
    version = model_version()
    plan = plan_experiment(spec, version)
    directory = Path(out_dir) if out_dir is not None else default_out_dir(spec.name, plan.key, results_root)
    with ResultStore(directory, version) as store:
        store.claim(plan.key, spec.name)
        store.add_scenarios(plan.scenarios)
        if spec.settings is not None:
            store.put_meta(SETTINGS_META, json.dumps(spec.settings.describe(), sort_keys=True))
        done = store.ok_run_ids()
        todo = [task for task in plan.tasks if task.run_id not in done]
        skipped = len(plan.tasks) - len(todo)
        print(f"{spec.name}: {len(plan.tasks)} runs planned, {skipped} skipped (already stored), "
              f"{len(todo)} to run on {kind.value}" + ("" if kind is ExecutorKind.SERIAL else f" x{workers}"), file=log)
        stamp = _stamp(spec, plan, kind, workers, skipped)
        experiment_id = store.start_experiment(stamp)
        ran, failed = _execute(store, _finished(kind, todo, run_fn, workers, scheduler, batch_size),
                               len(todo), progress, log)
        store.finish_experiment(experiment_id, now_utc(), ran, failed)
    print(f"{spec.name}: {ran} ran ({failed} failed), {skipped} skipped; results in {directory}", file=log)
    return Summary(directory, store.path, len(plan.tasks), skipped, ran, failed)


def _finished(kind: ExecutorKind, todo: list[RunTask], run_fn: RunFunction, workers: int,
              scheduler: str | None, batch_size: int) -> Iterator[Finished]:
    """The chosen backend's stream of finished runs."""
    if not todo:
        return iter(())
    if kind is ExecutorKind.SERIAL:
        return run_serial(todo, run_fn)
    if kind is ExecutorKind.PROCESS:
        return run_pool(todo, run_fn, workers, batch_size)
    return run_dask(todo, run_fn, workers, scheduler, batch_size)


def _execute(store: ResultStore, finished: Iterator[Finished], total: int, progress: bool,
             log: TextIO) -> tuple[int, int]:
    """Write each finished run as it arrives; a progress bar with ETA follows along."""
    interactive = hasattr(log, "isatty") and log.isatty()
    bar = tqdm(total=total, unit="run", file=log, disable=not progress or total == 0, dynamic_ncols=True,
               mininterval=0.5 if interactive else 15.0, maxinterval=60.0 if interactive else 300.0)
    ran = failed = 0
    with bar:
        for task, outcome in finished:
            store.write(task, outcome, now_utc())
            ran += 1
            if outcome.status == Status.FAILED:
                failed += 1
                bar.set_postfix(failed=failed, refresh=False)
            bar.update(1)
    return ran, failed


def parse_executor(value: ExecutorKind | str) -> ExecutorKind:
    """``"process"`` -> ``ExecutorKind.PROCESS``; anything else is a ``ScenarioError``."""
    try:
        return ExecutorKind(value)
    except ValueError:
        allowed = ", ".join(kind.value for kind in ExecutorKind)
        raise ScenarioError([f"executor: unknown executor {value!r} (allowed: {allowed})"]) from None


def model_version() -> str:
    """``sim.__version__``: part of every run's identity."""
    import sim

    return sim.__version__


def default_out_dir(name: str, key: str, root: Path = RESULTS_ROOT) -> Path:
    """``results/<name>-<experiment key>``: the same command always finds the same folder."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "experiment"
    return root / f"{safe}-{key}"


def _stamp(spec: Experiment, plan: Plan, kind: ExecutorKind, workers: int, skipped: int) -> dict[str, Any]:
    """The ``experiments`` row of this invocation."""
    return {
        "started_at": now_utc(), "package_version": model_version(), "git_hash": git_hash(),
        "python": python_version(), "host": host_name(), "experiment_seed": spec.seed,
        "replications": spec.replications, "days": spec.days, "executor": kind.value,
        "workers": 1 if kind is ExecutorKind.SERIAL else workers, "planned": len(plan.tasks),
        "skipped": skipped, "spec_json": spec_json(spec, plan),
    }


def spec_json(spec: Experiment, plan: Plan) -> str:
    """The experiment's definition as JSON (scenarios by source path or hash)."""
    scenarios = [str(s) if isinstance(s, (str, Path)) else f"<Scenario {s.name}>" for s in spec.scenarios]
    data = {
        "name": spec.name, "source": spec.source, "scenarios": scenarios, "replications": spec.replications,
        "seed": spec.seed, "days": spec.days, "overrides": dict(spec.overrides), "points": len(spec.points),
        "factors": [asdict(f) for f in spec.factors], "replication_seeds": plan.seeds, "key": plan.key,
        "settings": len(spec.settings) if spec.settings is not None else 0,
    }
    return json.dumps(data, sort_keys=True, default=str)
