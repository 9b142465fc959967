"""What a worker process does with one run: call the run function, pack the result compactly.

Exceptions inside a run become a ``failed`` outcome carrying the traceback, so one bad run never
stops the others. Everything here must be picklable and importable on remote Dask workers.

Workers are sent ``WorkItem``s (identity, seed, days and the key of the scenario), not whole
scenarios: the parent pickles each scenario once (``ScenarioPacker``), the pickle travels beside the
items (inline for a process pool, scattered once for Dask) and each worker unpickles it once
and keeps it (``scenario_for``). A 1,884-community city pickles to ~0.5 MB and takes ~10 ms to
unpickle (measured Nov 2026), so a worker pays that once per scenario, not once per run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
import time
import traceback
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sim.run import RunResult
    from sim.scenario import Scenario

RunFunction = Callable[["Scenario", int, int], "RunResult"]
SCENARIOS_KEPT = 8  # unpickled scenarios a worker keeps (a city scenario is a few MB in memory)


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


@dataclass(frozen=True)
class WorkItem:
    """What crosses to a worker for one run: its identity, seed and days, and its scenario's key."""

    run_id: str
    scenario_key: str
    seed: int
    days: int


@dataclass
class Outcome:
    """A finished run, packed for the trip back to the parent (arrays as bytes).

    Per-community KPIs travel as one float64 table (``community_names`` x ``community_kpis``)
    when every community has the same KPIs, as the model's do (a city's 1,884 x 9 values are
    136 KB instead of 1,884 dicts); otherwise as ``communities`` dicts.
    """

    run_id: str
    status: str
    elapsed_s: float
    kpis: dict[str, float] = field(default_factory=dict)
    series: dict[str, bytes] = field(default_factory=dict)  # float64 little-endian, one value a day
    communities: dict[str, dict[str, float]] = field(default_factory=dict)
    unmet_shape: tuple[int, int] = (0, 0)
    unmet_cells: bytes = b""  # int64 little-endian, row-major, zlib-compressed (``unpack_cells``)
    error: str = ""
    community_names: tuple[str, ...] = ()
    community_kpis: tuple[str, ...] = ()
    community_values: bytes = b""  # float64 little-endian, communities x KPIs, row-major

    def community_rows(self) -> Iterator[tuple[str, dict[str, float]]]:
        """(community, its KPIs) for every community, however they were packed."""
        yield from self.communities.items()
        if self.community_names:
            table = np.frombuffer(self.community_values, dtype="<f8").reshape(len(self.community_names), -1)
            for name, values in zip(self.community_names, table.tolist(), strict=True):
                yield name, dict(zip(self.community_kpis, values, strict=True))


def simulate_run(scenario: Scenario, seed: int, days: int) -> RunResult:
    """The default run function: ``sim.run.simulate``."""
    from sim.run import simulate

    return simulate(scenario, seed=seed, days=days)


def execute_task(task: RunTask, run_fn: RunFunction = simulate_run) -> Outcome:
    """Run one task; any exception becomes a ``failed`` outcome with its traceback."""
    return _execute(task.run_id, task.scenario, task.seed, task.days, run_fn)


def _execute(run_id: str, scenario: Scenario, seed: int, days: int, run_fn: RunFunction) -> Outcome:
    start = time.perf_counter()
    try:
        result = run_fn(scenario, seed, days)
        outcome = pack_result(run_id, result)
    except Exception:  # noqa: BLE001 - a failed run is data, stored with its traceback
        outcome = Outcome(run_id, Status.FAILED, 0.0, error=traceback.format_exc())
    outcome.elapsed_s = time.perf_counter() - start
    return outcome


def pack_result(run_id: str, result: Any) -> Outcome:
    """A ``RunResult`` as an ``ok`` outcome with series, map and community KPIs as raw little-endian bytes."""
    series = {name: np.asarray(values, dtype="<f8").tobytes() for name, values in result.series.items()}
    cells = np.asarray(result.unmet_by_cell, dtype="<i8")
    if cells.ndim != 2:
        cells = cells.reshape(0, 0)
    outcome = Outcome(
        run_id=run_id,
        status=Status.OK,
        elapsed_s=0.0,
        kpis={str(k): float(v) for k, v in result.kpis.items()},
        series=series,
        unmet_shape=(int(cells.shape[0]), int(cells.shape[1])),
        unmet_cells=zlib.compress(cells.tobytes(), 1),  # a city's 2.1 M cells, mostly 0: 17 MB -> ~0.7 MB
    )
    _pack_communities(outcome, result.communities)
    return outcome


