"""Where runs execute: in this process, in a local process pool, or on a Dask cluster.

Each backend is a generator of ``(task, outcome)`` pairs in completion order; the parent writes
them to the store as they arrive. Whole runs (or batches of runs) are submitted, never steps, and
at most a small window of them is in flight, so memory stays bounded however long the sweep.
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum

from sim.errors import ScenarioError
from sim.experiment.blas import one_blas_thread, one_thread_environment
from sim.experiment.worker import (
    Outcome,
    RunFunction,
    RunTask,
    Status,
    execute_batch,
    init_pool_worker,
)

Finished = tuple[RunTask, Outcome]


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
            outcome = execute_batch([task], run_fn)[0]
        yield task, outcome


def run_windowed(executor: cf.Executor, tasks: Iterable[RunTask], run_fn: RunFunction,
                 window: int, batch_size: int = 1) -> Iterator[Finished]:
    """Keep ``window`` batches in flight on ``executor``; yield results as they complete.

    Tasks are drawn from ``tasks`` only as slots free up, so a plan of a million runs is never
    held in memory. Exceptions raised by the executor itself (a broken pool) propagate with an
    ``in_flight`` attribute listing the tasks that were submitted and not yet yielded.
    """
    pending = _batches(tasks, batch_size)
    running: dict[cf.Future[list[Outcome]], list[RunTask]] = {}
    exhausted = False
    while not exhausted or running:
        while not exhausted and len(running) < window:
            batch = next(pending, None)
            if batch is None:
                exhausted = True
                break
            running[executor.submit(execute_batch, batch, run_fn)] = batch
        if not running:
            break
        done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: f.exception() is not None):  # successes first
            batch = running.pop(future)
            try:
                outcomes = future.result()
            except Exception as exc:
                exc.in_flight = [task for b in (batch, *running.values()) for task in b]  # type: ignore[attr-defined]
                raise
            yield from zip(batch, outcomes, strict=True)


def run_pool(tasks: Iterable[RunTask], run_fn: RunFunction, workers: int, batch_size: int = 1,
             max_crashes: int = 2) -> Iterator[Finished]:
    """Run on a local process pool; rebuild it when a worker dies and resubmit unfinished runs.

    The runs in flight when a worker died become suspects and are rerun one at a time in a
    one-worker pool, so a death there is the suspect's own: after ``max_crashes`` such deaths
    the run is stored ``failed``. Innocent runs are never charged for another run's crash.
    """
    pending = iter(tasks)
    suspects: list[RunTask] = []
    crashes: dict[str, int] = {}
    while True:
        if suspects:
            yield from _run_suspects(suspects, crashes, run_fn, max_crashes)
            continue
        try:
            with _process_pool(workers) as pool:
                yield from run_windowed(pool, pending, run_fn, 2 * workers, batch_size)
            return
        except cf.process.BrokenProcessPool as exc:
            suspects.extend(getattr(exc, "in_flight", []))


def _run_suspects(suspects: list[RunTask], crashes: dict[str, int], run_fn: RunFunction,
                  max_crashes: int) -> Iterator[Finished]:
    """Run suspects alone until one kills its worker (charged) or none are left."""
    try:
        with _process_pool(1) as pool:
            while suspects:
                yield from run_windowed(pool, [suspects[0]], run_fn, 1)
                suspects.pop(0)
    except cf.process.BrokenProcessPool:
        task = suspects[0]
        crashes[task.run_id] = crashes.get(task.run_id, 0) + 1
        if crashes[task.run_id] >= max_crashes:
            suspects.pop(0)
            message = f"worker process died {crashes[task.run_id]} times running this run alone (killed or crashed)"
            yield task, Outcome(task.run_id, Status.FAILED, 0.0, error=message)


@contextmanager
def _process_pool(workers: int) -> Iterator[cf.ProcessPoolExecutor]:
    """A pool of fresh ("spawn") workers with one BLAS thread each, which exit if the parent dies.

    Fresh processes read the one-thread variables when numpy loads; forked ones would inherit
    the parent's BLAS thread pool, which slows parallel runs down (see ``sim.experiment.blas``).
    """
    context = multiprocessing.get_context("spawn")
    with one_thread_environment():
        pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_pool_worker)
        try:
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def run_dask(tasks: Iterable[RunTask], run_fn: RunFunction, workers: int, scheduler: str | None,
             batch_size: int = 1) -> Iterator[Finished]:
    """Run on a Dask cluster at ``scheduler``, or on a local one of ``workers`` bound to 127.0.0.1.

    Dask retries a task whose worker died (``distributed.scheduler.allowed-failures``). An
    unreachable scheduler is a one-line ``ScenarioError``.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ScenarioError(["--executor dask: needs Dask (pip install 'five-society-sim[cluster]')"]) from None

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0")
    try:
        with _client(Client, cluster if cluster is not None else scheduler) as client:
            threads = sum(client.nthreads().values()) or workers
            executor = client.get_executor(pure=False)
            yield from run_windowed(executor, tasks, run_fn, 2 * threads, batch_size)
    finally:
        if cluster is not None:
            cluster.close()


SCHEDULER_TIMEOUT_S = 10


@contextmanager
def _client(client_class: type, address: object) -> Iterator[object]:
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
