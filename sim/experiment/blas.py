"""One BLAS thread per run, in every executor.

numpy's OpenBLAS starts one thread per core. Two worker processes on two cores then run four
BLAS threads and slow each other down (measured here: speed-up 1.01 instead of 1.82), and a
reduction split over a different number of threads may round differently. So every executor
runs with one BLAS thread: Dask workers and pool workers through the environment they start
with (Dask sets ``OPENBLAS_NUM_THREADS=1`` itself; the pool spawns fresh workers inside
``one_thread_environment``), the serial loop through OpenBLAS's own ``*_set_num_threads``
(what ``threadpoolctl`` does, without the dependency). Setting the count in a *forked* worker
is not enough: it keeps the parent's BLAS threads, and parallel runs stayed slow.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PREFIXES = ("openblas", "scipy_openblas")
SUFFIXES = ("", "64_")


def _openblas_libraries() -> list[ctypes.CDLL]:
    """Every OpenBLAS already loaded in this process (numpy's and scipy's may differ)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.rsplit("/", 1)[-1].lower()}
    except OSError:
        return []
    libraries = []
    for path in sorted(paths):
        try:
            libraries.append(ctypes.CDLL(path))
        except OSError:
            continue
    return libraries


def _function(library: ctypes.CDLL, verb: str) -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    for prefix in PREFIXES:
        for suffix in SUFFIXES:
            function = getattr(library, f"{prefix}_{verb}_num_threads{suffix}", None)
            if function is not None:
                return function
    return None


def set_blas_threads(count: int) -> list[int]:
    """Set every loaded OpenBLAS to ``count`` threads; returns the previous counts."""
    previous = []
    for library in _openblas_libraries():
        getter, setter = _function(library, "get"), _function(library, "set")
        if getter is not None and setter is not None:
            previous.append(int(getter()))
            setter(count)
    return previous


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """One BLAS thread inside the block (the serial executor); restored afterwards."""
    libraries = [lib for lib in _openblas_libraries() if _function(lib, "get") and _function(lib, "set")]
    previous = [int(_function(lib, "get")()) for lib in libraries]  # type: ignore[misc]
    for library in libraries:
        _function(library, "set")(1)  # type: ignore[misc]
    try:
        yield
    finally:
        for library, count in zip(libraries, previous, strict=True):
            _function(library, "set")(count)  # type: ignore[misc]


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
    set_blas_threads(1)
