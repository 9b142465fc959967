"""Benchmark: the city at scale -- build time, time per simulated day by phase, peak memory per resident.

Run ``python experiments/benchmark_city.py`` (or ``make bench-city``). Each size is a reduced
Changsha (``sim.city``) of N communities of about 10,000 residents, built and run headless for
``--days`` in a fresh subprocess, phase by phase (``sim.core.day.PHASES``). Memory is the growth
of the peak resident set size over the size after imports and scenario loading. The reference row
is a 21,000-resident city (2 communities) so the cost per resident-day can be compared across scale.

Targets (issue 15, this 2-core machine): one year of the 5 M-resident city (500 x 10,000) in under
60 s in one process, at most 300 bytes per resident, and a cost per resident-day at 5 M within 1.5x
of that at 21,000 residents. A benchmark, not a test: timings depend on the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

SIZES = (25, 100, 500)
RESIDENTS_PER_COMMUNITY = 10_000
REFERENCE = (2, 10_500)  # 21,000 residents


def measure(communities: int, residents_per_community: int, days: int) -> dict[str, object]:
    """Build and run one reduced city here as ``sim.run.simulate`` does, timing each phase; read peak memory."""
    from sim.city import city_scenario
    from sim.core import day
    from sim.run import HeadlessRun

    scenario = city_scenario(communities=communities, residents_per_community=residents_per_community)
    phase_s = dict.fromkeys((name for name, _ in day.PHASES), 0.0)
    day.PHASES = tuple((name, _timed(phase, name, phase_s)) for name, phase in day.PHASES)  # step_day reads it per day
    rss_before = _rss_bytes()
    start = time.perf_counter()
    run = HeadlessRun(scenario)
    built = time.perf_counter()
    run.run(days)
    ran = time.perf_counter()
    result = run.result()
    end = time.perf_counter()
    residents = run.state.population.size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return {
        "communities": communities, "residents": residents, "days": days,
        "build_s": built - start, "run_s": ran - built, "result_s": end - ran, "ms_per_day": (ran - built) / days * 1000,
        "ns_per_resident_day": (end - start) / (residents * days) * 1e9,
        "peak_bytes_per_resident": peak / residents, "needs_arisen": int(result.kpis["needs_arisen"]),
        "phase_ms_per_day": {**{name: s / days * 1000 for name, s in phase_s.items()},
                             "daily series": ((ran - built) - sum(phase_s.values())) / days * 1000},
    }


def _timed(phase: Callable[..., None], name: str, totals: dict[str, float]) -> Callable[..., None]:
    """``phase``, adding its time to ``totals[name]``."""
    def timed(*args: object) -> None:
        t0 = time.perf_counter()
        phase(*args)
        totals[name] += time.perf_counter() - t0
    return timed


def _rss_bytes() -> int:
    """Resident set size of this process now (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()


def _run_one(communities: int, residents: int, days: int) -> dict[str, object]:
    args = [sys.executable, __file__, "--one", str(communities), str(residents), "--days", str(days)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    """Run each size in its own process; print a table, the phase breakdown and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--residents-per-community", type=int, default=RESIDENTS_PER_COMMUNITY)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--one", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], args.one[1], args.days)))
        return
    print(f"load average {os.getloadavg()[0]:.2f}; {args.days} days; each size in its own process", flush=True)
    rows = [_run_one(*REFERENCE, args.days)]
    _print_row(rows[0], header=True)
    for n in args.communities:
        rows.append(_run_one(n, args.residents_per_community, args.days))
        _print_row(rows[-1])
    print("\nms per simulated day by phase")
    names = list(rows[0]["phase_ms_per_day"])
    print(f"{'phase':<16}" + "".join(f"{r['residents']:>12,}" for r in rows))
    for name in names:
        print(f"{name:<16}" + "".join(f"{r['phase_ms_per_day'][name]:>12.2f}" for r in rows))
    _print_targets(rows[0], rows[-1])


def _print_row(r: dict, header: bool = False) -> None:
    if header:
        print(f"{'communities':>11} {'residents':>11} {'build s':>8} {'run s':>8} {'KPIs s':>7} {'ms/day':>8} "
              f"{'ns/res-day':>10} {'peak B/res':>10} {'needs':>10}")
    print(f"{r['communities']:>11,} {r['residents']:>11,} {r['build_s']:>8.2f} {r['run_s']:>8.2f} {r['result_s']:>7.2f} {r['ms_per_day']:>8.1f} "
          f"{r['ns_per_resident_day']:>10.1f} {r['peak_bytes_per_resident']:>10.0f} {r['needs_arisen']:>10,}", flush=True)


def _print_targets(reference: dict, largest: dict) -> None:
    total_s = largest["build_s"] + largest["run_s"] + largest["result_s"]
    ratio = largest["ns_per_resident_day"] / reference["ns_per_resident_day"]
    print(f"\n{largest['residents']:,} residents: build + {largest['days']} days + KPIs = {total_s:.1f} s (target < 60 s for a year); "
          f"{largest['peak_bytes_per_resident']:.0f} B per resident (target <= 300); cost per resident-day "
          f"{ratio:.2f}x that at {reference['residents']:,} residents (target <= 1.5x)")


if __name__ == "__main__":
    main()
