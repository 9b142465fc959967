"""EMA Workbench's own tools on this simulator: perform_experiments over uncertainties x levers, then PRIM.

    python experiments/ema_example.py                             # small: 6 scenarios x 2 policies x 30 days
    python experiments/ema_example.py --scenarios 50 --policies 4 --days 365 --replications 2

Needs the optional extra: ``pip install five-society-sim[ema]``. The levers are the stations share
of the budget (the other shares are rescaled so that the five sum to 1) and the spreading rule;
the uncertainties are scenarios/uncertainties/changsha.toml. Prints the outcomes by policy and the
PRIM box where hardship coverage falls in its lowest quarter.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", message="ipyparallel not installed")

from sim.errors import ScenarioError  # noqa: E402

SCENARIO = ROOT / "scenarios" / "changsha" / "base.toml"
UNCERTAINTIES = ROOT / "scenarios" / "uncertainties" / "changsha.toml"


def main(argv: list[str] | None = None) -> int:
    """Build the EMA model, run EMA's experiments, run EMA's PRIM."""
    import numpy as np
    from ema_workbench import SequentialEvaluator, perform_experiments
    from ema_workbench.analysis import prim

    from sim.ema import model

    args = _arguments(argv)
    try:
        m = model(SCENARIO, UNCERTAINTIES, levers={"budget.split_stations": (0.2, 0.7),
                                                   "budget.spread_rule": ["per_capita", "need_weighted"]},
                  outcomes=["coverage", "coverage_hardship"], replications=args.replications, seed=args.seed, days=args.days)
    except ScenarioError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    with SequentialEvaluator(m) as evaluator:
        experiments, outcomes = perform_experiments(m, scenarios=args.scenarios, policies=args.policies, evaluator=evaluator)
    frame = experiments.assign(**outcomes)
    print(frame.groupby("policy")[list(outcomes)].mean().round(3).to_string())
    low = outcomes["coverage_hardship"] <= np.quantile(outcomes["coverage_hardship"], 0.25)
    print("\nPRIM: where hardship coverage is in its lowest quarter")
    if low.all() or not low.any():
        print("no contrast: every experiment gave the same hardship coverage (run more days or experiments)")
        return 0
    x = experiments[[u.name for u in m.uncertainties]]
    box = prim.Prim(x, low.astype(int), threshold=0.5).find_box()
    print(box.box_lims[-1].to_string())
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=6, help="EMA scenarios (settings of the uncertainties; default 6)")
    parser.add_argument("--policies", type=int, default=2, help="EMA policies (settings of the levers; default 2)")
    parser.add_argument("--replications", type=int, default=1, help="seeds per experiment, the same in each (default 1)")
    parser.add_argument("--days", type=int, default=30, help="days per run (default 30)")
    parser.add_argument("--seed", type=int, default=0, help="replication seed root (default 0)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
