"""Writing a fitted scenario: a TOML file that ``extends`` the original and sets the fitted keys.

The file starts with a comment block naming the targets file, the seeds and days of the fit and
the fit quality (observed, simulated and relative error of every target), and every fitted value
is marked ``[fitted]``, so the file keeps the library's rule that each value is cited or marked.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from sim.calibration.objective import Evaluation
from sim.calibration.targets import TargetsFile

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(part: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return part if BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)


def toml_value(value: float | int) -> str:
    """A TOML number (floats keep a decimal point, with 6 significant digits)."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.6g}"
    return text if any(c in text for c in ".en") else f"{text}.0"


def fitted_toml(scenario_path: Path, out_path: Path, targets_path: Path, targets: TargetsFile,
                evaluation: Evaluation, seeds: list[int], days: int | None) -> str:
    """The text of the fitted scenario file."""
    parent = Path(os.path.relpath(scenario_path.resolve(), out_path.resolve().parent)).as_posix()
    lines = [
        f"# Calibrated: {targets.name}. Written by `python -m sim calibrate` -- edit the source instead:",
        f"#   source scenario: {parent} (every cited value and [assumed] mark is there)",
        f"#   targets: {Path(os.path.relpath(targets_path.resolve(), out_path.resolve().parent)).as_posix()}"
        f" (observed values and their sources)",
        f"#   seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} common-random-number replications), "
        f"{'the scenario' + chr(39) + 's days' if days is None else f'{days} days'}",
        "# Fit quality (target: observed / simulated, relative error, tolerance):",
    ]
    for name, target in targets.targets.items():
        mark = "ok" if evaluation.within[name] else "OUTSIDE"
        lines.append(f"#   {name}: {target.observed:.6g} / {evaluation.simulated[name]:.6g}, "
                     f"{evaluation.relative_error[name]:+.1%}, +-{target.tolerance:.0%} {mark}")
    lines += ["", f"extends = {json.dumps(parent)}", ""]
    lines += _tables(evaluation.values, targets)
    return "\n".join(lines).rstrip() + "\n"


def _tables(values: Mapping[str, float | int], targets: TargetsFile) -> list[str]:
    """One TOML table per parent key, each fitted value marked with its bounds."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for dotted, value in values.items():
        *parents, leaf = dotted.split(".")
        p = targets.parameters[dotted]
        groups.setdefault(tuple(parents), []).append(
            f"{toml_key(leaf)} = {toml_value(value)}  # [fitted] within [{p.low:g}, {p.high:g}]")
    lines: list[str] = []
    for parents, rows in sorted(groups.items(), key=lambda item: len(item[0]) > 0):
        if parents:
            lines.append(f"[{'.'.join(toml_key(p) for p in parents)}]")
        lines += rows + [""]
    return lines


def write_fitted(text: str, out_path: Path) -> None:
    """Write the fitted scenario (its folder must exist)."""
    out_path.write_text(text, encoding="utf-8")
