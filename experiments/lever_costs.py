"""Each lever file's effect against the scenario it extends, with its cost per extra need met.

Paired common-random-number runs: replication i of a lever and of its base use the same seed, so
the same residents have the same needs. Prints a Markdown table (docs/ODD.md carries its output):

    .venv/bin/python experiments/lever_costs.py --replications 8 --days 365
"""

from __future__ import annotations

import argparse
import tomllib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy import stats

from sim.loading import load_scenario
from sim.run import simulate

ROOT = Path(__file__).resolve().parents[1]
LEVERS = ROOT / "scenarios" / "levers"
HOURS = ("volunteer_hours", "social_worker_hours", "organization_hours", "representative_hours", "committee_staff_hours")


def kpis(path: str, seed: int, days: int) -> dict[str, float]:
    """One run's KPIs."""
    return simulate(load_scenario(path), seed=seed, days=days).kpis


def base_of(lever: Path) -> Path:
    """The scenario a lever file extends."""
    return (lever.parent / tomllib.loads(lever.read_text(encoding="utf-8"))["extends"]).resolve()


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t interval of paired differences."""
    mean = float(values.mean())
    half = float(stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)) if values.size > 1 else float("nan")
    return mean, mean - half, mean + half


def row(lever: Path, runs: dict[tuple[str, int], dict[str, float]], seeds: list[int]) -> str:
    """One Markdown row: coverage and hardship points, extra needs met, hours and yuan per extra need met."""
    base = str(base_of(lever))
    diff = {k: np.array([runs[(str(lever), s)][k] - runs[(base, s)][k] for s in seeds])
            for k in ("coverage", "coverage_hardship", "needs_met", "government_spent_yuan", *HOURS)}
    cov, hard = interval(diff["coverage"] * 100), interval(diff["coverage_hardship"] * 100)
    met = float(diff["needs_met"].mean())
    hours = float(sum(diff[k].mean() for k in HOURS))
    yuan = float(diff["government_spent_yuan"].mean())
    per = (lambda x: f"{x / met:,.1f}") if met >= 1 else (lambda x: "n/a")
    return (f"| {lever.stem} | {base_of(lever).relative_to(ROOT / 'scenarios')} | {cov[0]:+.1f} [{cov[1]:+.1f}, {cov[2]:+.1f}] "
            f"| {hard[0]:+.1f} [{hard[1]:+.1f}, {hard[2]:+.1f}] | {met:+,.0f} | {hours:+,.0f} | {per(hours)} | {yuan:+,.0f} | {per(yuan)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    levers = sorted(LEVERS.glob("*.toml"))
    seeds = list(range(1, args.replications + 1))
    paths = sorted({str(p) for p in levers} | {str(base_of(p)) for p in levers})
    jobs = [(p, s) for p in paths for s in seeds]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(kpis, [j[0] for j in jobs], [j[1] for j in jobs], [args.days] * len(jobs)))
    runs = dict(zip(jobs, results))
    print(f"{args.replications} paired replications, {args.days} days; hours = all hours given "
          "(volunteers, social workers, organisations, representatives, committee staff); yuan = government money\n")
    print("| lever | extends | coverage, points [95% CI] | hardship coverage, points | extra needs met | extra hours "
          "| hours per extra need met | extra yuan | yuan per extra need met |")
    print("|---|---|---|---|---|---|---|---|---|")
    for lever in levers:
        print(row(lever, runs, seeds))


if __name__ == "__main__":
    main()
