"""Writing a joint fit: each place's fitted scenario and the shared-constants record.

Each fitted file ``extends`` its source, sets the shared values (marked ``[fitted] joint, shared``)
and the place's own (``[fitted] joint, this place``), and records in its header the fit and
held-out error of that place's patterns. The shared-constants record (TOML) holds the shared
values, every place-specific value, the counts (patterns fitted and held out, free parameters,
identities) and every pattern's observed and simulated value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from sim.calibration.joint import JointEvaluation, JointFit, Key
from sim.calibration.joint_spec import JointSpec, Pattern
from sim.calibration.writing import toml_key, toml_value


def _relative(target: Path, start_file: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start_file.resolve().parent)).as_posix()


def counts(spec: JointSpec) -> dict[str, int]:
    """Patterns fitted and held out, free parameters shared and place-specific, identities."""
    return {"patterns_fitted": len(spec.fitted), "patterns_held_out": len(spec.held_out),
            "parameters_shared": len(spec.shared),
            "parameters_place_specific": sum(len(p.parameters) for p in spec.places.values()),
            "identities": sum(1 for p in spec.fitted.values() if p.identity)}


def counts_line(spec: JointSpec) -> str:
    """One line of the counts, for headers and terminal output."""
    c = counts(spec)
    free = c["parameters_shared"] + c["parameters_place_specific"]
    return (f"{c['patterns_fitted']} fitted patterns ({c['identities']} identities) and {c['patterns_held_out']} held out, "
            f"against {free} free parameters ({c['parameters_shared']} shared, {c['parameters_place_specific']} place-specific)")


def _pattern_line(name: str, pattern: Pattern, evaluation: JointEvaluation) -> str:
    mark = "ok" if evaluation.within[name] else "OUTSIDE"
    kind = "held out" if pattern.role.value == "held_out" else ("fit, identity" if pattern.identity else "fit")
    kind += f", pooled over {'+'.join(pattern.places)}" if pattern.places else ""
    return (f"#   {name} ({kind}): {pattern.observed:.6g} / {evaluation.simulated[name]:.6g}, "
            f"{evaluation.relative_error[name]:+.1%}, +-{pattern.tolerance:.0%} {mark}")


def place_toml(spec: JointSpec, spec_path: Path, place: str, out_path: Path, record_path: Path,
               fit: JointFit, seeds: list[int], days: int | None) -> str:
    """The text of one place's fitted scenario."""
    source = spec_path.parent / spec.places[place].scenario
    parent = _relative(source, out_path)
    lines = [
        f"# Calibrated: {spec.name}. Written by `python -m sim calibrate --joint` -- edit the source instead:",
        f"#   source scenario: {parent} (every cited value and [assumed] mark is there)",
        f"#   joint targets: {_relative(spec_path, out_path)}; shared constants: {_relative(record_path, out_path)}",
        (f"#   seeds {seeds[0]}..{seeds[-1]} (common random numbers), "
         f"{'the scenario' + chr(39) + 's days' if days is None else f'{days} days'}"),
        f"#   {counts_line(spec)}",
        "# This place's patterns (observed / simulated, relative error, tolerance):",
    ]
    lines += [_pattern_line(n, p, fit.best) for n, p in spec.patterns.items() if place in p.where]
    lines += ["", f"extends = {json.dumps(parent)}", ""]
    rows = {key: (value, "shared") for (p, key), value in fit.best.values.items() if not p}
    rows.update({key: (value, "this place") for (p, key), value in fit.best.values.items() if p == place})
    lines += _tables(spec, place, rows)
    return "\n".join(lines).rstrip() + "\n"


def _tables(spec: JointSpec, place: str, rows: Mapping[str, tuple[float, str]]) -> list[str]:
    groups: dict[tuple[str, ...], list[str]] = {}
    for dotted, (value, scope) in rows.items():
        *parents, leaf = dotted.split(".")
        bounds = spec.bounds(place if scope == "this place" else "", dotted)
        groups.setdefault(tuple(parents), []).append(
            f"{toml_key(leaf)} = {toml_value(value)}  # [fitted] joint, {scope}; within [{bounds.low:g}, {bounds.high:g}]")
    lines: list[str] = []
    for parents, group in sorted(groups.items()):
        lines += [f"[{'.'.join(toml_key(p) for p in parents)}]", *group, ""]
    return lines


def record_toml(spec: JointSpec, spec_path: Path, record_path: Path, fit: JointFit, seeds: int, days: int | None,
                wall_s: float) -> str:
    """The text of the shared-constants record."""
    c = counts(spec)
    lines = [
        f"# Shared constants of the joint calibration ({spec.name}). Written by `python -m sim calibrate --joint`;",
        f"# the fitted place files carry the same values. {counts_line(spec)}.",
        "",
        f"targets = {json.dumps(_relative(spec_path, record_path))}",
        f"written_utc = {json.dumps(datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ'))}",
        f"seeds_per_place = {seeds}",
        f"days = {days if days is not None else 0}",
        f"place_runs = {fit.place_runs}",
        f"wall_seconds = {wall_s:.0f}",
        f"cost = {toml_value(fit.best.cost)}",
        f"start_cost = {toml_value(fit.start.cost)}",
        f"message = {json.dumps(fit.message, ensure_ascii=False)}",
        *[f"{k} = {v}" for k, v in c.items()],
        "",
        "[shared]",
        *[f"{json.dumps(key)} = {toml_value(v)}" for (p, key), v in fit.best.values.items() if not p],
        "",
    ]
    for place in spec.places:
        own = [(key, v) for (p, key), v in fit.best.values.items() if p == place]
        if own:
            lines += [f"[place_specific.{toml_key(place)}]", *[f"{json.dumps(k)} = {toml_value(v)}" for k, v in own], ""]
    for name, pattern in spec.patterns.items():
        lines += [f"[patterns.{toml_key(name)}]", f"place = {json.dumps('+'.join(pattern.where))}",
                  f"role = {json.dumps(pattern.role.value)}", f"identity = {json.dumps(pattern.identity)}",
                  f"observed = {toml_value(pattern.observed)}", f"simulated = {toml_value(fit.best.simulated[name])}",
                  f"relative_error = {toml_value(fit.best.relative_error[name])}",
                  f"tolerance = {toml_value(pattern.tolerance)}", f"within = {str(fit.best.within[name]).lower()}", ""]
    return "\n".join(lines).rstrip() + "\n"


def fitted_values(values: Mapping[Key, float]) -> dict[str, float]:
    """Values keyed by their printed names (JSON output)."""
    return {(f"{p}: {k}" if p else k): v for (p, k), v in values.items()}
