"""``python -m sim margins SCENARIO [--kpi K]... [--step-yuan Y] [--replications N | --ci-width W] ...``: where the next yuan does most."""

from __future__ import annotations

import argparse

from sim.commands.experiment_options import (
    add_executor_arguments,
    add_seed_and_days,
    add_uncertainty_arguments,
    paired_backend,
    uncertainty_settings,
)
from sim.commands.options import positive_int


def positive_float(text: str) -> float:
    """A number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (allowed: > 0)") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a finite number > 0")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``margins``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument("--kpi", dest="kpis", action="append", default=None, metavar="KPI",
                        help="KPI to measure (repeatable; the first ranks the lines; default: coverage_hardship, coverage)")
    parser.add_argument("--step-yuan", type=positive_float, default=None, metavar="YUAN",
                        help="extra yuan a year per line (default: 10%% of the scenario's budget, two significant figures)")
    stop = parser.add_mutually_exclusive_group()
    stop.add_argument("--replications", type=positive_int, default=None,
                      help="fixed replications per line (default: added 5 at a time until the CIs are tight)")
    stop.add_argument("--ci-width", type=positive_float, default=None, metavar="W",
                      help="target 95%% CI half-width (points for shares, else the KPI's unit; default: each KPI's "
                           "smallest important difference)")
    parser.add_argument("--max-runs", type=positive_int, default=120,
                        help="run budget for adaptive replications (default: 120 = 20 replications of 6 options)")
    add_seed_and_days(parser)
    add_uncertainty_arguments(parser, "pairs pooled by setting and replication")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="table language (default: zh)")
    add_executor_arguments(parser)


def execute(args: argparse.Namespace) -> int:
    """Measure (or resume), print the ranked table, write margins.json/.csv and both tables."""
    from sim.advise.margins import MarginSettings, measure_margins, render, write_outputs
    from sim.loading import load_scenario

    scenario = load_scenario(args.scenario, dict(args.overrides))  # names as the runs generate them (a reduced city)
    settings = MarginSettings(kpis=tuple(args.kpis or MarginSettings.kpis), step_yuan=args.step_yuan,
                              replications=args.replications, ci_width=args.ci_width, max_runs=args.max_runs)
    uncertain = uncertainty_settings(args)
    backend = paired_backend(args)
    margins, out_dir = measure_margins(args.scenario, settings, args.out, backend, args.seed, args.days,
                                       dict(args.overrides), uncertain)
    from sim.report.context import community_names

    name = scenario.name_zh if args.lang == "zh" and scenario.name_zh else scenario.name
    resolved = scenario.model_dump(mode="json")
    names = {lang: community_names(resolved, lang) for lang in ("en", "zh")}
    write_outputs(margins, out_dir, name, names, uncertain)
    print(render(margins, args.lang, name, names[args.lang], uncertain))
    print(f"results: {out_dir}")
    return 0
