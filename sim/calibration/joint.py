"""The joint objective and fit: one set of shared behavioural constants across every place.

Each place is run at the shared values plus its own place-specific values, over the same seeds at
every evaluation (common random numbers: the scenario's ``seed`` and the ones after it), and its
KPIs give the simulated value of each of its patterns. The residual vector holds the *fitted*
patterns only (relative error over tolerance, times the square root of the weight); held-out
patterns are computed from the same runs and reported, never passed to the optimiser.

Runs are cached per (place, parameter values, seed), so a Jacobian column of a place-specific
parameter re-runs only that place, and each batch of runs (a point and all its Jacobian columns)
goes to a process pool at once. The search is ``scipy.optimize.least_squares`` (trust-region
reflective in the unit box) with coarse forward differences, as in ``fitting`` (whose docstring
says why); the budget counts place runs, ``max_evaluations`` times the number of places and seeds.
A parameter whose bounds span a factor of ten or more (yuan per place, gift and recruit rates) is
searched on a log scale, so that a trust region near its lower bound can still move it.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from sim.calibration.joint_spec import JointSpec, Pattern
from sim.calibration.objective import current_values, relative_error
from sim.errors import ScenarioError
from sim.loading import load_scenario
from sim.run import resolve, simulate
from sim.scenario import Scenario

STEP = 0.04           # forward-difference step, as a share of each parameter's range
EARLY_STOP = 0.25     # stop once every fitted pattern is within this share of its tolerance
RESTARTS = 1          # restarts from the best point after a stalled search
LOG_RATIO = 10.0      # a parameter whose bounds span this ratio or more is searched on a log scale
INSIDE = 0.02         # a start on a bound is moved this far inside (a trust region stalls on its bounds)

Key = tuple[str, str]  # (place, or "" for a shared parameter; dotted scenario key)


def key_name(key: Key) -> str:
    """``volunteers.quit_rate_per_year`` or ``qiaotou: giving.donors_per_1000_per_year``."""
    place, dotted = key
    return f"{place}: {dotted}" if place else dotted


@dataclass(frozen=True)
class JointEvaluation:
    """One evaluation: parameter values, and per pattern its simulated value and relative error."""

    values: dict[Key, float]
    simulated: dict[str, float]
    relative_error: dict[str, float]
    within: dict[str, bool]
    cost: float

    def all_within(self, names: Mapping[str, Pattern]) -> bool:
        """Every named pattern inside its tolerance."""
        return all(self.within[name] for name in names)


def _place_kpis(scenario: Scenario, overrides: dict[str, float | int], seed: int, days: int | None) -> dict[str, float]:
    """KPIs of one run (a module-level function, so a process pool can call it)."""
    resolved = resolve(scenario, overrides) if overrides else scenario
    return dict(simulate(resolved, seed=seed, days=days).kpis)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Fresh ("spawn") workers with one BLAS thread each, as the experiment runner makes them."""
    from sim.experiment.blas import one_thread_environment
    from sim.experiment.worker import init_pool_worker

    with one_thread_environment():
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_pool_worker)


