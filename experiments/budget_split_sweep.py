"""Budget split sweep for a Changsha-like district: stations share x demonstration share.

    python experiments/budget_split_sweep.py                     # small: 8 points x 3 replications
    python experiments/budget_split_sweep.py --samples 64 --replications 10 --days 365

Reads ``experiments/budget_split.toml``; uses ``scenarios/changsha/base.toml`` when it exists,
else the baseline. Rerun the same command to resume. Prints where the results are.
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
from sim.experiment import Experiment, load_results, load_sweep, run_experiment  # noqa: E402

SWEEP = ROOT / "experiments" / "budget_split.toml"
CHANGSHA = ROOT / "scenarios" / "changsha" / "base.toml"


def main() -> int:
    """Run (or resume) the sweep and print a small table of mean coverage by point."""
    args = _arguments()
    try:
        spec = _on_district(load_sweep(SWEEP, samples=args.samples))
        spec = dataclasses.replace(spec, replications=args.replications, days=args.days,
                                   overrides={**spec.overrides, **dict(args.overrides)})
        summary = run_experiment(spec, args.out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                                 results_root=ROOT / "results", progress=not args.no_progress)
    except ScenarioError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    frame = load_results(summary.out_dir)
    shares = ["budget.split_stations", "budget.split_demonstration"]
    print(frame.groupby(shares)[["coverage", "needs_unmet"]].mean().round(3).to_string())
    print(f"results: {summary.out_dir}  (read with sim.load_results)")
    return 0


def _on_district(spec: Experiment) -> Experiment:
    """The sweep on the Changsha district when its scenario exists, else on the file's scenarios."""
    return dataclasses.replace(spec, scenarios=[CHANGSHA]) if CHANGSHA.is_file() else spec


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=8, help="Latin hypercube points (default 8)")
    parser.add_argument("--replications", type=int, default=3, help="runs per point (default 3)")
    parser.add_argument("--days", type=int, default=90, help="days per run (default 90)")
    add_executor_arguments(parser)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
