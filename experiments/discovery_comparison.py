"""Compare discovery levers: the baseline against one discovery lever at a time, paired seeds.

    python experiments/discovery_comparison.py                   # small: 3 replications x 90 days
    python experiments/discovery_comparison.py --replications 20 --days 365

Reads ``experiments/discovery_levers.toml``. Rerun the same command to resume. Prints mean
KPIs per variant and the paired difference from "no discovery", then where the results are.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.commands.experiment_options import add_executor_arguments  # noqa: E402
from sim.errors import ScenarioError  # noqa: E402
from sim.experiment import load_results, load_sweep, run_experiment  # noqa: E402

SWEEP = ROOT / "experiments" / "discovery_levers.toml"
KPIS = ["coverage", "hidden_discovered", "mean_days_to_service", "needs_unmet"]


def main() -> int:
    """Run (or resume) the comparison and print a table."""
    args = _arguments()
    try:
        spec = load_sweep(SWEEP)
        spec = dataclasses.replace(spec, replications=args.replications, days=args.days,
                                   overrides={**spec.overrides, **dict(args.overrides)})
        summary = run_experiment(spec, args.out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                                 results_root=ROOT / "results", progress=not args.no_progress)
    except ScenarioError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    frame = load_results(summary.out_dir)
    print(frame.groupby("scenario")[KPIS].mean().round(3).to_string())
    baseline = frame[frame.scenario == "no discovery"].set_index("replication")["coverage"]
    paired = frame.pivot(index="replication", columns="scenario", values="coverage").sub(baseline, axis=0)
    print("\ncoverage minus 'no discovery', same seeds (mean, min, max):")
    print(paired.agg(["mean", "min", "max"]).T.round(3).to_string())
    print(f"results: {summary.out_dir}  (read with sim.load_results)")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=3, help="runs per variant (default 3)")
    parser.add_argument("--days", type=int, default=90, help="days per run (default 90)")
    add_executor_arguments(parser)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
