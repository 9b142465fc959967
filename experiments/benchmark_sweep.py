"""Benchmark of the executors: per-run overhead (tiny runs) and parallel efficiency (year-long runs).

    python experiments/benchmark_sweep.py                      # ~5 minutes on 2 quiet cores
    python experiments/benchmark_sweep.py --only district --district-runs 16
    python experiments/benchmark_sweep.py --only slice --slice-communities 100 --slice-runs 4
    python experiments/benchmark_sweep.py --only machinery     # runs that sleep 0.2 s: the executors alone

Per-run overhead = (wall time x workers - time spent inside runs) / runs: what the machinery
(pickling, scheduling, the SQLite transaction, the progress bar, pool or cluster start-up)
costs each run. Parallel efficiency = speed-up / workers, speed-up = serial wall time / parallel
wall time, for year-long runs of the Changsha district (scenarios/changsha/district.toml, 5
communities, 20,000 residents) and of a slice of the city (100 communities of ~5,531 residents,
the city's mean: 10.42 M residents / 1,884 communities, source in district.toml). "busy" is the
share of the workers' wall time spent inside runs: efficiency below busy is the machine (other
processes, shared caches), busy below 100% is the machinery (start-up, transfer, idle workers).

The "machinery" table runs 40 runs that sleep 0.2 s (``tests.experiment_fakes.slow_fake_run``):
they need no CPU, so its efficiency is the executors' own (start-up, transfer, scheduling, the
store) even on a busy machine.

"cold" rows start their pool or local cluster inside the measured experiment, as a ``sim
compare`` command does; "warm" rows run a second experiment on the workers the first one left
(as ``margins`` and ``optimise`` do round after round). Each row prints the 1-minute load
average when it ended: on a shared machine the figures are only as good as that number.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.experiment import Experiment, load_results, run_experiment  # noqa: E402
from sim.experiment import executors  # noqa: E402
from sim.scenario import Scenario  # noqa: E402

BASELINE = ROOT / "scenarios" / "baseline.toml"
DISTRICT = ROOT / "scenarios" / "changsha" / "district.toml"
CITY_MEAN_RESIDENTS = 5_531  # 10.4206 M residents / 1,884 communities (district.toml cites both)


def measure(spec: Experiment, executor: str, workers: int) -> tuple[float, float, int]:
    """(wall seconds, seconds inside runs, runs) of one fresh experiment."""
    with tempfile.TemporaryDirectory() as folder, open(os.devnull, "w") as quiet:
        start = time.perf_counter()
        summary = run_experiment(spec, folder, executor=executor, workers=workers, progress=False, log=quiet)
        wall = time.perf_counter() - start
        inside = float(load_results(folder).elapsed_s.sum())
    assert summary.failed == 0, f"{summary.failed} runs failed"
    return wall, inside, summary.ran


def release_workers() -> None:
    """Close pools and local clusters kept for reuse, so the next measurement starts cold."""
    shutdown = getattr(executors, "shutdown_executors", None)
    if shutdown is not None:
        shutdown()


def tiny_spec(runs: int) -> Experiment:
    """``runs`` replications of the baseline at 200 residents, 5 days."""
    return Experiment([BASELINE], replications=runs, seed=1, days=5, name="bench-tiny",
                      overrides={"communities.baseline.residents": 200})


def district_spec(runs: int, days: int, seed: int = 1) -> Experiment:
    """``runs`` replications of the Changsha district."""
    return Experiment([DISTRICT], replications=runs, seed=seed, days=days, name="bench-district")


def city_slice(communities: int) -> Scenario:
    """A slice of the city: ``communities`` communities of the city's mean size.

    The city generator (``sim.city``) when this checkout has it; otherwise the district's five
    community types repeated, ten communities a street with one station, 4.80 yuan a resident.
    """
    try:
        from sim.city import city_scenario
    except ImportError:
        return _district_types(communities)
    return city_scenario(communities=communities, residents_per_community=CITY_MEAN_RESIDENTS)


def _district_types(communities: int) -> Scenario:
    from sim.loading import read_merged, validate

    data = read_merged(DISTRICT)
    types = list(data["communities"].values())
    data["communities"] = {f"c{i:04d}": {**types[i % len(types)], "residents": CITY_MEAN_RESIDENTS,
                                         "street": f"street_{i // 10:03d}", "has_station": i % 10 == 0}
                           for i in range(communities)}
    data["budget"]["total_yuan"] = 4.80 * CITY_MEAN_RESIDENTS * communities  # 50 M / 10.42 M residents
    data["name"] = f"city slice ({communities} communities)"
    return validate(data, source="city slice")


def slice_spec(scenario: Scenario, runs: int, days: int, seed: int = 1) -> Experiment:
    """``runs`` replications of a slice of the city."""
    return Experiment([scenario], replications=runs, seed=seed, days=days, name="bench-slice")


def machinery_table(runs: int, executors_to_try: list[tuple[str, int]]) -> None:
    """Efficiency of each executor on runs of a fixed 0.2 s that use no CPU."""
    from tests.experiment_fakes import slow_fake_run

    print(f"\nMachinery: {runs} runs that sleep 0.2 s (ideal wall: {runs * 0.2:.1f} s / workers)")
    print(f"{'executor':<10}{'workers':>8}{'start':>6}{'wall s':>9}{'ideal s':>9}{'efficiency':>12}{'load':>7}")
    for executor, workers in executors_to_try:
        release_workers()
        for number, start in enumerate(["cold", "warm"] if executor != "serial" else ["-"]):
            spec = Experiment([Scenario()], replications=runs, seed=1 + number, days=5, name="bench-machinery")
            with tempfile.TemporaryDirectory() as folder, open(os.devnull, "w") as quiet:
                began = time.perf_counter()
                run_experiment(spec, folder, executor=executor, workers=workers, run_fn=slow_fake_run, progress=False, log=quiet)
                wall = time.perf_counter() - began
            ideal = runs * 0.2 / workers
            print(f"{executor:<10}{workers:>8}{start:>6}{wall:>9.2f}{ideal:>9.2f}{ideal / wall:>12.0%}{os.getloadavg()[0]:>7.2f}",
                  flush=True)
    release_workers()


def overhead_table(runs: int, executors_to_try: list[tuple[str, int]]) -> None:
    """Per-run overhead of tiny runs on each executor."""
    spec = tiny_spec(runs)
    measure(spec, "serial", 1)  # warm imports and caches
    print(f"Per-run overhead: {runs} tiny runs (5 days, 200 residents), {os.cpu_count()} cores")
    print(f"{'executor':<10}{'workers':>8}{'wall s':>9}{'in runs s':>11}{'runs/s':>9}{'overhead ms/run':>17}{'load':>7}")
    for executor, workers in executors_to_try:
        release_workers()
        wall, inside, ran = measure(spec, executor, workers)
        overhead_ms = 1000 * (wall * workers - inside) / ran
        print(f"{executor:<10}{workers:>8}{wall:>9.2f}{inside:>11.2f}{ran / wall:>9.1f}{overhead_ms:>17.1f}"
              f"{os.getloadavg()[0]:>7.2f}", flush=True)


def efficiency_table(title: str, make_spec: Callable[[int], Experiment], executors_to_try: list[tuple[str, int]],
                     warm: bool) -> None:
    """Speed-up and efficiency of each executor over serial on one kind of run."""
    print(f"\nParallel efficiency: {title}")
    print(f"{'executor':<10}{'workers':>8}{'start':>6}{'wall s':>9}{'speed-up':>10}{'efficiency':>12}{'busy':>7}{'load':>7}")
    serial_wall = None
    for executor, workers in executors_to_try:
        starts = ["cold", "warm"] if warm and executor != "serial" else ["-"]
        release_workers()
        for number, start in enumerate(starts):
            wall, inside, _ = measure(make_spec(1 + number), executor, workers)
            serial_wall = serial_wall or wall
            speedup = serial_wall / wall
            busy = inside / (wall * workers)
            print(f"{executor:<10}{workers:>8}{start:>6}{wall:>9.2f}{speedup:>10.2f}{speedup / workers:>12.0%}"
                  f"{busy:>7.0%}{os.getloadavg()[0]:>7.2f}", flush=True)
    release_workers()


def main() -> int:
    """Print the tables asked for."""
    args = _arguments()
    tried = [("serial", 1), ("process", args.workers), ("dask", args.workers)]
    warm = hasattr(executors, "shutdown_executors")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.only in (None, "tiny"):
        overhead_table(args.tiny_runs, tried)
    if args.only in (None, "machinery"):
        machinery_table(args.machinery_runs, tried)
    if args.only in (None, "district"):
        measure(district_spec(1, 5), "serial", 1)  # warm the serial process's imports
        efficiency_table(f"{args.district_runs} runs of the district ({args.days} days, 5 communities, 20,000 residents)",
                         lambda seed: district_spec(args.district_runs, args.days, seed), tried, warm)
    if args.only in (None, "slice"):
        scenario = city_slice(args.slice_communities)
        residents = sum(c.residents for c in scenario.communities.values())
        print(f"\ncity slice: {len(scenario.communities)} communities, {residents:,} residents, "
              f"pickled scenario {_pickled_kb(scenario):.0f} KB")
        efficiency_table(f"{args.slice_runs} runs of the city slice ({args.days} days)",
                         lambda seed: slice_spec(scenario, args.slice_runs, args.days, seed), tried, warm)
    return 0


def _pickled_kb(value: Any) -> float:
    import pickle

    return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) / 1000


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", choices=("tiny", "machinery", "district", "slice"), default=None)
    parser.add_argument("--machinery-runs", type=int, default=40)
    parser.add_argument("--tiny-runs", type=int, default=60)
    parser.add_argument("--district-runs", type=int, default=12)
    parser.add_argument("--slice-runs", type=int, default=4)
    parser.add_argument("--slice-communities", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
