"""``python -m sim sweep EXPERIMENT.toml [--workers N] [--executor ...] [--scheduler ADDR] [--out DIR]``."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from sim.commands.experiment_options import (
    add_executor_arguments,
    check_scheduler,
    report_failures,
)
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
        conflicts = sorted(set(dict(args.overrides)) & swept_keys(spec))
        if conflicts:
            raise ScenarioError([f"--set {key}: {args.experiment} also sets {key} (allowed: --set only keys the sweep "
                                 "file does not set; change the value in the sweep file instead)" for key in conflicts])
        spec = dataclasses.replace(spec, overrides={**spec.overrides, **dict(args.overrides)})
    summary = run_experiment(spec, args.out, executor=args.executor, workers=args.workers,
                             scheduler=args.scheduler, progress=not args.no_progress)
    print(summary.out_dir)
    return 1 if report_failures(summary.out_dir) else 0


def swept_keys(spec: Any) -> set[str]:
    """Every dotted key a sweep sets: fixed overrides, levers, uncertainties, balances, variants."""
    keys = set(spec.overrides) | {factor.key for factor in spec.factors}
    keys |= {key for _, overrides in spec.variants for key in overrides}
    return keys
