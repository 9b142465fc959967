"""Budget response at Changsha's scale: coverage against the total budget and against each line's share.

    python experiments/budget_response.py                 # 8 paired seeds, 2 processes, ~10-20 minutes
    python experiments/budget_response.py --seeds 2 --days 120   # a quick look

Table (a): district and baseline coverage and hardship coverage at 0, 0.5x, 1x, 2x and 4x the
shipped total. Table (b): the district with each line at 10/25/50/75% of the total and the other
lines scaled to keep their proportions. Every point runs the same seeds (common random numbers);
the paired difference from the shipped point is reported with a t interval. Also the yuan per
resident and per community of every shipped scenario. Prints Markdown (docs/ODD.md, "Budget
response"). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.loading import load_scenario  # noqa: E402
from sim.run import simulate  # noqa: E402
from sim.scenario import BUDGET_LINES  # noqa: E402

DISTRICT = "scenarios/changsha/base.toml"
BASELINE = "scenarios/baseline.toml"
MULTIPLIERS = (0.0, 0.5, 1.0, 2.0, 4.0)
SHARES = (0.10, 0.25, 0.50, 0.75)
KPIS = ("coverage", "coverage_hardship")


def run_point(args: tuple[str, dict, int, int]) -> dict[str, float]:
    """KPIs of one scenario with overrides on one seed."""
    path, overrides, seed, days = args
    scenario = load_scenario(ROOT / path, overrides)
    return simulate(scenario, seed=seed, days=days).kpis


def line_overrides(path: str, line: str, share: float) -> dict[str, float]:
    """Splits with ``line`` at ``share`` and the other lines scaled to keep their proportions."""
    budget = load_scenario(ROOT / path).budget
    shares = {name: getattr(budget, f"split_{name}") for name in BUDGET_LINES}
    rest = 1.0 - shares[line]
    out = {f"budget.split_{name}": (share if name == line else shares[name] * (1.0 - share) / rest) for name in BUDGET_LINES}
    drift = 1.0 - sum(out.values())
    out[f"budget.split_{line}"] += drift
    return out


def paired(values: np.ndarray, reference: np.ndarray) -> str:
    """Mean difference in points with a 95% t interval."""
    diff = (values - reference) * 100.0
    if diff.size < 2 or np.allclose(diff, diff[0]):
        return f"{diff.mean():+.1f}"
    half = stats.t.ppf(0.975, diff.size - 1) * diff.std(ddof=1) / np.sqrt(diff.size)
    return f"{diff.mean():+.1f} [{diff.mean() - half:+.1f}, {diff.mean() + half:+.1f}]"


def evaluate(points: list[tuple[str, dict]], seeds: list[int], days: int, workers: int) -> list[dict[str, np.ndarray]]:
    jobs = [(path, overrides, seed, days) for path, overrides in points for seed in seeds]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(run_point, jobs))
    out = []
    for i in range(len(points)):
        chunk = results[i * len(seeds):(i + 1) * len(seeds)]
        out.append({k: np.array([r[k] for r in chunk]) for k in (*KPIS, "government_spent_yuan")})
    return out


def total_table(seeds: list[int], days: int, workers: int) -> list[str]:
    rows = ["| scenario | budget | yuan per resident | coverage | vs 1x (points) | hardship coverage | vs 1x (points) | spent (yuan) |",
            "|---|---|---|---|---|---|---|---|"]
    for path in (DISTRICT, BASELINE):
        scenario = load_scenario(ROOT / path)
        total = scenario.budget.total_yuan
        residents = sum(c.residents for c in scenario.communities.values())
        points = [(path, {"budget.total_yuan": total * m}) for m in MULTIPLIERS]
        res = evaluate(points, seeds, days, workers)
        ref = res[MULTIPLIERS.index(1.0)]
        for m, r in zip(MULTIPLIERS, res):
            rows.append(f"| {Path(path).stem if path == BASELINE else 'district'} | {m:g}x = {total * m:,.0f} | {total * m / residents:.2f} "
                        f"| {r['coverage'].mean():.3f} | {paired(r['coverage'], ref['coverage'])} "
                        f"| {r['coverage_hardship'].mean():.3f} | {paired(r['coverage_hardship'], ref['coverage_hardship'])} "
                        f"| {r['government_spent_yuan'].mean():,.0f} |")
    return rows


def share_table(seeds: list[int], days: int, workers: int) -> list[str]:
    budget = load_scenario(ROOT / DISTRICT).budget
    points = [(DISTRICT, {})] + [(DISTRICT, line_overrides(DISTRICT, line, s)) for line in BUDGET_LINES for s in SHARES]
    res = evaluate(points, seeds, days, workers)
    ref = res[0]
    rows = ["| line (shipped share) | share | coverage | vs shipped (points) | hardship coverage | vs shipped (points) | spent (yuan) |",
            "|---|---|---|---|---|---|---|",
            f"| shipped split | - | {ref['coverage'].mean():.3f} | | {ref['coverage_hardship'].mean():.3f} | | {ref['government_spent_yuan'].mean():,.0f} |"]
    i = 1
    for line in BUDGET_LINES:
        for s in SHARES:
            r = res[i]
            i += 1
            rows.append(f"| {line} ({getattr(budget, f'split_{line}'):.2f}) | {s:.2f} | {r['coverage'].mean():.3f} | {paired(r['coverage'], ref['coverage'])} "
                        f"| {r['coverage_hardship'].mean():.3f} | {paired(r['coverage_hardship'], ref['coverage_hardship'])} | {r['government_spent_yuan'].mean():,.0f} |")
    return rows


def scale_table() -> list[str]:
    rows = ["| scenario | residents | communities | streets | budget (yuan a year) | yuan per resident | yuan per community |",
            "|---|---|---|---|---|---|---|"]
    files = [BASELINE, "scenarios/changsha/district.toml", DISTRICT, *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios" / "places").glob("*.toml"))]
    for path in files:
        s = load_scenario(ROOT / path)
        residents = sum(c.residents for c in s.communities.values())
        streets = len({c.street or key for key, c in s.communities.items()})
        n = len(s.communities)
        rows.append(f"| `{path}` | {residents:,} | {n} | {streets} | {s.budget.total_yuan:,.0f} | {s.budget.total_yuan / residents:.2f} | {s.budget.total_yuan / n:,.0f} |")
    rows.append("| Changsha (source: seed; population and divisions cited in the headers) | 10,420,600 | 1,884 | 189 | 50,000,000 | 4.80 | 26,539 |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("scale", "total", "share"), default=None)
    args = parser.parse_args(argv)
    seeds = [2026 + i for i in range(args.seeds)]
    if args.only in (None, "scale"):
        print("\n".join(scale_table()), "\n", flush=True)
    if args.only in (None, "total"):
        print("\n".join(total_table(seeds, args.days, args.workers)), "\n", flush=True)
    if args.only in (None, "share"):
        print("\n".join(share_table(seeds, args.days, args.workers)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
