"""``python -m sim calibrate --joint JOINT``: the joint fit of every place, or ``--check`` of its files."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError


def execute_joint(args: argparse.Namespace) -> int:
    """Fit (and write) or check every place of the joint targets file."""
    from sim.calibration.joint import (
        JointObjective,
        fit_joint,
        load_places,
        previous_fit,
    )
    from sim.calibration.joint_spec import load_joint

    spec_path = Path(args.joint)
    spec = load_joint(spec_path)
    out_dir = Path(args.out_dir) if args.out_dir else None
    if out_dir is not None and not out_dir.is_dir():
        raise ScenarioError([f"--out-dir: {out_dir}: folder does not exist"])
    seeds = args.seeds or (spec.check_seeds or spec.seeds if args.check else spec.seeds)
    days = args.days or spec.days
    started = time.monotonic()
    start = None if args.check or args.from_sources else previous_fit(spec, spec_path, out_dir)
    objective = JointObjective(spec, load_places(spec, spec_path, fitted=args.check, out_dir=out_dir), seeds, days,
                               workers=args.workers, source=str(spec_path), start_from=start)
    try:
        if args.check:
            evaluation = objective.evaluate({})
            _print(args, spec, evaluation, None, seeds, days)
            return 0 if all(evaluation.within.values()) else 1
        progress = None if args.json else (lambda line: print(line, file=sys.stderr, flush=True))
        max_seconds = None if args.max_minutes is None else 60.0 * args.max_minutes
        result = fit_joint(objective, max_evaluations=args.budget, progress=progress, max_seconds=max_seconds)
    finally:
        objective.close()
    wall_s = time.monotonic() - started
    _print(args, spec, result.best, result, seeds, days)
    _write(spec, spec_path, out_dir, result, objective, seeds, days, wall_s, quiet=args.json)
    if not args.json:
        print(f"wall time {wall_s:.0f} s")
    return 0


def _write(spec: Any, spec_path: Path, out_dir: Path | None, result: Any, objective: Any, seeds: int,
           days: int | None, wall_s: float, quiet: bool) -> None:
    from sim.calibration.joint import place_path
    from sim.calibration.joint_writing import place_toml, record_toml

    record = place_path(spec_path, spec.shared_out, out_dir)
    for name, place in spec.places.items():
        out = place_path(spec_path, place.out, out_dir)
        out.write_text(place_toml(spec, spec_path, name, out, record, result, objective.seeds[name], days), encoding="utf-8")
        if not quiet:
            print(f"wrote {out}")
    record.write_text(record_toml(spec, spec_path, record, result, seeds, days, wall_s), encoding="utf-8")
    if not quiet:
        print(f"wrote {record}")


def _print(args: argparse.Namespace, spec: Any, evaluation: Any, result: Any, seeds: int, days: int | None) -> None:
    from sim.calibration.joint_writing import counts, fitted_values

    if args.json:
        rows = {n: {"place": "+".join(p.where), "role": p.role.value, "identity": p.identity, "observed": p.observed,
                    "simulated": evaluation.simulated[n], "relative_error": evaluation.relative_error[n],
                    "tolerance": p.tolerance, "within": evaluation.within[n]} for n, p in spec.patterns.items()}
        data: dict[str, Any] = {"patterns": rows, "counts": counts(spec), "all_within": all(evaluation.within.values()),
                                "cost": evaluation.cost, "seeds": seeds, "days": days,
                                "parameters": fitted_values(evaluation.values)}
        if result is not None:
            data.update(place_runs=result.place_runs, message=result.message, start=fitted_values(result.start.values))
        print(json.dumps(data, sort_keys=True, ensure_ascii=False))
        return
    from sim.calibration.joint_report import format_joint

    print(format_joint(spec, evaluation, result, seeds, days, lang=args.lang))
