"""Where the next yuan does most: paired finite differences per budget line, from Python.

    python experiments/margins_example.py                              # small: baseline, 60 days, 3 replications
    python experiments/margins_example.py --scenario scenarios/changsha/base.toml --days 365 --replications 10

Rerun the same command to resume (every run is in the result store). Prints the ranked table in
English and Chinese and where the results are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.advise.margins import MarginSettings, measure_margins, render, write_outputs  # noqa: E402
from sim.advise.paired import Backend  # noqa: E402
from sim.errors import ScenarioError  # noqa: E402
from sim.loading import load_scenario  # noqa: E402


def main() -> int:
    """Measure (or resume) and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--executor", default="process", choices=("serial", "process", "dask"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    try:
        settings = MarginSettings(kpis=("coverage_hardship", "coverage"), replications=args.replications)
        backend = Backend(args.executor, args.workers, progress=False)
        margins, folder = measure_margins(args.scenario, settings, args.out, backend, days=args.days)
    except ScenarioError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    scenario = load_scenario(args.scenario)
    write_outputs(margins, folder, scenario.name)
    print(render(margins, "en", scenario.name))
    print(render(margins, "zh", scenario.name_zh or scenario.name))
    print(f"results: {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
