"""Do the Changsha budget splits keep beating the current plan across what we don't know?

    python experiments/robustness_example.py                      # small: 4 settings x 2 replications x 60 days
    python experiments/robustness_example.py --samples 12 --replications 3 --days 365 --workers 2

Runs the current plan and the stations-heavy split under the same Latin-hypercube settings of
scenarios/uncertainties/changsha.toml (common random numbers), writes the report with its
robustness section, and prints each option's robustness sentences. Rerun to resume.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.advise.uncertainties import load_uncertainties, sample_settings  # noqa: E402
from sim.commands.experiment_options import add_executor_arguments  # noqa: E402
from sim.errors import ScenarioError  # noqa: E402
from sim.experiment import compare  # noqa: E402
from sim.report import build_report  # noqa: E402

OPTIONS = [ROOT / "scenarios" / "changsha" / "base.toml", ROOT / "scenarios" / "changsha" / "split_stations_heavy.toml"]
UNCERTAINTIES = ROOT / "scenarios" / "uncertainties" / "changsha.toml"


def main(argv: list[str] | None = None) -> int:
    """Run (or resume), report, print the robustness sentences."""
    args = _arguments(argv)
    try:
        settings = sample_settings(load_uncertainties(UNCERTAINTIES), args.samples, args.seed, str(UNCERTAINTIES))
        out = compare(OPTIONS, args.replications, seed=args.seed, days=args.days, out_dir=args.out,
                      executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                      overrides=dict(args.overrides), progress=not args.no_progress, settings=settings)
        report = build_report(out, lang=args.lang, kpis=["coverage", "coverage_hardship"])
    except ScenarioError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    text = (report.parent / "report.md").read_text(encoding="utf-8")
    section = text.split("\n## ")[[s.split("\n")[0] for s in text.split("\n## ")].index(_title(args.lang))]
    print("\n".join(line for line in section.splitlines() if line.startswith("- ")))
    print(f"report: {report}")
    return 0


def _title(lang: str) -> str:
    from sim.advise.robustness import TEXT

    return TEXT["title"][1 if lang == "zh" else 0]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4, help="sampled settings (default 4)")
    parser.add_argument("--replications", type=int, default=2, help="replications per setting (default 2)")
    parser.add_argument("--days", type=int, default=60, help="days per run (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="experiment seed (default 0)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="report language (default en)")
    add_executor_arguments(parser)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
