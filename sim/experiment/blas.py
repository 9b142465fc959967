"""One BLAS thread per run, in every executor, on every platform (through ``threadpoolctl``).

numpy's OpenBLAS (or MKL, or Accelerate) starts one thread per core. Two worker processes on two
cores then run four BLAS threads and slow each other down (measured here: speed-up 1.01 instead
of 1.82), and a reduction split over a different number of threads may round differently. So
every executor runs with one BLAS thread: Dask workers and pool workers through the environment
they start with (Dask sets ``OPENBLAS_NUM_THREADS=1`` itself; the pool spawns fresh workers inside
``one_thread_environment``) and ``threadpoolctl`` once started; the serial loop through
``threadpoolctl.threadpool_limits``. Setting the count in a *forked* worker is not enough: it
keeps the parent's BLAS threads, and parallel runs stayed slow.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_info, threadpool_limits

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def blas_threads() -> list[int]:
    """Thread counts of every BLAS library loaded in this process."""
    return [int(pool["num_threads"]) for pool in threadpool_info() if pool.get("user_api") == "blas"]


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """One BLAS thread inside the block (the serial executor); restored afterwards."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@contextmanager
def one_thread_environment() -> Iterator[None]:
    """The one-thread variables in ``os.environ`` inside the block (for processes started in it)."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update({name: "1" for name in THREAD_VARIABLES})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def worker_one_blas_thread() -> None:
    """In a worker process: one BLAS thread now and for libraries loaded later."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    threadpool_limits(limits=1, user_api="blas")
