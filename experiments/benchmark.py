"""Benchmark: resident-days per second and peak memory per resident, 1k to 100k residents, 365 days.

Run ``python experiments/benchmark.py`` (or ``make bench``). Each size runs in a fresh
subprocess; memory is the growth of the peak resident set size over the size after imports (the
headless run's: no Mesa). Target: 21,000 residents with ~1,000 volunteers for 365 days in at most
3 s on a 2-core machine, under 1 KB of memory per resident.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's sim, not an installed one

SIZES = (1_000, 10_000, 21_000, 100_000)
VOLUNTEERS_PER_RESIDENT = 1_000 / 21_000


def measure(residents: int, days: int) -> dict[str, float]:
    """Build and run one community of ``residents``; time and memory of this process."""
    import sim.core.build  # noqa: F401 - import cost is not the model's cost (HeadlessRun imports these lazily)
    import sim.core.day  # noqa: F401
    import sim.metrics  # noqa: F401
    from sim.run import HeadlessRun, resolve

    scenario = resolve(ROOT / "scenarios" / "baseline.toml", {
        "communities.baseline.residents": residents,
        "communities.baseline.area_km2": max(1.0, residents / 10_000),
        "communities.baseline.volunteers": round(residents * VOLUNTEERS_PER_RESIDENT),
        "days": days,
    })
    rss_before = _rss_bytes()
    start = time.perf_counter()
    run = HeadlessRun(scenario)  # headless, as experiments and calibration run (sim.run.simulate)
    built = time.perf_counter()
    run.run(days)
    kpis = run.result().kpis
    end = time.perf_counter()
    peak_bytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return {
        "residents": residents, "days": days, "build_s": built - start, "run_s": end - built,
        "total_s": end - start, "resident_days_per_s": residents * days / (end - start),
        "peak_bytes_per_resident": peak_bytes / residents,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "needs_arisen": kpis["needs_arisen"], "volunteers_active": kpis["volunteers_active"],
    }


def _rss_bytes() -> int:
    """Resident set size of this process now (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()


def main() -> None:
    """Run every size in its own process and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.days)))
        return
    print(f"{'residents':>10} {'build s':>8} {'run s':>7} {'total s':>8} {'res-days/s':>12} {'peak B/res':>10} {'RSS MB':>7} {'needs':>7}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size), "--days", str(args.days)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        print(f"{r['residents']:>10,} {r['build_s']:>8.2f} {r['run_s']:>7.2f} {r['total_s']:>8.2f} "
              f"{r['resident_days_per_s']:>12,.0f} {r['peak_bytes_per_resident']:>10.0f} {r['max_rss_mb']:>7.0f} {r['needs_arisen']:>7,.0f}")


if __name__ == "__main__":
    main()
