"""Benchmark of the executors: per-run overhead (tiny runs) and parallel efficiency (longer runs).

    python experiments/benchmark_sweep.py                  # ~1-2 minutes on 2 cores
    python experiments/benchmark_sweep.py --tiny-runs 100 --long-runs 16 --long-days 365

Per-run overhead = (wall time x workers - time spent inside runs) / runs: what the machinery
(pickling, scheduling, the SQLite transaction, the progress bar, pool or cluster start-up)
costs each run. Parallel efficiency = serial wall time / (workers x parallel wall time).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.experiment import Experiment, load_results, run_experiment  # noqa: E402

BASELINE = ROOT / "scenarios" / "baseline.toml"


def measure(spec: Experiment, executor: str, workers: int) -> tuple[float, float, int]:
    """(wall seconds, seconds inside runs, runs) of one fresh experiment."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        summary = run_experiment(spec, folder, executor=executor, workers=workers, progress=False,
                                 log=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
        wall = time.perf_counter() - start
        inside = float(load_results(folder).elapsed_s.sum())
    assert summary.failed == 0, f"{summary.failed} runs failed"
    return wall, inside, summary.ran


def spec_of(runs: int, days: int, residents: int) -> Experiment:
    """``runs`` replications of the baseline, resized."""
    return Experiment([BASELINE], replications=runs, seed=1, days=days, name="bench",
                      overrides={"communities.baseline.residents": residents})


def main() -> int:
    """Print both tables."""
    args = _arguments()
    executors = [("serial", 1), ("process", args.workers), ("dask", args.workers)]
    tiny = spec_of(args.tiny_runs, 5, 200)
    measure(tiny, "serial", 1)  # warm imports and caches
    print(f"Per-run overhead: {args.tiny_runs} tiny runs (5 days, 200 residents), {os.cpu_count()} cores")
    print(f"{'executor':<10}{'workers':>8}{'wall s':>9}{'in runs s':>11}{'runs/s':>9}{'overhead ms/run':>17}")
    for executor, workers in executors:
        wall, inside, runs = measure(tiny, executor, workers)
        overhead_ms = 1000 * (wall * workers - inside) / runs
        print(f"{executor:<10}{workers:>8}{wall:>9.2f}{inside:>11.2f}{runs / wall:>9.1f}{overhead_ms:>17.1f}")
    long = spec_of(args.long_runs, args.long_days, args.long_residents)
    print(f"\nParallel efficiency: {args.long_runs} runs ({args.long_days} days, {args.long_residents} residents)")
    print(f"{'executor':<10}{'workers':>8}{'wall s':>9}{'speed-up':>10}{'efficiency':>12}")
    serial_wall = None
    for executor, workers in executors:
        wall, _, _ = measure(long, executor, workers)
        serial_wall = serial_wall or wall
        speedup = serial_wall / wall
        print(f"{executor:<10}{workers:>8}{wall:>9.2f}{speedup:>10.2f}{speedup / workers:>12.0%}")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tiny-runs", type=int, default=60)
    parser.add_argument("--long-runs", type=int, default=12)
    parser.add_argument("--long-days", type=int, default=365)
    parser.add_argument("--long-residents", type=int, default=5000)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
