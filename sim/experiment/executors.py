"""Where runs execute: in this process, in a local process pool, or on a Dask cluster.

Each backend is a generator of ``(task, outcome)`` pairs in completion order; the parent writes
them to the store as they arrive. Whole runs (or batches of runs) are submitted, never steps, and
a window of twice as many batches as there are workers is kept in flight, so no worker waits
for the parent and memory stays bounded however long the sweep.

Workers are reused: the process pool and the local Dask cluster started by one experiment stay
up for the next one in this process (``margins`` and ``optimise`` run round after round), as
long as the environment they were started with is unchanged, and close when the process exits
(or on ``shutdown_executors()``). Each scenario is pickled once and sent to each worker once
(``sim.experiment.worker.ScenarioPacker``; on Dask, scattered once).
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import itertools
import multiprocessing
import os
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any

from sim.errors import ScenarioError
from sim.experiment.blas import one_blas_thread, one_thread_environment
from sim.experiment.worker import (
    SCENARIOS_KEPT,
    Outcome,
    RunFunction,
    RunTask,
    ScenarioPacker,
    Status,
    execute_items,
    execute_task,
    init_pool_worker,
)

Finished = tuple[RunTask, Outcome]
Submit = Callable[[list[RunTask]], "cf.Future[list[Outcome]]"]


class ExecutorKind(str, Enum):
    """The executors ``--executor`` accepts."""

    SERIAL = "serial"
    PROCESS = "process"
    DASK = "dask"


def default_workers() -> int:
    """Worker processes when none are asked for: every core."""
    return os.cpu_count() or 1


def run_serial(tasks: Iterable[RunTask], run_fn: RunFunction) -> Iterator[Finished]:
    """Run every task here, one after the other (with one BLAS thread, like the workers)."""
    for task in tasks:
        with one_blas_thread():
            outcome = execute_task(task, run_fn)
        yield task, outcome


def run_windowed(submit: Submit, tasks: Iterable[RunTask], window: int | Callable[[], int],
                 batch_size: int = 1, own_fault: Callable[[Exception], str | None] | None = None) -> Iterator[Finished]:
    """Keep ``window`` batches in flight through ``submit``; yield results as they complete.

    Tasks are drawn from ``tasks`` only as slots free up, so a plan of a million runs is never
    held in memory. ``window`` may be a function, asked again as runs finish (a Dask cluster
    that gains workers gets a wider window). An exception from the executor that ``own_fault``
    blames on the batch (a Dask task that killed every worker it ran on) fails that batch's runs
    with its message; any other (a broken pool, a lost scheduler) propagates with an
    ``in_flight`` attribute listing the tasks submitted and not yet yielded. Batches not yet
    started are cancelled when the caller stops.
    """
    pending = _batches(tasks, batch_size)
    running: dict[cf.Future[list[Outcome]], list[RunTask]] = {}
    width = window if callable(window) else (lambda: window)
    exhausted = False
    try:
        while not exhausted or running:
            limit = max(1, width())
            while not exhausted and len(running) < limit:
                batch = next(pending, None)
                if batch is None:
                    exhausted = True
                    break
                running[submit(batch)] = batch
            if not running:
                break
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=_failed):  # successes first
                batch = running.pop(future)
                try:
                    outcomes = future.result()
                except Exception as exc:
                    message = own_fault(exc) if own_fault is not None else None
                    if message is None:
                        exc.in_flight = [task for b in (batch, *running.values()) for task in b]  # type: ignore[attr-defined]
                        raise
                    outcomes = [Outcome(task.run_id, Status.FAILED, 0.0, error=message) for task in batch]
                yield from zip(batch, outcomes, strict=True)
    finally:
        for future in running:
            future.cancel()


def _failed(future: cf.Future[Any]) -> bool:
    """Whether a finished future holds an exception (or was cancelled)."""
    return future.cancelled() or future.exception() is not None


def run_pool(tasks: Iterable[RunTask], run_fn: RunFunction, workers: int, batch_size: int = 1,
             max_crashes: int = 2) -> Iterator[Finished]:
    """Run on a local process pool; rebuild it when a worker dies and resubmit unfinished runs.

    The pool is this process's reusable one (see the module's docstring). The runs in flight
    when a worker died become suspects and are rerun one at a time in a one-worker pool, so a
    death there is the suspect's own: after ``max_crashes`` such deaths the run is stored
    ``failed``. Innocent runs are never charged for another run's crash.
    """
    pending = iter(tasks)
    suspects: list[RunTask] = []
    crashes: dict[str, int] = {}
    packer = ScenarioPacker()
    while True:
        if suspects:
            yield from _run_suspects(suspects, crashes, run_fn, max_crashes, packer)
            continue
        pool = shared_pool(workers)
        try:
            yield from run_windowed(_pool_submit(pool, packer, run_fn), pending, 2 * workers, batch_size)
            return
        except cf.process.BrokenProcessPool as exc:
            _close_pool(pool)
            suspects.extend(getattr(exc, "in_flight", []))


def _pool_submit(pool: cf.Executor, packer: ScenarioPacker, run_fn: RunFunction) -> Submit:
    """Submit a batch to a pool: work items plus the pickles of their scenarios (pickled once here)."""
    def submit(batch: list[RunTask]) -> cf.Future[list[Outcome]]:
        items, blobs = packer.items(batch)
        return pool.submit(execute_items, items, blobs, run_fn)

    return submit


def _run_suspects(suspects: list[RunTask], crashes: dict[str, int], run_fn: RunFunction,
                  max_crashes: int, packer: ScenarioPacker) -> Iterator[Finished]:
    """Run suspects alone until one kills its worker (charged) or none are left."""
    try:
        with _process_pool(1) as pool:
            while suspects:
                yield from run_windowed(_pool_submit(pool, packer, run_fn), [suspects[0]], 1)
                suspects.pop(0)
    except cf.process.BrokenProcessPool:
        task = suspects[0]
        crashes[task.run_id] = crashes.get(task.run_id, 0) + 1
        if crashes[task.run_id] >= max_crashes:
            suspects.pop(0)
            message = f"worker process died {crashes[task.run_id]} times running this run alone (killed or crashed)"
            yield task, Outcome(task.run_id, Status.FAILED, 0.0, error=message)


_pools: dict[tuple[Any, ...], cf.ProcessPoolExecutor] = {}


def shared_pool(workers: int) -> cf.ProcessPoolExecutor:
    """This process's pool of ``workers`` workers, started on first use and reused while the
    environment (variables, ``sys.path``) is the one its workers were started with."""
    pool = _pools.get((workers, _environment()))
    if pool is None:
        for other in list(_pools.values()):
            _close_pool(other)
        pool = _new_pool(workers)
        _pools[(workers, _environment())] = pool
    return pool


def _environment() -> tuple[Any, ...]:
    """What a spawned worker inherits and a reused one would miss if it changed (as it is once the
    workers have started: Dask's local cluster sets a few variables and ``sys.path`` entries here)."""
    return tuple(sorted(os.environ.items())), tuple(sys.path), os.getcwd()


def _close_pool(pool: cf.ProcessPoolExecutor) -> None:
    for key, value in list(_pools.items()):
        if value is pool:
            del _pools[key]
    pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _process_pool(workers: int) -> Iterator[cf.ProcessPoolExecutor]:
    """A fresh pool for one block (suspects run alone in one), shut down after it."""
    pool = _new_pool(workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A pool of fresh ("spawn") workers with one BLAS thread each, which exit if the parent dies.

    Fresh processes read the one-thread variables when numpy loads; forked ones would inherit
    the parent's BLAS thread pool, which slows parallel runs down (see ``sim.experiment.blas``).
    """
    context = multiprocessing.get_context("spawn")
    with one_thread_environment():
        return cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_pool_worker)


def run_dask(tasks: Iterable[RunTask], run_fn: RunFunction, workers: int, scheduler: str | None,
             batch_size: int = 1) -> Iterator[Finished]:
    """Run on a Dask cluster at ``scheduler``, or on a local one of ``workers`` bound to 127.0.0.1.

    Dask retries a task whose worker died (``distributed.scheduler.allowed-failures``, 3 by
    default); a run whose task killed that many workers is stored ``failed`` and the sweep goes
    on. An unreachable scheduler, or one lost during the sweep, is a one-line ``ScenarioError`` (runs
    finished before are stored; rerunning the command resumes). Each scenario is scattered to
    the cluster once and kept by each worker that runs it.
    """
    try:
        from distributed import Client
    except ImportError:
        raise ScenarioError(["--executor dask: needs Dask (pip install 'five-society-sim[cluster]')"]) from None

    address = scheduler if scheduler is not None else shared_local_cluster(workers)
    with _client(Client, address) as client:
        if scheduler is not None and not client.nthreads():
            print(f"--scheduler {scheduler}: no Dask workers yet; the runs wait for them "
                  f"(start them with: dask worker {scheduler} --nthreads 1)", file=sys.stderr, flush=True)
        executor = client.get_executor(pure=False)
        submit = _dask_submit(client, executor, ScenarioPacker(), run_fn)
        try:
            yield from run_windowed(submit, tasks, _dask_window(client, workers), batch_size, _killed_workers)
        except Exception as exc:
            if client.status not in ("running", "connecting") or _lost(exc):
                where = scheduler or "the local cluster"
                raise ScenarioError([f"--scheduler: lost the Dask scheduler at {where} during the sweep "
                                     f"({type(exc).__name__}); the runs finished before are stored: restart the "
                                     "scheduler and its workers and rerun the same command to resume"]) from None
            raise


def _killed_workers(exc: Exception) -> str | None:
    """The failure stored for runs whose Dask task killed every worker it was tried on (e.g. out of memory)."""
    if type(exc).__name__ != "KilledWorker":
        return None
    return (f"Dask worker processes died running this run ({exc}): killed or out of memory; "
            "give each worker more memory, or fewer worker processes a machine")


def _lost(exc: BaseException) -> bool:
    """Whether an exception from a Dask future means the scheduler connection is gone."""
    return isinstance(exc, (cf.CancelledError, OSError, TimeoutError)) or type(exc).__name__ in (
        "CommClosedError", "FutureCancelledError")


def _dask_submit(client: Any, executor: cf.Executor, packer: ScenarioPacker, run_fn: RunFunction) -> Submit:
    """Submit a batch to Dask: work items plus futures of their scenarios, scattered once each."""
    scattered: OrderedDict[str, Any] = OrderedDict()

    def submit(batch: list[RunTask]) -> cf.Future[list[Outcome]]:
        items, blobs = packer.items(batch)
        remote = {}
        for key, blob in blobs.items():
            if key not in scattered:
                scattered[key] = client.scatter(blob, hash=False)
                while len(scattered) > SCENARIOS_KEPT:
                    scattered.popitem(last=False)
            scattered.move_to_end(key)
            remote[key] = scattered[key]
        return executor.submit(execute_items, items, remote, run_fn)

    return submit


def _dask_window(client: Any, workers: int, every_s: float = 5.0) -> Callable[[], int]:
    """Twice the cluster's worker threads, asked again at most every ``every_s`` seconds."""
    state = {"at": -every_s, "window": 2 * workers}

    def window() -> int:
        now = time.monotonic()
        if now - state["at"] >= every_s:
            state["at"] = now
            try:
                state["window"] = 2 * (sum(client.nthreads().values()) or workers)
            except Exception:  # noqa: BLE001 - keep the last width; a lost scheduler surfaces on the futures
                pass
        return state["window"]

    return window


_clusters: dict[tuple[Any, ...], Any] = {}


def shared_local_cluster(workers: int) -> Any:
    """This process's local Dask cluster (``workers`` processes of one thread, on 127.0.0.1),
    started on first use and reused while the environment is unchanged."""
    from distributed import LocalCluster

    key = (workers, _environment())
    cluster = _clusters.get(key)
    if cluster is not None and cluster.status.name not in ("running", "created"):
        del _clusters[key]  # closed or failed: start another
        cluster = None
    if cluster is None:
        for other in list(_clusters):
            _clusters.pop(other).close()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0")
        _clusters[(workers, _environment())] = cluster  # after: starting it sets variables and sys.path here
    return cluster


def shutdown_executors() -> None:
    """Close this process's reusable pool and local Dask cluster (done at exit anyway)."""
    for pool in list(_pools.values()):
        _close_pool(pool)
    for key in list(_clusters):
        _clusters.pop(key).close()


atexit.register(shutdown_executors)


SCHEDULER_TIMEOUT_S = 10


@contextmanager
def _client(client_class: type, address: object) -> Iterator[Any]:
    """A Dask client; a scheduler that cannot be reached is one line naming it."""
    try:
        client = client_class(address, timeout=SCHEDULER_TIMEOUT_S) if isinstance(address, str) else client_class(address)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ScenarioError([f"--scheduler: cannot reach {address}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__} "
                             "(start a scheduler there, check the address, or omit --scheduler for a local cluster)"]) from None
    with client:
        yield client


def _batches(tasks: Iterable[RunTask], size: int) -> Iterator[list[RunTask]]:
    iterator = iter(tasks)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
