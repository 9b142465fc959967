"""The terminal table of a fit or check: each target's observed and simulated value and relative error."""

from __future__ import annotations

from sim.calibration.fitting import FitResult
from sim.calibration.objective import Evaluation
from sim.calibration.targets import TargetsFile


def format_fit(scenario: str, targets: TargetsFile, evaluation: Evaluation, result: FitResult | None,
               seeds: list[int], days: int | None) -> str:
    """Rows per target, then the parameters (fitted, or as they stand when checking)."""
    mode = "check" if result is None else f"fit ({result.evaluations} evaluations: {result.message})"
    lines = [f"{targets.name}: {scenario}, {mode}, {len(seeds)} seeds from {seeds[0]}, "
             f"{'scenario days' if days is None else f'{days} days'}"]
    width = max(len(name) for name in targets.targets) + 2
    lines.append(f"  {'target':<{width}}{'observed':>14}{'simulated':>14}{'rel. error':>12}{'tolerance':>11}")
    for name, target in targets.targets.items():
        ok = "ok" if evaluation.within[name] else "OUTSIDE"
        lines.append(f"  {name:<{width}}{target.observed:>14.6g}{evaluation.simulated[name]:>14.6g}"
                     f"{evaluation.relative_error[name]:>+12.1%}{target.tolerance:>10.0%}  {ok}")
    if evaluation.values:
        label = "parameters" if result is None else "fitted parameters (start -> fitted)"
        lines.append(f"  {label}:")
        for key, value in evaluation.values.items():
            start = "" if result is None else f"{result.start.values[key]:.6g} -> "
            lines.append(f"    {key} = {start}{value:.6g}")
    verdict = "every target within tolerance" if evaluation.all_within else "some targets OUTSIDE tolerance"
    lines.append(f"  {verdict} (cost {evaluation.cost:.3g})")
    return "\n".join(lines)