def unpack_cells(blob: bytes, rows: int, cols: int) -> np.ndarray:
    """A stored unmet map as int64 (rows x columns): compressed, or raw as stores before compression kept it."""
    raw = blob if len(blob) == rows * cols * 8 else zlib.decompress(blob)
    return np.frombuffer(raw, dtype="<i8").reshape(rows, cols).copy()


def _pack_communities(outcome: Outcome, communities: Mapping[Any, Mapping[Any, Any]]) -> None:
    """Per-community KPIs as one float64 table when every community has the same KPIs, else as dicts."""
    rows = {str(c): {str(k): float(v) for k, v in kpis.items()} for c, kpis in communities.items()}
    names = tuple(sorted(next(iter(rows.values()), {})))
    if not names or any(tuple(sorted(kpis)) != names for kpis in rows.values()):
        outcome.communities = rows
        return
    table = np.array([[kpis[name] for name in names] for kpis in rows.values()], dtype="<f8")
    outcome.community_names, outcome.community_kpis = tuple(rows), names
    outcome.community_values = table.tobytes()


class ScenarioPacker:
    """The parent's side of "each scenario sent once": pickles a scenario once, keyed by its content.

    The key is a hash of the pickle itself, so two tasks share a key only if their scenarios
    pickle to the same bytes. The last few scenarios packed are remembered by identity (a cell's
    replications share one ``Scenario`` object), so each is pickled once.
    """

    def __init__(self, kept: int = SCENARIOS_KEPT) -> None:
        self.kept = kept
        self._by_object: OrderedDict[int, tuple[Scenario, str, bytes]] = OrderedDict()

    def pack(self, scenario: Scenario) -> tuple[str, bytes]:
        """(key, pickle) of ``scenario``."""
        found = self._by_object.get(id(scenario))
        if found is not None and found[0] is scenario:
            self._by_object.move_to_end(id(scenario))
            return found[1], found[2]
        blob = pickle.dumps(scenario, protocol=pickle.HIGHEST_PROTOCOL)
        key = hashlib.blake2b(blob, digest_size=16).hexdigest()
        self._by_object[id(scenario)] = (scenario, key, blob)
        while len(self._by_object) > self.kept:
            self._by_object.popitem(last=False)
        return key, blob

    def items(self, tasks: list[RunTask]) -> tuple[list[WorkItem], dict[str, bytes]]:
        """The work items of ``tasks`` and the pickles of their scenarios (each once)."""
        items, blobs = [], {}
        for task in tasks:
            key, blob = self.pack(task.scenario)
            blobs[key] = blob
            items.append(WorkItem(task.run_id, key, task.seed, task.days))
        return items, blobs


_scenarios: OrderedDict[str, Scenario] = OrderedDict()
_scenarios_lock = threading.Lock()
unpickled = {"count": 0}  # scenarios this process has unpickled (tests check "once per worker")


def scenario_for(key: str, blob: bytes) -> Scenario:
    """The worker's side: the scenario of ``key``, unpickled from ``blob`` only the first time."""
    with _scenarios_lock:
        scenario = _scenarios.get(key)
        if scenario is not None:
            _scenarios.move_to_end(key)
            return scenario
        scenario = pickle.loads(blob)
        unpickled["count"] += 1
        _scenarios[key] = scenario
        while len(_scenarios) > SCENARIOS_KEPT:
            _scenarios.popitem(last=False)
        return scenario


def execute_items(items: list[WorkItem], blobs: Mapping[str, bytes], run_fn: RunFunction = simulate_run) -> list[Outcome]:
    """Run work items in a worker; a scenario that cannot be unpickled fails its runs, not the worker."""
    outcomes = []
    for item in items:
        try:
            scenario = scenario_for(item.scenario_key, blobs[item.scenario_key])
        except Exception:  # noqa: BLE001 - e.g. a remote worker without the project's current code
            outcomes.append(Outcome(item.run_id, Status.FAILED, 0.0, error=traceback.format_exc()))
            continue
        outcomes.append(_execute(item.run_id, scenario, item.seed, item.days, run_fn))
    return outcomes


def worker_state() -> dict[str, int]:
    """This worker's process id and how many scenarios it has unpickled (for tests and benchmarks)."""
    return {"pid": os.getpid(), "unpickled": unpickled["count"]}


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
