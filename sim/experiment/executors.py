"""Where runs execute: in this process, in a local process pool, or on a Dask cluster.

Each backend is a generator of ``(task, outcome)`` pairs in completion order; the parent writes
them to the store as they arrive. Whole runs (or batches of runs) are submitted, never steps, and
at most a small window of them is in flight, so memory stays bounded however long the sweep.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum

from sim.experiment.blas import one_blas_thread, one_thread_environment
from sim.experiment.worker import Outcome, RunFunction, RunTask, Status, execute_batch, init_pool_worker

Finished = tuple[RunTask, Outcome]


class ExecutorKind(str, Enum):
    """The executors ``--executor`` accepts."""

    SERIAL = "serial"
    PROCESS = "process"
    DASK = "dask"


def default_workers() -> int:
    """Worker processes when none are asked for: every core."""
    return os.cpu_count() or 1


def run_serial(tasks: Sequence[RunTask], run_fn: RunFunction) -> Iterator[Finished]:
    """Run every task here, one after the other (with one BLAS thread, like the workers)."""
    for task in tasks:
        with one_blas_thread():
            outcome = execute_batch([task], run_fn)[0]
        yield task, outcome


def run_windowed(executor: cf.Executor, tasks: Sequence[RunTask], run_fn: RunFunction,
                 window: int, batch_size: int = 1) -> Iterator[Finished]:
    """Keep ``window`` batches in flight on ``executor``; yield results as they complete.

    Exceptions raised by the executor itself (a broken pool) propagate with an ``in_flight``
    attribute listing the run identities that were submitted and not yet yielded.
    """
    pending = deque(_batches(tasks, batch_size))
    running: dict[cf.Future[list[Outcome]], list[RunTask]] = {}
    while pending or running:
        while pending and len(running) < window:
            batch = pending.popleft()
            running[executor.submit(execute_batch, batch, run_fn)] = batch
        done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: f.exception() is not None):  # successes first
            batch = running.pop(future)
            try:
                outcomes = future.result()
            except Exception as exc:
                exc.in_flight = [task.run_id for b in (batch, *running.values()) for task in b]  # type: ignore[attr-defined]
                raise
            yield from zip(batch, outcomes, strict=True)


def run_pool(tasks: Sequence[RunTask], run_fn: RunFunction, workers: int, batch_size: int = 1,
             max_crashes: int = 2) -> Iterator[Finished]:
    """Run on a local process pool; rebuild it when a worker dies and resubmit unfinished runs.

    The runs in flight when a worker died become suspects and are rerun one at a time in a
    one-worker pool, so a death there is the suspect's own: after ``max_crashes`` such deaths
    the run is stored ``failed``. Innocent runs are never charged for another run's crash.
    """
    remaining = {task.run_id: task for task in tasks}
    suspects: list[str] = []
    crashes: dict[str, int] = {}
    while remaining:
        if suspects:
            yield from _run_suspects(remaining, suspects, crashes, run_fn, max_crashes)
            continue
        try:
            with _process_pool(workers) as pool:
                for task, outcome in run_windowed(pool, list(remaining.values()), run_fn, 2 * workers, batch_size):
                    del remaining[task.run_id]
                    yield task, outcome
        except cf.process.BrokenProcessPool as exc:
            suspects.extend(run_id for run_id in getattr(exc, "in_flight", []) if run_id in remaining)


def _run_suspects(remaining: dict[str, RunTask], suspects: list[str], crashes: dict[str, int],
                  run_fn: RunFunction, max_crashes: int) -> Iterator[Finished]:
    """Run suspects alone until one kills its worker (charged) or none are left."""
    try:
        with _process_pool(1) as pool:
            while suspects:
                task = remaining[suspects[0]]
                for finished in run_windowed(pool, [task], run_fn, 1):
                    yield finished
                del remaining[suspects.pop(0)]
    except cf.process.BrokenProcessPool:
        run_id = suspects[0]
        crashes[run_id] = crashes.get(run_id, 0) + 1
        if crashes[run_id] >= max_crashes:
            suspects.pop(0)
            message = f"worker process died {crashes[run_id]} times running this run alone (killed or crashed)"
            yield remaining.pop(run_id), Outcome(run_id, Status.FAILED, 0.0, error=message)


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


def run_dask(tasks: Sequence[RunTask], run_fn: RunFunction, workers: int, scheduler: str | None,
             batch_size: int = 1) -> Iterator[Finished]:
    """Run on a Dask cluster at ``scheduler``, or on a local one bound to 127.0.0.1.

    Dask retries a task whose worker died (``distributed.scheduler.allowed-failures``).
    """
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0")
    try:
        with Client(cluster if cluster is not None else scheduler) as client:
            threads = sum(client.nthreads().values()) or workers
            executor = client.get_executor(pure=False)
            yield from run_windowed(executor, tasks, run_fn, 2 * threads, batch_size)
    finally:
        if cluster is not None:
            cluster.close()


def _batches(tasks: Sequence[RunTask], size: int) -> list[list[RunTask]]:
    return [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]
