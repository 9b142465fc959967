"""``python -m sim sweep EXPERIMENT.toml [--workers N] [--executor ...] [--scheduler ADDR] [--out DIR]``."""

from __future__ import annotations

import argparse
import dataclasses

from sim.commands.experiment_options import add_executor_arguments, check_scheduler
from sim.errors import ScenarioError


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``sweep``."""
    parser.add_argument("experiment", metavar="EXPERIMENT", help="sweep file (experiments/*.toml)")
    add_executor_arguments(parser)


def execute(args: argparse.Namespace) -> int:
    """Run (or resume) the sweep; print where its results are."""
    from sim.experiment import load_sweep, run_experiment

    problem = check_scheduler(args)
    if problem:
        raise ScenarioError([problem])
    spec = load_sweep(args.experiment)
    if args.overrides:
        spec = dataclasses.replace(spec, overrides={**spec.overrides, **dict(args.overrides)})
    summary = run_experiment(spec, args.out, executor=args.executor, workers=args.workers,
                             scheduler=args.scheduler, progress=not args.no_progress)
    print(summary.out_dir)
    return 0