class Runner:
    """Place runs, cached, in a process pool of ``workers`` (1: in this process)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.cache: dict[tuple[str, tuple[tuple[str, float], ...], int], dict[str, float]] = {}
        self._pool: ProcessPoolExecutor | None = None

    def run(self, jobs: list[tuple[str, Scenario, dict[str, float | int], int, int | None]]) -> None:
        """Run every job (place, scenario, overrides, seed, days) not in the cache."""
        todo, seen = [], set()
        for place, scenario, overrides, seed, days in jobs:
            key = self.key(place, overrides, seed)
            if key not in self.cache and key not in seen:
                seen.add(key)
                todo.append((key, scenario, overrides, seed, days))
        if self.workers > 1 and len(todo) > 1:
            self._pool = self._pool or _pool(self.workers)
            results = list(self._pool.map(_place_kpis, *zip(*[(s, o, seed, d) for _, s, o, seed, d in todo])))
        else:
            results = [_place_kpis(s, o, seed, d) for _, s, o, seed, d in todo]
        for (key, *_), kpis in zip(todo, results):
            self.cache[key] = kpis

    @staticmethod
    def key(place: str, overrides: Mapping[str, float | int], seed: int) -> tuple[str, tuple[tuple[str, float], ...], int]:
        return place, tuple(sorted((k, round(float(v), 12)) for k, v in overrides.items())), seed

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class JointObjective:
    """Every place at given shared and place-specific values, scored against every pattern."""

    def __init__(self, spec: JointSpec, scenarios: Mapping[str, Scenario], seeds: int | None = None,
                 days: int | None = None, workers: int = 1, source: str = "joint",
                 start_from: Mapping[str, Scenario] | None = None, seed_offset: int = 0) -> None:
        self.spec = spec
        self.scenarios = dict(scenarios)
        self.seeds = {place: [s.seed + seed_offset + i for i in range(seeds or spec.seeds)] for place, s in self.scenarios.items()}
        self.days = days or spec.days
        self.keys: list[Key] = spec.free_keys()
        self.runner = Runner(workers)
        self.start = self._start_values(dict(start_from or {}), source)
        self._check_kpis(source)

    def _start_values(self, start_from: dict[str, Scenario], source: str) -> dict[Key, float | int]:
        """Each value as ``start_from`` has it (a place missing there: as its scenario has it).

        A shared value comes from the first place that does not set its own (those of ``start_from`` first).
        """
        scenarios = {**self.scenarios, **start_from}
        order = [*start_from, *self.scenarios]
        start: dict[Key, float | int] = {}
        for place, key in self.keys:
            owner = place or next((p for p in order if key not in self.spec.places[p].parameters), order[0])
            start[(place, key)] = current_values(scenarios[owner], [key], source)[key]
        return start

    def _check_kpis(self, source: str) -> None:
        place = next(iter(self.scenarios))
        known = set(_place_kpis(self.scenarios[place], {}, 0, 1))
        problems = [f"{source}: patterns.{name}.{field}: unknown KPI {getattr(p, field)!r} (allowed: {', '.join(sorted(known))})"
                    for name, p in self.spec.patterns.items() for field in ("kpi", "per")
                    if getattr(p, field) and getattr(p, field) not in known]
        if problems:
            raise ScenarioError(problems)

    def overrides(self, place: str, values: Mapping[Key, float]) -> dict[str, float | int]:
        """The dotted overrides of one place: the shared values, then its own (which replace them), typed."""
        ordered = sorted(((p, key), v) for (p, key), v in values.items() if p in ("", place))
        return {key: round(v) if isinstance(self.start[(p, key)], int) else float(v) for (p, key), v in ordered}

    def _jobs(self, values: Mapping[Key, float]) -> list[tuple[str, Scenario, dict[str, float | int], int, int | None]]:
        return [(place, scenario, self.overrides(place, values), seed, self.days)
                for place, scenario in self.scenarios.items() for seed in self.seeds[place]]

    def new_runs(self, values: Mapping[Key, float]) -> int:
        """How many place runs evaluating ``values`` would add to the cache."""
        return sum(1 for place, _, o, seed, _ in self._jobs(values) if self.runner.key(place, o, seed) not in self.runner.cache)

    def evaluate_many(self, points: list[Mapping[Key, float]]) -> list[JointEvaluation]:
        """Evaluate several points, their runs in one batch."""
        self.runner.run([job for values in points for job in self._jobs(values)])
        return [self._score(values) for values in points]

    def evaluate(self, values: Mapping[Key, float]) -> JointEvaluation:
        """Evaluate one point (an empty mapping: every place as it stands)."""
        return self.evaluate_many([values])[0]

    def place_kpis(self, place: str, values: Mapping[Key, float]) -> dict[str, float]:
        """A place's KPIs averaged over its seeds (the runs must be cached)."""
        overrides = self.overrides(place, values)
        runs = [self.runner.cache[self.runner.key(place, overrides, seed)] for seed in self.seeds[place]]
        return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}

    def _score(self, values: Mapping[Key, float]) -> JointEvaluation:
        kpis = {place: self.place_kpis(place, values) for place in self.scenarios}
        simulated = {n: float(np.mean([pattern_value(p, kpis[w]) for w in p.where])) for n, p in self.spec.patterns.items()}
        relative = {n: relative_error(simulated[n], p.observed) for n, p in self.spec.patterns.items()}
        within = {n: abs(relative[n]) <= p.tolerance for n, p in self.spec.patterns.items()}
        cost = float(np.sum(self.residuals_from(relative) ** 2))
        cast = {k: round(v) if isinstance(self.start[k], int) else float(v) for k, v in values.items()}
        return JointEvaluation(cast, simulated, relative, within, cost)

    def residuals_from(self, relative: Mapping[str, float]) -> np.ndarray:
        """The fitted patterns' relative errors over tolerance, times sqrt(weight); held-out patterns never."""
        return np.array([relative[n] / p.tolerance * math.sqrt(p.weight) for n, p in self.spec.fitted.items()])

    def close(self) -> None:
        self.runner.close()


