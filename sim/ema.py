"""This simulator as an EMA Workbench model, so EMA's own tools (``perform_experiments``,
``optimize``, ``prim``, feature scoring) run on it::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from sim.ema import model

    m = model("scenarios/changsha/base.toml", "scenarios/uncertainties/changsha.toml",
              levers={"budget.split_stations": (0.2, 0.7), "budget.spread_rule": ["per_capita", "need_weighted"]},
              outcomes=["coverage", "coverage_hardship"], replications=2)
    with SequentialEvaluator(m) as evaluator:
        experiments, outcomes = perform_experiments(m, scenarios=8, policies=2, evaluator=evaluator)

Uncertainties come from an uncertainties file (``sim.advise.uncertainties``): each becomes a
``RealParameter`` (``IntegerParameter`` when ``integer``) over its [low, high] range; EMA samples
it with its own samplers (uniformly: a file's loguniform or triangular shape is this tool's, not
EMA's). Levers are dotted scenario keys with a (low, high) range or a list of choices. Budget
shares among the levers are weights: after they are set, the five ``budget.split_*`` shares are
divided by their sum, so they always sum to 1. Each experiment runs ``replications`` seeds, the
same seeds in every experiment (common random numbers), and reports the mean of each outcome.
Parameter names are the uncertainties' names and the levers' keys with ``.`` written ``__``.
ema_workbench is an optional extra: ``pip install five-society-sim[ema]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.advise.uncertainties import Uncertainty, load_uncertainties, setting_overrides
from sim.errors import ScenarioError
from sim.kpis import KPIS, Better, better_of

SPLITS = ("split_stations", "split_demonstration", "split_hub_awards", "split_purchased_services", "split_fund_seed")
LeverRange = tuple[float, float] | Sequence[Any]


def lever_name(key: str) -> str:
    """EMA parameter name of a dotted key: ``budget.split_stations`` -> ``budget__split_stations``."""
    return key.replace(".", "__")


class SimulatorFunction:
    """The model function EMA calls with keyword arguments; picklable for EMA's multiprocessing evaluator."""

    def __init__(self, data: dict[str, Any], uncertainties: tuple[Uncertainty, ...], levers: Sequence[str],
                 outcomes: Sequence[str], seeds: Sequence[int], days: int | None) -> None:
        self.data, self.uncertainties, self.outcomes = data, uncertainties, list(outcomes)
        self.levers = {lever_name(key): key for key in levers}
        self.seeds, self.days = list(seeds), days

    def overrides(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The dotted overrides of one EMA experiment: levers (shares renormalised), then uncertainties."""
        from sim.loading import apply_overrides

        chosen = {key: _plain(values[name]) for name, key in self.levers.items() if name in values}
        if any(key.startswith("budget.split_") for key in chosen):
            chosen.update(normalised_splits(self.data, chosen))
        data = apply_overrides(self.data, chosen, source="ema levers") if chosen else self.data
        sampled = [float(_plain(values.get(u.name, _middle(u)))) for u in self.uncertainties]
        return {**chosen, **setting_overrides(data, self.uncertainties, sampled)}

    def __call__(self, **values: Any) -> dict[str, float]:
        from sim.loading import apply_overrides, validate
        from sim.run import simulate

        scenario = validate(apply_overrides(self.data, self.overrides(values), source="ema"), source="ema")
        runs = [simulate(scenario, seed=seed, days=self.days).kpis for seed in self.seeds]
        return {k: sum(run[k] for run in runs) / len(runs) for k in self.outcomes}


def normalised_splits(data: Mapping[str, Any], chosen: Mapping[str, Any]) -> dict[str, float]:
    """The five budget shares, levers' weights and the scenario's other shares, divided by their sum."""
    from sim.loading import validate

    budget = validate(data, source="ema").budget
    weights = {s: float(chosen.get(f"budget.{s}", getattr(budget, s))) for s in SPLITS}
    total = sum(weights.values())
    if total <= 0:
        raise ScenarioError([f"ema levers: budget shares sum to {total:g} (allowed: a positive sum)"])
    return {f"budget.{s}": w / total for s, w in weights.items()}


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers."""
    return value.item() if hasattr(value, "item") and type(value).__module__ == "numpy" else value


def _middle(u: Uncertainty) -> float:
    return (u.low + u.high) / 2


def model(scenario: str | Path, uncertainties: str | Path | Sequence[Uncertainty],
          levers: Mapping[str, LeverRange] | None = None, outcomes: Sequence[str] = ("coverage", "coverage_hardship"),
          replications: int = 1, seed: int = 0, days: int | None = None, name: str = "fivesociety",
          overrides: Mapping[str, Any] | None = None):
    """An ``ema_workbench.Model`` running this simulator (see the module docstring); ``overrides`` are
    dotted keys fixed in every experiment (EMA's constants, in this tool's terms)."""
    from ema_workbench import (
        CategoricalParameter,
        IntegerParameter,
        Model,
        RealParameter,
        ScalarOutcome,
    )

    from sim.experiment.seeds import replication_seeds
    from sim.loading import _check_key, apply_overrides, read_merged, validate

    items = tuple(load_uncertainties(uncertainties) if isinstance(uncertainties, (str, Path)) else uncertainties)
    data = read_merged(Path(scenario))
    if overrides:
        data = apply_overrides(data, overrides, source=f"{scenario} (override)")
    validate(data, source=str(scenario))
    levers = dict(levers or {})
    problems = [f"ema levers: {key}: {problem}" for key in levers if (problem := _check_key(key))]
    problems += [f"ema outcomes: {k}: not a KPI (allowed: {', '.join(KPIS)})" for k in outcomes if k not in KPIS]
    if problems:
        raise ScenarioError(problems)
    function = SimulatorFunction(data, items, list(levers), outcomes, replication_seeds(seed, replications), days)
    ema = Model(name, function=function)
    ema.uncertainties = [(IntegerParameter if u.integer else RealParameter)(u.name, u.low, u.high) for u in items]
    ema.levers = [_lever(key, spec, RealParameter, CategoricalParameter) for key, spec in levers.items()]
    kinds = {Better.HIGHER: ScalarOutcome.MAXIMIZE, Better.LOWER: ScalarOutcome.MINIMIZE}
    ema.outcomes = [ScalarOutcome(k, kind=kinds.get(better_of(k), ScalarOutcome.INFO)) for k in outcomes]
    return ema


def _lever(key: str, spec: LeverRange, real, categorical):
    """A (low, high) tuple of numbers is a real lever; a list is a set of choices."""
    if isinstance(spec, tuple) and len(spec) == 2 and all(isinstance(v, (int, float)) for v in spec):
        return real(lever_name(key), float(spec[0]), float(spec[1]))
    return categorical(lever_name(key), list(spec))
