"""``python -m sim calibrate SCENARIO --targets TARGETS [--check] [--seeds N] [--days N] [--json] [--out FILE]``.

Without ``--check``: fit the free parameters the targets file names and print the fit; with
``--out`` write the fitted values as a scenario that ``extends`` SCENARIO. With ``--check``:
evaluate SCENARIO as it stands; exit 1 when any target is outside its tolerance.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.commands.options import days, positive_int, replications


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``calibrate``."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file, or a shipped scenario by name (e.g. changsha/base)")
    parser.add_argument("--targets", required=True, metavar="TARGETS", help="targets TOML file, or a shipped one by name (targets/qiaotou)")
    parser.add_argument("--check", action="store_true", help="evaluate without fitting; exit 1 if a target is outside its tolerance")
    parser.add_argument("--seeds", type=replications, default=None, help="replications per evaluation (default: the targets file's)")
    parser.add_argument("--days", type=days, default=None, help="days per run (default: the targets file's, else the scenario's)")
    parser.add_argument("--budget", type=positive_int, default=None, help="most evaluations when fitting (default: the targets file's)")
    parser.add_argument("--out", default=None, metavar="FILE", help="write the fitted scenario here")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def execute(args: argparse.Namespace) -> int:
    """Fit or check, print, write."""
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
