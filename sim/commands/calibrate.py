"""``python -m sim calibrate``: fit free parameters to observed patterns, or check a fitted file.

One place: ``calibrate SCENARIO --targets TARGETS [--check] [--out FILE]`` fits the targets
file's parameters (with ``--out``, writes a scenario that ``extends`` SCENARIO); ``--check``
evaluates SCENARIO as it stands and exits 1 when a target is outside its tolerance.

Every place at once: ``calibrate --joint JOINT [--check] [--out-dir DIR] [--workers N]`` fits the
shared behavioural constants and the place-specific values of the joint targets file and writes
each place's fitted file and the shared-constants record (in DIR instead, with ``--out-dir``);
``--check`` evaluates the fitted files and exits 1 when a fitted or held-out pattern is outside
its tolerance.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.commands.options import days, positive_int, replications


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``calibrate``."""
    parser.add_argument("scenario", metavar="SCENARIO", nargs="?", default=None, help="scenario TOML file, or a shipped scenario by name (one place)")
    parser.add_argument("--targets", default=None, metavar="TARGETS", help="targets TOML file of one place (scenarios/targets/)")
    parser.add_argument("--joint", default=None, metavar="JOINT",
                        help="joint targets file: fit every place at once (scenarios/targets/joint.toml)")
    parser.add_argument("--check", action="store_true", help="evaluate without fitting; exit 1 if a pattern is outside its tolerance")
    parser.add_argument("--seeds", type=replications, default=None, help="replications per evaluation (default: the targets file's)")
    parser.add_argument("--days", type=days, default=None, help="days per run (default: the targets file's, else the scenario's)")
    parser.add_argument("--budget", type=positive_int, default=None,
                        help="most evaluations when fitting (joint: full evaluations' worth of place runs; default: the targets file's)")
    parser.add_argument("--out", default=None, metavar="FILE", help="one place: write the fitted scenario here")
    parser.add_argument("--out-dir", default=None, metavar="DIR",
                        help="joint: write (or with --check, read) the fitted files and the record in DIR instead of the paths in JOINT")
    parser.add_argument("--max-minutes", type=positive_int, default=None,
                        help="joint: stop the search after this many minutes and write the best point (default: the run budget alone)")
    parser.add_argument("--workers", type=positive_int, default=2, help="joint: processes running places in parallel (default: 2)")
    parser.add_argument("--from-sources", action="store_true",
                        help="joint: start the search at the source files' values (default: at the fitted files', when they load)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the table (default: en)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def execute(args: argparse.Namespace) -> int:
    """Fit or check one place or every place, print, write."""
    from sim.errors import ScenarioError

    if args.joint is not None:
        if args.scenario is not None or args.targets is not None or args.out is not None:
            raise ScenarioError(["--joint: give no SCENARIO, --targets or --out (the joint file names every place and its fitted file)"])
        from sim.commands.calibrate_joint import execute_joint

        return execute_joint(args)
    if args.scenario is None or args.targets is None:
        raise ScenarioError(["calibrate: give SCENARIO and --targets TARGETS (one place), or --joint JOINT (every place)"])
    if args.out_dir is not None:
        raise ScenarioError(["--out-dir: only with --joint (one place: --out FILE)"])
    return _execute_one(args)


def _execute_one(args: argparse.Namespace) -> int:
    from sim.calibration import Objective, fit, fitted_toml, load_targets, write_fitted
    from sim.errors import ScenarioError
    from sim.library import find_scenario
    from sim.loading import load_scenario

    scenario = load_scenario(args.scenario)
    targets = load_targets(find_scenario(args.targets))
    out = Path(args.out) if args.out else None
    if out is not None and not out.parent.is_dir():
        raise ScenarioError([f"--out: {out}: folder {out.parent} does not exist"])
    if not args.check and not targets.parameters:
        raise ScenarioError([f"{args.targets}: parameters: no free parameters to fit (allowed: at least one; use --check to evaluate only)"])
    seeds = [scenario.seed + i for i in range(args.seeds or targets.seeds)]
    days = args.days or targets.days
    objective = Objective(scenario, targets, seeds, days, source=str(args.targets))
    if args.check:
        evaluation = objective.evaluate(objective.start)
        _print(args, targets, evaluation, None, seeds, days)
        return 0 if evaluation.all_within else 1
    result = fit(objective, budget=args.budget)
    _print(args, targets, result.best, result, seeds, days)
    if out is not None:
        write_fitted(fitted_toml(find_scenario(args.scenario), out, find_scenario(args.targets), targets, result.best, seeds, days), out)
        if not args.json:
            print(f"wrote {out}")
    return 0


def _print(args: argparse.Namespace, targets: Any, evaluation: Any, result: Any, seeds: list[int], days: int | None) -> None:
    if args.json:
        print(json.dumps(_as_json(targets, evaluation, result, seeds, days), sort_keys=True))
        return
    from sim.calibration.report import format_fit

    print(format_fit(args.scenario, targets, evaluation, result, seeds, days))


def _as_json(targets: Any, evaluation: Any, result: Any, seeds: list[int], days: int | None) -> dict[str, Any]:
    rows = {name: {"kpi": t.kpi, "per": t.per, "observed": t.observed, "simulated": evaluation.simulated[name],
                   "relative_error": evaluation.relative_error[name], "tolerance": t.tolerance,
                   "within": evaluation.within[name]} for name, t in targets.targets.items()}
    data: dict[str, Any] = {"targets": rows, "parameters": evaluation.values, "all_within": evaluation.all_within,
                            "cost": evaluation.cost, "seeds": seeds, "days": days}
    if result is not None:
        data.update(evaluations=result.evaluations, message=result.message, start=result.start.values,
                    start_cost=result.start.cost)
    return data
