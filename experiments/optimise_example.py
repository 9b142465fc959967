"""The best budget split under noise, confirmed on fresh seeds, from Python.

    python experiments/optimise_example.py                       # small: baseline, 60 days, a short race
    python experiments/optimise_example.py --scenario scenarios/changsha/base.toml --days 365 --budget-runs 150

Races candidate splits on shared seeds, confirms the winner against the scenario's own split on
seeds never used in the search, and prints what the confirmation supports (never more). Rerun
the same command to resume.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.advise.optimise import OptimiseSettings, confirm, search, summary_text  # noqa: E402
from sim.advise.paired import Backend  # noqa: E402
from sim.errors import ScenarioError  # noqa: E402
from sim.loading import load_scenario  # noqa: E402


def main() -> int:
    """Search, confirm and print the verdict in both languages."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--kpi", default="coverage_hardship")
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--budget-runs", type=int, default=40)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument("--confirm-replications", type=int, default=6)
    parser.add_argument("--executor", default="process", choices=("serial", "process", "dask"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    settings = OptimiseSettings(kpi=args.kpi, constraints=("coverage>=BASE-1pt",), candidates=args.candidates,
                                max_replications=6, budget_runs=args.budget_runs,
                                confirm_replications=args.confirm_replications)
    backend = Backend(args.executor, args.workers, progress=False)
    try:
        outcome = search(args.scenario, settings, args.out, backend, days=args.days)
        outcome = confirm(args.scenario, outcome, settings, backend, 0, args.days, None,
                          load_scenario(args.scenario).name)
    except ScenarioError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    print(summary_text(outcome, "en"))
    print(summary_text(outcome, "zh"))
    print(f"results: {outcome.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
