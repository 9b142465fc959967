"""Which uncertain inputs drive coverage in the Changsha district? Morris screening.

    python experiments/sensitivity_example.py                     # small: 2 trajectories x 1 replication x 60 days
    python experiments/sensitivity_example.py --samples 4 --replications 2 --days 365 --workers 2

Equivalent to ``python -m sim sensitivity scenarios/changsha/base.toml --uncertainties
scenarios/uncertainties/changsha.toml``; prints the inputs ranked by mu* for each KPI. Rerun to resume.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.advise.sensitivity import Method, analyse, design  # noqa: E402
from sim.advise.uncertainties import load_uncertainties  # noqa: E402
from sim.commands.experiment_options import add_executor_arguments  # noqa: E402
from sim.errors import ScenarioError  # noqa: E402
from sim.experiment import Experiment, load_results, run_experiment  # noqa: E402

SCENARIO = ROOT / "scenarios" / "changsha" / "base.toml"
UNCERTAINTIES = ROOT / "scenarios" / "uncertainties" / "changsha.toml"
KPIS = ["coverage", "coverage_hardship"]


def main(argv: list[str] | None = None) -> int:
    """Run (or resume) the Morris design and print the ranking."""
    args = _arguments(argv)
    try:
        settings = design(load_uncertainties(UNCERTAINTIES), Method.MORRIS, args.samples, args.seed, str(UNCERTAINTIES))
        spec = Experiment([args.scenario], replications=args.replications, seed=args.seed, days=args.days,
                          overrides=dict(args.overrides), settings=settings, name=f"sensitivity-example-{args.samples}")
        summary = run_experiment(spec, args.out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                                 results_root=ROOT / "results", progress=not args.no_progress)
    except ScenarioError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    ok = load_results(summary.out_dir).query("status == 'ok'")
    for kpi in KPIS:
        table = analyse(ok, settings, kpi)
        print(f"\n{kpi}: mu* (change across the whole range), 95% CI half-width, sigma")
        print(table[["input", "mu_star", "mu_star_conf", "sigma"]].round(4).to_string(index=False))
    print(f"results: {summary.out_dir}")
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(SCENARIO), help="scenario file (default: the Changsha district)")
    parser.add_argument("--samples", type=int, default=2, help="Morris trajectories (default 2)")
    parser.add_argument("--replications", type=int, default=1, help="replications per design point (default 1)")
    parser.add_argument("--days", type=int, default=60, help="days per run (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="experiment seed (default 0)")
    add_executor_arguments(parser)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
