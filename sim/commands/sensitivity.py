"""``python -m sim sensitivity SCENARIO --uncertainties FILE [--method morris|sobol] [--kpi K ...]``."""

from __future__ import annotations

import argparse

from sim.commands.experiment_options import add_executor_arguments, add_seed_and_days, check_scheduler
from sim.commands.options import positive_int
from sim.errors import ScenarioError

DEFAULT_KPIS = ("coverage", "coverage_hardship")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``sensitivity``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file")
    parser.add_argument("--uncertainties", required=True, metavar="FILE",
                        help="uncertain inputs and their ranges (e.g. scenarios/uncertainties/changsha.toml)")
    parser.add_argument("--method", choices=("morris", "sobol"), default="morris",
                        help="morris: screening, trajectories x (inputs + 1) points; sobol: indices with CIs, "
                             "samples x (inputs + 2) points (default: morris)")
    parser.add_argument("--samples", type=positive_int, default=None, metavar="N",
                        help="Morris trajectories (default 4) or Sobol base sample, a power of 2 (default 8)")
    parser.add_argument("--kpi", dest="kpis", action="append", default=None, metavar="KPI",
                        help="indicator to analyse (repeatable; default: coverage, coverage_hardship)")
    parser.add_argument("--replications", type=positive_int, default=2,
                        help="runs per design point, the same seeds at every point (default: 2)")
    add_seed_and_days(parser)
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the table and figure (default: zh)")
    add_executor_arguments(parser)


def execute(args: argparse.Namespace) -> int:
    """Run (or resume) the design, then write the table and figure."""
    from pathlib import Path

    from sim.advise.sensitivity import Method, analyse, design, write
    from sim.advise.uncertainties import load_uncertainties
    from sim.experiment import Experiment, load_results, run_experiment
    from sim.kpis import KPIS

    problem = check_scheduler(args)
    if problem:
        raise ScenarioError([problem])
    kpis = list(args.kpis or DEFAULT_KPIS)
    unknown = [k for k in kpis if k not in KPIS]
    if unknown:
        raise ScenarioError([f"--kpi: {k} is not a KPI (allowed: {', '.join(KPIS)})" for k in unknown])
    method = Method(args.method)
    samples = args.samples or (4 if method is Method.MORRIS else 8)
    settings = design(load_uncertainties(args.uncertainties), method, samples, args.seed, str(args.uncertainties))
    spec = Experiment([args.scenario], replications=args.replications, seed=args.seed, days=args.days,
                      overrides=dict(args.overrides), settings=settings,
                      name=f"sensitivity-{Path(args.scenario).stem}-{method.value}-{samples}")
    summary = run_experiment(spec, args.out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                             progress=not args.no_progress)
    ok = load_results(summary.out_dir).query("status == 'ok'")
    frames = [analyse(ok, settings, kpi) for kpi in kpis]
    path = write(summary.out_dir / f"sensitivity-{method.value}-{args.lang}", frames, settings, args.replications, args.lang)
    print(f"results: {summary.out_dir}")
    print(f"sensitivity: {path}")
    return 0