def pattern_value(pattern: Pattern, kpis: Mapping[str, float]) -> float:
    """A KPI, or a ratio of two KPIs (0 when the divisor is 0)."""
    value = kpis[pattern.kpi]
    if not pattern.per:
        return value
    return value / kpis[pattern.per] if kpis[pattern.per] else 0.0


def load_places(spec: JointSpec, spec_path: Path, fitted: bool, out_dir: Path | None = None) -> dict[str, Scenario]:
    """Each place's source scenario, or (``fitted``) its fitted file, in ``out_dir`` when given."""
    return {name: load_scenario(place_path(spec_path, place.out if fitted else place.scenario, out_dir if fitted else None))
            for name, place in spec.places.items()}


def previous_fit(spec: JointSpec, spec_path: Path, out_dir: Path | None = None) -> dict[str, Scenario]:
    """The fitted files that load as they stand (a re-fit starts there); a file that does not is left out."""
    loaded = {}
    for name, place in spec.places.items():
        try:
            loaded[name] = load_scenario(place_path(spec_path, place.out, out_dir))
        except ScenarioError:
            continue
    return loaded


def place_path(spec_path: Path, relative: str, out_dir: Path | None = None) -> Path:
    """A path of the joint file, relative to it, or its file name in ``out_dir``."""
    return out_dir / Path(relative).name if out_dir is not None else spec_path.parent / relative


@dataclass(frozen=True)
class JointFit:
    """The best evaluation, the starting one, place runs spent, and why the search ended."""

    best: JointEvaluation
    start: JointEvaluation
    place_runs: int
    message: str


class _Stop(Exception):
    """Raised inside the objective to end the search."""


