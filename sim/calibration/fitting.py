"""Fitting: bounded least squares on tolerance-scaled relative errors (``scipy.optimize.least_squares``).

Why this method: there are few free parameters (1-4), each mostly drives one or two targets and
does so monotonically, so a Gauss-Newton step (trust region reflective, bounds respected) reaches
the fit in a handful of Jacobians, where Nelder-Mead or differential evolution would need tens to
hundreds of runs. The objective is noisy, which breaks scipy's default finite differences (a
step of 1e-8 sees only noise or nothing), so the Jacobian here uses forward differences with a
coarse step in the unit box (``STEP``), and every evaluation uses the same seeds (common random
numbers) so that the noise is frozen: the objective is a deterministic function of the parameters.
Evaluations are cached, counted against a budget, and the best one is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from sim.calibration.objective import Evaluation, Objective

STEP = 0.04                 # forward-difference step, as a share of each parameter's range
EARLY_STOP_FRACTION = 0.25  # stop once every target is within this share of its tolerance
RESTARTS = 2               # restarts from the best point after a stalled search


@dataclass(frozen=True)
class FitResult:
    """The best evaluation found, the starting one, and how many evaluations it took."""

    best: Evaluation
    start: Evaluation
    evaluations: int
    message: str


class _Stop(Exception):
    """Raised inside the objective to end the search (budget spent or fit good enough)."""


class _Search:
    """The objective in the unit box, with a cache, a budget and the best evaluation so far."""

    def __init__(self, objective: Objective, budget: int) -> None:
        self.objective = objective
        self.budget = budget
        params = objective.targets.parameters
        self.low = np.array([params[k].low for k in objective.keys])
        self.high = np.array([params[k].high for k in objective.keys])
        self.cache: dict[tuple[float, ...], Evaluation] = {}
        self.best: Evaluation | None = None

    def to_values(self, u: np.ndarray) -> dict[str, float]:
        x = self.low + np.clip(u, 0.0, 1.0) * (self.high - self.low)
        return dict(zip(self.objective.keys, x.tolist()))

    def to_unit(self, values: dict[str, float | int]) -> np.ndarray:
        x = np.array([float(values[k]) for k in self.objective.keys])
        return np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)

    def evaluate(self, u: np.ndarray) -> Evaluation:
        key = tuple(np.round(u, 9).tolist())
        if key not in self.cache:
            if len(self.cache) >= self.budget:
                raise _Stop(f"budget of {self.budget} evaluations spent")
            evaluation = self.objective.evaluate(self.to_values(u))
            self.cache[key] = evaluation
            if self.best is None or evaluation.cost < self.best.cost:
                self.best = evaluation
        return self.cache[key]

    def residuals(self, u: np.ndarray) -> np.ndarray:
        evaluation = self.evaluate(u)
        if _good_enough(evaluation, self.objective):
            raise _Stop("every target well within its tolerance")
        return self.objective.residuals_from(evaluation.relative_error)

    def jacobian(self, u: np.ndarray) -> np.ndarray:
        """Forward differences with a coarse step, stepping backwards at the upper bound."""
        base = self.residuals(u)
        columns = []
        for i in range(u.size):
            step = STEP if u[i] + STEP <= 1.0 else -STEP
            moved = u.copy()
            moved[i] += step
            columns.append((self.residuals(moved) - base) / step)
        return np.column_stack(columns)


def _good_enough(evaluation: Evaluation, objective: Objective) -> bool:
    return all(abs(evaluation.relative_error[name]) <= EARLY_STOP_FRACTION * t.tolerance
               for name, t in objective.targets.targets.items())


def fit(objective: Objective, budget: int | None = None) -> FitResult:
    """Fit the free parameters from the scenario's own values; the best evaluation wins.

    A noisy objective can stall a trust region early, so the search restarts from the best point
    found (up to ``RESTARTS`` times) while the budget lasts and some target is outside tolerance.
    """
    search = _Search(objective, budget or objective.targets.max_evaluations)
    start = search.evaluate(search.to_unit(objective.start))
    message = "no search needed"
    for _ in range(RESTARTS + 1):
        assert search.best is not None
        if search.best.all_within and _good_enough(search.best, objective):
            break
        try:
            result = least_squares(search.residuals, search.to_unit(search.best.values), jac=search.jacobian,
                                   bounds=(0.0, 1.0), method="trf", x_scale=1.0, xtol=1e-3, ftol=1e-4,
                                   max_nfev=10 * search.budget)
            search.evaluate(result.x)
            message = str(result.message)
        except _Stop as stop:
            message = str(stop)
            break
    assert search.best is not None
    return FitResult(best=search.best, start=start, evaluations=len(search.cache), message=message)
