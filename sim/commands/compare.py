"""``python -m sim compare SCENARIO... --replications N [--baseline S] [--lang zh|en] [--out DIR] ...``: runs, then the report."""

from __future__ import annotations

import argparse

from sim.commands.experiment_options import (
    add_executor_arguments,
    check_scheduler,
    report_failures,
    add_seed_and_days,
    add_uncertainty_arguments,
    uncertainty_settings,
)
from sim.commands.options import replications
from sim.commands.report import add_report_arguments
from sim.errors import ScenarioError


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``compare``."""
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario TOML files, or shipped scenarios by name (e.g. changsha/base)")
    parser.add_argument("--replications", type=replications, required=True,
                        help="runs per scenario; replication i uses the same seed in every scenario")
    add_seed_and_days(parser, "days per run (default: each scenario's)")
    add_uncertainty_arguments(parser, "the report gains a robustness section")
    add_executor_arguments(parser)
    add_report_arguments(parser)
    parser.add_argument("--no-report", action="store_true", help="only run; build the report later with `report`")


def execute(args: argparse.Namespace) -> int:
    """Run (or resume) the comparison; print the result folder."""
    from sim.experiment import compare

    problem = check_scheduler(args)
    if problem:
        raise ScenarioError([problem])
    out_dir = compare(args.scenarios, args.replications, seed=args.seed, days=args.days, out_dir=args.out,
                      executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                      overrides=dict(args.overrides), progress=not args.no_progress, settings=uncertainty_settings(args))
    print(f"results: {out_dir}")
    if report_failures(out_dir):
        return 1
    if not args.no_report:
        from sim.report import build_report

        baseline = args.baseline or args.scenarios[0]
        print(f"report: {build_report(out_dir, lang=args.lang, baseline=baseline, kpis=args.kpis, mids=dict(args.mids or []))}")
    return 0