class _Search:
    """The objective in the unit box, with a budget of place runs and the best evaluation so far."""

    def __init__(self, objective: JointObjective, budget_runs: int, progress: Callable[[str], None] | None,
                 deadline: float | None = None) -> None:
        self.objective = objective
        self.budget_runs = budget_runs
        self.deadline = deadline
        spec = objective.spec
        low = np.array([spec.bounds(*k).low for k in objective.keys])
        high = np.array([spec.bounds(*k).high for k in objective.keys])
        self.log = (low > 0) & (high / np.where(low > 0, low, 1.0) >= LOG_RATIO)
        self.low = np.where(self.log, np.log(np.where(self.log, low, 1.0)), low)
        self.high = np.where(self.log, np.log(np.where(self.log, high, 1.0)), high)
        self.best: JointEvaluation | None = None
        self.progress = progress

    def to_values(self, u: np.ndarray) -> dict[Key, float]:
        x = self.low + np.clip(u, 0.0, 1.0) * (self.high - self.low)
        return dict(zip(self.objective.keys, np.where(self.log, np.exp(x), x).tolist()))

    def to_unit(self, values: Mapping[Key, float]) -> np.ndarray:
        x = np.array([float(values[k]) for k in self.objective.keys])
        x = np.where(self.log, np.log(np.maximum(x, 1e-300)), x)
        return np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)

    def evaluate_many(self, units: list[np.ndarray]) -> list[JointEvaluation]:
        points = [self.to_values(u) for u in units]
        needed = sum(self.objective.new_runs(p) for p in points)
        if needed and len(self.objective.runner.cache) + needed > self.budget_runs:
            raise _Stop(f"budget of {self.budget_runs} place runs spent")
        if needed and self.deadline is not None and time.monotonic() > self.deadline:
            raise _Stop("time limit reached")
        evaluations = self.objective.evaluate_many(points)
        for evaluation in evaluations:
            if self.best is None or evaluation.cost < self.best.cost:
                self.best = evaluation
                if self.progress:
                    self.progress(f"  cost {evaluation.cost:.3g} after {len(self.objective.runner.cache)} place runs")
        return evaluations

    def _residuals(self, evaluation: JointEvaluation) -> np.ndarray:
        if _good_enough(evaluation, self.objective.spec):
            raise _Stop("every fitted pattern well within its tolerance")
        return self.objective.residuals_from(evaluation.relative_error)

    def residuals(self, u: np.ndarray) -> np.ndarray:
        return self._residuals(self.evaluate_many([u])[0])

    def jacobian(self, u: np.ndarray) -> np.ndarray:
        """Forward differences with a coarse step (backwards at the upper bound), all columns in one batch."""
        steps = np.where(u + STEP <= 1.0, STEP, -STEP)
        moved = [u.copy() for _ in range(u.size)]
        for i, m in enumerate(moved):
            m[i] += steps[i]
        base, *columns = self.evaluate_many([u, *moved])
        r0 = self._residuals(base)
        return np.column_stack([(self._residuals(c) - r0) / steps[i] for i, c in enumerate(columns)])


def _good_enough(evaluation: JointEvaluation, spec: JointSpec) -> bool:
    return all(abs(evaluation.relative_error[n]) <= EARLY_STOP * p.tolerance for n, p in spec.fitted.items())


def fit_joint(objective: JointObjective, max_evaluations: int | None = None,
              progress: Callable[[str], None] | None = None, max_seconds: float | None = None) -> JointFit:
    """Fit shared and place-specific values from the objective's start; the best evaluation wins.

    ``max_seconds`` (optional) stops the search at the first batch that would start after it; the
    result then depends on the machine's speed, so the default is the run budget alone.
    """
    budget = (max_evaluations or objective.spec.max_evaluations) * len(objective.scenarios) * len(next(iter(objective.seeds.values())))
    search = _Search(objective, budget, progress)
    start = search.evaluate_many([search.to_unit(objective.start)])[0]
    search.deadline = None if max_seconds is None else time.monotonic() + max_seconds
    message = "no search needed"
    for _ in range(RESTARTS + 1):
        assert search.best is not None
        if _good_enough(search.best, objective.spec):
            break
        try:
            x0 = np.clip(search.to_unit(search.best.values), INSIDE, 1.0 - INSIDE)
            result = least_squares(search.residuals, x0, jac=search.jacobian,
                                   bounds=(0.0, 1.0), method="trf", x_scale=1.0, xtol=1e-3, ftol=1e-3, max_nfev=1000)
            message = str(result.message)
        except _Stop as stop:
            message = str(stop)
            break
    assert search.best is not None
    return JointFit(best=search.best, start=start, place_runs=len(objective.runner.cache), message=message)
