"""``run_experiment``: plan the runs, skip those already stored, execute the rest, stream to disk."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from sim.errors import ScenarioError
from sim.experiment.executors import (
    ExecutorKind,
    Finished,
    default_workers,
    run_dask,
    run_pool,
    run_serial,
)
from sim.experiment.metadata import (
    code_version,
    git_hash,
    host_name,
    now_utc,
    python_version,
)
from sim.experiment.samplers import point_count
from sim.experiment.spec import Experiment, Plan, plan_experiment
from sim.experiment.store import ResultStore, store_error
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

    Runs stored ``ok`` by this code version are skipped; runs stored ``failed`` or made by other
    code (the model's source changed since) are run again, and the log says so. Runs are made on
    demand and written by this process, one transaction per run, as they finish. Bad input, or
    a run too big for this machine's memory, raises ``ScenarioError`` before anything runs.
    """
    kind = parse_executor(executor)
    workers = workers or default_workers()
    log = log or sys.stderr
    plan = plan_experiment(spec, model_version())
    directory = Path(out_dir) if out_dir is not None else default_out_dir(spec.name, plan.key, results_root)
    with ResultStore(directory, code_version()) as store:
        try:
            return _run(spec, plan, store, kind, workers, scheduler, run_fn, batch_size, progress, log)
        except sqlite3.Error as exc:
            raise store_error(store.path, exc) from None


def _run(spec: Experiment, plan: Plan, store: ResultStore, kind: ExecutorKind, workers: int, scheduler: str | None,
         run_fn: RunFunction, batch_size: int, progress: bool, log: TextIO) -> Summary:
    """Claim the store, say what will run, run it, stamp the invocation."""
    store.claim(plan.key, spec.name, options=plan.cell_count)
    if spec.settings is not None:
        store.put_meta(SETTINGS_META, json.dumps(spec.settings.describe(), sort_keys=True))
    skipped = store.count_done()
    to_run = plan.size - skipped
    workers = 1 if kind is ExecutorKind.SERIAL else max(1, min(workers, to_run))
    if plan.largest is not None and to_run:
        check_memory_of(plan, kind, workers, scheduler)
    for version, count in store.other_versions().items():
        print(f"{spec.name}: the store holds {count} runs made by another code version ({version}, this is "
              f"{store.model_version}); they are run again with this code", file=log)
    print(f"{spec.name}: {plan.size} runs planned, {skipped} skipped (already stored), "
          f"{to_run} to run on {kind.value}" + ("" if kind is ExecutorKind.SERIAL else f" x{workers}"), file=log)
    experiment_id = store.start_experiment(_stamp(spec, plan, kind, workers, skipped))
    todo = _todo(plan, store)
    finished = _finished(kind, todo, to_run, run_fn, workers, scheduler, batch_size)
    ran, failed = _execute(store, finished, to_run, progress, log)
    for _ in todo:  # record the scenarios of cells left over (every run of them already stored)
        pass
    store.finish_experiment(experiment_id, now_utc(), ran, failed)
    print(f"{spec.name}: {ran} ran ({failed} failed), {skipped} skipped; results in {store.directory}", file=log)
    return Summary(store.directory, store.path, plan.size, skipped, ran, failed)


def check_memory_of(plan: Plan, kind: ExecutorKind, workers: int, scheduler: str | None) -> None:
    """Refuse a plan whose largest scenario, times the runs held at once here, cannot fit in memory."""
    from sim.limits import refuse_if_too_big

    at_once = 1 if kind is ExecutorKind.SERIAL or scheduler is not None else workers
    if plan.largest is not None:
        refuse_if_too_big(plan.largest, plan.experiment.source or plan.experiment.name, at_once)


def _todo(plan: Plan, store: ResultStore, flush_every: int = 500) -> Iterator[RunTask]:
    """The plan's runs not yet stored ``ok`` by this code, made on demand; each cell's scenario
    is recorded in the store before any of its runs is handed out."""
    records = []
    for record, tasks in plan.cells():
        records.append(record)
        todo = [task for task in tasks if not store.is_done(task.run_id)]
        if todo or len(records) >= flush_every:
            store.add_scenarios(records)
            records = []
        yield from todo
    if records:
        store.add_scenarios(records)


def _finished(kind: ExecutorKind, todo: Iterator[RunTask], count: int, run_fn: RunFunction, workers: int,
              scheduler: str | None, batch_size: int) -> Iterator[Finished]:
    """The chosen backend's stream of finished runs (no pool or cluster is started for no runs)."""
    if count <= 0:
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
    """``sim.__version__``: part of every run's identity (the stored code version adds the source hash)."""
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
        "workers": 1 if kind is ExecutorKind.SERIAL else workers, "planned": plan.size,
        "skipped": skipped, "spec_json": spec_json(spec, plan),
    }


def spec_json(spec: Experiment, plan: Plan) -> str:
    """The experiment's definition as JSON (scenarios by source path or hash)."""
    scenarios = [str(s) if isinstance(s, (str, Path)) else f"<Scenario {s.name}>" for s in spec.scenarios]
    data = {
        "name": spec.name, "source": spec.source, "scenarios": scenarios, "replications": spec.replications,
        "seed": spec.seed, "days": spec.days, "overrides": dict(spec.overrides), "points": point_count(spec.points),
        "factors": [asdict(f) for f in spec.factors], "replication_seeds": plan.seeds, "key": plan.key,
        "settings": len(spec.settings) if spec.settings is not None else 0,
    }
    return json.dumps(data, sort_keys=True, default=str)
