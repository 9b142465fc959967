"""What a worker process does with one run: call the run function, pack the result compactly.

Exceptions inside a run become a ``failed`` outcome carrying the traceback, so one bad run never
stops the others. Everything here must be picklable and importable on remote Dask workers.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sim.run import RunResult
    from sim.scenario import Scenario

RunFunction = Callable[["Scenario", int, int], "RunResult"]


class Status:
    """Run states stored in the ``runs`` table."""

    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class RunTask:
    """One run to execute: the resolved scenario, its seed and length, and where it belongs."""

    run_id: str
    scenario: Scenario
    scenario_hash: str
    label: str
    point: int
    replication: int
    seed: int
    days: int


@dataclass
class Outcome:
    """A finished run, packed for the trip back to the parent (arrays as bytes)."""

    run_id: str
    status: str
    elapsed_s: float
    kpis: dict[str, float] = field(default_factory=dict)
    series: dict[str, bytes] = field(default_factory=dict)  # float64 little-endian, one value a day
    communities: dict[str, dict[str, float]] = field(default_factory=dict)
    unmet_shape: tuple[int, int] = (0, 0)
    unmet_cells: bytes = b""  # int64 little-endian, row-major
    error: str = ""


def simulate_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """The default run function: ``sim.run.simulate``."""
    from sim.run import simulate

    return simulate(scenario, seed=seed, days=days)


def execute_task(task: RunTask, run_fn: RunFunction = simulate_run) -> Outcome:
    """Run one task; any exception becomes a ``failed`` outcome with its traceback."""
    start = time.perf_counter()
    try:
        result = run_fn(task.scenario, task.seed, task.days)
        outcome = pack_result(task.run_id, result)
    except Exception:  # noqa: BLE001 - a failed run is data, stored with its traceback
        outcome = Outcome(task.run_id, Status.FAILED, 0.0, error=traceback.format_exc())
    outcome.elapsed_s = time.perf_counter() - start
    return outcome


def execute_batch(tasks: list[RunTask], run_fn: RunFunction = simulate_run) -> list[Outcome]:
    """Run several tasks in one submission (cuts per-run overhead for tiny runs)."""
    return [execute_task(task, run_fn) for task in tasks]


def pack_result(run_id: str, result: Any) -> Outcome:
    """A ``RunResult`` as an ``ok`` outcome with series and map as raw little-endian bytes."""
    series = {name: np.asarray(values, dtype="<f8").tobytes() for name, values in result.series.items()}
    cells = np.asarray(result.unmet_by_cell, dtype="<i8")
    if cells.ndim != 2:
        cells = cells.reshape(0, 0)
    return Outcome(
        run_id=run_id,
        status=Status.OK,
        elapsed_s=0.0,
        kpis={str(k): float(v) for k, v in result.kpis.items()},
        series=series,
        communities={str(c): {str(k): float(v) for k, v in kpis.items()} for c, kpis in result.communities.items()},
        unmet_shape=(int(cells.shape[0]), int(cells.shape[1])),
        unmet_cells=cells.tobytes(),
    )


def init_pool_worker() -> None:
    """Pool initializer: one BLAS thread, and exit when the parent process is gone."""
    from sim.experiment.blas import worker_one_blas_thread

    worker_one_blas_thread()
    exit_with_parent()


def exit_with_parent(poll_s: float = 1.0) -> None:
    """Pool initializer: a daemon thread ends this worker once its parent process is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
